"""Centres are walled (issue 16, item 3): everyone an administrator adds is invited, by the name the
administrator typed; nothing the centre sees (the page, the message, the audit trail, the email,
the time it takes) says whether the address has an account, what it is called elsewhere, or where
else it is registered; and nobody joins a centre without accepting.

Frank administers Hillside and is hostile: he tries to learn about Alice (a candidate at Riverside)
and to attach her to his centre."""

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio import services_centre, services_qualifications
from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent, Invitation, Membership, Person, Role
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.factories import enrol, member, updated

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # every PersonFactory person's
NEW_PASSWORD = "a long Passphrase 2026"
LINK = re.compile(r"https?://[^/\s]+(/\S*invitations/\S+/)")


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def add(client, centre, *, first_name: str, last_name: str, email: str, role: str = Role.CANDIDATE):
    form = {"first_name": first_name, "last_name": last_name, "email": email, "role": role}
    return client.post(reverse("portfolio:person_create", args=[centre.pk]), form, follow=True)


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def masked(text: str, *words: str) -> str:
    for word in words:
        text = text.replace(word, "WHO")
    text = re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+\"", "", text)
    text = re.sub(r"/invitations/\d+/", "/invitations/N/", text)
    return re.sub(r"/invitations/[\w-]+/", "LINK", text)


# What a hostile administrator of another centre learns: nothing.


