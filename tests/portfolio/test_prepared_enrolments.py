"""Registering an invited candidate before they accept (issue 16, item 3): the registration waits
on the centre page and becomes an enrolment when they accept, in the same transaction. Also: a
candidate at two centres chooses where new evidence goes; the site administrator creates a centre
and invites its first administrator."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portfolio.audit import PortfolioAction
from portfolio.models import (
    AuditEvent,
    Centre,
    Enrolment,
    Evidence,
    Invitation,
    Membership,
    Notification,
    Person,
    PreparedEnrolment,
    Role,
)
from standards.models import Unit
from tests.factories import PersonFactory, enrol, member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long Passphrase 2026"
LINK = re.compile(r"https?://[^/\s]+(/\S*invitations/\S+/)")


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def nia(client, grace, centre, bob, carol):
    """Grace's invitation of Nia as a candidate, not yet accepted."""
    client.force_login(grace)
    client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Nia", "last_name": "Newton", "email": "nia@example.org", "role": Role.CANDIDATE,
    })
    return Invitation.objects.get(email="nia@example.org")


def register(client, centre, candidate: str, unit_code: str, assessor, iqa):
    today = timezone.localdate()
    return client.post(reverse("portfolio:enrolment_create", args=[centre.pk]), {
        "candidate": candidate, "unit": Unit.objects.get(code=unit_code, version=1).pk, "assessor": assessor.pk,
        "iqa": iqa.pk, "start_date": today.isoformat(), "target_date": (today + datetime.timedelta(days=120)).isoformat(),
        "registration_number": "REG-9",
    }, follow=True)


def accept_as_new(client, invitation_mail):
    client.logout()
    link = link_in(invitation_mail)
    return client.post(link, {
        "first_name": "Nia", "last_name": "Newton", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    }, follow=True)


def test_an_invited_candidate_is_offered_and_registered_at_once_waiting_for_acceptance(
    client, grace, centre, nia, bob, carol
):
    form_page = text_of(client.get(reverse("portfolio:enrolment_create", args=[centre.pk]), {"candidate": f"invited-{nia.pk}"}))
    assert re.search(
        rf'name="candidate" value="invited-{nia.pk}"[^>]* checked><label[^>]*>Nia Newton \(<span class="email-address">'
        r'nia@<wbr>example<wbr>\.org</span>\), invited, '
        "not yet accepted", form_page,
    )

    response = register(client, centre, f"invited-{nia.pk}", "HSC331", bob, carol)

    assert "Nia Newton will be registered on HSC331, with Bob Baker as assessor and Carol Clark as IQA, when they " \
        "accept the invitation." in text_of(response)
    assert not Enrolment.objects.exists()
    page = text_of(response)
    waiting = page[page.index('id="prepared-heading"') :]
    assert "Nia Newton" in waiting and "HSC331" in waiting and "Waiting for acceptance" in waiting
    assert AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_PREPARED).count() == 1
    # Nothing else in the product sees it: not the assessor's caseload.
    client.force_login(bob)
    assert "Nia" not in text_of(client.get(reverse("home")))


def test_accepting_opens_each_prepared_registration_as_an_enrolment(client, grace, centre, nia, bob, carol):
    register(client, centre, f"invited-{nia.pk}", "HSC331", bob, carol)
    register(client, centre, f"invited-{nia.pk}", "H3 25", bob, carol)

    accept_as_new(client, mail.outbox[0])

    person = Person.objects.get(email="nia@example.org")
    enrolments = Enrolment.objects.filter(candidate=person, centre=centre).order_by("unit__code")
    assert [(e.unit.code, e.assessor, e.iqa, e.registration_number, e.registered_by) for e in enrolments] == [
        ("H3 25", bob, carol, "REG-9", grace), ("HSC331", bob, carol, "REG-9", grace),
    ]
    assert not PreparedEnrolment.objects.exists()
    assert AuditEvent.objects.filter(action=PortfolioAction.ENROLMENT_REGISTERED, candidate=person).count() == 2
    # Her home shows her units at once.
    assert "HSC331" in text_of(client.get(reverse("home")))


