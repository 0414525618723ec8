"""A person owns their name, in a real browser with axe-core at desktop and phone widths: Grace,
administrator of Riverside, asks Bob to check his name, and her page about him says it waits for
him; Bob follows the notification to his account page (user menu, "Your account"), finds the
suggested name filled in and saves it; Grace's page then says he accepted it."""

import re

import pytest
from playwright.sync_api import expect

from portfolio.models import Notification, Person, Role
from portfolio.services_people import name_suggest
from tests.browser.conftest import sign_out
from tests.factories import CentreFactory, member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def riverside(transactional_db):
    centre = CentreFactory(name="Riverside Training", code="riverside")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Gordon", email="grace@example.org")
    return {"centre": centre, "bob": bob}


def both_widths(page, axe_check, screenshot, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check()
    screenshot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    axe_check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} is too wide on a phone"
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_bob_confirms_the_name_his_centre_suggests_on_his_account_page(
    page, live_server, riverside, login, axe_check, screenshot
):
    """Grace's page about Bob says the name waits for him, then that he accepted it."""
    bobs_page = f"/portfolio/centres/{riverside['centre'].pk}/people/{riverside['bob'].pk}/"
    login(page, "grace@example.org", PASSWORD)
    page.goto(bobs_page)
    page.get_by_label("First name").fill("Robert")
    page.get_by_role("button", name="Ask them to confirm this name").click()
    expect(page.get_by_text("We have asked Bob Baker to check their name and confirm it as Robert Baker.")).to_be_visible()
    asked = page.locator("#name-questions")
    expect(asked).to_contain_text(re.compile(r"Robert Baker\s+Waiting\s+since \d+ \w+ \d{4}: they have not answered yet\."))
    both_widths(page, axe_check, screenshot, "person-name-waiting")
    sign_out(page)

    login(page, "bob@example.org", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("button", name=re.compile("^Signed in as ")).click()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_label("First name")).to_have_value("Bob")

    page.goto(Notification.objects.get(recipient=riverside["bob"]).link)
    expect(page.get_by_role("status")).to_contain_text("Grace Gordon of Riverside Training asks you to check your name")
    expect(page.get_by_label("First name")).to_have_value("Robert")
    both_widths(page, axe_check, screenshot, "account-name-suggested")

    page.get_by_role("button", name="Save your name").click()
    expect(page.get_by_text("Your name is now Robert Baker.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Robert Baker")
    both_widths(page, axe_check, screenshot, "account")
    sign_out(page)

    login(page, "grace@example.org", PASSWORD)
    page.goto(bobs_page)
    expect(asked).to_contain_text(re.compile(r"Robert Baker\s+Accepted\s+on \d+ \w+ \d{4}: they confirmed it as their name\."))
    both_widths(page, axe_check, screenshot, "person-name-accepted")


def test_keeping_his_name_on_a_page_left_open_while_the_centre_asked_again_says_nothing_was_answered(
    page, live_server, riverside, login, axe_check, screenshot
):
    grace = Person.objects.get(email="grace@example.org")
    name_suggest(centre=riverside["centre"], person=riverside["bob"], suggested_by=grace, first_name="Robret", last_name="Baker")
    login(page, "bob@example.org", PASSWORD)
    page.goto(f"{live_server.url}/portfolio/account/")
    # Grace corrects her slip while Bob's page is open: his button answers the question replaced.
    name_suggest(centre=riverside["centre"], person=riverside["bob"], suggested_by=grace, first_name="Robert", last_name="Baker")
    page.get_by_role("button", name="Keep my name as it is").click()
    expect(page.get_by_text("That question waits no more (answered already, or replaced by a newer one): nothing was "
                            "answered. Any question still waiting is below.")).to_be_visible()
    expect(page.get_by_text("they would record it as Robert Baker")).to_be_visible()
    both_widths(page, axe_check, screenshot, "account-question-replaced")
