"""Fresh-user findings, in the browser at 1280 and 390 px with axe: the countersign page's decisions
stack on a phone (a date no longer breaks as "Dec / emb / er", and the page is much shorter); the
candidate's unit page says in a sentence that the signed record is sealed; a unit not ready offers
"What is left before sign-off", whose page lists the references one to a line.

Alice is the candidate, Bob her assessor (tests/assessments/unit_case.py).
"""

from playwright.sync_api import expect

from assessments.services.signoff import unit_sign_off
from tests.assessments.unit_case import accepted_evidence, build_case, meet

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))
# How many lines an element's text takes: the distinct tops of its text's boxes.
LINES = """(element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size;
}"""


def test_the_countersign_page_stacks_its_decisions_on_a_phone(page, transactional_db, login, axe_check, screenshot):
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True, not_applicable={
        c.pk: "Not part of Alice’s work in a day centre." for c in case.hsc331.unit.scope_categories.all()
    })
    login(page, case.alice.email, PASSWORD)
    heights = {}
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/units/{case.hsc331.pk}/countersign/")
        table = page.get_by_role("table", name="The decisions signed by the assessor")
        date = table.get_by_role("cell").first
        expect(date).to_be_visible()
        # On one line: a date broken mid-word ran over four ("3 / Dec / emb / er 202 6").
        lines = date.evaluate(LINES)
        assert lines == 1, f"the date takes {lines} lines at {width} px"
        heights[width] = table.bounding_box()["height"]
        axe_check()
        screenshot(page, f"countersign-stacked-{width}")
    # Stacked, the table is a few lines a decision rather than a column of broken words: with these
    # short titles it was 5,990 px tall at 390 px, 176 px a decision (the fresh user's, longer, more).
    rows = case.hsc331.unit.criteria.count() + case.hsc331.unit.knowledge_items.count()
    assert heights[390] < rows * 140, heights
    expect(page.get_by_role("table", name="The decisions signed by the assessor").get_by_role("cell").first).to_be_visible()

    # The unit page tells Alice, in a sentence, that what was signed is sealed.
    page.goto(f"/assessments/units/{case.hsc331.pk}/")
    signoff = page.get_by_role("region", name="Sign-off")
    signoff.get_by_text("Signatures", exact=True).click()
    expect(signoff).to_contain_text("What your assessor signed is sealed; any change would show here.")
    expect(signoff).not_to_contain_text("SHA-256")
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        axe_check()
        screenshot(page, f"unit-sealed-sentence-{width}")


def test_a_unit_not_ready_says_what_is_left(page, transactional_db, login, axe_check, screenshot):
    case = build_case()
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)], skip=27)
    login(page, case.bob.email, PASSWORD)
    page.goto(f"/assessments/units/{case.h3_25.pk}/")
    signoff = page.get_by_role("region", name="Sign-off")
    expect(signoff.get_by_role("link", name="Sign off", exact=True)).to_have_count(0)
    signoff.get_by_role("link", name="What is left before sign-off").click()
    left = page.get_by_role("list", name="Not met yet")
    expect(left.get_by_role("listitem")).to_have_count(27)
    first, second = (left.get_by_role("listitem").nth(n).bounding_box() for n in (0, 1))
    assert second["y"] > first["y"], "one reference to a line"
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        axe_check()
        screenshot(page, f"signoff-not-ready-{width}")
