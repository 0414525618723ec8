"""A qualification registration put in by hand (an outside trial: an external quality assurer granted a
qualification then read the units of a candidate never registered on it): each registration is sealed
with its units as the portfolio made it (`portfolio.registration_seals`); one not as made opens nothing
to an EQA, and the centre's administrators are told.

Alice is registered on the demonstration qualification at Riverside; Dave is on HSC331 only (Erin
assesses); Eve is an EQA granted the qualification."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import registration_seals, services_qualifications
from portfolio.models import Notification, QualificationRegistration
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.factories import PersonFactory, eqa_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(centre, alice, bob, carol, grace):
    return services_qualifications.qualification_register(
        centre=centre, registered_by=grace, candidate=alice, qualification=demo_qualification(),
        optional_units=[Unit.objects.get(code="H3 25")], assessor=bob, iqa=carol,
        start_date=timezone.localdate(), target_date=timezone.localdate() + datetime.timedelta(days=180),
    )


@pytest.fixture
def eve(centre, alices):
    eve = PersonFactory(first_name="Eve", last_name="Ellis", email="eve@example.org")
    grant = eqa_grant(centre, eve, units=[])
    grant.qualifications.set([alices.qualification])
    return eve


def test_a_registration_put_in_by_hand_opens_nothing_to_the_eqa(client, centre, grace, dave, daves_unit, alices, eve):
    [forged] = QualificationRegistration.objects.bulk_create([QualificationRegistration(
        centre=centre, candidate=dave, qualification=alices.qualification, registered_by=grace, registered_at=timezone.now(),
    )])
    forged.units.through.objects.create(qualificationregistration_id=forged.pk, unit_id=daves_unit.unit_id)
    client.force_login(eve)

    assert client.get(reverse("assessments:enrolment_detail", args=[daves_unit.pk])).status_code == 404
    assert client.get(reverse("assessments:registration_detail", args=[forged.pk])).status_code == 404
    assert client.get(reverse("assessments:registration_detail", args=[alices.pk])).status_code == 200
    told = Notification.objects.get(recipient=grace, message__contains="was put in or changed in the database")
    assert "The registration of Dave Davies on" in told.message


def test_registrations_the_portfolio_makes_and_changes_hold(alices):
    alices.units.add(Unit.objects.get(code="HSC331"))
    alices.registration_number = "AB123"
    alices.save()
    assert registration_seals.check_every_registration() == []


def test_the_migration_seals_every_registration_as_it_stands(alices):
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("portfolio.migrations.0061_registration_sealed")
    QualificationRegistration.objects.update(access_seal=None)
    migration.seal_every_registration(apps, connection.schema_editor())
    assert registration_seals.check_every_registration() == []
