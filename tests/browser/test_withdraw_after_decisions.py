"""An outside trial in the browser: Grace withdraws Alice's HSC331 as of a day before Bob's last
decision on it. The page refuses, naming the day of that decision beside the date, and keeps the date
and reason she typed; the unit stays active. Checked with axe at 1280 and 390 px wide."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Decision, JudgedEnrolment
from assessments.services import decisions as decision_services
from portfolio import dates
from portfolio.models import EnrolmentStatus
from tests.assessments.unit_case import accepted_evidence, build_case

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def case(transactional_db):
    case = build_case()
    evidence = accepted_evidence(case, references=["HSC331a.1"])
    decision_services.decision_record(
        enrolment=case.hsc331,
        assessor=case.bob,
        evidence=[evidence],
        decided_on=timezone.localdate(),
        criterion=case.hsc331.unit.criteria.get(reference="HSC331a.1"),
    )
    case.decided = timezone.now() - datetime.timedelta(days=6)
    JudgedEnrolment.objects.update(judged_at=case.decided - datetime.timedelta(days=2))
    Decision.objects.update(decided_at=case.decided)
    return case


def test_a_withdrawal_dated_before_the_last_decision_is_refused_keeping_what_was_typed(
    page, case, login, axe_check, screenshot
):
    typed = (timezone.localdate() - datetime.timedelta(days=9)).isoformat()
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/portfolio/enrolments/{case.hsc331.pk}/withdraw/")
    page.get_by_label("Date of withdrawal").fill(typed)
    page.get_by_label("Reason").fill("Alice left her job in care.")
    page.get_by_role("button", name="Withdraw").click()

    expect(page.get_by_role("alert").first).to_contain_text(
        f"The withdrawal cannot be dated before {dates.day(case.decided)}, when the last decision on this unit "
        "was recorded"
    )
    expect(page.get_by_label("Date of withdrawal")).to_have_value(typed)
    expect(page.get_by_label("Reason")).to_have_value("Alice left her job in care.")
    axe_check()
    screenshot(page, "withdraw-before-last-decision")
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, "withdraw-before-last-decision-390")
    page.set_viewport_size(WIDE)
    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.ACTIVE
