"""Issue 14 item 5 in the browser: Grace, the centre administrator, opens Alice's HSC331 once version 2
is in the catalogue, previews the move (what carries over, what is flagged for the assessor),
confirms, and the unit page shows version 2. Checked with axe at 1280 and 390 px wide."""

import pytest
from playwright.sync_api import expect

from assessments.services import judging
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence
from tests.standards.unit_versions import new_version

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}


@pytest.fixture
def case(transactional_db):
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case)], skip=2)
    referred = submitted_evidence(case, title="Notes of a phone call", references=["HSC331a.2"])
    judging.evidence_refer_back(
        evidence=referred, assessor=case.bob, feedback="Say who chose the contact.",
        notes={Criterion.objects.get(unit=case.hsc331.unit, reference="HSC331a.2"): "Name the network."},
    )
    new_version("HSC331", "2", words={"HSC331a.1": "you support individuals to say what they want from contact:"},
                dropped=("HSC331c.7",))
    return case


def test_the_administrator_previews_and_moves_a_unit_to_version_2(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/assessments/units/{case.hsc331.pk}/")
    expect(page.get_by_text("v1 · Legacy").first).to_be_visible()
    page.get_by_role("link", name="Move to a newer version").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("to a newer version")
    table = page.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="HSC331a.1")).to_contain_text("the words changed: the assessor decides again")
    expect(table.get_by_role("row").filter(has_text="HSC331c.7")).to_contain_text("not in version 2: left behind")
    expect(table.get_by_role("row").filter(has_text="HSC331a.2")).to_contain_text("Carried over")
    expect(table.get_by_role("row").filter(has_text="HSC331a.2")).to_contain_text("1 note, moved to version 2")
    axe_check()
    screenshot(page, "version-move-preview")
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, "version-move-preview-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Move to version 2").click()
    expect(page.get_by_role("alert").first).to_contain_text("Confirm that you have read what carries over")
    axe_check()
    page.get_by_label("I have read what carries over and what the assessor must look at again.").check()
    page.get_by_role("button", name="Move to version 2").click()

    expect(page.get_by_text("is now on version 2")).to_be_visible()
    expect(page.get_by_text("v2 · Current").first).to_be_visible()
    axe_check()
    screenshot(page, "version-move-done")
