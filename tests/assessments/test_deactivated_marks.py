"""People deactivated at a centre are marked "(deactivated)" on the pages that showed them as plain
names (outside trials' findings): the EQA's list of units (candidate, assessor and IQA), the
claims page, a centre's portfolios and the visit pack's list of units; as the other pages mark them,
in one query for the page, not one a row."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import DeactivatedMembership, Membership, Role
from tests.assessments.test_claims_mark_all import case  # noqa: F401  # three units ready to claim
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


def words(response) -> str:
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def deactivate(person, centre, role, by) -> None:
    DeactivatedMembership.objects.create(person=person, centre=centre, roles=[role], deactivated_by=by)
    Membership.objects.filter(person=person, centre=centre, role=role).delete()


def test_the_eqas_list_marks_a_deactivated_candidate_and_assessor(client, heidi, grace, centre, hsc331, daves_unit, dave, erin):
    deactivate(dave, centre, Role.CANDIDATE, grace)
    deactivate(erin, centre, Role.ASSESSOR, grace)
    client.force_login(heidi)
    with CaptureQueriesContext(connection) as two_units:
        page = words(client.get(reverse("assessments:eqa_units")))

    assert "Dave Davies on HSC331 (deactivated)" in page  # " on HSC331" is for screen readers
    assert "Erin Evans (deactivated)" in page
    assert "Alice Adams on HSC331 (deactivated)" not in page and "Bob Baker (deactivated)" not in page

    fay = member(centre, Role.CANDIDATE, first_name="Fay", last_name="Fox")
    enrol(fay, "H3 25", assessor=erin, iqa=hsc331.iqa, centre=centre)
    deactivate(fay, centre, Role.CANDIDATE, grace)
    with CaptureQueriesContext(connection) as three_units:
        assert "Fay Fox on H3 25 (deactivated)" in words(client.get(reverse("assessments:eqa_units")))
    assert len(three_units) == len(two_units)


def test_the_claims_page_marks_a_deactivated_candidate(client, case):  # noqa: F811
    deactivate(case.fay, case.centre, Role.CANDIDATE, case.grace)
    client.force_login(case.grace)

    page = words(client.get(reverse("assessments:claim_list", args=[case.centre.pk])))

    assert "Fay Fox (deactivated): Unit H3 25" in page
    assert "Alice Adams (deactivated)" not in page


def _add_fay(centre, hsc331, erin, grace):
    fay = member(centre, Role.CANDIDATE, first_name="Fay", last_name="Fox")
    enrol(fay, "H3 25", assessor=erin, iqa=hsc331.iqa, centre=centre)
    deactivate(fay, centre, Role.CANDIDATE, grace)


def test_a_centres_portfolios_mark_a_deactivated_candidate_and_assessor(client, heidi, grace, centre, hsc331, daves_unit, dave, erin):
    deactivate(dave, centre, Role.CANDIDATE, grace)
    deactivate(erin, centre, Role.ASSESSOR, grace)
    client.force_login(heidi)
    address = reverse("assessments:centre_portfolios", args=[centre.pk])
    with CaptureQueriesContext(connection) as two_units:
        page = words(client.get(address))

    assert "Dave Davies on HSC331 (deactivated)" in page  # " on HSC331" is for screen readers
    assert "Erin Evans (deactivated)" in page
    assert "Alice Adams on HSC331 (deactivated)" not in page and "Bob Baker (deactivated)" not in page

    _add_fay(centre, hsc331, erin, grace)
    with CaptureQueriesContext(connection) as three_units:
        assert "Fay Fox on H3 25 (deactivated)" in words(client.get(address))
    assert len(three_units) == len(two_units)


def test_the_visit_packs_list_of_units_marks_a_deactivated_candidate(client, heidi, grace, centre, hsc331, daves_unit, dave, erin):
    deactivate(dave, centre, Role.CANDIDATE, grace)
    client.force_login(heidi)
    address = reverse("exports:pack_list", args=[centre.pk])
    with CaptureQueriesContext(connection) as two_units:
        page = words(client.get(address))

    assert "Dave Davies (deactivated) on HSC331" in page  # " on HSC331" is for screen readers
    assert "Alice Adams (deactivated)" not in page and "Erin Evans (deactivated)" not in page

    deactivate(erin, centre, Role.ASSESSOR, grace)
    _add_fay(centre, hsc331, erin, grace)
    with CaptureQueriesContext(connection) as three_units:
        page = words(client.get(address))
    assert "Fay Fox (deactivated) on H3 25" in page and "Erin Evans (deactivated)" in page
    assert len(three_units) == len(two_units)