def test_another_centres_administrator_adding_an_existing_email_sees_exactly_what_a_new_one_shows(
    client, frank, other_centre, alice, hsc331
):
    client.force_login(frank)
    with CaptureQueriesContext(connection) as for_new:
        new = add(client, other_centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    with CaptureQueriesContext(connection) as for_known:
        known = add(client, other_centre, first_name="Nia", last_name="Newton", email="alice@example.org")

    assert new.status_code == known.status_code == 200
    said = [[str(m) for m in response.context["messages"]] for response in (new, known)]
    assert [masked(m, "nia@example.org") for m in said[0]] == [masked(m, "alice@example.org") for m in said[1]]
    assert "We have emailed Nia Newton (alice@example.org) an invitation to join Hillside College" in text_of(known)
    # The same work done for each: no account looked up for one and not the other.
    assert len(for_new) == len(for_known)
    # The same audit trail, and the same email, to the person invited only.
    made = AuditEvent.objects.filter(action=PortfolioAction.INVITATION_MADE).order_by("pk")
    sentences = [masked(sentence(e), "nia@example.org", "alice@example.org") for e in made]
    assert sentences[0] == sentences[1] and set(made[0].after) == set(made[1].after)
    assert [m.to for m in mail.outbox] == [["nia@example.org"], ["alice@example.org"]]
    assert masked(mail.outbox[0].body) == masked(mail.outbox[1].body)
    assert mail.outbox[0].subject == mail.outbox[1].subject
    # Nothing of Alice's name, account or unit anywhere Frank looks.
    page = text_of(client.get(reverse("assessments:centre_detail", args=[other_centre.pk])))
    for seen in (text_of(known), page, *(e.summary for e in made)):
        assert "Alice" not in seen and "Adams" not in seen and "HSC331" not in seen and "Riverside" not in seen


def test_another_centres_administrator_cannot_attach_someone_without_their_acceptance(
    client, frank, other_centre, alice
):
    client.force_login(frank)

    add(client, other_centre, first_name="Mallory", last_name="Made-Up", email="alice@example.org")

    assert not Membership.objects.filter(person=alice, centre=other_centre).exists()
    assert Person.objects.filter(email__iexact="alice@example.org").count() == 1
    page = text_of(client.get(reverse("assessments:centre_detail", args=[other_centre.pk])))
    people = page[page.index('id="people-heading"') : page.index('id="enrolments-heading"')]
    assert "Mallory Made-Up" in people and ">Invited</span>" in people
    assert "Alice" not in people
    # Frank cannot register her on anything either: she is not one of his candidates.
    form = client.get(reverse("portfolio:enrolment_create", args=[other_centre.pk])).context["form"]
    assert str(alice.pk) not in [value for group in form.fields["candidate"].choices[1:] for value, _ in group[1]]


def test_the_service_never_looks_up_or_makes_an_account(grace, centre, alice):
    with CaptureQueriesContext(connection) as queries:
        invitation = services_centre.person_add(
            centre=centre, added_by=grace, email="nia@example.org", first_name="Nia", last_name="Newton",
            role=Role.CANDIDATE,
        )

    assert invitation.name == "Nia Newton" and invitation.status() == "pending"
    assert not Person.objects.filter(email="nia@example.org").exists()
    # Asked of the centre's own people only: never "SELECT ... FROM portfolio_person WHERE email".
    account_lookups = [q["sql"] for q in queries if '"portfolio_person"."email"' in q["sql"] and "membership" not in q["sql"]]
    assert account_lookups == []


# The contract other lanes call: Refused, with the field, for a second of the same.


def test_it_refuses_a_second_invitation_to_the_same_role_while_one_waits_or_has_expired(client, grace, centre):
    client.force_login(grace)
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")

    again = add(client, centre, first_name="Nia", last_name="Newton", email="NIA@example.org")
    assert "nia@example.org has already been invited as a candidate here, and the invitation is waiting" in text_of(again)
    updated(Invitation.objects.all(), expires_at=timezone.now() - datetime.timedelta(minutes=1))
    expired = add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    assert "the invitation has expired. Send it again from the centre page instead." in text_of(expired)
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1
    # Another role is another invitation.
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org", role=Role.ASSESSOR)
    assert Invitation.objects.count() == 2

    with pytest.raises(services_centre.Refused) as refusal:
        services_centre.person_add(
            centre=centre, added_by=grace, email="nia@example.org", first_name="N", last_name="N", role=Role.ASSESSOR
        )
    assert refusal.value.field == "email"


def test_nothing_is_saved_and_the_form_says_so_when_the_email_cannot_be_sent(client, grace, centre, monkeypatch):
    def mail_server_down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("portfolio.services_invitations.send_mail", mail_server_down)
    client.force_login(grace)

    response = add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")

    assert "The invitation email could not be sent, so nothing was saved." in text_of(response)
    assert not Invitation.objects.exists() and not AuditEvent.objects.exists()


# Accepting: a new account, or an account already there.


def test_someone_new_sets_their_name_and_password_and_joins_the_centre(client, grace, centre):
    client.force_login(grace)
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org", role=Role.ASSESSOR)
    link = link_in(mail.outbox[0])
    client.logout()

    page = text_of(client.get(link))
    assert "Riverside Training invites you, Nia Newton, to its evidence portfolio as an assessor." in page
    response = client.post(
        link, {"first_name": "Nia", "last_name": "Newton-Hart", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    nia = Person.objects.get(email="nia@example.org")
    assert nia.get_full_name() == "Nia Newton-Hart" and nia.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(person=nia, centre=centre, role=Role.ASSESSOR).exists()
    assert "Hello, Nia" in text_of(response)
    assert Invitation.objects.get().status() == "accepted"
    assert client.get(link).status_code == 410


def test_someone_with_an_account_signs_in_accepts_and_keeps_their_name(client, frank, other_centre, alice):
    client.force_login(frank)
    add(client, other_centre, first_name="Ali", last_name="Adamson", email="alice@example.org")
    link = link_in(mail.outbox[0])
    client.logout()

    assert "Sign in to accept" in text_of(client.get(link))
    client.force_login(alice)
    response = client.post(link)

    assert response.status_code == 302
    assert Membership.objects.filter(person=alice, centre=other_centre, role=Role.CANDIDATE).exists()
    alice.refresh_from_db()
    assert alice.get_full_name() == "Alice Adams" and alice.check_password(PASSWORD)
    # Now she has joined, Hillside's page lists her as the person she is.
    client.force_login(frank)
    page = text_of(client.get(reverse("assessments:centre_detail", args=[other_centre.pk])))
    assert "Alice Adams" in page and "Ali Adamson" not in page


# Sending again and withdrawing.


def test_sent_again_the_old_link_is_dead_and_the_dates_are_new(client, grace, centre):
    client.force_login(grace)
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    old_link = link_in(mail.outbox[0])
    updated(Invitation.objects.all(),
        sent_at=timezone.now() - datetime.timedelta(days=20), expires_at=timezone.now() - datetime.timedelta(days=6)
    )
    invitation = Invitation.objects.get()
    assert ">Expired</span>" in text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))

    response = client.post(reverse("portfolio:invitation_resend", args=[centre.pk, invitation.pk]), follow=True)

    assert "The invitation was sent again to Nia Newton (nia@example.org). The earlier link no longer works." in text_of(response)
    assert ">Invited</span>" in text_of(response)
    invitation.refresh_from_db()
    assert invitation.status() == "pending"
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=13)
    new_link = link_in(mail.outbox[1])
    assert new_link != old_link
    client.logout()
    assert client.get(old_link).status_code == 410  # a newer one was sent (tests/portfolio/test_invitation_links.py)
    assert client.get(new_link).status_code == 200
    assert AuditEvent.objects.filter(action=PortfolioAction.INVITATION_RESENT).count() == 1


