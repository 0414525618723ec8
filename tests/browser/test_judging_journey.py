"""The assessor's day in the browser (issue 13): judge and decide on one page, one page per evidence
item, then the decisions review, sign-off, and the candidate's countersignature; the judge page by
keyboard alone; the decisions page as one form with its filters; each page checked with axe at 1280
and 390 px, with a screenshot to look at.

The journey itself is the benchmark's (`ops.benchmark.journey`), here against the test server with
five evidence items: it must take at most M + 3 page loads. Alice is the candidate in the other
tests, Bob her assessor (tests/assessments/unit_case.py).
"""

import re

import pytest
from playwright.sync_api import expect

from ops.benchmark.journey import drive
from ops.benchmark.journey_case import build
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence
from tests.factories import load_standards

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))


def check_at_both_widths(page, axe_check, screenshot, name: str) -> None:
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        axe_check()
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_unit_goes_from_submitted_to_countersigned_in_m_plus_3_page_loads(browser, live_server, transactional_db):
    load_standards()
    case = build(5, password=PASSWORD)

    result = drive(browser, live_server.url, case)

    assert result.assessor.page_loads == 5 + 3, result.assessor.pages
    assert result.assessor.pages[-3:] == [
        f"/assessments/units/{case.enrolment}/decisions/", f"/assessments/units/{case.enrolment}/sign-off/",
        f"/assessments/units/{case.enrolment}/",
    ]
    assert result.candidate.pages == [
        f"/assessments/units/{case.enrolment}/countersign/", f"/assessments/units/{case.enrolment}/",
    ]
    assert result.assessor.clicks == 1 + 5 * 5 + 3  # the first item, four VACS boxes and Accept each, sign-off
    assert result.summary().startswith("8 page loads for 5 evidence items (goal: at most 8: met)")


@pytest.fixture
def case(transactional_db):
    """Two of Alice's items wait for Bob: E1 mapped to HSC331a.1, a.2 and K1 (and family), E2 to a.3."""
    case = build_case()
    submitted_evidence(case, title="Planning a visit from a friend",
                       references=["HSC331a.1", "HSC331a.2", "HSC331 K1", "HSC331 S4.1"])
    submitted_evidence(case, title="Phoning a sister", references=["HSC331a.3"])
    return case


def test_the_assessor_judges_and_decides_by_keyboard_alone(page, case, login, axe_check, screenshot):
    login(page, case.bob.email, PASSWORD)
    page.goto("/assessments/assess/")
    page.get_by_role("link", name=re.compile("Planning a visit from a friend")).first.click()
    judge = page.get_by_role("region", name="Judge E1")
    proves = judge.get_by_role("group", name="What it proves, if you accept it")
    expect(proves.get_by_role("checkbox", name=re.compile(r"^HSC331a\.1 "))).to_be_checked()
    expect(proves.get_by_role("checkbox", name=re.compile(r"^HSC331 K1 "))).to_be_checked()
    judge.scroll_into_view_if_needed()
    check_at_both_widths(page, axe_check, screenshot, "judge-and-decide")

    # From the first box on, by keyboard only: Space ticks, Tab moves, Enter opens and submits.
    judge.get_by_role("checkbox", name="Valid", exact=True).focus()
    for _ in range(4):
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("value", re.compile(r"^criterion-"))  # HSC331a.1, ticked
    page.keyboard.press("Tab")  # HSC331a.2
    page.keyboard.press("Space")  # not proved after all: unticked
    page.keyboard.press("Tab")  # HSC331 K1
    page.keyboard.press("Tab")  # the summary of what Alice did not map
    expect(page.locator(":focus")).to_have_text(re.compile(r"^Add what the candidate did not map"))
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # HSC331a.3
    page.keyboard.press("Tab")  # HSC331a.4
    page.keyboard.press("Space")
    expect(page.locator(":focus")).to_be_checked()
    judge.get_by_role("button", name="Accept").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Phoning a sister")
    expect(page.get_by_role("status").filter(has_text="E1 is accepted, and cited as meeting 3 items")).to_contain_text(
        "HSC331a.1, HSC331a.4, HSC331 K1. Alice Adams has been told. Next waiting from Alice Adams: E2."
    )


def test_a_refused_judge_form_puts_the_summary_in_view_and_keeps_the_page_address(page, case, login, axe_check, screenshot):
    login(page, case.bob.email, PASSWORD)
    page.goto("/assessments/assess/")
    page.get_by_role("link", name=re.compile("Planning a visit from a friend")).first.click()
    judge = page.get_by_role("region", name="Judge E1")
    judge.get_by_role("checkbox", name="Valid", exact=True).check()
    judge.get_by_label("Feedback to the candidate").fill("A careful account of the visit.")
    judge.get_by_role("button", name="Accept").click()

    summary = page.locator("#judge-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Confirm the evidence is authentic, or refer it back.")).to_be_visible()
    assert re.search(r"/assessments/evidence/\d+/#judge-errors$", page.url)  # a refresh does not post again
    expect(judge.get_by_label("Feedback to the candidate")).to_have_value("A careful account of the visit.")
    expect(judge.get_by_role("checkbox", name="Valid", exact=True)).to_be_checked()
    check_at_both_widths(page, axe_check, screenshot, "judge-refused")
    summary.get_by_role("link", name="Confirm the evidence is authentic, or refer it back.").click()
    expect(judge.get_by_role("checkbox", name="Authentic", exact=True)).to_be_focused()


