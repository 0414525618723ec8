"""The reports' Qualification filter narrows to the candidates registered on the qualification at
the centre, and to its units: a candidate on one of its units who is not registered on it is not
counted. Figures checked by hand on the small centre of tests/ops/test_reports.py: Alice (HSC331
overdue, H3 25) is registered on the qualification; Dave is on HSC331 too (assessed by Erin) but not
registered."""

import datetime

import pytest
from django.utils import timezone

from portfolio.models import Enrolment, QualificationRegistration
from standards.demo_qualification import demo_qualification

from .test_reports import _csv, _get, case  # noqa: F401  (case is the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(case):  # noqa: F811
    qualification = demo_qualification()
    registration = QualificationRegistration.objects.create(
        centre=case.centre, candidate=case.alice, qualification=qualification, registered_by=case.grace,
    )
    registration.units.set([case.hsc331.unit, case.h3_25.unit])
    # Dave's unit overdue too, so the overdue report would show him if he were counted.
    Enrolment.objects.filter(pk=case.dave_hsc331.pk).update(target_date=timezone.localdate() - datetime.timedelta(days=2))
    return f"?qualification={qualification.pk}"


def test_progress_and_overdue_hold_only_the_registered_candidates_units(client, case, registered):  # noqa: F811
    progress = _csv(_get(client, case.grace, "report_progress_csv", case.centre, registered))
    assert sorted((r["candidate"], r["unit"]) for r in progress) == [("Alice Adams", "H3 25"), ("Alice Adams", "HSC331")]
    overdue = _csv(_get(client, case.grace, "report_overdue_csv", case.centre, registered))
    assert [(r["candidate"], r["unit"]) for r in overdue] == [("Alice Adams", "HSC331")]
    page = _get(client, case.grace, "report_progress", case.centre, registered).content.decode()
    assert "Dave Davies" not in page and "Alice Adams" in page
    # Without the filter Dave is there: it is the filter that leaves him out.
    assert len(_csv(_get(client, case.grace, "report_overdue_csv", case.centre))) == 2


def test_caseloads_decisions_and_sampling_count_only_the_registered_candidates(client, case, registered):  # noqa: F811
    caseload = {r["assessor"]: r for r in _csv(_get(client, case.grace, "report_caseload_csv", case.centre, registered))}
    assert caseload["Bob Baker"]["units not signed off"] == "2"
    assert (caseload["Erin Evans"]["units not signed off"], caseload["Erin Evans"]["overdue"]) == ("0", "0")
    decisions = _csv(_get(client, case.grace, "report_decisions_csv", case.centre, registered))
    assert [(r["assessor"], r["items met"]) for r in decisions] == [("Bob Baker", "29")]
    sampling = {r["IQA"]: r for r in _csv(_get(client, case.grace, "report_sampling_csv", case.centre, registered))}
    carol = sampling["Carol Clark"]
    assert (carol["units quality-assured"], carol["units sampled"], carol["candidates"], carol["assessors"]) == ("2", "1", "1", "1")


def test_a_qualification_nobody_here_is_registered_on_is_not_a_choice(client, case):  # noqa: F811
    response = _get(client, case.grace, "report_progress_csv", case.centre, f"?qualification={demo_qualification().pk}")
    assert response.status_code == 400 and "Qualification:" in response.content.decode()