def test_a_registration_whose_assessor_has_gone_waits_for_the_centre_and_the_administrators_are_told(
    client, grace, centre, nia, bob, carol, erin
):
    """Tester's finding: it was dropped with only an audit line, and nobody knew."""
    register(client, centre, f"invited-{nia.pk}", "HSC331", bob, carol)
    register(client, centre, f"invited-{nia.pk}", "H3 25", erin, carol)
    Membership.objects.filter(person=bob, role=Role.ASSESSOR).delete()  # Bob's role gone, as by the site's admin

    accept_as_new(client, mail.outbox[0])

    person = Person.objects.get(email="nia@example.org")
    assert Membership.objects.filter(person=person, centre=centre, role=Role.CANDIDATE).exists()
    assert [e.unit.code for e in Enrolment.objects.filter(candidate=person)] == ["H3 25"]
    held = PreparedEnrolment.objects.get()
    assert held.unit.code == "HSC331"
    assert AuditEvent.objects.get(action=PortfolioAction.ENROLMENT_PREPARED_HELD).after["reason"] == (
        "Bob Baker is no longer an assessor at Riverside Training."
    )
    told = Notification.objects.get(recipient=grace, message__contains="accepted the invitation to Riverside")
    assert told.message == ("Nia Newton accepted the invitation to Riverside Training. Their registration on HSC331 "
                            "waits for you to choose an assessor or IQA.")

    client.force_login(person)
    her_home = " ".join(text_of(client.get(reverse("home"))).split())
    assert "Riverside Training has registered you on <span class=\"ref\">HSC331</span> and is arranging your assessor." in her_home
    client.force_login(grace)
    home = text_of(client.get(reverse("home")))
    assert "1 registration of candidates who accepted waiting for an assessor or IQA" in home
    centre_page = text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))
    assert "Accepted: needs an assessor or IQA" in centre_page
    url = reverse("portfolio:prepared_manage", args=[centre.pk, held.pk])
    page = text_of(client.get(url))
    assert "this registration could not open: Bob Baker is no longer an assessor at Riverside Training." in page
    response = client.post(url, {"assessor": erin.pk, "iqa": carol.pk, "target_date": held.target_date.isoformat()},
                           follow=True)

    assert "Nia Newton’s HSC331 is open, with Erin Evans as assessor." in text_of(response)
    opened = Enrolment.objects.get(candidate=person, unit__code="HSC331")
    assert (opened.assessor, opened.iqa, opened.registered_by) == (erin, carol, grace)
    assert not PreparedEnrolment.objects.exists()
    # Nia is spoken to, not of; Erin, named as its assessor, reads "you".
    assert Notification.objects.filter(
        recipient=person, message="Grace Gordon registered you on HSC331, with Erin Evans as assessor and Carol Clark as IQA."
    ).exists()
    assert Notification.objects.filter(
        recipient=erin, message="Grace Gordon registered Nia Newton on HSC331, with you as assessor and Carol Clark as IQA."
    ).exists()
    assert "waiting for an assessor or IQA" not in text_of(client.get(reverse("home")))


def test_withdrawing_the_invitation_drops_its_prepared_registrations(client, grace, centre, nia, bob, carol):
    register(client, centre, f"invited-{nia.pk}", "HSC331", bob, carol)

    page = text_of(client.get(reverse("portfolio:invitation_cancel", args=[centre.pk, nia.pk])))
    assert "Their registrations waiting for them to accept are dropped too" in page and "HSC331" in page
    client.post(reverse("portfolio:invitation_cancel", args=[centre.pk, nia.pk]))

    assert not PreparedEnrolment.objects.exists()
    assert AuditEvent.objects.get(action=PortfolioAction.INVITATION_CANCELLED).after["prepared_units_dropped"] == ["HSC331"]


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"unit": "HSC331"}, "Nia Newton is already registered on HSC331, waiting for them to accept.", "unit"),
        ({"iqa": "bob"}, "the assessor cannot quality-assure their own assessment decisions", "iqa"),
    ],
)
def test_a_prepared_registration_is_refused_by_the_rules_of_any_other(
    client, grace, centre, nia, bob, carol, change, message, field
):
    register(client, centre, f"invited-{nia.pk}", "HSC331", bob, carol)
    Membership.objects.get_or_create(person=bob, centre=centre, role=Role.IQA)
    iqa = bob if change.get("iqa") == "bob" else carol

    response = register(client, centre, f"invited-{nia.pk}", change.get("unit", "H3 25"), bob, iqa)

    assert message in text_of(response)
    assert f'id="error_1_id_{field}"' in text_of(response)
    assert PreparedEnrolment.objects.count() == 1


def test_only_candidates_invitations_are_offered_and_another_centres_are_not(
    client, grace, centre, nia, frank, other_centre
):
    Invitation.objects.create(
        centre=other_centre, name="Olly Other", email="olly@example.org", role=Role.CANDIDATE, token_digest="o" * 64,
        invited_by=frank, sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Ann", "last_name": "Assessor", "email": "ann@example.org", "role": Role.ASSESSOR,
    }, follow=True)

    page = text_of(client.get(reverse("portfolio:enrolment_create", args=[centre.pk])))

    assert "Nia Newton (nia@example.org), invited" in re.sub(r"<[^>]+>", "", page)  # the address wraps at "@", dots
    assert "Olly Other" not in page
    # An invited assessor is not offered, as a candidate or on the team; the form says why.
    assert "ann@example.org" not in page and "Ann Assessor has not accepted their invitation yet." in page


