"""An external quality assurer's access given or widened in the database (an outside trial put a
grant in by SQL and read a centre's portfolios under it): each grant is sealed as the centre gave it
(whose, where, its dates, end, terms and what it covers: `portfolio.grant_sealing`), checked for the
person on every request and for every grant by the fixity check and a restore; one found otherwise
opens nothing until put back, the centre's list says so, and its administrators are told.

Alice is a candidate at Riverside on HSC331 and H3 25; Grace administers Riverside; Eve is an EQA
given access here for each test; Frank administers Hillside."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portfolio import grant_sealing, grant_seals
from portfolio.models import AuditEvent, EqaGrant, Notification
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.factories import PersonFactory, eqa_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def eve(db):
    return PersonFactory(first_name="Eve", last_name="Ellis", email="eve@example.org")


def unit_page(enrolment) -> str:
    return reverse("assessments:enrolment_detail", args=[enrolment.pk])


def _put_in_by_sql(centre, person, units) -> EqaGrant:
    today = timezone.localdate()
    [grant] = EqaGrant.objects.bulk_create([EqaGrant(
        centre=centre, person=person, awarding_body="Forged", start_date=today, end_date=today + datetime.timedelta(days=30),
        terms_accepted_at=timezone.now(), created_at=timezone.now(),
    )])
    EqaGrant.units.through.objects.bulk_create([EqaGrant.units.through(eqagrant_id=grant.pk, unit_id=u.pk) for u in units])
    return grant


def test_a_grant_the_centre_gave_opens_its_units(client, centre, hsc331, eve):
    eqa_grant(centre, eve, units=[hsc331.unit])
    client.force_login(eve)
    assert client.get(unit_page(hsc331)).status_code == 200
    assert not EqaGrant.objects.filter(seal_broken_at__isnull=False).exists()


def test_a_grant_put_in_by_hand_opens_nothing_and_the_centre_is_told(client, centre, grace, hsc331, eve):
    grant = _put_in_by_sql(centre, eve, [hsc331.unit])
    client.force_login(eve)

    assert client.get(unit_page(hsc331)).status_code == 404
    assert client.get(reverse("assessments:centre_portfolios", args=[centre.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.seal_broken_at is not None
    told = Notification.objects.get(recipient=grace, message__contains="was put in the database, not given by the centre")
    assert "Eve Ellis (eve@example.org) at Riverside Training" in told.message
    assert not Notification.objects.filter(recipient=eve).exists()
    assert AuditEvent.objects.filter(action="portfolio.eqa.access_changed", centre=centre).count() == 1
    client.get(unit_page(hsc331))  # asked again: told once
    assert Notification.objects.filter(recipient=grace, message__contains="not given by the centre").count() == 1


@pytest.mark.parametrize("change", ["end_date", "ended_at", "person", "terms", "unit added", "qualification added"])
def test_a_grant_changed_by_hand_opens_nothing(client, centre, grace, alice, hsc331, h3_25, eve, change):
    grant = eqa_grant(centre, eve, units=[hsc331.unit])
    person = eve
    if change == "end_date":
        EqaGrant.objects.filter(pk=grant.pk).update(end_date=grant.end_date + datetime.timedelta(days=365))
    elif change == "ended_at":
        grant.ended_at = timezone.now()
        grant.save(update_fields=["ended_at"])  # ended by the centre, then opened again by hand
        EqaGrant.objects.filter(pk=grant.pk).update(ended_at=None)
    elif change == "person":
        person = PersonFactory(first_name="Mallory", last_name="Moss", email="mallory@example.org")
        EqaGrant.objects.filter(pk=grant.pk).update(person=person)
    elif change == "terms":
        EqaGrant.objects.filter(pk=grant.pk).update(terms_accepted_at=None)
        grant.refresh_from_db()
        grant_seals.vouched_rows(EqaGrant.objects.filter(pk=grant.pk))
        EqaGrant.objects.filter(pk=grant.pk).update(terms_accepted_at=timezone.now())  # marked already: still nothing
    elif change == "unit added":
        EqaGrant.units.through.objects.create(eqagrant_id=grant.pk, unit_id=h3_25.unit_id)
    else:
        EqaGrant.qualifications.through.objects.create(eqagrant_id=grant.pk, qualification_id=demo_qualification().pk)
    client.force_login(person)

    assert client.get(unit_page(h3_25)).status_code == 404
    assert client.get(unit_page(hsc331)).status_code == 404
    assert EqaGrant.objects.get(pk=grant.pk).seal_broken_at is not None
    assert Notification.objects.filter(recipient=grace, message__contains="changed in the database").exists()


def test_a_grant_put_back_opens_again(client, centre, grace, hsc331, h3_25, eve):
    grant = eqa_grant(centre, eve, units=[hsc331.unit])
    added = EqaGrant.units.through.objects.create(eqagrant_id=grant.pk, unit_id=h3_25.unit_id)
    client.force_login(eve)
    assert client.get(unit_page(hsc331)).status_code == 404

    added.delete()  # put back by hand, as the centre gave it

    assert client.get(unit_page(hsc331)).status_code == 200
    assert client.get(unit_page(h3_25)).status_code == 404
    assert EqaGrant.objects.get(pk=grant.pk).seal_broken_at is None
    assert Notification.objects.filter(recipient=grace, message__contains="is as the centre gave it again").exists()


def test_the_centres_list_says_it_and_offers_only_ending_it(client, centre, grace, hsc331, eve):
    grant = eqa_grant(centre, eve, units=[hsc331.unit])
    EqaGrant.objects.filter(pk=grant.pk).update(end_date=grant.end_date + datetime.timedelta(days=365))
    grant_seals.check_every_grant()
    client.force_login(grace)

    page = client.get(reverse("portfolio:eqa_access_list", args=[centre.pk])).content.decode()

    assert "Changed outside the portfolio: opens nothing" in page
    assert "was changed in the database" in page
    assert reverse("portfolio:eqa_end", args=[centre.pk, grant.pk]) in page
    assert reverse("portfolio:eqa_renew", args=[centre.pk, grant.pk]) not in page
    renewing = client.post(reverse("portfolio:eqa_renew", args=[centre.pk, grant.pk]),
                           {"end_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat()})
    assert "changed outside the portfolio" in renewing.content.decode()
    assert EqaGrant.objects.get(pk=grant.pk).renewed_on is None
    client.post(reverse("portfolio:eqa_end", args=[centre.pk, grant.pk]))
    assert EqaGrant.objects.get(pk=grant.pk).status(timezone.localdate()) == "ended"


def test_what_the_centre_does_to_a_grant_keeps_it_sealed(client, centre, grace, hsc331, h3_25, eve):
    grant = eqa_grant(centre, eve, units=[hsc331.unit], terms_accepted=False)
    grant.units.add(h3_25.unit)
    grant.qualifications.set([demo_qualification()])
    grant.units.remove(hsc331.unit)
    client.force_login(grace)
    client.post(reverse("portfolio:eqa_renew", args=[centre.pk, grant.pk]),
                {"end_date": (timezone.localdate() + datetime.timedelta(days=20)).isoformat()})
    client.force_login(eve)
    client.post(reverse("portfolio:eqa_terms", args=[grant.pk]))

    assert grant_seals.check_every_grant() == []
    assert EqaGrant.objects.get(pk=grant.pk).terms_accepted_at is not None
    assert EqaGrant.objects.get(pk=grant.pk).renewed_on == timezone.localdate()


def test_a_product_save_does_not_make_a_hand_edit_good(centre, hsc331, eve):
    grant = eqa_grant(centre, eve, units=[hsc331.unit])
    EqaGrant.objects.filter(pk=grant.pk).update(end_date=grant.end_date + datetime.timedelta(days=365))
    grant.refresh_from_db()
    grant.awarding_body = "SQA"
    grant.save()
    grant.units.add(*Unit.objects.all())
    assert [g.pk for g in grant_seals.check_every_grant()] == [grant.pk]


def test_the_fixity_check_names_every_grant_changed_and_fails(centre, grace, hsc331, eve):
    _put_in_by_sql(centre, eve, [hsc331.unit])
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 row that lets people in .* was changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=out)
    assert "EQA ACCESS CHANGED: External quality assurance access for Eve Ellis" in out.getvalue()


def test_the_migration_seals_every_grant_as_it_stands(centre, hsc331, eve):
    import importlib

    from django.apps import apps
    from django.db import connection

    demo_qualification()
    grant = eqa_grant(centre, eve)  # every unit and qualification
    migration = importlib.import_module("portfolio.migrations.0058_eqa_grant_access_seal")
    EqaGrant.objects.update(access_seal=None)
    migration.seal_every_grant(apps, connection.schema_editor())
    assert grant_seals.check_every_grant() == []
    EqaGrant.objects.update(access_seal=None)
    grant_sealing.sealed_in_bulk(EqaGrant.objects.filter(pk=grant.pk))
    assert grant_seals.check_every_grant() == []


def test_the_administrators_home_lists_access_changed_until_it_is_ended(client, centre, grace, hsc331, eve):
    grant = eqa_grant(centre, eve, units=[hsc331.unit])
    client.force_login(grace)
    assert "access changed outside the portfolio" not in client.get("/").content.decode()
    EqaGrant.objects.filter(pk=grant.pk).update(end_date=grant.end_date + datetime.timedelta(days=365))
    grant_seals.check_every_grant()

    home = client.get("/").content.decode()

    assert "1 external quality assurer’s access changed outside the portfolio" in home
    assert reverse("portfolio:eqa_access_list", args=[centre.pk]) in home
    client.post(reverse("portfolio:eqa_end", args=[centre.pk, grant.pk]))
    assert "access changed outside the portfolio" not in client.get("/").content.decode()
