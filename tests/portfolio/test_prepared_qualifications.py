"""Registering an invited candidate on a qualification before they accept (issue 16): the page
offers them beside the centre's candidates; their registration waits and opens, with an enrolment
on each of its units, when they accept; withdrawing the invitation drops it; a handover moves it."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portfolio.audit import PortfolioAction
from portfolio.models import (
    AuditEvent,
    Enrolment,
    Invitation,
    Membership,
    Notification,
    Person,
    PreparedRegistration,
    QualificationRegistration,
    Role,
)
from standards.demo_qualification import demo_qualification
from standards.models import Unit

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long Passphrase 2026"
LINK = re.compile(r"https?://[^/\s]+(/\S*invitations/\S+/)")


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def nia(client, grace, centre, bob, carol):
    """Grace's invitation of Nia as a candidate, not yet accepted."""
    client.force_login(grace)
    client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Nia", "last_name": "Newton", "email": "nia@example.org", "role": Role.CANDIDATE,
    })
    return Invitation.objects.get(email="nia@example.org")


def register_url(centre) -> str:
    return reverse("portfolio:qualification_register", args=[centre.pk, demo_qualification().pk])


def register(client, centre, candidate: str, bob, carol, **changes):
    today = timezone.localdate()
    form = {
        "candidate": candidate, "assessor": bob.pk, "iqa": carol.pk, "start_date": today.isoformat(),
        "target_date": (today + datetime.timedelta(days=300)).isoformat(),
        "optional_units": [Unit.objects.get(code="H3 25", version=1).pk], **changes,
    }
    return client.post(register_url(centre), form, follow=True)


def accept_as_new(client, invitation_mail):
    client.logout()
    link = LINK.search(invitation_mail.body).group(1)
    return client.post(link, {
        "first_name": "Nia", "last_name": "Newton", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    }, follow=True)


def test_an_invited_candidate_is_offered_and_registered_at_once(client, grace, centre, nia, bob, carol):
    page = text_of(client.get(register_url(centre)))
    assert "Nia Newton (nia@example.org), invited, not yet accepted" in page

    response = register(client, centre, f"invited-{nia.pk}", bob, carol)

    assert response.status_code == 200
    text = text_of(response)
    assert (f"Nia Newton is registered on {demo_qualification().code}") in text
    assert "waiting for them to accept the invitation: the registration and its units open when they do." in text
    assert f"{demo_qualification().code}</span> (qualification)" in text  # the centre page's invitation row
    prepared = PreparedRegistration.objects.get(invitation=nia)
    assert sorted(prepared.units.values_list("code", flat=True)) == ["H3 25", "HSC331"]
    assert not QualificationRegistration.objects.exists()
    event = AuditEvent.objects.get(action=PortfolioAction.QUALIFICATION_PREPARED)
    assert event.actor == grace and event.after["units"] == ["H3 25", "HSC331"]


def test_the_rules_of_combination_are_asked_of_an_invited_candidate_too(client, centre, nia, bob, carol):
    response = register(client, centre, f"invited-{nia.pk}", bob, carol, optional_units=[])
    assert response.status_code == 400
    assert "Choose at least 1 optional unit from Group B (optional) (0 chosen)." in text_of(response)
    assert not PreparedRegistration.objects.exists()


def test_accepting_opens_the_registration_and_its_units(client, grace, centre, nia, bob, carol):
    register(client, centre, f"invited-{nia.pk}", bob, carol)

    accept_as_new(client, mail.outbox[0])

    person = Person.objects.get(email="nia@example.org")
    registration = QualificationRegistration.objects.get(candidate=person, centre=centre)
    assert sorted(registration.units.values_list("code", flat=True)) == ["H3 25", "HSC331"]
    opened = Enrolment.objects.filter(candidate=person, centre=centre)
    assert sorted(opened.values_list("unit__code", flat=True)) == ["H3 25", "HSC331"]
    assert {(e.assessor, e.iqa) for e in opened} == {(bob, carol)}
    assert not PreparedRegistration.objects.exists()
    assert AuditEvent.objects.get(action=PortfolioAction.QUALIFICATION_REGISTERED).actor == grace


def test_a_unit_also_prepared_on_its_own_is_opened_once(client, grace, centre, nia, bob, carol):
    today = timezone.localdate()
    client.post(reverse("portfolio:enrolment_create", args=[centre.pk]), {
        "candidate": f"invited-{nia.pk}", "unit": Unit.objects.get(code="HSC331", version=1).pk,
        "assessor": bob.pk, "iqa": carol.pk, "start_date": today.isoformat(),
        "target_date": (today + datetime.timedelta(days=100)).isoformat(),
    })
    register(client, centre, f"invited-{nia.pk}", bob, carol)

    accept_as_new(client, mail.outbox[0])

    person = Person.objects.get(email="nia@example.org")
    assert Enrolment.objects.filter(candidate=person, unit__code="HSC331").count() == 1
    assert QualificationRegistration.objects.filter(candidate=person).count() == 1


def test_one_the_rules_no_longer_allow_is_dropped_and_the_acceptance_stands(client, centre, nia, bob, carol):
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    Membership.objects.filter(person=bob, centre=centre, role=Role.ASSESSOR).delete()

    accept_as_new(client, mail.outbox[0])

    person = Person.objects.get(email="nia@example.org")
    assert Membership.objects.filter(person=person, centre=centre, role=Role.CANDIDATE).exists()
    assert not QualificationRegistration.objects.exists() and not Enrolment.objects.filter(candidate=person).exists()
    dropped = AuditEvent.objects.get(action=PortfolioAction.QUALIFICATION_PREPARED_DROPPED)
    assert "Bob Baker is not an assessor" in dropped.after["reason"]
    assert not PreparedRegistration.objects.exists()
    # Never silently (tester's finding): the centre's administrators are told what to do.
    told = Notification.objects.get(recipient__email="grace@example.org", message__contains="could not be opened")
    assert told.message.startswith("Nia Newton accepted the invitation to Riverside Training. Their registration on ")
    assert "Bob Baker is not an assessor at Riverside Training." in told.message
    assert told.message.endswith("could not be opened; register them again.")


def test_withdrawing_the_invitation_drops_the_registration(client, grace, centre, nia, bob, carol):
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    url = reverse("portfolio:invitation_cancel", args=[centre.pk, nia.pk])
    assert "(qualification)" in text_of(client.get(url))

    client.post(url)

    assert not PreparedRegistration.objects.exists()
    event = AuditEvent.objects.get(action=PortfolioAction.INVITATION_CANCELLED)
    assert event.after["prepared_qualifications_dropped"] == [demo_qualification().code]


def test_a_handover_moves_a_waiting_qualification_registration(client, grace, centre, nia, bob, carol, erin):
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    url = reverse("portfolio:person_handover", args=[centre.pk, bob.pk])
    assert f"{demo_qualification().code} (qualification)" in text_of(client.get(url))

    response = client.post(url, {
        "role": "assessor", "assessor-person": erin.pk, "assessor-reason": "Bob has left.",
    }, follow=True)

    assert "Erin Evans is now the assessor of 1 registration waiting for its candidate to accept" in text_of(response)
    assert PreparedRegistration.objects.get().assessor == erin
