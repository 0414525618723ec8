"""Scope in the browser: Bob judges Alice's evidence and records the scope it covers (her mapping
ticked to start with, one more item ticked by him), sees on the unit page which scope category no
evidence covers, and signs HSC331 off with his reason that it does not apply to her work area; the
unit page then shows the signed scope. Each page is checked with axe at 1280 and 390 px.

Alice is the candidate, Bob her assessor. See tests/assessments/unit_case.py.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.assessments.unit_case import accepted_evidence, build_case, items, meet, submitted_evidence

PASSWORD = "correct horse battery"
NO_RISKS = "Alice works in a day centre where no risk to people or property arose during assessment."
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def case(transactional_db):
    """Every item of HSC331 met on E1, which Bob recorded as covering communication, danger and
    harm; E2, mapped by Alice to every item and to family, waits for Bob's judgement."""
    case = build_case()
    criteria, knowledge = items(case.hsc331)
    everything = [i.reference for i in criteria + knowledge]
    first = accepted_evidence(case, title="Supporting a family visit", references=[*everything, "HSC331 S1.1", "HSC331 S2.1", "HSC331 S3.1"])
    meet(case, case.hsc331, [first])
    submitted_evidence(case, title="Planning a visit from a friend", references=[*everything, "HSC331 S4.1"])
    return case


def check_at_both_widths(page, axe_check, screenshot, name: str) -> None:
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        axe_check()
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_assessor_records_scope_when_judging_and_signs_off_with_a_reason(page, case, login, axe_check, screenshot):
    unit_url = f"/assessments/units/{case.hsc331.pk}/"
    login(page, case.bob.email, PASSWORD)
    page.goto("/assessments/assess/")
    page.get_by_role("link", name=re.compile("Planning a visit from a friend")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Planning a visit from a friend")

    judge = page.get_by_role("region", name="Judge E2")
    scope = judge.get_by_role("group", name="Scope it covers, if you accept it")
    expect(scope.get_by_role("checkbox", name="HSC331 S4.1 family")).to_be_checked()  # Alice's mapping
    expect(scope.get_by_role("checkbox", name="HSC331 S4.2 friends")).not_to_be_checked()
    check_at_both_widths(page, axe_check, screenshot, "scope-judging")
    scope.get_by_role("checkbox", name="HSC331 S4.2 friends").check()
    for name in ("Valid", "Authentic", "Current", "Sufficient"):
        judge.get_by_role("checkbox", name=name, exact=True).check()
    judge.get_by_role("button", name="Accept").click()

    # Every item was already met on E1: E2, ticked for each as Alice mapped it, is added to their evidence.
    expect(page.get_by_role("status").filter(has_text="E2 is accepted, and cited as meeting 34 items")).to_be_visible()
    page.get_by_role("link", name=re.compile("^E2 Planning a visit from a friend")).first.click()
    expect(page.get_by_text("Scope it covers, as the assessor recorded:")).to_contain_text(
        "HSC331 S4.1 key people: family; HSC331 S4.2 key people: friends."
    )

    page.goto(unit_url)
    expect(page.get_by_role("region", name="Sign-off")).to_contain_text("Scope no evidence covers yet: Risks.")
    page.get_by_role("region", name="Sign-off").get_by_role("link", name="Scope").click()  # opens the Criteria tab
    scope_section = page.get_by_role("region", name="Scope")
    expect(scope_section).to_contain_text("Covered by E2, as the assessor recorded.")
    expect(scope_section).to_contain_text("Not covered yet")

    page.goto(f"{unit_url}sign-off/")
    expect(page.get_by_role("table", name="Scope coverage to be signed")).to_contain_text("no evidence covers it yet")
    page.get_by_role("checkbox", name=re.compile(r"^I confirm that the candidate has met every")).check()
    page.get_by_role("button", name="Sign off this unit").click()
    expect(page.get_by_text("Say why “Risks” does not apply to the candidate’s work area").first).to_be_visible()
    reason = page.get_by_role("textbox", name="“Risks” does not apply to Alice Adams’s work area because")
    reason.fill(NO_RISKS)
    check_at_both_widths(page, axe_check, screenshot, "scope-sign-off")
    page.get_by_role("checkbox", name=re.compile(r"^I confirm that the candidate has met every")).check()
    page.get_by_role("button", name="Sign off this unit").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(unit_url)}$"))
    expect(page.get_by_role("region", name="Sign-off").get_by_role("status")).to_contain_text("Intact:")
    page.get_by_role("tab", name="Criteria").click()
    scope_section = page.get_by_role("region", name="Scope")
    expect(scope_section).to_contain_text(f"Does not apply to the candidate’s work area, the assessor recorded at sign-off: “{NO_RISKS}”")
    scope_section.scroll_into_view_if_needed()
    check_at_both_widths(page, axe_check, screenshot, "scope-unit-page-signed")