# A candidate at two centres: evidence goes where they choose, never by guess.


@pytest.fixture
def alice_at_two_centres(alice, hsc331, other_centre):
    yan = member(other_centre, Role.ASSESSOR, first_name="Yan", last_name="Young")
    ida = member(other_centre, Role.IQA, first_name="Ida", last_name="Iles")
    return enrol(alice, "HSC331", assessor=yan, iqa=ida, centre=other_centre)


def test_a_candidate_at_two_centres_chooses_the_centre_of_new_evidence(
    client, alice, centre, other_centre, alice_at_two_centres
):
    client.force_login(alice)

    choose = text_of(client.get(reverse("portfolio:evidence_create")))
    assert "Which centre is this evidence for?" in choose
    assert "Add evidence at Riverside Training" in choose and "Add evidence at Hillside College" in choose
    form = text_of(client.get(reverse("portfolio:evidence_create"), {"centre": other_centre.pk}))
    assert "For your portfolio at <strong>Hillside College</strong>." in form
    assert f'name="centre" value="{other_centre.pk}"' in form

    client.post(reverse("portfolio:evidence_create"), {
        "centre": other_centre.pk, "title": "Planning a visit", "method": "reflective_account",
        "activity_date": timezone.localdate().isoformat(), "account": "I helped Person A plan a visit.",
    })
    assert Evidence.objects.get(candidate=alice).centre == other_centre


def test_coming_from_a_unit_says_which_centre_and_a_centre_not_hers_is_not_taken(
    client, alice, other_centre, alice_at_two_centres, frank
):
    client.force_login(alice)

    from_unit = text_of(client.get(reverse("portfolio:evidence_create"), {"unit": alice_at_two_centres.pk}))
    assert "For your portfolio at <strong>Hillside College</strong>." in from_unit
    elsewhere = Centre.objects.create(name="Elsewhere", code="elsewhere")
    assert "Which centre is this evidence for?" in text_of(
        client.get(reverse("portfolio:evidence_create"), {"centre": elsewhere.pk})
    )


def test_a_candidate_at_one_centre_is_not_asked(client, alice, hsc331):
    client.force_login(alice)

    page = text_of(client.get(reverse("portfolio:evidence_create")))

    assert "Which centre" not in page and "For your portfolio at" not in page


# The site administrator creates a centre and invites its first administrator.


@pytest.fixture
def site(db):
    return PersonFactory(first_name="Sam", last_name="Site", email="site@example.org", is_superuser=True, is_staff=True)


def test_the_site_administrator_creates_a_centre_and_its_first_administrator_accepts(client, site):
    client.force_login(site)
    assert "Centres and their administrators" in text_of(client.get(reverse("home")))

    response = client.post(reverse("portfolio:centre_create"), {
        "name": "Lakeside Academy", "code": "lakeside", "administrator_first_name": "Lee",
        "administrator_last_name": "Lake", "administrator_email": "lee@example.org",
    }, follow=True)

    assert "Lakeside Academy is created. We have emailed Lee Lake (lee@example.org) an invitation" in text_of(response)
    lakeside = Centre.objects.get(code="lakeside")
    assert mail.outbox[0].to == ["lee@example.org"] and "Lakeside Academy" in mail.outbox[0].subject
    client.logout()
    client.post(link_in(mail.outbox[0]), {
        "first_name": "Lee", "last_name": "Lake", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })
    lee = Person.objects.get(email="lee@example.org")
    assert Membership.objects.filter(person=lee, centre=lakeside, role=Role.ADMINISTRATOR).exists()
    assert client.get(reverse("assessments:centre_detail", args=[lakeside.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=PortfolioAction.CENTRE_CREATED, centre=lakeside).exists()


def test_a_centre_code_already_taken_is_refused_beside_the_field(client, site, centre):
    client.force_login(site)

    response = client.post(reverse("portfolio:centre_create"), {
        "name": "Riverside Two", "code": "RIVERSIDE", "administrator_first_name": "Lee",
        "administrator_last_name": "Lake", "administrator_email": "lee@example.org",
    })

    assert response.status_code == 400
    assert "A centre already has the code RIVERSIDE. Choose another." in text_of(response)
    assert 'id="error_1_id_code"' in text_of(response)
    assert Centre.objects.count() == 1 and mail.outbox == []