def test_withdrawn_the_link_stops_working_and_the_address_can_be_invited_again(client, grace, centre):
    client.force_login(grace)
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    link = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    withdraw = reverse("portfolio:invitation_cancel", args=[centre.pk, invitation.pk])

    assert "Withdraw the invitation of Nia Newton?" in text_of(client.get(withdraw))
    response = client.post(withdraw, follow=True)

    assert "The invitation of Nia Newton (nia@example.org) is withdrawn." in text_of(response)
    people = text_of(response)[text_of(response).index('id="people-heading"') :]
    assert "Nia Newton" not in people.split('id="enrolments-heading"')[0]
    again_page = client.post(withdraw)  # once only: a page saying so, not the question again
    assert again_page.status_code == 404 and "The invitation of Nia Newton was withdrawn" in text_of(again_page)
    assert "withdrawn by the centre" in text_of(client.get(link))
    again = add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    assert "We have emailed Nia Newton" in text_of(again)
    assert AuditEvent.objects.filter(action=PortfolioAction.INVITATION_CANCELLED).count() == 1


def test_an_accepted_invitation_is_neither_sent_again_nor_withdrawn_nor_offered_to_be(client, grace, centre, alice):
    client.force_login(grace)
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    invitation = Invitation.objects.get()
    updated(Invitation.objects.all(), accepted_at=timezone.now(), accepted_by=alice)
    resend = reverse("portfolio:invitation_resend", args=[centre.pk, invitation.pk])
    withdraw = reverse("portfolio:invitation_cancel", args=[centre.pk, invitation.pk])

    for response in (client.post(resend), client.get(withdraw), client.post(withdraw)):
        assert response.status_code == 404
        page = text_of(response)
        assert "The invitation of Nia Newton was accepted" in page and "nothing to correct, send again or withdraw" in page
        assert "Withdraw the invitation of" not in page
    centre_page = text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))
    assert resend not in centre_page and withdraw not in centre_page
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None
    assert not AuditEvent.objects.filter(action__in=[PortfolioAction.INVITATION_RESENT, PortfolioAction.INVITATION_CANCELLED]).exists()


@pytest.mark.parametrize("name", ["portfolio:invitation_resend", "portfolio:invitation_cancel"])
def test_another_centres_administrator_finds_no_invitation_of_this_centre(client, grace, centre, frank, name):
    client.force_login(grace)
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    invitation = Invitation.objects.get()
    client.force_login(frank)

    assert client.post(reverse(name, args=[centre.pk, invitation.pk])).status_code == 404
    assert Invitation.objects.get().status() == "pending" and len(mail.outbox) == 1


