"""Decisions on a unit later withdrawn or transferred stay in "Decisions per assessor per month", as
an outside tester found they did not: withdrawing a unit Erin had referred evidence back on took it
out of her row, and narrowing to that unit showed no row for her. The centre is
tests/ops/test_reports.py's: Bob accepted one item of evidence on Alice's HSC331 and recorded 29 of
its items met this month; Erin assesses Dave's HSC331 and here refers one item of his back."""

import datetime

import pytest
from django.utils import timezone

from assessments.services.judging import evidence_refer_back
from portfolio.models import QualificationRegistration
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from standards.demo_qualification import demo_qualification
from tests.assessments.unit_case import submitted_evidence
from tests.ops.test_reports import _csv, _get, case  # noqa: F401  (case: the fixture of that centre)

pytestmark = pytest.mark.django_db


def _decisions(client, case, query="") -> list[tuple]:  # noqa: F811
    rows = _csv(_get(client, case.grace, "report_decisions_csv", case.centre, query))
    return [(r["assessor"], r["evidence judged"], r["evidence accepted"], r["evidence referred back"], r["items met"]) for r in rows]


def _close_both(case) -> None:  # noqa: F811
    today = timezone.localdate()
    enrolment_withdraw(enrolment=case.hsc331, effective_date=today, reason="Left the care home", changed_by=case.grace)
    enrolment_transfer(enrolment=case.dave_hsc331, to_centre="Northgate College", effective_date=today,
                       reason="Moved away", changed_by=case.grace)


def test_decisions_on_withdrawn_and_transferred_units_still_count(client, case):  # noqa: F811
    evidence = submitted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331)
    evidence_refer_back(evidence=evidence, assessor=case.erin, feedback="Say what you did yourself.")
    # Counted by hand: Bob judged 1 (accepted) and met 29 items; Erin judged 1 (referred back).
    by_hand = [("Bob Baker", "1", "1", "0", "29"), ("Erin Evans", "1", "0", "1", "0")]
    assert sorted(_decisions(client, case)) == by_hand
    _close_both(case)
    assert sorted(_decisions(client, case)) == by_hand
    page = " ".join(_get(client, case.grace, "report_decisions", case.centre).content.decode().split())
    assert "Erin Evans" in page and "Bob Baker" in page
    # Narrowed to the unit (both are on HSC331), to an assessor, and to dates, they narrow as before.
    assert sorted(_decisions(client, case, f"?unit={case.hsc331.unit_id}")) == by_hand
    assert _decisions(client, case, f"?unit={case.h3_25.unit_id}") == []
    assert _decisions(client, case, f"?assessor={case.erin.pk}") == [("Erin Evans", "1", "0", "1", "0")]
    later = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    assert _decisions(client, case, f"?date_from={later}") == []


def test_the_qualification_filter_still_narrows_to_registered_candidates_after_closing(client, case):  # noqa: F811
    evidence = submitted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331)
    evidence_refer_back(evidence=evidence, assessor=case.erin, feedback="Say what you did yourself.")
    qualification = demo_qualification()
    registration = QualificationRegistration.objects.create(
        centre=case.centre, candidate=case.alice, qualification=qualification, registered_by=case.grace,
    )
    registration.units.set([case.hsc331.unit, case.h3_25.unit])
    _close_both(case)
    # Alice is registered, Dave is not: only Bob's decisions on Alice's unit are counted.
    assert _decisions(client, case, f"?qualification={qualification.pk}") == [("Bob Baker", "1", "1", "0", "29")]


def test_the_progress_report_says_how_many_withdrawn_or_transferred_units_it_leaves_out(client, case):  # noqa: F811
    """Outside trial: the progress report said the units of deactivated candidates it left out but not
    the withdrawn one, which the administrator's home counts."""
    page = " ".join(_get(client, case.grace, "report_progress", case.centre).content.decode().split())
    assert "withdrawn or transferred" not in page
    _close_both(case)
    page = " ".join(_get(client, case.grace, "report_progress", case.centre).content.decode().split())
    assert "Not in this report: 2 withdrawn or transferred units, kept as records on the centre page." in page
    # Narrowed to a unit neither is on, nothing of theirs is said.
    page = _get(client, case.grace, "report_progress", case.centre, f"?unit={case.h3_25.unit_id}").content.decode()
    assert "withdrawn or transferred" not in page
