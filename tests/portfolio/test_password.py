"""Changing a password when signed in, and choosing a new one by email when it is forgotten."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portfolio.models import Person

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "correct horse battery"  # the factories' password
NEW_PASSWORD = "a quite different Phrase 42"


def sign_in(client, email, password):
    response = client.post(reverse("login"), {"username": email, "password": password}, follow=True)
    return response.context["user"].is_authenticated


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def link_in_email(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/\S+)", message.body).group(1)


def test_it_offers_forgotten_password_on_the_sign_in_page(client):
    page = text_of(client.get(reverse("login")))

    assert f'<a href="{reverse("password_reset")}">Forgotten your password?</a>' in page


def test_it_offers_change_password_in_the_menu_when_signed_in(client, alice):
    client.force_login(alice)

    page = text_of(client.get(reverse("home")))

    assert f'href="{reverse("password_change")}">Change password</a>' in page


def test_it_sends_anonymous_visitors_from_change_password_to_sign_in(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_changes_the_password_of_a_signed_in_person(client, alice):
    assert sign_in(client, "alice@example.org", OLD_PASSWORD)

    page = text_of(client.get(reverse("password_change")))
    assert "Change your password" in page
    done = client.post(
        reverse("password_change"),
        {"old_password": OLD_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your password has been changed" in text_of(done)
    assert done.context["user"].is_authenticated, "the person stays signed in here"
    client.logout()
    assert not sign_in(client, "alice@example.org", OLD_PASSWORD)
    assert sign_in(client, "alice@example.org", NEW_PASSWORD)


def test_it_refuses_a_change_without_the_current_password(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("password_change"),
        {"old_password": "not my password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in text_of(response)
    alice.refresh_from_db()
    assert alice.check_password(OLD_PASSWORD)


def test_it_refuses_a_new_password_that_is_too_common(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("password_change"),
        {"old_password": OLD_PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )

    assert "This password is too common." in text_of(response)


def test_it_resets_a_forgotten_password_by_email(client, alice):
    sent = client.post(reverse("password_reset"), {"email": "Alice@Example.org"}, follow=True)
    assert "Check your email" in text_of(sent)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]

    form_page = client.get(link_in_email(mail.outbox[0]), follow=True)
    assert "Choose your password" in text_of(form_page)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your password has been saved" in text_of(done)
    assert sign_in(client, "alice@example.org", NEW_PASSWORD)


def test_it_lets_a_reset_link_work_only_once(client, alice):
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    link = link_in_email(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    again = client.get(link, follow=True)

    assert "This link no longer works" in text_of(again)


def test_it_says_the_same_for_an_unknown_address_and_sends_nothing(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)

    assert "Check your email" in text_of(response)
    assert mail.outbox == []


def test_it_sends_a_reset_link_to_someone_who_never_set_a_password(client):
    nia = Person.objects.create_user(
        email="nia@example.org", password=None, first_name="Nia", last_name="Newton"
    )
    assert not nia.has_usable_password()

    client.post(reverse("password_reset"), {"email": "nia@example.org"})

    assert len(mail.outbox) == 1


def test_it_sends_nothing_to_an_account_that_has_been_switched_off(client, alice):
    alice.is_active = False
    alice.save()

    client.post(reverse("password_reset"), {"email": "alice@example.org"})

    assert mail.outbox == []
