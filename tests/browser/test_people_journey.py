"""A centre administrator runs one person at the centre (issue 16): Grace opens Bob's page from the
centre's people, is refused taking his assessor role while he assesses Alice's unit, gives him the
IQA role too, clears his sign-in lock-out, is refused deactivating him while he assesses it, and
deactivates him once the unit has another assessor, asked for the reason and then giving it, and
corrects the reason (refused empty); Bob, signed in, then finds nothing of Riverside; Grace
reactivates him, asked for the reason and then giving it, and his page keeps the deactivation among his past ones. Each page is checked with axe-core at 1280 and 390 pixels wide."""

import re

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import expect

from portfolio.models import Role
from portfolio.services_enrolments import enrolment_reassign
from tests.browser.conftest import VIEWPORT
from tests.factories import CentreFactory, enrol, load_standards, member

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def standards(transactional_db):
    load_standards()


@pytest.fixture
def riverside(standards):
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    grace = member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Gordon", email="grace@example.org")
    return {"centre": centre, "bob": bob, "grace": grace, "hsc331": enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)}


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


def test_the_administrator_manages_a_person_and_deactivates_them(
    page, browser, live_server, riverside, login, axe_check, screenshot
):
    AccessAttempt.objects.create(
        username="bob@example.org", ip_address="203.0.113.9", user_agent="test", failures_since_start=5,
        get_data="", post_data="", http_accept="", path_info="/accounts/login/",
    )
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/assessments/centres/{riverside['centre'].pk}/")
    page.get_by_role("link", name=re.compile(r"^Manage\W+Bob Baker$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bob Baker")
    expect(page.get_by_role("main")).to_contain_text("Locked out now")
    at_both_widths(page, axe_check, screenshot, "person-detail")

    page.get_by_role("checkbox", name="Assessor").uncheck()
    page.get_by_role("checkbox", name="Internal quality assurer").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_role("main")).to_contain_text("Bob Baker assesses 1 unit not yet signed off here")
    at_both_widths(page, axe_check, screenshot, "person-roles-refused")

    page.get_by_role("checkbox", name="Assessor").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Bob Baker is now internal quality assurer.")).to_be_visible()

    page.get_by_role("button", name="Let them sign in again now").click()
    expect(page.get_by_text("Bob Baker may sign in again now.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Not locked out")

    page.get_by_role("link", name="Deactivate Bob Baker…").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Bob Baker assesses 1 unit not yet signed off here. Reassign it to another assessor first, then deactivate them."
    )
    expect(page.get_by_role("button", name="Deactivate Bob Baker")).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "person-deactivate-refused")
    ian = member(riverside["centre"], Role.ASSESSOR, first_name="Ian", last_name="Irving", email="ian@example.org")
    enrolment_reassign(enrolment=riverside["hsc331"], role="assessor", person=ian, reason="Bob is leaving",
                       changed_by=riverside["grace"])
    page.reload()
    at_both_widths(page, axe_check, screenshot, "person-deactivate")
    # Asked without a reason, the page says why it needs one and nothing changes.
    page.get_by_role("button", name="Deactivate Bob Baker").click()
    expect(page.get_by_role("main")).to_contain_text(
        "Say why: the reason is kept with the deactivation, on their page here and in the centre's audit trail."
    )
    expect(page.get_by_role("button", name="Deactivate Bob Baker")).to_be_visible()
    at_both_widths(page, axe_check, screenshot, "person-deactivate-no-reason")
    page.get_by_label("Reason").fill("Bob has left the centre for another employer.")
    page.get_by_role("button", name="Deactivate Bob Baker").click()
    expect(page.get_by_role("main")).to_contain_text("Reactivating gives back the roles they held: assessor, internal quality assurer.")
    expect(page.get_by_role("main")).to_contain_text(
        "by Grace Gordon, for this reason: Bob has left the centre for another employer."
    )
    expect(page.get_by_role("region", name="Signing in")).to_contain_text(
        "Deactivated here: they cannot open anything of Riverside Training."
    )
    at_both_widths(page, axe_check, screenshot, "person-deactivated")

    # The reason corrected: left empty it is refused, saying why, and nothing changes; then saved.
    page.get_by_text("Correct the reason").click()
    reason = page.locator("#deactivation-reason").get_by_label("Reason")
    expect(reason).to_have_value("Bob has left the centre for another employer.")
    reason.fill("")
    page.get_by_role("button", name="Save the reason").click()
    expect(page.get_by_role("main")).to_contain_text("Give the reason: it cannot be left empty.")
    expect(page.get_by_role("main")).to_contain_text("for this reason: Bob has left the centre for another employer.")
    at_both_widths(page, axe_check, screenshot, "person-deactivation-reason-empty")
    page.locator("#deactivation-reason").get_by_label("Reason").fill("Bob moved to Hillside College to finish his diploma.")
    page.get_by_role("button", name="Save the reason").click()
    expect(page.get_by_text("The reason Bob Baker is deactivated is corrected.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "by Grace Gordon, for this reason: Bob moved to Hillside College to finish his diploma."
    )

    page.goto(f"/assessments/centres/{riverside['centre'].pk}/")
    bob_row = page.get_by_role("row", name=re.compile(r"^Bob Baker bob@example\.org"))
    expect(bob_row).to_contain_text("Deactivated")
    # His signatures stay his: the unit he assessed until it was reassigned names Ian now.
    expect(page.get_by_role("main")).to_contain_text("Ian Irving")

    # Bob's own browser: nothing of Riverside.
    bobs = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    bobs_page = bobs.new_page()
    login(bobs_page, "bob@example.org", PASSWORD)
    assert "HSC331" not in bobs_page.inner_text("main")
    response = bobs_page.goto(f"/assessments/units/{riverside['hsc331'].pk}/")
    assert response.status == 404
    bobs.close()

    page.goto(f"/portfolio/centres/{riverside['centre'].pk}/people/{riverside['bob'].pk}/")
    # Reactivating asks why, as deactivating does: with none it is refused, saying why, and he stays out.
    page.get_by_role("button", name="Reactivate Bob Baker").click()
    expect(page.get_by_role("main")).to_contain_text(
        "Say why: the reason is kept with the reactivation, on their page here and in the centre's audit trail."
    )
    expect(page.get_by_role("main")).to_contain_text("Reactivating gives back the roles they held")
    at_both_widths(page, axe_check, screenshot, "person-reactivate-no-reason")
    page.get_by_label("Reason for reactivating").fill("Bob is back to assess the level 3 group.")
    page.get_by_role("button", name="Reactivate Bob Baker").click()
    expect(page.get_by_text("Bob Baker is reactivated, as assessor and internal quality assurer.")).to_be_visible()
    # The deactivation, ended, stays on his page: who, why, and who reactivated him and why.
    past = page.get_by_role("region", name="Past deactivations here")
    expect(past).to_contain_text("by Grace Gordon, for this reason: Bob moved to Hillside College to finish his diploma.")
    expect(past).to_contain_text("Reactivated on ")
    expect(past).to_contain_text(" by Grace Gordon, for this reason: Bob is back to assess the level 3 group.")
    at_both_widths(page, axe_check, screenshot, "person-past-deactivations")


def test_a_persons_units_come_a_page_at_a_time(page, live_server, riverside, login, axe_check, screenshot, monkeypatch):
    """An assessor of many units: their page lists a page of them, with the way to the next page."""
    import portfolio.views.people as people_view

    monkeypatch.setattr(people_view, "UNITS_PER_PAGE", 2)
    carol = riverside["hsc331"].iqa
    for n in range(3):
        learner = member(riverside["centre"], Role.CANDIDATE, first_name=f"Learner{n}", last_name="Long",
                         email=f"learner{n}@example.org")
        enrol(learner, "HSC331", assessor=riverside["bob"], iqa=carol, centre=riverside["centre"])
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/portfolio/centres/{riverside['centre'].pk}/people/{riverside['bob'].pk}/")
    units = page.get_by_role("table").first.locator("tbody tr")
    expect(units).to_have_count(2)
    pages = page.get_by_role("navigation", name="Units here: pages")
    expect(pages).to_contain_text("Page 1 of 2")
    at_both_widths(page, axe_check, screenshot, "person-units-page-1")
    pages.get_by_role("link", name=re.compile("^Next")).click()
    expect(page.get_by_role("navigation", name="Units here: pages")).to_contain_text("Page 2 of 2")
    expect(units).to_have_count(2)  # the other two learners': four units in all
    at_both_widths(page, axe_check, screenshot, "person-units-page-2")
