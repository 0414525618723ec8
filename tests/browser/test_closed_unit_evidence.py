"""Evidence mapped only to a transferred unit, as its assessor and its candidate see it: the page
says why once, read-only, with no Judge form and no comment box (portfolio.locks.closed_refusal).

Alice is the candidate on HSC331 and H3 25, Bob her assessor, Grace the administrator. See
tests/assessments/unit_case.py."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio import dates
from portfolio.services_enrolments import enrolment_transfer
from tests.assessments.judging_people import submitted
from tests.assessments.unit_case import build_case

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    case = build_case()
    case.evidence = submitted(case.alice, case.h3_25, title="Boundaries at work", criteria=("H3 25.1",))
    case.on = timezone.localdate() - datetime.timedelta(days=3)
    enrolment_transfer(enrolment=case.h3_25, to_centre="Hillside College", effective_date=case.on, reason="Moved.",
                       changed_by=case.grace)
    return case


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_the_page_says_why_with_no_judge_form_or_comment_box(page, case, login, axe_check, screenshot, who):
    login(page, getattr(case, who).email, PASSWORD)
    page.goto(f"/assessments/evidence/{case.evidence.pk}/")

    expect(page.get_by_role("status").filter(has_text=f"H3 25 was transferred on {dates.day(case.on)}")).to_have_count(1)
    expect(page.locator("#judge")).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_text("Waiting for the assessor")).to_have_count(0)
    axe_check()
    screenshot(page, f"closed-unit-evidence-{who}")
