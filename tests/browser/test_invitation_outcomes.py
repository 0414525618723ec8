"""The outside trial's findings of issue 16, in a real browser with axe-core at 1280 and 390 px:
an invitation link opened while signed in as someone else, a link replaced by a newer invitation,
a link already accepted, the centre's name page of an accepted invitation, a name the centre asked
a person to check shown on their account page without the notification's link, and a CSV import
that corrects a ULN."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from portfolio.models import CandidateIdentifiers, Invitation, Role
from portfolio.services_centre import person_add
from portfolio.services_centre_invitations import invitation_resend
from portfolio.services_people import name_suggest
from tests.browser.test_eqa_access_journey import at_both_widths
from tests.factories import CentreFactory, member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a long Passphrase 2026"
LINK = re.compile(r"https?://[^/\s]+(/\S*invitations/\S+/)")


@pytest.fixture
def riverside(transactional_db, settings, live_server):
    settings.PORTFOLIO_SITE_URL = live_server.url
    centre = CentreFactory(name="Riverside Training", code="riverside")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    grace = member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Gordon", email="grace@example.org")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    return {"centre": centre, "bob": bob, "grace": grace, "alice": alice}


def _invite_nia(riverside) -> tuple[Invitation, str]:
    invitation = person_add(
        centre=riverside["centre"], added_by=riverside["grace"], email="nia@example.org", first_name="Nia",
        last_name="Newton", role=Role.CANDIDATE,
    )
    return invitation, LINK.search(str(mail.outbox[-1].body)).group(1)


def test_invitation_links_say_who_they_are_for_and_what_became_of_them(
    page, riverside, login, axe_check, screenshot
):
    invitation, first_link = _invite_nia(riverside)
    invitation_resend(invitation=invitation, sent_by=riverside["grace"])
    latest = LINK.search(str(mail.outbox[-1].body)).group(1)

    page.goto(first_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("A newer invitation has been sent")
    expect(page.get_by_role("main")).to_contain_text("Use the link in the latest invitation email")
    at_both_widths(page, axe_check, screenshot, "invitation-superseded")

    login(page, "bob@example.org", PASSWORD)
    page.goto(latest)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation is for another address")
    expect(page.get_by_role("main")).to_contain_text("You are signed in as bob@example.org")
    at_both_widths(page, axe_check, screenshot, "invitation-other-account")
    page.get_by_role("button", name="Sign out and continue").click()

    expect(page.get_by_role("heading", name="Set up your account")).to_be_visible()
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account and accept").click()
    page.wait_for_load_state()
    page.goto(latest)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has been accepted")
    expect(page.get_by_role("link", name="Go to your home page")).to_be_visible()
    at_both_widths(page, axe_check, screenshot, "invitation-accepted")

    page.context.clear_cookies()
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/portfolio/centres/{riverside['centre'].pk}/invitations/{invitation.pk}/name/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The invitation of Nia Newton was accepted")
    at_both_widths(page, axe_check, screenshot, "invitation-name-accepted")


def test_a_name_to_check_waits_on_the_account_page(page, riverside, login, axe_check, screenshot):
    name_suggest(
        centre=riverside["centre"], person=riverside["bob"], suggested_by=riverside["grace"], first_name="Robert",
        last_name="Baker",
    )
    login(page, "bob@example.org", PASSWORD)
    page.goto("/portfolio/account/")

    expect(page.get_by_role("status")).to_contain_text("Grace Gordon of Riverside Training asks you to check your name")
    expect(page.get_by_label("First name")).to_have_value("Bob")
    at_both_widths(page, axe_check, screenshot, "account-name-waiting")
    page.get_by_role("button", name="Keep my name as it is").click()
    expect(page.get_by_text("Your name stays Bob Baker.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="asks you to check your name")).to_have_count(0)


def test_a_reimported_class_corrects_a_uln(page, riverside, login, axe_check, screenshot):
    CandidateIdentifiers.objects.create(candidate=riverside["alice"], centre=riverside["centre"], uln="9276308686")
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/portfolio/centres/{riverside['centre'].pk}/people/import/")
    page.get_by_label("The list of candidates (CSV)").set_input_files(files=[{
        "name": "class.csv", "mimeType": "text/csv",
        "buffer": b"First name,Last name,Email,ULN\nAlice,Adams,alice@example.org,9276308619\nOwen,Osei,owen@example.org,\n",
    }])
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_text("will be changed from 9276308686 to 9276308619")).to_be_visible()
    at_both_widths(page, axe_check, screenshot, "people-import-uln-correction")
    page.get_by_role("button", name="Invite 1 candidate and correct 1 ULN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidates imported")
