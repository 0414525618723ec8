"""The IQA's sample page, unit page and review page after an interim review (outside trial): Carol
agrees with the decisions so far on HSC331, not signed off, and is told so, not that she
countersigned it; its row on the sample page reads "Interim review: agreed" beside its Add box. With
every unit in her sample, the page has no Add button but says nothing is to add, and on a phone the
"Waiting for your review" table stacks its rows like the list of all her units. Seen with axe-core
at 1280 and 390 px.

Bob assesses Alice Adams on HSC331 and H3 25, both in progress with decisions; Carol is their IQA."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from assessments.services import iqa as iqa_services
from tests.assessments.quality_records import accepted_evidence, decide, riverside_team
from tests.browser.conftest import VIEWPORT
from tests.browser.test_eqa_access_journey import PHONE, at_both_widths
from tests.factories import enrol

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    centre, alice, bob, carol = riverside_team()
    hsc331 = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    decide(hsc331, accepted_evidence(hsc331, title="Social networks"), count=3)
    h3_25 = enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    decide(h3_25, accepted_evidence(h3_25, title="Boundaries"), count=2)
    return type("Case", (), dict(carol=carol, hsc331=hsc331, h3_25=h3_25))


def _row(page, code: str):
    return page.locator("table.iqa-units tbody tr").filter(has=page.get_by_text(code, exact=True))


def test_an_interim_review_reads_agreed_not_countersigned(page, case, live_server, login, axe_check, screenshot):
    login(page, "carol@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/units/{case.hsc331.pk}/review/")
    expect(page.get_by_label("Countersign", exact=True)).to_have_count(0)
    page.get_by_label("Agree with the assessor’s decisions so far").check()
    page.get_by_role("button", name="Record review").click()

    expect(page.get_by_role("status").filter(has_text="You reviewed the decisions so far on HSC331 of Alice Adams "
                                             "and agreed with them (interim review).")).to_be_visible()
    today = date_format(timezone.localdate(), "j F Y")
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Carol Clark reviewed the decisions so far on {today} and agreed with them")
    expect(main).not_to_contain_text("countersigned HSC331")
    at_both_widths(page, axe_check, screenshot, "iqa-interim-agreed-unit")

    page.goto(f"{live_server.url}/assessments/quality/")
    row = _row(page, "HSC331")
    expect(row.locator('td[data-label="Sampled"]')).to_contain_text(f"Interim review: agreed {today}")
    expect(row).not_to_contain_text("ountersigned")
    expect(page.get_by_label("Add Alice Adams, HSC331 to my sample")).to_have_count(1)
    at_both_widths(page, axe_check, screenshot, "iqa-interim-agreed-sample")


def test_all_in_the_sample_no_add_button_and_the_waiting_table_stacks_on_a_phone(
    page, case, live_server, login, axe_check, screenshot
):
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.hsc331, case.h3_25])
    login(page, "carol@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/quality/")

    expect(page.get_by_role("button", name="Add the units ticked in this list to my sample")).to_have_count(0)
    expect(page.get_by_text("Nothing on this page to add to your sample.")).to_be_visible()
    waiting = page.get_by_role("table", name="Units in your sample whose review you have not recorded yet")
    expect(waiting.locator("tbody tr")).to_have_count(2)
    at_both_widths(page, axe_check, screenshot, "iqa-sample-all-waiting")

    page.set_viewport_size(PHONE)
    assert waiting.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    first = waiting.locator("tbody tr").first
    for cell in ("Assessor", "State", "Sampled on"):
        box = first.locator(f'td[data-label="{cell}"]').bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], cell
    expect(first.locator('td[data-label="Assessor"]')).to_have_text("Bob Baker")
    review = first.get_by_role("link", name="Review")
    assert review.bounding_box()["x"] + review.bounding_box()["width"] <= PHONE["width"]
    page.set_viewport_size(VIEWPORT)
