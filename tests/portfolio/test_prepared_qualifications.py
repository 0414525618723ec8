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


def test_one_whose_assessor_has_gone_is_kept_for_the_centre_not_dropped(client, grace, centre, nia, bob, carol):
    """Tester's finding: a unit's registration was kept when its assessor had gone, a qualification's
    was dropped (the administrators only told). Now both are kept, shown to the centre to fix."""
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    Membership.objects.filter(person=bob, centre=centre, role=Role.ASSESSOR).delete()

    accept_as_new(client, mail.outbox[0])

    person = Person.objects.get(email="nia@example.org")
    assert Membership.objects.filter(person=person, centre=centre, role=Role.CANDIDATE).exists()
    assert not QualificationRegistration.objects.exists() and not Enrolment.objects.filter(candidate=person).exists()
    assert not AuditEvent.objects.filter(action=PortfolioAction.QUALIFICATION_PREPARED_DROPPED).exists()
    kept = AuditEvent.objects.get(action=PortfolioAction.ENROLMENT_PREPARED_HELD)
    code = demo_qualification().code
    assert kept.summary == (f"Registration on {code} (qualification) kept waiting for a team: "
                            "Bob Baker is no longer an assessor at Riverside Training.")
    assert kept.after["qualification"] == code
    assert PreparedRegistration.objects.get().invitation.accepted_by == person
    told = Notification.objects.get(recipient__email="grace@example.org", message__contains="waits for you")
    assert told.message == (f"Nia Newton accepted the invitation to Riverside Training. Their registration on {code} "
                            "(qualification) waits for you to choose an assessor or IQA.")
    # The candidate's home says it is being arranged; the administrator's home counts it.
    client.force_login(person)
    assert f"has registered you on <span class=\"ref\">{code}</span> and is arranging your assessor" in text_of(client.get("/"))
    client.force_login(grace)
    assert "1 registration of candidates who accepted waiting for an assessor or IQA" in text_of(client.get("/"))


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


# Its own page, as a unit's registration has: seen, changed, cancelled, and opened once kept.


def manage_url(centre, prepared) -> str:
    return reverse("portfolio:prepared_registration_manage", args=[centre.pk, prepared.pk])


def words_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).replace("&rsquo;", "’").split())


def test_the_centre_page_lists_it_beside_the_units_waiting_with_its_own_manage_page(client, centre, nia, bob, carol):
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    prepared = PreparedRegistration.objects.get()
    code = demo_qualification().code

    centre_page = text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))
    assert "1 registration of invited candidates on qualifications." in centre_page
    assert f'href="{manage_url(centre, prepared)}"' in centre_page
    assert f"Manage<span class=\"visually-hidden\">: Nia Newton, {code}</span>" in centre_page

    page = words_of(client.get(manage_url(centre, prepared)))
    assert f"{code} Nia Newton Qualification: {demo_qualification().title}" in page
    assert "Units H3 25 , HSC331" in page
    assert "Waiting for Nia Newton (nia@example.org) to accept the invitation" in page
    assert f"Cancel the registration on {code}" in page


def test_changing_its_assessor_is_audited_and_it_opens_as_changed(client, centre, nia, bob, carol, erin, grace):
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    prepared = PreparedRegistration.objects.get()
    target = prepared.target_date

    response = client.post(manage_url(centre, prepared), {
        "assessor": erin.pk, "iqa": carol.pk, "target_date": target.isoformat()}, follow=True)

    code = demo_qualification().code
    assert f"Nia Newton’s registration on {code} is changed. It opens as changed when they accept" in words_of(response)
    assert PreparedRegistration.objects.get().assessor == erin
    event = AuditEvent.objects.get(action=PortfolioAction.ENROLMENT_PREPARED_CHANGED)
    assert (event.actor, event.summary) == (
        grace, f"Registration of Nia Newton on {code} (qualification) changed before acceptance: assessor")
    accept_as_new(client, mail.outbox[0])
    assert {e.assessor for e in Enrolment.objects.filter(candidate__email="nia@example.org")} == {erin}


def test_cancelling_it_is_audited_and_the_invitation_stands(client, centre, nia, bob, carol):
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    prepared = PreparedRegistration.objects.get()
    code = demo_qualification().code

    response = client.post(reverse("portfolio:prepared_registration_cancel", args=[centre.pk, prepared.pk]), follow=True)

    assert f"Nia Newton will not be registered on {code}. Their invitation stands." in words_of(response)
    assert not PreparedRegistration.objects.exists()
    assert Invitation.objects.get(pk=nia.pk).status() == "pending"
    event = AuditEvent.objects.get(action=PortfolioAction.ENROLMENT_PREPARED_CANCELLED)
    assert event.summary == f"Registration of Nia Newton on {code} (qualification) cancelled before acceptance"


def test_one_kept_at_acceptance_opens_with_its_units_once_the_centre_chooses_an_assessor(
    client, grace, centre, nia, bob, carol, erin
):
    register(client, centre, f"invited-{nia.pk}", bob, carol)
    Membership.objects.filter(person=bob, centre=centre, role=Role.ASSESSOR).delete()
    accept_as_new(client, mail.outbox[0])
    person = Person.objects.get(email="nia@example.org")
    prepared = PreparedRegistration.objects.get()
    client.force_login(grace)
    centre_page = text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))
    assert "Accepted: needs an assessor or IQA" in centre_page
    page = words_of(client.get(manage_url(centre, prepared)))
    assert "Nia Newton accepted the invitation on" in page
    assert "but this registration could not open: Bob Baker is no longer an assessor at Riverside Training." in page

    response = client.post(manage_url(centre, prepared), {
        "assessor": erin.pk, "iqa": carol.pk, "target_date": prepared.target_date.isoformat()}, follow=True)

    registration = QualificationRegistration.objects.get(candidate=person, centre=centre)
    assert response.redirect_chain[-1][0] == reverse("assessments:registration_detail", args=[registration.pk])
    code = demo_qualification().code
    assert f"Nia Newton’s {code} is open, with Erin Evans as assessor." in words_of(response)
    opened = Enrolment.objects.filter(candidate=person, centre=centre)
    assert sorted(opened.values_list("unit__code", flat=True)) == ["H3 25", "HSC331"]
    assert {(e.assessor, e.iqa) for e in opened} == {(erin, carol)}
    assert not PreparedRegistration.objects.exists()
    # Nia is spoken to, not of.
    assert Notification.objects.filter(recipient=person, message__contains=f"registered you on {code}").exists()
    assert Notification.objects.filter(recipient=carol, message__contains=f"registered Nia Newton on {code}").exists()
    client.force_login(grace)
    assert "Accepted: needs an assessor or IQA" not in text_of(client.get(reverse("assessments:centre_detail",
                                                                                   args=[centre.pk])))
