"""The centre administrator registers a candidate on a qualification (the rules of combination
refusing first, naming what is missing), records her ULN, and everyone sees the qualification's
progress; the claims page lists what is ready. Checked with axe-core at 1280 and 390 pixels wide."""

import re

import pytest
from playwright.sync_api import expect

from portfolio.models import Role
from standards.demo_qualification import demo_qualification
from tests.assessments.qualification_case import complete, register_alice
from tests.assessments.unit_case import build_case
from tests.factories import member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def case(transactional_db):
    case = build_case()
    demo_qualification()
    nia = member(case.centre, Role.CANDIDATE, first_name="Nia", last_name="Nash", email="nia@example.org")
    return case, nia


def _check_at_both_widths(page, axe_check, screenshot, name: str) -> None:
    page.set_viewport_size(VIEWPORT)
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    axe_check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a phone"
    screenshot(page, f"{name}-390")
    page.set_viewport_size(VIEWPORT)


def test_the_administrator_registers_a_candidate_on_a_qualification_and_sees_its_progress(
    page, case, login, axe_check, screenshot
):
    case, _ = case
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/")
    page.get_by_role("link", name="Register a candidate on DEMO 07").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a candidate on a qualification")
    _check_at_both_widths(page, axe_check, screenshot, "qualification-register")

    page.get_by_label("Candidate").select_option(label="Nia Nash (nia@example.org)")
    page.get_by_label("Assessor").select_option(label="Bob Baker (bob@example.org)")
    page.get_by_label("Internal quality assurer (IQA)").select_option(label="Carol Clark (carol@example.org)")
    page.get_by_label("Target date").fill("2027-12-01")
    page.get_by_role("button", name="Register on DEMO 07").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose at least 1 optional unit from Group B (optional) (0 chosen).")
    expect(summary).to_contain_text("The units chosen give 9 credits; the qualification needs 14.")
    _check_at_both_widths(page, axe_check, screenshot, "qualification-register-refused")

    page.get_by_label(re.compile("H3 25 Work within appropriate boundaries")).check()
    page.get_by_role("button", name="Register on DEMO 07").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DEMO 07")
    expect(page.get_by_text("Nia Nash is registered on DEMO 07")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("0 of 2 units achieved; 0 of 14 credits achieved")
    expect(page.get_by_role("main")).to_contain_text("HSC331 to be completed")
    _check_at_both_widths(page, axe_check, screenshot, "qualification-progress")

    page.get_by_role("link", name="Change the identifiers").click()
    page.get_by_label("Unique Learner Number (ULN)").fill("9276308687")
    page.get_by_role("button", name="Save the identifiers").click()
    expect(page.get_by_role("alert")).to_contain_text("9276308687 is not a valid Unique Learner Number")
    _check_at_both_widths(page, axe_check, screenshot, "candidate-identifiers-refused")
    page.get_by_label("Unique Learner Number (ULN)").fill("9276308686")
    page.get_by_role("button", name="Save the identifiers").click()
    expect(page.get_by_text("Nia Nash’s identifiers are saved.")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("registered on qualifications"))).to_contain_text("Nia Nash")


def test_the_candidate_sees_her_qualification_and_the_administrator_claims_a_unit(
    page, case, login, axe_check, screenshot
):
    case, _ = case
    register_alice(case)
    complete(case, case.h3_25)
    login(page, "alice@example.org", PASSWORD)
    qualifications = page.get_by_role("article", name=re.compile("DEMO 07"))
    expect(qualifications).to_contain_text("1 of 2 units achieved · 5 of 14 credits achieved")
    expect(qualifications).to_contain_text("HSC331 to be completed")
    _check_at_both_widths(page, axe_check, screenshot, "candidate-home-qualification")

    page.context.clear_cookies()
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/claims/")
    page.get_by_label(re.compile("Alice Adams: Unit H3 25")).check()
    page.get_by_label("Claim reference").fill("SQA-2026-0042")
    page.get_by_role("button", name="Mark as claimed").click()
    expect(page.get_by_text("1 marked as claimed under SQA-2026-0042.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("SQA-2026-0042")
    _check_at_both_widths(page, axe_check, screenshot, "claims")
