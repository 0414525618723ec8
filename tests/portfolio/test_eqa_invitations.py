"""Inviting an external quality assurer (issue 15): Grace, Riverside's administrator, invites by
name and email; the centre sees the same ("invited") whether or not the address has an account. The
emailed link works once, expires after 14 days, and sent again it is a new link and the old one is
dead. Someone new sets their name and password on the link's page; someone with an account signs in
as that address and accepts, keeping their name and password."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portfolio import dates
from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent, EqaGrant, Invitation, Person
from tests.factories import PersonFactory, updated

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # every PersonFactory person's
LINK = re.compile(r"https?://\S+/invitations/(\S+)/")


def invite(client, centre, hsc331, *, name: str, email: str, **changes):
    today = timezone.localdate()
    form = {
        "name": name, "email": email, "awarding_body": "City & Guilds", "units": [hsc331.unit.pk],
        "start_date": today.isoformat(), "end_date": (today + datetime.timedelta(days=30)).isoformat(), **changes,
    }
    return client.post(reverse("portfolio:eqa_invite", args=[centre.pk]), form, follow=True)


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return reverse("portfolio:invitation_accept", args=[found.group(1)])


def _without(text: str, *words: str) -> str:
    for word in words:
        text = text.replace(word, "NAME")
    text = re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+\"", "", text)
    return re.sub(r"/invitations/\S+/", "LINK", text)


def test_the_centre_sees_the_same_whether_or_not_the_address_has_an_account(client, centre, hsc331, grace):
    PersonFactory(first_name="Olga", last_name="Old", email="olga@example.org")  # an account already
    client.force_login(grace)

    for_new = invite(client, centre, hsc331, name="Nina New", email="nina@example.org")
    for_known = invite(client, centre, hsc331, name="Olga Old", email="olga@example.org")

    assert for_new.status_code == for_known.status_code == 200
    assert "Nina New has been invited. Their access starts when they accept." in for_new.content.decode()
    assert "Olga Old has been invited. Their access starts when they accept." in for_known.content.decode()
    # The list shows both the same way, and the audit trail says the same of both.
    page = client.get(reverse("portfolio:eqa_access_list", args=[centre.pk])).content.decode()
    assert page.count(">Invited</span>") == 2
    events = AuditEvent.objects.filter(action=PortfolioAction.EQA_INVITED).order_by("pk")
    words = [_without(sentence(e), "Nina New", "nina@example.org", "Olga Old", "olga@example.org") for e in events]
    assert words[0] == words[1] and set(events[0].after) == set(events[1].after)
    # One email each, to the person invited, in the same words; none to the centre.
    assert [m.to for m in mail.outbox] == [["nina@example.org"], ["olga@example.org"]]
    bodies = [_without(m.body, "Nina New", "Olga Old") for m in mail.outbox]
    assert bodies[0] == bodies[1] and mail.outbox[0].subject == mail.outbox[1].subject


def test_someone_new_sets_their_name_and_password_and_the_link_is_then_used(client, centre, hsc331, grace):
    client.force_login(grace)
    invite(client, centre, hsc331, name="Nina New", email="nina@example.org")
    link = link_in(mail.outbox[0])
    client.logout()

    page = client.get(link).content.decode()
    assert "Set up your account" in page and "nina@example.org" in page
    response = client.post(link, {
        "first_name": "Nina", "last_name": "Newton", "password1": "a long Passphrase 2026", "password2": "a long Passphrase 2026",
    })

    grant = EqaGrant.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portfolio:eqa_terms", args=[grant.pk])
    nina = Person.objects.get(email="nina@example.org")
    assert (nina.first_name, nina.last_name) == ("Nina", "Newton") and nina.check_password("a long Passphrase 2026")
    assert grant.person == nina and grant.invitation.accepted_by == nina
    client.logout()
    again = client.get(link)
    assert again.status_code == 410 and "already been accepted" in again.content.decode()


def test_someone_with_an_account_signs_in_as_that_address_and_keeps_their_name_and_password(
    client, centre, hsc331, grace, carol
):
    olga = PersonFactory(first_name="Olga", last_name="Old", email="olga@example.org")
    client.force_login(grace)
    invite(client, centre, hsc331, name="Dr O. Oldham", email="OLGA@example.org")
    link = link_in(mail.outbox[0])

    client.logout()
    anonymous = client.get(link).content.decode()
    assert "Sign in to accept" in anonymous and "Set up your account" not in anonymous
    # Someone else signed in cannot accept it.
    client.force_login(carol)
    assert client.post(link).status_code == 400
    assert EqaGrant.objects.get().person is None

    client.force_login(olga)
    response = client.post(link)

    grant = EqaGrant.objects.get()
    assert response.status_code == 302 and grant.person == olga
    olga.refresh_from_db()
    assert (olga.first_name, olga.last_name) == ("Olga", "Old") and olga.check_password(PASSWORD)
    assert client.post(link).status_code == 410


def test_an_invitation_expires_after_14_days(client, centre, hsc331, grace):
    client.force_login(grace)
    invite(client, centre, hsc331, name="Nina New", email="nina@example.org")
    link = link_in(mail.outbox[0])
    updated(Invitation.objects.all(), expires_at=timezone.now() - datetime.timedelta(minutes=1))
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.sent_at < datetime.timedelta(days=15)

    client.logout()
    response = client.get(link)
    assert response.status_code == 410 and "expired" in response.content.decode()
    client.force_login(grace)
    page = client.get(reverse("portfolio:eqa_access_list", args=[centre.pk])).content.decode()
    assert "Invitation expired" in page


def test_sent_again_it_is_a_new_link_and_the_old_one_is_dead(client, centre, hsc331, grace):
    client.force_login(grace)
    invite(client, centre, hsc331, name="Nina New", email="nina@example.org")
    old_link = link_in(mail.outbox[0])
    grant = EqaGrant.objects.get()

    client.post(reverse("portfolio:eqa_resend", args=[centre.pk, grant.pk]))

    new_link = link_in(mail.outbox[1])
    assert new_link != old_link
    client.logout()
    assert client.get(old_link).status_code == 410  # a newer one was sent
    assert client.get(new_link).status_code == 200
    assert AuditEvent.objects.filter(action=PortfolioAction.INVITATION_RESENT).count() == 1


def test_ending_an_invitation_before_it_is_accepted_kills_its_link(client, centre, hsc331, grace):
    client.force_login(grace)
    invite(client, centre, hsc331, name="Nina New", email="nina@example.org")
    link = link_in(mail.outbox[0])
    client.post(reverse("portfolio:eqa_end", args=[centre.pk, EqaGrant.objects.get().pk]))

    client.logout()
    response = client.get(link)
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_access_runs_at_most_90_days_with_a_clear_message(client, centre, hsc331, grace):
    client.force_login(grace)
    too_long = (timezone.localdate() + datetime.timedelta(days=91)).isoformat()

    response = invite(client, centre, hsc331, name="Nina New", email="nina@example.org", end_date=too_long)

    assert response.status_code == 400
    assert "Access runs for at most 90 days" in response.content.decode()
    assert not EqaGrant.objects.exists() and not mail.outbox


def test_a_scope_must_be_chosen(client, centre, hsc331, grace):
    client.force_login(grace)
    response = invite(client, centre, hsc331, name="Nina New", email="nina@example.org", units=[])
    assert response.status_code == 400 and "Choose at least one qualification or unit" in response.content.decode()


def test_renewing_sets_a_new_end_at_most_90_days_from_the_renewal(client, centre, hsc331, grace, heidi):
    grant = EqaGrant.objects.get(person=heidi)
    client.force_login(grace)
    address = reverse("portfolio:eqa_renew", args=[centre.pk, grant.pk])
    today = timezone.localdate()

    refused = client.post(address, {"end_date": (today + datetime.timedelta(days=91)).isoformat()})
    assert refused.status_code == 400 and "at most 90 days" in refused.content.decode()
    client.post(address, {"end_date": (today + datetime.timedelta(days=90)).isoformat()})

    grant.refresh_from_db()
    assert grant.end_date == today + datetime.timedelta(days=90) and grant.renewed_on == today
    event = AuditEvent.objects.get(action=PortfolioAction.EQA_RENEWED)
    assert "renewed the access of Heidi Hughes" in sentence(event)


def test_renewed_before_it_is_accepted_the_invitation_goes_again_with_the_new_dates(client, centre, hsc331, grace):
    """The EQA's first email would name an end date that is no longer theirs: renewing a grant not
    yet accepted sends the invitation again, with the new dates and a new link (the old one dies)."""
    client.force_login(grace)
    invite(client, centre, hsc331, name="Nina New", email="nina@example.org")
    old_link = link_in(mail.outbox[0])
    grant = EqaGrant.objects.get()
    new_end = timezone.localdate() + datetime.timedelta(days=80)
    page = client.get(reverse("portfolio:eqa_renew", args=[centre.pk, grant.pk])).content.decode()
    assert "renewing sends it to nina@example.org again, with the new dates" in page

    response = client.post(reverse("portfolio:eqa_renew", args=[centre.pk, grant.pk]),
                           {"end_date": new_end.isoformat()}, follow=True)

    assert len(mail.outbox) == 2, "the renewal sends the invitation again"
    assert f"to {dates.day(new_end)}" in mail.outbox[1].body and mail.outbox[1].to == ["nina@example.org"]
    assert "The invitation was sent again to nina@example.org with the new dates" in response.content.decode()
    client.post(reverse("portfolio:eqa_resend", args=[centre.pk, grant.pk]))
    assert f"to {dates.day(new_end)}" in mail.outbox[2].body  # and every later sending too
    client.logout()
    assert client.get(old_link).status_code == 410  # a newer one was sent
    assert client.get(link_in(mail.outbox[2])).status_code == 200


def test_renewing_an_accepted_grant_sends_no_invitation(client, centre, grace, heidi):
    client.force_login(grace)
    grant = EqaGrant.objects.get(person=heidi)
    client.post(reverse("portfolio:eqa_renew", args=[centre.pk, grant.pk]),
                {"end_date": (timezone.localdate() + datetime.timedelta(days=60)).isoformat()})
    grant.refresh_from_db()
    assert grant.renewed_on == timezone.localdate() and not mail.outbox


@pytest.mark.parametrize(("persona", "role"), [("alice", "a candidate"), ("bob", "an assessor"), ("carol", "an internal quality assurer")])
def test_none_of_the_centres_own_people_may_be_its_eqa(client, centre, hsc331, grace, people, persona, role):
    """An outside tester made the centre's own candidate its EQA, who then read another candidate's files."""
    client.force_login(grace)
    email = people[persona].email.upper()  # however it is typed

    response = invite(client, centre, hsc331, name="Anyone", email=f" {email} ")

    assert response.status_code == 400
    assert f"is {role} at {centre.name}: an external quality assurer comes from the awarding body" in response.content.decode()
    assert not EqaGrant.objects.filter(invitation__email__iexact=email).exists() and not mail.outbox


def test_someone_who_joined_the_centre_after_the_invitation_cannot_accept_it(client, centre, hsc331, grace):
    from portfolio.models import Membership, Role

    olga = PersonFactory(first_name="Olga", last_name="Old", email="olga@example.org")
    client.force_login(grace)
    invite(client, centre, hsc331, name="Olga Old", email="olga@example.org")
    Membership.objects.create(person=olga, centre=centre, role=Role.CANDIDATE)
    client.force_login(olga)

    page = client.post(link_in(mail.outbox[0]), {"accept": "1"}, follow=True).content.decode()

    assert "you cannot be its external quality assurer too" in page
    assert EqaGrant.objects.get(invitation__email="olga@example.org").person is None
