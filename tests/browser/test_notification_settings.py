"""A person chooses how to hear of each kind of notification, in a real browser with axe-core at
desktop and phone widths: from the account menu to the settings page, one choice changed and saved.

Bob is an assessor at Riverside (his page offers an assessor's kinds)."""

import re

import pytest
from playwright.sync_api import expect

from portfolio.models import NotificationPreference, Role
from tests.factories import CentreFactory, member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def bob(transactional_db):
    centre = CentreFactory(name="Riverside Training", code="riverside")
    return member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")


def test_an_assessor_chooses_how_to_hear_of_each_kind(page, bob, login, axe_check, screenshot):
    login(page, bob.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("button", name=re.compile("^Signed in as ")).click()
    page.get_by_role("link", name="Notification settings").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    to_judge = page.get_by_role("group", name="Evidence submitted for you to judge")
    expect(to_judge.get_by_role("radio", name="Email me at once")).to_be_checked()
    expect(page.get_by_role("group", name="A unit countersigned by the IQA").get_by_role(
        "radio", name="Daily digest email")).to_be_checked()
    expect(page.get_by_role("group", name="Your evidence referred back to you")).to_have_count(0)
    screenshot(page, "notification-settings-1280")
    axe_check()

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "notification-settings-390")
    axe_check()
    to_judge.get_by_role("radio", name="Daily digest email").check()
    page.get_by_role("button", name="Save these settings").click()

    expect(page.get_by_role("status").filter(has_text="Your notification settings are saved.")).to_be_visible()
    expect(page.get_by_role("group", name="Evidence submitted for you to judge").get_by_role(
        "radio", name="Daily digest email")).to_be_checked()
    screenshot(page, "notification-settings-saved-390")
    axe_check()
    assert NotificationPreference.objects.get(person=bob, kind="evidence_submitted").delivery == "digest"
