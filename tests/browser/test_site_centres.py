"""The site administrator's centres (issue 16, item 3), in a browser: Sam, the site administrator,
greeted by name, opens the centres page (each centre with its administrators, a waiting invitation
with its dates, figures only), opens a centre whose first administrator's address was mistyped,
withdraws that invitation and invites the right address, and renames the centre. Each page is
checked with axe-core at 1280 and 390 px."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.models import Invitation, Role
from portfolio.services_centre import invite_to_centre
from tests.browser.test_eqa_access_journey import at_both_widths
from tests.factories import CentreFactory, PersonFactory, enrol, load_standards, member

PASSWORD = "correct horse battery"


@pytest.fixture
def centres(transactional_db):
    load_standards()
    sam = PersonFactory(first_name="Sam", last_name="Okafor", email="sam@example.org", is_superuser=True, is_staff=True)
    riverside = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(riverside, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(riverside, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(riverside, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    member(riverside, Role.ADMINISTRATOR, first_name="Grace", last_name="Gordon", email="grace@example.org")
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=riverside)
    lakeside = CentreFactory(name="Lakeside Academy", code="4521-07")
    invite_to_centre(centre=lakeside, invited_by=sam, email="lee@exmaple.org", name="Lee Lake", role=Role.ADMINISTRATOR)
    Invitation.objects.filter(centre=lakeside).update(
        sent_at=timezone.now() - datetime.timedelta(days=20), expires_at=timezone.now() - datetime.timedelta(days=6)
    )
    mail.outbox.clear()
    return lakeside


def test_the_site_administrator_follows_up_a_centres_first_administrator(
    page, centres, login, axe_check, screenshot
):
    login(page, "sam@example.org", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    page.get_by_role("link", name="Centres and their administrators").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Centres")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Grace Gordon")
    expect(main).to_contain_text("1 candidate · 1 assessor · 1 internal quality assurer · 1 active enrolment")
    expect(main).to_contain_text("Link expired")
    expect(main).not_to_contain_text("Alice")
    at_both_widths(page, axe_check, screenshot, "site-centres")

    page.get_by_role("link", name="Lakeside Academy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lakeside Academy")
    expect(main).to_contain_text("You see figures only.")
    at_both_widths(page, axe_check, screenshot, "site-centre-expired")
    page.get_by_role("button", name="Withdraw the invitation").click()
    expect(main).to_contain_text("The invitation of Lee Lake (lee@exmaple.org) is withdrawn")
    expect(main).to_contain_text("No administrator")
    # Nothing is waiting, so nothing explains sending an invitation again (outside tester).
    expect(main).not_to_contain_text("Sending an invitation again")
    at_both_widths(page, axe_check, screenshot, "site-centre-none-waiting")

    page.get_by_label("First name").fill("Lee")
    page.get_by_label("Last name").fill("Lake")
    page.get_by_label("Email address").fill("lee@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(main).to_contain_text("We have emailed Lee Lake (lee@example.org) an invitation to administer Lakeside Academy.")
    expect(main).to_contain_text("Invited")
    assert [m.to for m in mail.outbox] == [["lee@example.org"]]

    page.get_by_label("Centre name").fill("Lakeside Academy Trust")
    page.get_by_role("button", name="Save the name").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lakeside Academy Trust")
    at_both_widths(page, axe_check, screenshot, "site-centre-invited")
