"""Pages an outside trial found wrong, in the browser with axe-core at 1280 and 390 px: the candidate's
accepted holistic evidence (it cannot be referred back; whom to write to), her draft mapped to two
assessors' units (both named), the other assessor's page once a referral was answered (no stale note),
and the page a refused POST answers (the site's layout, why, and the way home).
Alice is on HSC331 (Bob) and H3 25, here moved to Erin (tests/cast.py)."""

import re

import pytest
from playwright.sync_api import expect

from assessments.services import judging
from portfolio import services
from tests.assessments.judging_people import draft, fresh, submitted
from tests.assessments.unit_case import build_case
from tests.factories import put_on_case

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def case(transactional_db):
    case = build_case()
    put_on_case(case.h3_25.pk, assessor=case.erin)
    return case


def test_the_candidates_accepted_and_draft_holistic_evidence(page, case, login, axe_check, screenshot):
    accepted = submitted(
        case.alice, case.hsc331, title="A holistic account", criteria=("HSC331a.2", "H3 25.6")
    )
    judging.evidence_accept(evidence=accepted, assessor=case.erin, **dict.fromkeys(judging.VACS, True))
    waiting = draft(
        case.alice, case.hsc331, title="Another holistic account", criteria=("HSC331a.3", "H3 25.7")
    )
    login(page, case.alice.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{accepted.pk}/")
        note = page.locator(".candidate-may-not-change")
        expect(note).to_contain_text("can no longer be changed or referred back")
        expect(note).to_contain_text("write to Bob Baker and Erin Evans below")
        axe_check()
        screenshot(page, f"holistic-accepted-candidate-{width}")
        page.goto(f"/assessments/evidence/{waiting.pk}/")
        expect(page.get_by_role("note")).to_contain_text(
            "Bob Baker and Erin Evans see it once you submit it."
        )
        axe_check()
        screenshot(page, f"holistic-draft-candidate-{width}")


def test_the_other_assessors_page_once_the_referral_is_answered(page, case, login, axe_check, screenshot):
    evidence = submitted(
        case.alice, case.hsc331, title="A holistic account", criteria=("HSC331a.2", "H3 25.6")
    )
    judging.evidence_refer_back(evidence=evidence, assessor=case.erin, feedback="Name the visit.")
    services.evidence_submit(evidence=fresh(evidence), candidate=case.alice, declared=True)
    login(page, case.bob.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{evidence.pk}/")
        expect(page.locator(".left-to-you")).to_have_count(0)
        expect(page.get_by_role("button", name="Refer back")).to_be_visible()
        axe_check()
        screenshot(page, f"holistic-referral-answered-{width}")


def test_a_refused_post_answers_the_sites_page(page, case, login, axe_check, screenshot):
    evidence = submitted(case.alice, case.hsc331, title="Supporting a visit", criteria=("HSC331a.1",))
    login(page, case.carol.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/evidence/{evidence.pk}/")
        # A comment forged from the IQA's page (she reads the conversation and writes nothing in it).
        page.evaluate(
            """(action) => {
                const form = document.createElement("form");
                form.method = "post"; form.action = action;
                form.append(document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode());
                const text = document.createElement("input"); text.name = "text"; text.value = "Well done.";
                form.append(text); document.body.append(form); form.submit();
            }""",
            f"/assessments/evidence/{evidence.pk}/comments/",
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do that here")
        expect(page.get_by_role("main")).to_contain_text("Only the candidate and their assessor write")
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        axe_check()
        screenshot(page, f"refused-403-{width}")
    page.get_by_role("link", name="Go to your home page").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_page_not_found_answers_the_sites_page(page, case, login, axe_check, screenshot):
    """Evidence of a candidate not on Dave's case: the site's "Page not found", in its layout, axe-clean."""
    evidence = submitted(case.alice, case.hsc331, title="Supporting a visit", criteria=("HSC331a.1",))
    login(page, case.dave.email, PASSWORD)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(f"/assessments/evidence/{evidence.pk}/")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_role("link", name="Go to your home page")).to_be_visible()
        axe_check()
        screenshot(page, f"page-not-found-{width}")
