"""The unit page in four tabs (overview, criteria, evidence, audit trail), as Bob, Alice's assessor,
and Alice see it at 1280 and 390 px: the arrow keys move between the tabs, an address's #fragment
opens the tab it names or the tab holding what it names, and without JavaScript every part stands
one after another under its headings. The audit trail reads in sentences.

Alice is the candidate, Bob her assessor. See tests/assessments/unit_case.py.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence
from tests.browser.conftest import VIEWPORT, sign_in

PASSWORD = "correct horse battery"
TABS = ["Overview", "Criteria", "Evidence", "Audit trail"]


@pytest.fixture
def case(transactional_db):
    case = build_case()
    evidence = accepted_evidence(case, title="Supporting a family visit")
    meet(case, case.hsc331, [evidence], skip=20)
    submitted_evidence(case, title="Notes from the lunch club", references=["HSC331c.1"])
    return case


def _tab(page, name: str):
    return page.get_by_role("tab", name=name, exact=True)


def _panel(page, name: str):
    return page.get_by_role("tabpanel", name=name, exact=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_unit_page_opens_on_its_overview_and_the_arrow_keys_move_between_tabs(
    page, case, login, axe_check, screenshot, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    login(page, case.bob.email, PASSWORD)
    page.goto(f"/assessments/units/{case.hsc331.pk}/")

    expect(page.get_by_role("tablist", name="Parts of this unit")).to_be_visible()
    expect(_tab(page, "Overview")).to_have_attribute("aria-selected", "true")
    overview = _panel(page, "Overview")
    next_steps = overview.get_by_role("region", name="What to do next")
    expect(next_steps).to_contain_text("1 piece of evidence for HSC331 waits for your judgement.")
    expect(next_steps.get_by_role("link", name="Judge E2")).to_be_visible()
    expect(overview.get_by_role("progressbar", name="Performance criteria: met")).to_have_attribute(
        "aria-valuetext", "14 of 17 met"
    )
    expect(overview.get_by_role("progressbar", name="HSC331a: met")).to_be_visible()
    expect(page.get_by_role("region", name="Performance criteria")).to_be_hidden()
    # On a phone the next step is on the first screen, not 8,000 px down, and the overview is a
    # few screens long: the standard, the evidence and the trail are a tab away.
    box = next_steps.bounding_box()
    assert box is not None and box["y"] + 60 < height
    assert page.evaluate("document.documentElement.scrollHeight") < 3 * height
    axe_check()
    screenshot(page, f"unit-tabs-overview-{width}")

    _tab(page, "Overview").focus()
    page.keyboard.press("ArrowRight")
    expect(_tab(page, "Criteria")).to_be_focused()
    expect(_tab(page, "Criteria")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("region", name="Performance criteria")).to_be_visible()
    expect(overview).to_be_hidden()
    assert page.url.endswith("#criteria")
    axe_check()
    screenshot(page, f"unit-tabs-criteria-{width}")

    page.keyboard.press("ArrowRight")
    evidence = _panel(page, "Evidence")
    expect(evidence.get_by_role("region", name=re.compile("^Evidence for this unit"))).to_be_visible()
    expect(evidence.get_by_role("link", name="E1 Supporting a family visit")).to_be_visible()
    expect(evidence.get_by_text("Submitted for assessment", exact=True)).to_be_visible()
    axe_check()
    screenshot(page, f"unit-tabs-evidence-{width}")

    page.keyboard.press("End")
    expect(_tab(page, "Audit trail")).to_be_focused()
    trail = _panel(page, "Audit trail")
    expect(trail.get_by_text(re.compile(r"^Bob Baker recorded HSC331a\.1 as met, citing E1$")).first).to_be_visible()
    expect(trail).not_to_contain_text("assessments.decision.recorded")
    axe_check()
    screenshot(page, f"unit-tabs-audit-trail-{width}")

    page.keyboard.press("Home")
    expect(_tab(page, "Overview")).to_have_attribute("aria-selected", "true")


def test_an_address_with_a_fragment_opens_its_tab(page, case, login, axe_check, screenshot):
    login(page, case.alice.email, PASSWORD)
    unit = f"/assessments/units/{case.hsc331.pk}/"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(unit)
    expect(page.get_by_role("region", name="What to do next")).to_contain_text(
        "Every item has evidence: Bob Baker judges it and records what is met."
    )
    axe_check()
    screenshot(page, "unit-tabs-candidate-overview-390")
    page.set_viewport_size(VIEWPORT)

    page.goto(unit + "#audit-trail")
    expect(_tab(page, "Audit trail")).to_have_attribute("aria-selected", "true")
    expect(_panel(page, "Audit trail").get_by_role("heading", name="Audit trail")).to_be_visible()

    # A criterion's own anchor opens the criteria and shows it.
    page.goto(unit + "#hsc331b-3")
    expect(_tab(page, "Criteria")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#hsc331b-3")).to_be_in_viewport()

    # A link inside the page to another tab's part switches to it: an element's progress bar to
    # the element's criteria.
    page.goto(unit + "#overview")
    expect(_tab(page, "Overview")).to_have_attribute("aria-selected", "true")
    page.get_by_role("region", name="Progress").get_by_role("link", name=re.compile("^HSC331c ")).click()
    expect(_tab(page, "Criteria")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("heading", name=re.compile("^HSC331c Support individuals to develop new"))).to_be_in_viewport()

    # A reload keeps the tab chosen.
    _tab(page, "Evidence").click()
    page.reload()
    expect(_tab(page, "Evidence")).to_have_attribute("aria-selected", "true")


def test_without_javascript_every_part_stands_under_its_headings(browser, live_server, case, axe_check):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, case.bob.email, PASSWORD)
        page.goto(f"/assessments/units/{case.hsc331.pk}/#criteria")

        expect(page.get_by_role("tablist")).to_have_count(0)
        for heading in ("What to do next", "Sign-off", "Progress", "Performance criteria", "Scope",
                        "Evidence for this unit", "Audit trail"):
            expect(page.get_by_role("heading", name=re.compile(f"^{heading}")).first).to_be_visible()
    finally:
        context.close()
