"""Evidence of a unit another assessor assesses (an outside trial, HIGH: it was in both queues and
either could judge it), seen in the browser with axe-core at 1280 and 390 px: Bob reads Alice's H3 25
evidence, now Erin's to judge, with no form and words saying whose it is; it is in Erin's queue and
not his. Alice is Bob's candidate on HSC331 and H3 25 (tests/cast.py)."""

import pytest
from playwright.sync_api import expect

from tests.assessments.judging_people import submitted
from tests.assessments.unit_case import build_case
from tests.factories import put_on_case

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def case(transactional_db):
    return build_case()


def test_the_other_assessor_reads_it_and_is_told_whose_it_is(page, case, login, axe_check, screenshot):
    put_on_case(case.h3_25.pk, assessor=case.erin)
    evidence = submitted(case.alice, case.h3_25, title="Agreeing contact", criteria=("H3 25.1",))
    login(page, case.bob.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{evidence.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Agreeing contact")
        expect(page.get_by_text(f"{evidence.reference} bears on units you do not assess (H3 25, assessed by Erin")).to_be_visible()
        expect(page.locator("#judge")).to_have_count(0)
        expect(page.get_by_role("button", name="Send")).to_have_count(0)
        axe_check()
        screenshot(page, f"judged-elsewhere-{width}")
        page.goto("/assessments/assess/")
        expect(page.get_by_role("main")).not_to_contain_text("Agreeing contact")


def test_holistic_evidence_judged_by_the_other_assessor_says_what_is_still_yours(page, case, login, axe_check, screenshot):
    """Erin accepts an item mapped to her H3 25 and to Bob's HSC331: Bob's page says so and links
    HSC331's decisions, which are still his to record."""
    from assessments.services import judging

    put_on_case(case.h3_25.pk, assessor=case.erin)
    evidence = submitted(case.alice, case.h3_25, title="A holistic account", criteria=("H3 25.6", "HSC331a.2"))
    judging.evidence_accept(evidence=evidence, assessor=case.erin, **dict.fromkeys(judging.VACS, True))
    login(page, case.bob.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{evidence.pk}/")
        note = page.locator(".left-to-you")
        expect(note).to_contain_text(f"{case.erin} accepted {evidence.reference}")
        expect(note.get_by_role("link", name="HSC331 decisions")).to_be_visible()
        axe_check()
        screenshot(page, f"judged-by-the-other-{width}")
    note.get_by_role("link", name="HSC331 decisions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HSC331")


def test_the_candidate_reads_which_of_her_two_assessors_referred_it_and_writes_to_both(
    page, case, login, axe_check, screenshot
):
    """Bob refers back an item mapped to his HSC331 and Erin's H3 25 (an outside trial: Alice read
    "your assessor" with two concerned): her page and Change page name Bob, and its conversation both."""
    from assessments.services import judging

    put_on_case(case.h3_25.pk, assessor=case.erin)
    evidence = submitted(case.alice, case.h3_25, title="A holistic account", criteria=("H3 25.6", "HSC331a.2"))
    judging.evidence_refer_back(evidence=evidence, assessor=case.bob, feedback="Say who agreed the visit.")
    login(page, case.alice.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{evidence.pk}/")
        expect(page.get_by_role("heading", name=f"{case.bob} referred {evidence.reference} back to you")).to_be_visible()
        conversation = page.locator("#conversation")
        expect(conversation).to_contain_text(f"Between you and your assessors, {case.bob} and {case.erin} about")
        expect(page.get_by_label(f"Write to {case.bob} and {case.erin}")).to_be_visible()
        axe_check()
        screenshot(page, f"candidate-two-assessors-referred-{width}")
    page.get_by_role("link", name="Change").click()
    expect(page.get_by_role("region", name=f"What {case.bob} asked you to change")).to_contain_text("Say who agreed")


def test_the_other_assessor_records_their_units_scope_on_accepted_holistic_evidence(page, case, login, axe_check, screenshot):
    """Erin accepts an item mapped to her H3 25 and to Bob's HSC331, recording H3 25's scope alone:
    Bob records which of HSC331's scope it covers on the evidence page, and the page says so."""
    from assessments.services import judging

    put_on_case(case.h3_25.pk, assessor=case.erin)
    evidence = submitted(case.alice, case.h3_25, title="A holistic account", criteria=("H3 25.6", "HSC331a.2"))
    judging.evidence_accept(evidence=evidence, assessor=case.erin, **dict.fromkeys(judging.VACS, True))
    login(page, case.bob.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{evidence.pk}/")
        section = page.get_by_role("region", name="Which of HSC331’s scope it covers")
        expect(section).to_contain_text("Not recorded yet")
        axe_check()
        screenshot(page, f"other-units-scope-{width}")
    section.get_by_label("HSC331 S4.1").check()
    section.get_by_role("button", name="Record HSC331 scope").click()
    expect(page.get_by_role("region", name="Which of HSC331’s scope it covers")).to_contain_text("You recorded on")
    axe_check()
    screenshot(page, "other-units-scope-recorded-390")
