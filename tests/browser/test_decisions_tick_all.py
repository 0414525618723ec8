"""The decisions page with many items to record, as Bob sees it at 1280 and 390 px: "Tick all
shown" ticks every box the filters show without loading the page again (and, without a script,
by its address), "Not met" stands inside the box of evidence to cite, and an item with nothing
accepted mapped to it says how to put that right.

The case: tests/assessments/unit_case.py (Alice the candidate, Bob her assessor).
"""

import pytest
from playwright.sync_api import expect

from assessments.models import Decision
from tests.assessments.unit_case import accepted_evidence, build_case

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    case = build_case()
    accepted_evidence(case, references=["HSC331a.1", "HSC331a.2", "HSC331a.3", "HSC331 K3"])
    return case


def test_tick_all_shown_then_one_submit(page, case, login, axe_check, screenshot):
    login(page, case.bob.email, PASSWORD)
    url = f"/assessments/units/{case.hsc331.pk}/decisions/?not_met=1&with_evidence=1"
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        boxes = page.locator('input[type="checkbox"][name^="cite-"]')
        expect(boxes).to_have_count(4)
        tick_all = page.get_by_role("button", name="Tick all shown (4 items)")
        tick_all.click()
        for i in range(4):
            expect(boxes.nth(i)).to_be_checked()
        expect(page).to_have_url(url)  # ticked where they are, no page load
        expect(page.get_by_role("button", name="Untick all")).to_be_visible()
        group = page.get_by_role("group", name="Not met Record as met, citing").first
        expect(group).to_be_visible()
        axe_check()
        screenshot(page, f"decisions-tick-all-{width}")

    page.get_by_role("button", name="Record what is ticked").first.click()
    expect(page.get_by_text("4 items recorded as met (HSC331a.1, HSC331a.2, HSC331a.3, HSC331 K3).")).to_be_visible()
    assert Decision.objects.filter(enrolment=case.hsc331).count() == 4
    page.goto(f"/assessments/units/{case.hsc331.pk}/decisions/")
    row = page.locator("#hsc331a-4")
    expect(row.get_by_text("No accepted evidence is mapped to HSC331a.4 yet.")).to_be_visible()
    expect(row.get_by_role("link", name="record an observation")).to_be_visible()
    axe_check()
