"""Issue 4's sign-off journey: with Alice's evidence accepted and most of HSC331 already recorded as
met, Bob records the last two knowledge items on the decisions page, signs the unit off, and Alice
countersigns it; her unit page then shows the signed, intact record.

Alice is the candidate, Bob her assessor, Carol her IQA. See tests/assessments/unit_case.py.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.assessments.unit_case import accepted_evidence, build_case, meet, photo
from tests.browser.conftest import sign_out

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    case = build_case()
    evidence = [
        accepted_evidence(case, title="Supporting a family visit", uploads=[photo("visit.png"), photo("plan.png", (40, 30))]),
        accepted_evidence(case, title="Reflecting on a friendship group", uploads=[photo("group.png")]),
    ]
    meet(case, case.hsc331, evidence, skip=2)  # all but HSC331 K16 and K17
    return case


def record_on_the_page(page, references: list[str]) -> None:
    """Ticks E1 for each item and records them all in one submit."""
    for reference in references:
        page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(reference)}: E1 Supporting a family visit")).check()
    page.get_by_role("button", name="Record what is ticked").last.click()
    expect(page.get_by_role("status").filter(has_text=f"{len(references)} items recorded as met")).to_be_visible()
    for reference in references:
        expect(page.locator(f"#{reference.lower().replace(' ', '-')}")).to_contain_text("decided by Bob Baker, citing E1")


def test_the_assessor_signs_off_and_the_candidate_countersigns(page, case, login, axe_check, screenshot):
    unit_url = f"/assessments/units/{case.hsc331.pk}/"

    login(page, case.bob.email, PASSWORD)
    page.goto(unit_url)
    signoff_panel = page.get_by_role("region", name="Sign-off")
    expect(signoff_panel).to_contain_text("Not signed off")
    expect(signoff_panel).to_contain_text("17 of 17 criteria and 15 of 17 knowledge items met")
    signoff_panel.get_by_role("link", name="Record decisions").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Decisions on HSC331")
    expect(page.locator("main header")).to_contain_text("32 of 34 criteria and knowledge items recorded as met")
    axe_check()
    screenshot(page, "signoff-decisions-page")
    record_on_the_page(page, ["HSC331 K16", "HSC331 K17"])
    expect(page.locator("main header")).to_contain_text("34 of 34 criteria and knowledge items recorded as met")
    screenshot(page, "signoff-decisions-recorded")

    page.get_by_role("region", name="Everything is met: HSC331 is ready to sign off").get_by_role(
        "link", name="Sign off HSC331"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off HSC331 for Alice Adams")
    page.get_by_text("What you are signing").click()
    axe_check()
    screenshot(page, "signoff-sign-off-page")
    page.get_by_role("checkbox", name=re.compile(r"^I confirm that the candidate has met every")).check()
    page.get_by_role("button", name="Sign off this unit").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(unit_url)}$"))
    expect(page.get_by_role("status").filter(has_text="is signed off and locked")).to_be_visible()
    signoff_panel = page.get_by_role("region", name="Sign-off")
    expect(signoff_panel).to_contain_text("Signed off by Bob Baker")
    expect(signoff_panel).to_contain_text("not yet countersigned by the candidate")
    expect(signoff_panel.get_by_role("link", name="Unlock…")).to_be_visible()
    sign_out(page)

    login(page, case.alice.email, PASSWORD)
    page.goto(unit_url)
    page.get_by_role("region", name="Sign-off").get_by_role("link", name="Countersign").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Countersign HSC331")
    expect(page.get_by_role("status").filter(has_text="Intact:")).to_contain_text("3 files and 34 decisions")
    axe_check()
    screenshot(page, "signoff-countersign-page")
    page.get_by_role("checkbox", name=re.compile(r"^I confirm that the evidence in this unit is my own work")).check()
    page.get_by_role("button", name="Countersign").click()

    expect(page.get_by_role("status").filter(has_text="You countersigned HSC331.")).to_be_visible()
    signoff_panel = page.get_by_role("region", name="Sign-off")
    expect(signoff_panel).to_contain_text(re.compile(r"Signed off by Bob Baker on\s+\d+ \w+ \d{4},\s+countersigned by Alice Adams on\s+\d+ \w+ \d{4}\."))
    expect(signoff_panel.get_by_role("status")).to_have_text(
        re.compile(r"Intact:\s+3 files and 34 decisions match what was signed\.")
    )
    expect(signoff_panel.get_by_role("link", name="Countersign")).to_have_count(0)
    page.get_by_role("tab", name="Criteria").click()
    expect(page.locator("#hsc331a-1")).to_contain_text("decided by Bob Baker, citing E1, E2")
    page.get_by_role("tab", name="Audit trail").click()
    audit = page.get_by_role("region", name="Audit trail")
    expect(audit.get_by_role("listitem").first).to_contain_text("Alice Adams countersigned the sign-off")
    axe_check()
    screenshot(page, "signoff-unit-page-countersigned")