def test_referring_back_with_a_note_per_item_reaches_the_candidate(page, case, login, axe_check, screenshot):
    login(page, case.bob.email, PASSWORD)
    page.goto("/assessments/assess/")
    page.get_by_role("link", name=re.compile("Planning a visit from a friend")).first.click()
    judge = page.get_by_role("region", name="Judge E1")
    judge.get_by_text("If you refer it back: a note on each item it is mapped to").click()
    judge.get_by_role("textbox", name=re.compile(r"^HSC331a\.2 ")).fill("Say how you found out what the law allowed.")
    judge.get_by_label("Feedback to the candidate").fill("Tell me more about how the visit was planned.")
    judge.get_by_role("button", name="Refer back to the candidate").click()
    expect(page.get_by_role("status").filter(has_text="E1 is referred back.")).to_be_visible()

    page.context.clear_cookies()
    login(page, case.alice.email, PASSWORD)
    page.goto(f"/assessments/evidence/{case.alice.evidence.get(number=1).pk}/")
    referral = page.get_by_role("region", name="Your assessor referred E1 back to you")
    expect(referral).to_contain_text("Tell me more about how the visit was planned.")
    expect(referral).to_contain_text("HSC331a.2 Say how you found out what the law allowed.")
    check_at_both_widths(page, axe_check, screenshot, "referral-notes-candidate")


def test_the_decisions_page_is_one_form_with_filters(page, transactional_db, login, axe_check, screenshot):
    case = build_case()
    first = accepted_evidence(case, title="Supporting a family visit")
    accepted_evidence(case, title="Phoning a sister", references=["HSC331a.1", "HSC331a.2", "HSC331 K2"])
    meet(case, case.hsc331, [first], skip=3)  # every item but the last three knowledge items
    login(page, case.bob.email, PASSWORD)
    url = f"/assessments/units/{case.hsc331.pk}/decisions/"
    page.goto(url)

    filters = page.get_by_role("form", name="Which items to show")
    filters.get_by_label(re.compile("^not met yet")).check()
    filters.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?not_met=1$"))
    expect(page.locator("li.criterion-row")).to_have_count(3)
    check_at_both_widths(page, axe_check, screenshot, "decisions-not-met")

    page.goto(url)
    page.get_by_role("checkbox", name=re.compile(r"^HSC331a\.1: E2 Phoning a sister")).check()
    page.get_by_role("checkbox", name=re.compile(r"^HSC331 K15: E1 Supporting")).check()
    page.get_by_role("checkbox", name=re.compile(r"^HSC331 K16: E1 Supporting")).check()
    page.get_by_role("checkbox", name=re.compile(r"^HSC331 K17: E1 Supporting")).check()
    page.get_by_role("button", name="Record what is ticked").last.click()  # the one below the items

    expect(page.get_by_role("status").filter(has_text="3 items recorded as met")).to_contain_text(
        "(HSC331 K15, HSC331 K16, HSC331 K17); evidence added to 1 decision (HSC331a.1)."
    )
    expect(page.locator("#hsc331a-1")).to_contain_text(re.compile(r"E2 Phoning a sister \(added by Bob Baker on"))
    offer = page.get_by_role("region", name="Everything is met: HSC331 is ready to sign off")
    expect(offer.get_by_role("link", name="Sign off HSC331")).to_be_visible()
    check_at_both_widths(page, axe_check, screenshot, "decisions-all-met")


def test_the_candidate_is_asked_to_countersign_and_sees_the_evidence_by_title(page, transactional_db, login, axe_check, screenshot):
    from assessments.services.signoff import unit_sign_off

    case = build_case()
    evidence = accepted_evidence(case, title="Supporting a family visit")
    meet(case, case.hsc331, [evidence])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True, not_applicable={
        c.pk: "Not part of Alice’s work in a day centre." for c in case.hsc331.unit.scope_categories.all()
    })
    login(page, case.alice.email, PASSWORD)
    page.goto(f"/assessments/units/{case.hsc331.pk}/")
    offer = page.get_by_role("region", name="Sign-off").get_by_role("status").filter(has_text="Read what was signed")
    expect(offer).to_contain_text("Bob Baker signed HSC331 off on")
    check_at_both_widths(page, axe_check, screenshot, "countersign-offer")
    offer.get_by_role("link", name="Read and countersign HSC331").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Countersign HSC331")
    expect(page.get_by_role("region", name="The decisions signed by the assessor")).to_contain_text(
        "E1 Supporting a family visit"
    )
    check_at_both_widths(page, axe_check, screenshot, "countersign-titles")
