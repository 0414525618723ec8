"""The site runs in a real browser: the sign-in page loads, is accessible and rejects bad logins."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_login_page_loads_with_a_heading_and_no_accessibility_violation(page, axe_check, screenshot):
    response = page.goto("/accounts/login/")

    assert response is not None
    assert response.ok, f"GET /accounts/login/ answered {response.status}"
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^\s*Email address\b"))).to_be_visible()
    expect(page.get_by_label(re.compile(r"^\s*Password\b"))).to_be_visible()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    screenshot(page, "login")
    axe_check()


def test_wrong_password_shows_an_error(page, axe_check, screenshot, login, django_user_model):
    django_user_model.objects.create_user(
        email="candidate@example.org",
        password="the-right-password-42",
        first_name="Casey",
        last_name="Candidate",
    )

    login(page, "candidate@example.org", "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("did not match")).to_be_visible()
    screenshot(page, "login-wrong-password")
    # The page with the error on it must be as accessible as the empty form.
    axe_check()
