"""What the invited person and the inviting administrator see of an invitation (issue 16, findings
of outside testers): the typed name filled in on the new account's form, no lock-out hint for an
account that has none, the plain words of the centre's invitations table, and the administrator
told when it is accepted."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portfolio.models import Notification, Person, Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long Passphrase 2026"
LINK = re.compile(r"https?://[^/\s]+(/\S*invitations/\S+/)")


def text_of(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


@pytest.fixture
def link(client, grace, centre):
    """Grace invites Nia as a candidate; the link in her email."""
    client.force_login(grace)
    client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Nia", "last_name": "Newton", "email": "nia@example.org", "role": Role.CANDIDATE,
    })
    client.logout()
    return LINK.search(mail.outbox[-1].body).group(1)


def test_the_new_accounts_form_has_the_typed_name_filled_in_and_no_lock_out_hint(client, link):
    page = client.get(link).content.decode()
    assert re.search(r'name="first_name" value="Nia"', page)
    assert re.search(r'name="last_name" value="Newton"', page)
    assert "sign-in lock-out" not in page
    assert "at least" in page  # the other password rules are still given


def test_the_invited_person_may_change_the_filled_in_name(client, link):
    client.post(link, {"first_name": "Nia", "last_name": "Newton-Hale", "password1": NEW_PASSWORD,
                       "password2": NEW_PASSWORD})
    assert Person.objects.get(email="nia@example.org").last_name == "Newton-Hale"


def test_the_inviting_administrator_is_told_when_the_invitation_is_accepted(client, link, grace, centre):
    client.post(link, {"first_name": "Nia", "last_name": "Newton", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    nia = Person.objects.get(email="nia@example.org")
    told = Notification.objects.get(recipient=grace)
    assert told.message == "Nia Newton (nia@example.org) accepted your invitation to Riverside Training as a candidate."
    assert told.kind == "invitation_accepted"
    assert told.link == reverse("portfolio:person_detail", args=[centre.pk, nia.pk])


def test_the_centres_invitations_table_says_when_it_was_sent_and_until_when_the_link_works(client, link, grace, centre):
    client.force_login(grace)
    page = text_of(client.get(reverse("assessments:centre_detail", args=[centre.pk])))
    assert re.search(r"Invited</span> \d{1,2} \w+ \d{4} · link valid until \d{1,2} \w+ \d{4}", page)
    assert "Invited</span> sent" not in page
