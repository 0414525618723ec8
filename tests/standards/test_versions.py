"""Versions in the catalogue (issue 14 item 5): lists and pages show a unit's version and validity and
say when it is incomplete; each version has its own address, the first keeping the one it always
had; a candidate is registered on one version of a unit; and who may import units."""

import pytest

from portfolio.models import Membership, Role
from portfolio.services_centre import Refused, enrolment_register
from standards.models import Unit
from standards.permissions import may_import_units
from standards.selectors import unit_slug
from tests.factories import load_standards, may_import
from tests.standards.unit_versions import new_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_2(db):
    load_standards()
    return new_version("HSC331", "2", words={"HSC331a.1": "you support individuals to say what they want:"})


def test_the_catalogue_lists_each_version_with_its_validity(client, version_2):
    page = client.get("/standards/").content.decode()
    assert page.count(">HSC331</span>") == 2
    assert "v1 · Legacy" in page and "v2 · Current" in page
    assert 'href="/standards/hsc331/"' in page and 'href="/standards/hsc331-v2/"' in page


def test_each_version_has_its_own_page_and_the_old_address_keeps_version_1(client, version_2):
    first = client.get("/standards/hsc331/").content.decode()
    assert "v1 · Legacy" in first and "identify and communicate" in first
    assert 'href="/standards/hsc331-v2/">version 2 (current)</a>' in first
    second = client.get("/standards/hsc331-v2/").content.decode()
    assert "v2 · Current" in second and "you support individuals to say what they want:" in second
    assert 'href="/standards/hsc331/">version 1 (legacy)</a>' in second
    # The code as printed still leads to the address it always led to.
    assert client.get("/standards/HSC331/").headers["Location"] == "/standards/hsc331/"


def test_a_new_version_takes_a_slug_with_its_version(version_2):
    assert unit_slug("HSC331", "3") == "hsc331-v3"
    assert unit_slug("SCDHSC0041", "3") == "scdhsc0041"  # the first version of a code keeps the code's


def test_an_incomplete_unit_says_so_wherever_it_is_shown(client, version_2):
    Unit.objects.filter(pk=version_2.pk).update(incomplete=True, metadata={"developed by": "Skills for Care"})
    listed = client.get("/standards/").content.decode()
    assert listed.count("Incomplete unit") == 1
    page = client.get("/standards/hsc331-v2/").content.decode()
    assert "Incomplete unit" in page and "Skills for Care" in page
    assert "Incomplete unit" not in client.get("/standards/hsc331/").content.decode()


def test_a_candidate_is_registered_on_one_version_of_a_unit(hsc331, grace, alice, bob, carol, centre, version_2):
    with pytest.raises(Refused, match=r"already registered on HSC331 \(version 1\)"):
        enrolment_register(
            centre=centre, registered_by=grace, candidate=alice, unit=version_2, assessor=bob, iqa=carol,
            start_date=hsc331.start_date, target_date=hsc331.target_date,
        )


def test_the_site_administrator_may_import_units(django_user_model):
    site = django_user_model.objects.create_superuser(email="site@example.org", password="x" * 20)
    assert may_import_units(site)


def test_a_centre_administrator_may_import_units_once_granted(grace, bob, centre):
    assert not may_import_units(grace)
    may_import(Membership.objects.filter(person=grace, role=Role.ADMINISTRATOR))
    assert may_import_units(grace)
    # The right is a centre administrator's: the flag on another role grants nothing.
    may_import(Membership.objects.filter(person=bob))
    assert not may_import_units(bob)
    grace.is_active = False
    assert not may_import_units(grace)


def test_nobody_signed_out_may_import_units():
    from django.contrib.auth.models import AnonymousUser

    assert not may_import_units(AnonymousUser())
