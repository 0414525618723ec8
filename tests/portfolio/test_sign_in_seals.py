"""How a person signs in, changed in the database (an outside trial replaced Bob's password hash with one
of its own making, or his address with its own before a password reset, and signed in as him): the
person's seal covers their address and password as the portfolio saved them (`portfolio.person_seals`);
an account whose sign-in was changed by hand is shut (refused at sign-in, signed out, given no reset
mail) and the site administrators told, until one opens it again from the command line.

Bob assesses Alice at Riverside; Sam is the installation's site administrator."""

import io

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from portfolio.models import Notification, Person

pytestmark = pytest.mark.django_db

PASSWORD = "a long Passphrase 2026"


@pytest.fixture
def sam(db):
    return Person.objects.create_superuser(email="sam@example.org", password=PASSWORD, first_name="Sam", last_name="Reid")


@pytest.fixture
def bobs_password(bob):
    bob.set_password(PASSWORD)
    bob.save()
    return PASSWORD


def _sign_in(client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password}, follow=True)


def test_a_password_hash_replaced_by_hand_signs_nobody_in_and_the_site_administrator_is_told(client, bob, bobs_password, sam):
    Person.objects.filter(pk=bob.pk).update(password=make_password("Hacked-pass-123"))

    page = _sign_in(client, bob.email, "Hacked-pass-123")

    assert "This account was changed outside the portfolio and is shut" in page.content.decode()
    assert "_auth_user_id" not in client.session
    told = Notification.objects.get(recipient=sam)
    assert f"The sign-in of Bob Baker (account {bob.pk}, now {bob.email}" in told.message
    assert f"manage.py open_account {bob.pk}" in told.message


def test_a_signed_in_session_is_signed_out_when_the_hash_is_replaced(client, bob, bobs_password, hsc331, sam):
    assert _sign_in(client, bob.email, PASSWORD).status_code == 200
    assert client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk])).status_code == 200
    Person.objects.filter(pk=bob.pk).update(password=make_password("Hacked-pass-123"))

    response = client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk]))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_an_address_changed_by_hand_gets_no_reset_mail(client, bob, bobs_password, sam):
    Person.objects.filter(pk=bob.pk).update(email="attacker@evil.example")

    client.post(reverse("password_reset"), {"email": "attacker@evil.example"})

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=sam, message__contains="now attacker@evil.example").exists()


def test_passwords_and_addresses_changed_through_the_portfolio_keep_the_account_open(client, bob, bobs_password):
    assert _sign_in(client, bob.email, PASSWORD).status_code == 200
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "another long Phrase 77",
                                             "new_password2": "another long Phrase 77"})
    client.logout()
    bob.refresh_from_db()
    bob.email = "bob.baker@example.org"
    bob.save()

    page = _sign_in(client, "bob.baker@example.org", "another long Phrase 77")

    assert "shut" not in page.content.decode() and client.session.get("_auth_user_id") == str(bob.pk)


def test_the_site_administrator_opens_it_again_and_the_fixity_check_names_it(client, bob, bobs_password, sam, monkeypatch):
    Person.objects.filter(pk=bob.pk).update(password=make_password("Hacked-pass-123"))
    out = io.StringIO()
    with pytest.raises(Exception, match="changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=out)
    assert f"The sign-in of Bob Baker (account {bob.pk}" in out.getvalue()

    answers = iter(["Fresh long phrase 2026", "Fresh long phrase 2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("open_account", str(bob.pk), stdout=io.StringIO())

    assert "Hacked" not in _sign_in(client, bob.email, "Hacked-pass-123").content.decode()
    assert "_auth_user_id" not in client.session
    _sign_in(client, bob.email, "Fresh long phrase 2026")
    assert client.session.get("_auth_user_id") == str(bob.pk)
