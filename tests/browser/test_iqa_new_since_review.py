"""The IQA's re-review after an interim review (outside trial: nothing said what was new): Carol
agreed with Bob's decisions so far on HSC331 two days ago; Bob has since accepted more evidence and
recorded one more criterion met. Her review page says at its top that two things are new, with a
link to the first, and marks that decision and that judgement "New since your review on <date>",
in words, the older ones not. Seen with axe-core at 1280 and 390 px.

Alice Adams is on HSC331; Bob assesses it; Carol is its IQA (tests/assessments/quality_records.py)."""

import pytest
from playwright.sync_api import expect

from portfolio import dates
from tests.assessments.quality_records import riverside_team
from tests.assessments.test_iqa_new_since_review import _accepted, _agreed_at_interim
from tests.browser.test_eqa_access_journey import at_both_widths
from tests.factories import enrol

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    centre, alice, bob, carol = riverside_team()
    unit = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    case = type("Case", (), dict(alice=alice, bob=bob, carol=carol, unit=unit))
    _accepted(case, "Phoning a sister", "HSC331a.1")
    case.review = _agreed_at_interim(case)
    _accepted(case, "Planning a visit with Person A and their family at the day centre", "HSC331a.2")
    return case


def test_the_re_review_counts_and_marks_what_is_new_since_the_interim_review(
    page, case, live_server, login, axe_check, screenshot
):
    login(page, "carol@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/units/{case.unit.pk}/review/")
    on = dates.day(case.review.reviewed_at)
    summary = page.locator("#new-since-review")
    expect(summary).to_contain_text(f"2 new since your review on {on}: 1 decision and 1 evidence judgement")

    decisions = page.get_by_role(
        "table", name="Each criterion and knowledge item recorded as met, with the evidence cited"
    )
    new_row = decisions.get_by_role("row").filter(has_text="HSC331a.2")
    old_row = decisions.get_by_role("row").filter(has_text="HSC331a.1")
    expect(new_row.get_by_text(f"New since your review on {on}")).to_be_visible()
    expect(old_row.get_by_text("New since your review")).to_have_count(0)
    judged = page.get_by_role(
        "table", name="Each judgement of evidence mapped to this unit when it was judged, newest first"
    )
    expect(
        judged.get_by_role("row").filter(has_text="Planning a visit").get_by_text("New since your review")
    ).to_be_visible()
    expect(
        judged.get_by_role("row").filter(has_text="Phoning a sister").get_by_text("New since your review")
    ).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "iqa-re-review-new-since")

    summary.get_by_role("link", name="Go to the first new one").click()
    expect(page).to_have_url(f"{live_server.url}/assessments/units/{case.unit.pk}/review/#new-decision-2")
    expect(new_row).to_be_in_viewport()
