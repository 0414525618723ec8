"""A role given in the database (an outside trial made Dave, a candidate, a centre administrator in SQL,
and he read every portfolio at the centre): each membership is sealed as the portfolio gave it
(`portfolio.membership_seals`), checked for the person on every request and for everyone by the
fixity check; a row put in is taken out, a role changed is put back, and the centre's administrators
are told.

Grace runs Riverside; Alice is a candidate there, Dave another; Bob assesses."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portfolio import membership_seals
from portfolio.models import AuditEvent, Membership, Notification, Role

pytestmark = pytest.mark.django_db


def _given_in_sql(person, centre, role) -> None:
    Membership.objects.bulk_create([Membership(person=person, centre=centre, role=role, created_at=timezone.now())])


def test_a_role_put_in_by_hand_is_taken_away_at_the_next_request(client, centre, grace, dave, hsc331):
    _given_in_sql(dave, centre, Role.ADMINISTRATOR)
    client.force_login(dave)

    assert client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).status_code == 404
    assert client.get(reverse("ops:audit_trail", args=[centre.pk])).status_code == 404
    assert not Membership.objects.filter(person=dave, role=Role.ADMINISTRATOR).exists()
    assert Membership.objects.filter(person=dave, role=Role.CANDIDATE).exists()  # his own role stays
    told = Notification.objects.get(recipient=grace, message__contains="in the database, not by the portfolio")
    assert "Dave Davies was made centre administrator at Riverside Training" in told.message
    assert not Notification.objects.filter(recipient=dave, message__contains="not by the portfolio").exists()
    event = AuditEvent.objects.get(action="portfolio.membership.put_right")
    assert event.before["role"] == Role.ADMINISTRATOR and event.after["column"] is None


def test_a_role_changed_by_hand_is_put_back(client, centre, bob):
    Membership.objects.filter(person=bob, centre=centre).update(role=Role.ADMINISTRATOR)
    client.force_login(bob)
    client.get("/")
    assert list(Membership.objects.filter(person=bob, centre=centre).values_list("role", flat=True)) == [Role.ASSESSOR]
    assert "Bob Baker’s role at Riverside Training was changed in the database from assessor to centre administrator" in (
        AuditEvent.objects.get(action="portfolio.membership.put_right").after["said"]
    )


def test_the_fixity_check_puts_right_every_role_given_by_hand_and_fails(centre, grace, dave, erin):
    _given_in_sql(dave, centre, Role.ADMINISTRATOR)
    _given_in_sql(erin, centre, Role.IQA)
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"2 rows that let people in .* were changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=out)
    assert "ROLE PUT RIGHT: Dave Davies was made centre administrator at Riverside Training in the database" in out.getvalue()
    assert not Membership.objects.filter(person__in=[dave, erin], role__in=[Role.ADMINISTRATOR, Role.IQA]).exists()
    call_command("check_fixity", "--now", stdout=io.StringIO())  # nothing left to put right


def test_roles_the_portfolio_gives_and_changes_hold(centre, grace, bob, erin):
    membership = Membership.objects.get(person=bob, centre=centre)
    membership.may_import_units = True
    membership.save(update_fields=["may_import_units"])
    Membership.objects.create(person=erin, centre=centre, role=Role.IQA)
    assert membership_seals.settle(Membership.objects.all()) == []


def test_the_migration_seals_every_role_as_it_stands(centre, grace, bob, alice):
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("portfolio.migrations.0055_membership_seal")
    Membership.objects.update(access_seal=None)
    migration.seal_every_membership(apps, connection.schema_editor())
    assert membership_seals.settle(Membership.objects.all()) == []


def test_a_role_moved_to_another_person_goes_back_to_whose_it_was(client, centre, grace, dave):
    row = Membership.objects.get(person=grace, centre=centre, role=Role.ADMINISTRATOR)
    Membership.objects.filter(pk=row.pk).update(person=dave)
    client.force_login(dave)
    client.get("/")
    assert Membership.objects.get(pk=row.pk).person_id == grace.pk
    said = AuditEvent.objects.get(action="portfolio.membership.put_right").after["said"]
    assert said == ("Grace Gordon’s role as centre administrator at Riverside Training was moved in the database to "
                    "Dave Davies: it is Grace Gordon’s again.")


def test_the_right_to_import_units_given_by_hand_is_taken_away(client, centre, grace):
    Membership.objects.filter(person=grace, role=Role.ADMINISTRATOR).update(may_import_units=True)
    client.force_login(grace)
    assert client.get(reverse("portfolio:unit_import")).status_code == 404
    assert not Membership.objects.get(person=grace, role=Role.ADMINISTRATOR).may_import_units
    assert "right to import units into the catalogue was given in the database" in (
        AuditEvent.objects.get(action="portfolio.membership.put_right").after["said"]
    )


def test_a_role_whose_seal_was_copied_from_another_row_is_taken_away_and_said_so(client, centre, grace, dave):
    graces = Membership.objects.get(person=grace, role=Role.ADMINISTRATOR)
    Membership.objects.filter(person=dave, centre=centre).update(role=Role.ADMINISTRATOR, access_seal=graces.access_seal)
    client.force_login(dave)
    client.get("/")
    assert not Membership.objects.filter(person=dave, centre=centre).exists()
    said = AuditEvent.objects.get(action="portfolio.membership.put_right").after["said"]
    assert "naming Dave Davies as centre administrator is not as the portfolio gave it, and what it was cannot be told" in said
    assert "If Dave Davies held another role here, give it again on their page." in said


def test_superuser_and_staff_set_in_the_database_are_taken_away_before_the_request_goes_on(client, dave, alice, caplog):
    from portfolio.models import Person
    from tests.factories import PersonFactory

    sam = PersonFactory(first_name="Sam", last_name="Site", email="site@example.org", is_superuser=True, is_staff=True)
    Person.objects.filter(pk=dave.pk).update(is_superuser=True, is_staff=True)
    client.force_login(Person.objects.get(pk=dave.pk))

    assert client.get("/admin/portfolio/evidence/").status_code in (302, 403, 404)
    assert client.get(reverse("portfolio:site_centres")).status_code == 404
    dave = Person.objects.get(pk=dave.pk)
    assert (dave.is_superuser, dave.is_staff) == (False, False)
    assert Notification.objects.filter(recipient=sam, message__contains="had the installation's rights changed").exists()
    assert "rights changed in the database" in caplog.text
    sam = Person.objects.get(pk=sam.pk)
    assert (sam.is_superuser, sam.is_staff) == (True, True)  # given by the portfolio: kept


def test_the_fixity_check_puts_right_rights_set_by_hand(dave):
    from portfolio.models import Person

    Person.objects.filter(pk=dave.pk).update(is_staff=True)
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 row that lets people in .* was changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=out)
    assert "ROLE PUT RIGHT: Dave Davies" in out.getvalue() and not Person.objects.get(pk=dave.pk).is_staff