def test_an_eqa_invitation_is_not_reached_through_the_centres_people_pages(client, grace, centre):
    invitation = Invitation.objects.create(
        centre=centre, name="Ezra", email="ezra@example.org", role=Role.EQA, token_digest="x" * 64, invited_by=grace,
        sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    client.force_login(grace)

    assert client.get(reverse("portfolio:invitation_cancel", args=[centre.pk, invitation.pk])).status_code == 404


def test_a_registration_elsewhere_neither_shows_nor_blocks_one_here(client, frank, other_centre, alice, hsc331):
    """Enrolment is unique per candidate, unit and centre: Alice on HSC331 at Riverside does not stop
    Hillside registering her on it once she has joined, and its form says nothing of Riverside."""
    Membership.objects.create(person=alice, centre=other_centre, role=Role.CANDIDATE)
    yan = enrol_staff(other_centre)
    client.force_login(frank)
    today = timezone.localdate()

    response = client.post(reverse("portfolio:enrolment_create", args=[other_centre.pk]), {
        "candidate": alice.pk, "unit": hsc331.unit.pk, "assessor": yan[0].pk, "iqa": yan[1].pk,
        "start_date": today.isoformat(), "target_date": (today + datetime.timedelta(days=90)).isoformat(),
    }, follow=True)

    assert "Alice Adams is registered on HSC331" in text_of(response)
    assert set(alice.enrolments.values_list("centre__code", flat=True)) == {"riverside", "hillside"}


def enrol_staff(centre) -> tuple[Person, Person]:
    return member(centre, Role.ASSESSOR, first_name="Yan", last_name="Young"), member(
        centre, Role.IQA, first_name="Ida", last_name="Iles"
    )


def test_the_database_refuses_a_second_enrolment_on_a_unit_at_the_same_centre(alice, bob, carol, centre, hsc331):
    with pytest.raises(IntegrityError), transaction.atomic():
        enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)


def test_a_qualification_registration_elsewhere_neither_shows_nor_blocks_one_here(grace, frank, centre, other_centre, alice, bob, carol):
    today = timezone.localdate()
    qualification, h3_25 = demo_qualification(), Unit.objects.get(code="H3 25", version=1)
    for where, by, assessor, iqa in ((centre, grace, bob, carol), (other_centre, frank, *enrol_staff(other_centre))):
        Membership.objects.get_or_create(person=alice, centre=where, role=Role.CANDIDATE)
        services_qualifications.qualification_register(
            centre=where, registered_by=by, candidate=alice, qualification=qualification, optional_units=[h3_25],
            assessor=assessor, iqa=iqa, start_date=today, target_date=today + datetime.timedelta(days=180),
        )

    # Hillside's registration opened its own enrolments, not skipping the units she is on at Riverside.
    assert alice.enrolments.filter(centre=other_centre).count() == alice.enrolments.filter(centre=centre).count() > 0


# Another centre's candidate posted to either registration form (an outside trial's finding: the
# unit's form answered 200 and the qualification's 400 for the same refusal). Both answer 400, as a
# refused form does throughout the project, in the same words, and register nobody.


@pytest.mark.parametrize("on", ["unit", "qualification"])
def test_registering_another_centres_candidate_is_refused_alike_on_a_unit_and_a_qualification(
    client, grace, centre, other_centre, bob, carol, on
):
    stranger = member(other_centre, Role.CANDIDATE, first_name="Sam", last_name="Stranger")
    today = timezone.localdate()
    form = {"candidate": stranger.pk, "assessor": bob.pk, "iqa": carol.pk, "start_date": today.isoformat(),
            "target_date": (today + datetime.timedelta(days=300)).isoformat()}
    if on == "unit":
        url = reverse("portfolio:enrolment_create", args=[centre.pk])
        form["unit"] = Unit.objects.get(code="HSC331").pk
    else:
        url = reverse("portfolio:qualification_register", args=[centre.pk, demo_qualification().pk])
        form["optional_units"] = [Unit.objects.get(code="H3 25", version=1).pk]
    client.force_login(grace)

    response = client.post(url, form)

    assert response.status_code == 400
    assert "Choose one of this centre's candidates." in text_of(response)
    assert "Sam Stranger" not in text_of(response)
    assert not stranger.enrolments.exists() and not stranger.qualification_registrations.exists()
