"""External quality assurance access, end to end (issue 15): Grace, Riverside's administrator,
invites Nina, the awarding body's EQA, to read HSC331; Nina, who has no account, opens the emailed
link in her own browser, sets her name and password, accepts the centre's terms and reads Alice's
unit; Grace sees what Nina opened in the log and ends her access, after which the unit is not there
for Nina. Each page is checked with axe-core at 1280 and 390 pixels wide."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.models import Role
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, VIEWPORT
from tests.factories import CentreFactory, enrol, load_standards, member

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def standards(transactional_db):
    load_standards()


@pytest.fixture
def riverside(standards, settings, live_server):
    settings.PORTFOLIO_SITE_URL = live_server.url
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Gordon", email="grace@example.org")
    return {"centre": centre, "hsc331": enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre),
            "h3_25": enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)}


def at_both_widths(page, axe_check, screenshot, name: str) -> None:
    page.set_viewport_size(VIEWPORT)
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    axe_check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide on a phone"
    screenshot(page, f"{name}-390")
    page.set_viewport_size(VIEWPORT)


def test_the_administrator_grants_access_the_eqa_reads_and_the_administrator_ends_it(
    page, browser, live_server, riverside, login, axe_check, screenshot
):
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/assessments/centres/{riverside['centre'].pk}/")
    page.get_by_role("link", name="External quality assurers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("External quality assurers at Riverside Training")
    page.get_by_role("link", name="Invite an external quality assurer").click()
    page.get_by_label("Name").fill("Nina Newton")
    page.get_by_label("Email address").fill("nina@awarding.example.org")
    page.get_by_label("Awarding body").fill("City & Guilds")
    page.get_by_role("checkbox", name=re.compile(r"^HSC331 ")).check()
    page.get_by_label("End date").fill((timezone.localdate() + datetime.timedelta(days=120)).isoformat())
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("Access runs for at most 90 days")
    at_both_widths(page, axe_check, screenshot, "eqa-invite-refused")
    page.get_by_label("End date").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Send the invitation").click()

    expect(page.get_by_text("Nina Newton has been invited. Their access starts when they accept.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Invited")
    at_both_widths(page, axe_check, screenshot, "eqa-access-invited")

    assert [m.to for m in mail.outbox] == [["nina@awarding.example.org"]]
    link = re.search(r"^(http\S+/invitations/\S+/)$", mail.outbox[0].body, re.MULTILINE).group(1)

    # Nina's own browser.
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        nina = context.new_page()
        nina.goto(link)
        expect(nina.get_by_role("heading", level=1)).to_have_text("Invitation from Riverside Training")
        at_both_widths(nina, lambda: _axe(nina, axe_check), screenshot, "eqa-invitation")
        nina.get_by_label("First name").fill("Nina")
        nina.get_by_label("Last name").fill("Newton")
        nina.locator("#id_password1").fill("a long Passphrase 2026")
        nina.locator("#id_password2").fill("a long Passphrase 2026")
        nina.get_by_role("button", name="Create my account and accept").click()

        expect(nina.get_by_role("heading", level=1)).to_have_text("The data-protection terms of Riverside Training")
        at_both_widths(nina, lambda: _axe(nina, axe_check), screenshot, "eqa-terms")
        nina.get_by_role("button", name="I accept these terms").click()

        expect(nina.get_by_role("heading", level=1)).to_have_text("Portfolios at Riverside Training")
        expect(nina.get_by_role("table")).not_to_contain_text("H3 25")
        nina.get_by_role("link", name=re.compile("Alice Adams")).click()
        expect(nina.get_by_role("heading", level=1)).to_contain_text("HSC331")
        at_both_widths(nina, lambda: _axe(nina, axe_check), screenshot, "eqa-unit")
        assert nina.goto(f"/assessments/units/{riverside['h3_25'].pk}/").status == 404
        unit_url = f"/assessments/units/{riverside['hsc331'].pk}/"

        # Grace reads the log, and ends the access.
        page.get_by_role("link", name="What EQAs have opened").click()
        expect(page.get_by_role("table")).to_contain_text("Nina Newton")
        expect(page.get_by_role("table")).to_contain_text("Unit page: Alice Adams, HSC331")
        expect(page.get_by_role("table")).not_to_contain_text(f"/assessments/units/{riverside['hsc331'].pk}/")
        at_both_widths(page, axe_check, screenshot, "eqa-log")
        page.get_by_role("link", name="External quality assurers").last.click()
        expect(page.get_by_role("main")).to_contain_text("Active")
        page.get_by_role("link", name=re.compile("^End access now")).click()
        at_both_widths(page, axe_check, screenshot, "eqa-end")
        page.get_by_role("button", name="End access now").click()
        expect(page.get_by_role("main")).to_contain_text("Ended")
        # Ended: nothing to renew, send again or end; it is given anew as a fresh invitation.
        ended = page.get_by_role("listitem").filter(has_text="nina@awarding.example.org")
        expect(ended.get_by_role("link", name=re.compile("^Renew"))).to_have_count(0)
        expect(ended.get_by_role("button", name=re.compile("^Send the invitation again"))).to_have_count(0)
        at_both_widths(page, axe_check, screenshot, "eqa-access-ended")
        ended.get_by_role("link", name=re.compile("^Invite again")).click()
        expect(page.get_by_label("Email address")).to_have_value("nina@awarding.example.org")
        expect(page.get_by_role("checkbox", name=re.compile(r"^HSC331 "))).to_be_checked()
        at_both_widths(page, axe_check, screenshot, "eqa-invite-again")

        assert nina.goto(unit_url).status == 404
    finally:
        context.close()


def _axe(page, axe_check) -> None:
    """axe_check runs against the fixture's page; Nina's is another, so check it the same way."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.conftest import WCAG_TAGS, format_axe_violations

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert len(violations) == 0, format_axe_violations(violations)


def test_access_widened_in_the_database_opens_nothing_and_the_administrator_sees_it(
    page, browser, live_server, riverside, login, axe_check, screenshot
):
    """Nina's access to HSC331 has H3 25 added by hand in the database (an outside trial's forged
    grant): her next page finds neither unit, and Grace's list says what happened."""
    from portfolio.models import EqaGrant
    from tests.factories import PersonFactory, eqa_grant

    nina = PersonFactory(first_name="Nina", last_name="Newton", email="nina@awarding.example.org")
    nina.set_password(PASSWORD)
    nina.save()
    grant = eqa_grant(riverside["centre"], nina, units=[riverside["hsc331"].unit])
    EqaGrant.units.through.objects.create(eqagrant_id=grant.pk, unit_id=riverside["h3_25"].unit_id)

    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        as_nina = context.new_page()
        login(as_nina, "nina@awarding.example.org", PASSWORD)
        assert as_nina.goto(f"/assessments/units/{riverside['h3_25'].pk}/").status == 404
        assert as_nina.goto(f"/assessments/units/{riverside['hsc331'].pk}/").status == 404
    finally:
        context.close()

    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/portfolio/centres/{riverside['centre'].pk}/eqa/")
    changed = page.get_by_role("listitem").filter(has_text="nina@awarding.example.org")
    expect(changed).to_contain_text("Changed outside the portfolio: opens nothing")
    expect(changed.get_by_role("note")).to_contain_text("was changed in the database")
    expect(changed.get_by_role("link", name=re.compile("^Renew"))).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "eqa-access-changed")
    page.goto("/portfolio/notifications/")
    expect(page.get_by_role("main")).to_contain_text("access of Nina Newton (nina@awarding.example.org) at Riverside Training was changed")
