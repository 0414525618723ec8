"""The session table holds no key a cookie could carry (config/sessions.py): an outside trial read
django_session, set the cookie to a row's key and was signed in as that person."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.sessions import SessionStore
from portfolio.signing import session_key_digest

PASSWORD = "correct horse battery"  # tests/factories.py gives everyone this one

pytestmark = pytest.mark.django_db


def signed_in_client(person) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return client


def cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def who(client: Client) -> object:
    """Who the home page is served to: its person's id, or None when it sends the browser to sign in."""
    response = client.get(reverse("home"))
    return response.wsgi_request.user.pk if response.status_code == 200 else None


def test_the_sessions_are_kept_by_this_backend():
    assert settings.SESSION_ENGINE == "config.sessions"


def test_the_table_keeps_a_keyed_hash_of_the_cookie_never_the_cookie(alice):
    client = signed_in_client(alice)

    keys = list(Session.objects.values_list("session_key", flat=True))
    assert keys == [session_key_digest(cookie(client))]
    assert cookie(client) not in keys
    assert len(keys[0]) == 40


def test_a_cookie_set_to_the_tables_key_signs_nobody_in(alice):
    signed_in_client(alice)
    row = Session.objects.get()

    intruder = Client()
    intruder.cookies[settings.SESSION_COOKIE_NAME] = row.session_key

    response = intruder.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert who(intruder) is None


def test_another_persons_data_copied_into_ones_own_row_signs_nobody_in(alice, bob):
    signed_in_client(alice)
    victim = Session.objects.get()
    intruder = signed_in_client(bob)
    assert who(intruder) == bob.pk

    Session.objects.filter(session_key=session_key_digest(cookie(intruder))).update(session_data=victim.session_data)

    assert who(intruder) is None


def test_signing_in_and_out(alice):
    client = signed_in_client(alice)
    assert who(client) == alice.pk
    old_cookie = cookie(client)

    client.post(reverse("logout"))

    assert who(client) is None
    assert not Session.objects.filter(session_key=session_key_digest(old_cookie)).exists()
    again = Client()
    again.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert who(again) is None


def test_signing_in_makes_a_new_key_and_drops_the_old_row(alice):
    client = Client()
    client.get(reverse("login"))
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = cookie(client)

    client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})

    assert cookie(client) != before
    assert not Session.objects.filter(session_key=session_key_digest(before)).exists()
    assert client.session["before"] == "sign-in"  # cycle_key keeps the data, under the new key


def test_changing_the_password_keeps_this_session_and_signs_out_the_others(alice):
    here, elsewhere = signed_in_client(alice), signed_in_client(alice)
    old_cookie = cookie(here)

    response = here.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a new and longer phrase", "new_password2": "a new and longer phrase",
    })

    assert response.status_code == 302
    assert who(here) == alice.pk  # update_session_auth_hash: a new key, the same person
    assert cookie(here) != old_cookie
    assert not Session.objects.filter(session_key=session_key_digest(old_cookie)).exists()
    assert who(elsewhere) is None


def test_the_store_itself_goes_through_the_hash_and_clears_expired_rows():
    store = SessionStore()
    store["x"] = 1
    store.create()
    key = store.session_key
    assert key and SessionStore().exists(key) and not SessionStore().exists(session_key_digest(key))
    assert SessionStore(key).load() == {"x": 1}
    assert SessionStore(session_key_digest(key)).load() == {}

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(days=1))
    assert SessionStore(key).load() == {}
    SessionStore.clear_expired()
    assert not Session.objects.exists()


def test_deleting_a_session_by_its_key(alice):
    client = signed_in_client(alice)

    SessionStore().delete(cookie(client))

    assert not Session.objects.exists()
    assert who(client) is None
