"""What an invitation's emailed link says once it is no longer the one to use, and who it is for
(issue 16, outside trial): accepted, replaced by a newer invitation, or opened by someone signed in
as another address, who is asked, never switched silently to the invited account."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Invitation, Person, Role
from tests.factories import updated
from tests.portfolio.test_walled_centres import add, link_in, text_of

pytestmark = pytest.mark.django_db


def words_of(response) -> str:
    """The page's words as read, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split()).replace(" .", ".")

NEW_PASSWORD = "a long Passphrase 2026"
ACCOUNT_FORM = {"first_name": "Nia", "last_name": "Newton", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


@pytest.fixture
def link(client, grace, centre):
    """Grace invites Nia as a candidate; the link in her email, opened by nobody signed in."""
    client.force_login(grace)
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    client.logout()
    return link_in(mail.outbox[-1])


# Accepted.


def test_an_accepted_link_says_so_and_points_to_sign_in_not_to_the_name_form(client, link):
    client.post(link, ACCOUNT_FORM)
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    page = text_of(response)
    assert "This invitation has been accepted" in page
    assert f'href="{reverse("login")}">Sign in' in page
    assert 'name="first_name"' not in page and "Set up your account" not in page


def test_an_accepted_link_opened_signed_in_points_home(client, link):
    client.post(link, ACCOUNT_FORM)  # accepting signs Nia in

    page = text_of(client.get(link))

    assert "This invitation has been accepted" in page
    assert f'href="{reverse("home")}">Go to your home page' in page


def test_the_centres_name_correction_page_of_an_accepted_invitation_says_it_was_accepted(client, link, grace, centre):
    client.post(link, ACCOUNT_FORM)
    invitation = Invitation.objects.get()
    client.force_login(grace)
    url = reverse("portfolio:invitation_name", args=[centre.pk, invitation.pk])

    for response in (client.get(url), client.post(url, {"first_name": "Nia", "last_name": "Other"})):
        assert response.status_code == 404
        page = text_of(response)
        assert "The invitation of Nia Newton was accepted" in page and "nothing to correct" in page
        assert 'name="first_name"' not in page
        assert f'href="{reverse("assessments:centre_detail", args=[centre.pk])}"' in page
    invitation.refresh_from_db()
    assert invitation.name == "Nia Newton"


# Replaced by a newer invitation.


def test_a_link_sent_again_says_a_newer_invitation_was_sent(client, link, grace, centre):
    client.force_login(grace)
    invitation = Invitation.objects.get()
    client.post(reverse("portfolio:invitation_resend", args=[centre.pk, invitation.pk]))
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    page = text_of(response)
    assert "A newer invitation has been sent to you for the same role" in page
    assert "Use the link in the latest invitation email" in page
    assert "not a valid invitation" not in page
    assert client.get(link_in(mail.outbox[-1])).status_code == 200


def test_a_link_of_a_withdrawn_invitation_says_a_newer_one_was_sent_once_there_is_one(client, link, grace, centre):
    client.force_login(grace)
    invitation = Invitation.objects.get()
    client.post(reverse("portfolio:invitation_cancel", args=[centre.pk, invitation.pk]))
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org")
    client.logout()

    page = text_of(client.get(link))

    assert "A newer invitation has been sent to you for the same role" in page
    assert "withdrawn" not in page


def test_a_link_whose_newer_invitation_was_accepted_says_accepted(client, link, grace, centre):
    client.force_login(grace)
    client.post(reverse("portfolio:invitation_resend", args=[centre.pk, Invitation.objects.get().pk]))
    client.logout()
    client.post(link_in(mail.outbox[-1]), ACCOUNT_FORM)
    client.logout()

    assert "This invitation has been accepted" in text_of(client.get(link))


def test_an_invitation_in_another_role_is_not_a_newer_one(client, link, grace, centre):
    updated(Invitation.objects.all(), expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(grace)
    add(client, centre, first_name="Nia", last_name="Newton", email="nia@example.org", role=Role.ASSESSOR)
    client.logout()

    assert "This invitation has expired" in text_of(client.get(link))


def test_a_link_never_sent_is_still_not_a_valid_invitation(client, link):
    response = client.get(reverse("portfolio:invitation_accept", args=["x" * 43]))
    assert response.status_code == 404 and "not a valid invitation" in text_of(response)


# Signed in as someone else.


@pytest.mark.parametrize("nia_has_an_account", [False, True])
def test_signed_in_as_someone_else_the_link_asks_and_never_switches(client, link, bob, nia_has_an_account):
    if nia_has_an_account:
        Person.objects.create_user(email="nia@example.org", password=NEW_PASSWORD, first_name="Nia", last_name="N")
    client.force_login(bob)

    page = words_of(client.get(link))
    response = client.post(link, ACCOUNT_FORM)

    assert "You are signed in as bob@example.org" in page
    assert "This invitation from Riverside Training is for nia@example.org" in page
    assert "Sign out and continue" in page and "Go back to your home page" in page
    html = text_of(response)
    assert f'name="next" value="{link}"' in html and f'href="{reverse("home")}">Go back' in html
    # The same page whether or not Nia has an account: nothing of hers but the address it was sent to.
    assert "already has an account" not in page and 'name="password1"' not in page
    assert response.status_code == 400
    assert client.session["_auth_user_id"] == str(bob.pk)
    assert Person.objects.filter(email="nia@example.org").count() == int(nia_has_an_account)
    assert Invitation.objects.get().accepted_at is None


def test_sign_out_and_continue_comes_back_to_the_link_signed_out(client, link, bob):
    client.force_login(bob)

    response = client.post(reverse("logout"), {"next": link})

    assert response.status_code == 302 and response["Location"] == link
    assert "_auth_user_id" not in client.session
    assert "Set up your account" in text_of(client.get(link))
