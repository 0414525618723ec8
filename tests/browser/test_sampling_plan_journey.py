"""Issue 15 item 4 in the browser: Carol, the IQA, makes her sampling plan (Bob rated new, Erin
experienced, Alice's H3 25 to sample before claim), sees Bob's summative sample at 0 of 2 planned,
reviews Alice's HSC331 and sees 1 of 2; Grace, the administrator, finds H3 25 held on the claims
page, with the reason. Checked with axe at 1280 and 390 px wide."""

import re

import pytest
from playwright.sync_api import expect

from tests.assessments.qualification_case import complete
from tests.assessments.unit_case import build_case
from tests.browser.conftest import sign_out

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def case(transactional_db):
    case = build_case()
    case.centre.claims_need_iqa = False  # the centre's policy: the IQA's plan alone holds a claim here
    case.centre.save()
    complete(case, case.hsc331, iqa_countersigns=False)
    complete(case, case.h3_25, iqa_countersigns=False)
    return case


def _both_widths(page, axe_check, screenshot, name):
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, f"{name}-390")
    page.set_viewport_size(WIDE)


def _bobs_row(page):
    return page.get_by_role("region", name="Your sampling plan").get_by_role("row").filter(has_text="Bob Baker")


def test_carol_plans_samples_and_a_held_claim_shows_as_held(page, case, login, axe_check, screenshot):
    login(page, case.carol.email, PASSWORD)
    page.goto("/assessments/quality/")
    expect(page.get_by_role("region", name="Your sampling plan")).to_contain_text("You have no sampling plan yet")
    page.get_by_role("link", name="Make your sampling plan").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Make your sampling plan")
    page.get_by_label("Risk rating of Bob Baker").select_option("new")
    page.get_by_label("Reason for Bob Baker’s rating").fill("Qualified this year; first candidates on HSC331.")
    page.get_by_label("Risk rating of Erin Evans").select_option("experienced")
    page.get_by_label("Reason for Erin Evans’s rating").fill("Six years assessing; no referrals last year.")
    page.get_by_label("Direct observation").check()
    page.get_by_label("Reflective account").check()
    page.get_by_label("Assessment locations to cover").fill("Day centre\nClient's home")
    page.get_by_label("Alice Adams, H3 25 (assessed by Bob Baker)").check()
    _both_widths(page, axe_check, screenshot, "sampling-plan-form")
    page.get_by_role("button", name="Save the plan").click()

    expect(page.get_by_text("Your sampling plan is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Elements and records")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Alice Adams, H3 25")).to_contain_text("Not sampled yet: held from claims")
    _both_widths(page, axe_check, screenshot, "sampling-plan")

    page.goto("/assessments/quality/")
    expect(_bobs_row(page)).to_contain_text("New")
    expect(_bobs_row(page)).to_contain_text("Not started 0 of 2 planned")
    page.goto(f"/assessments/units/{case.hsc331.pk}/review/")
    page.get_by_label("Countersign").check()
    page.get_by_label("Comments").fill("Observed practice matches the decisions; sound.")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("You countersigned HSC331")).to_be_visible()
    page.goto("/assessments/quality/")
    expect(_bobs_row(page)).to_contain_text("Behind plan 1 of 2 planned")
    _both_widths(page, axe_check, screenshot, "sampling-plan-compliance")

    sign_out(page)
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/claims/")
    held = page.get_by_role("list", name="Held until the IQA samples them")
    expect(held).to_contain_text("H3 25")
    expect(held).to_contain_text("held: the IQA’s plan says sample before claim")
    expect(page.get_by_role("checkbox", name=re.compile("Unit HSC331"))).to_be_visible()  # countersigned: ready
    expect(page.get_by_role("checkbox", name=re.compile("Unit H3 25"))).to_have_count(0)
    _both_widths(page, axe_check, screenshot, "claims-held")
