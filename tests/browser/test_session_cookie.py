"""Signing in and out in a real browser with the sessions of config/sessions.py: the browser's cookie
is not what the session table holds, and the table's key set as the cookie signs nobody in."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from portfolio.signing import session_key_digest
from tests.browser.conftest import sign_out

pytestmark = pytest.mark.browser


def session_cookie(page) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)


def test_sign_in_and_out_and_the_tables_key_opens_nothing(page, login, django_user_model):
    django_user_model.objects.create_user(
        email="candidate@example.org", password="the-right-password-42", first_name="Casey", last_name="Candidate",
    )

    login(page, "candidate@example.org", "the-right-password-42")

    expect(page.get_by_role("button", name=re.compile("^Signed in as "))).to_be_visible()
    cookie = session_cookie(page)
    row_key = Session.objects.get().session_key
    assert row_key == session_key_digest(cookie["value"]) and row_key != cookie["value"]

    page.context.add_cookies([{**cookie, "value": row_key}])
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    page.context.add_cookies([cookie])
    page.goto("/")
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert not Session.objects.filter(session_key=row_key).exists()
