"""A unit's "Add evidence" carries the unit: after saving, the mapping page shows that unit first and
open, the other unit after it, closed; the filter opens a closed unit when it finds something in it.

Alice is the candidate on HSC331 and H3 25 (tests/assessments/unit_case.py).
"""

from playwright.sync_api import expect

from tests.assessments.unit_case import build_case
from tests.browser.test_candidate_journey import fill_in_the_evidence_form

PASSWORD = "correct horse battery"


def test_add_evidence_from_a_unit_maps_that_unit_first(page, transactional_db, login, axe_check, screenshot):
    case = build_case()
    login(page, case.alice.email, PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/units/{case.hsc331.pk}/")
        page.get_by_role("link", name="Add evidence", exact=True).first.click()
        expect(page.get_by_text("the mapping page opens with this unit first")).to_be_visible()
        fill_in_the_evidence_form(page, f"Planning a visit at {width}")
        page.get_by_role("button", name="Save as draft").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Map")
        units = page.locator("details.mapping-unit")
        expect(units.first.locator("summary")).to_contain_text("HSC331")
        expect(units.first).to_have_attribute("open", "")
        expect(units.nth(1).locator("summary")).to_contain_text("H3 25")
        expect(units.nth(1)).not_to_have_attribute("open", "")
        expect(page.get_by_role("checkbox", name="HSC331a.1", exact=False).first).to_be_visible()
        axe_check()
        screenshot(page, f"add-evidence-unit-first-{width}")
    page.get_by_label("Filter by reference or words").fill("H3 25.1")
    expect(units.nth(1)).to_have_attribute("open", "")
    expect(page.get_by_role("checkbox", name="H3 25.1", exact=False).first).to_be_visible()
