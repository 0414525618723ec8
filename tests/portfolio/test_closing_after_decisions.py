"""A withdrawal or a transfer cannot be dated before the last decision recorded on the unit (an outside
trial: a withdrawal dated back before the assessor's decisions left a history saying the unit was
closed while it was being assessed). Whatever was decided last, a decision on a criterion, its
withdrawal, a judgement of evidence bearing on the unit, an unlock, an IQA's review, the refusal names
its day and nothing changes; that day itself, or later, is accepted. Decisions on the candidate's
other unit hold nothing back.

Alice is on HSC331 and H3 25 at Riverside (started 30 days ago), with Bob as assessor and Carol as IQA;
Grace administers Riverside."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import voids
from assessments.models import Decision, JudgedEnrolment, QualityReview, SignOff
from assessments.services import decisions as decision_services
from assessments.services.signoff import unit_sign_off, unit_unlock
from portfolio import dates
from portfolio.models import AuditEvent, EnrolmentChange, EnrolmentStatus, Notification
from portfolio.services_centre import Refused
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from tests.assessments.unit_case import accepted_evidence, build_case, meet

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(days: int) -> datetime.datetime:
    """Noon, `days` ago, in the centre's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(TODAY() - datetime.timedelta(days=days), datetime.time(12))
    )


@pytest.fixture
def case():
    return build_case()


def judged_long_ago(case) -> None:
    """Evidence accepted for HSC331 and its first criteria met, all of it 20 days ago."""
    evidence = accepted_evidence(case, references=["HSC331a.1", "HSC331a.2"])
    for reference in ("HSC331a.1", "HSC331a.2"):
        decision_services.decision_record(
            enrolment=case.hsc331,
            assessor=case.bob,
            evidence=[evidence],
            decided_on=TODAY(),
            criterion=case.hsc331.unit.criteria.get(reference=reference),
        )
    JudgedEnrolment.objects.update(judged_at=days_ago(20))
    Decision.objects.update(decided_at=days_ago(20))


def last_a_decision(case) -> None:
    judged_long_ago(case)
    Decision.objects.filter(criterion__reference="HSC331a.2").update(decided_at=days_ago(10))


def last_a_judgement(case) -> None:
    judged_long_ago(case)
    JudgedEnrolment.objects.update(judged_at=days_ago(10))


def last_a_withdrawn_decision(case) -> None:
    judged_long_ago(case)
    decision = Decision.objects.get(criterion__reference="HSC331a.2")
    decision_services.decision_withdraw(
        decision=decision, assessor=case.bob, reason="Cited the wrong account."
    )
    Decision.objects.filter(pk=decision.pk).update(withdrawn_at=days_ago(10))


def last_an_unlock(case) -> None:
    meet(case, case.hsc331, [accepted_evidence(case)])
    unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    unit_unlock(enrolment=case.hsc331, person=case.bob, reason="A criterion cited the wrong evidence.")
    JudgedEnrolment.objects.update(judged_at=days_ago(20))
    Decision.objects.update(decided_at=days_ago(20))
    SignOff.objects.update(assessor_signed_at=days_ago(15), voided_at=days_ago(10))
    for voided in SignOff.objects.all():  # the unlock signed again, as made on that day
        SignOff.objects.filter(pk=voided.pk).update(void_signature=voids.void_signature(voided))


def last_an_iqa_review(case) -> None:
    judged_long_ago(case)
    QualityReview.objects.create(
        enrolment=case.hsc331,
        iqa=case.carol,
        stage=QualityReview.Stage.INTERIM,
        outcome=QualityReview.Outcome.COUNTERSIGNED,
        sampled_at=days_ago(12),
        reviewed_at=days_ago(10),
    )


def nothing_changed(case, events: int, notices: int) -> None:
    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.ACTIVE
    assert not EnrolmentChange.objects.filter(enrolment=case.hsc331).exists()
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (events, notices)


def refusal(doing: str) -> str:
    return (
        f"The {doing} cannot be dated before {dates.day(days_ago(10))}, when the last decision on this unit was "
        "recorded: its history would say it was closed while it was being assessed."
    )


@pytest.mark.parametrize(
    "last", [last_a_decision, last_a_judgement, last_a_withdrawn_decision, last_an_unlock, last_an_iqa_review]
)
def test_a_withdrawal_dated_before_the_last_decision_is_refused_naming_its_day(case, last):
    last(case)
    events, notices = AuditEvent.objects.count(), Notification.objects.count()

    with pytest.raises(Refused, match=re.escape(refusal("withdrawal"))) as refused:
        enrolment_withdraw(
            enrolment=case.hsc331,
            effective_date=TODAY() - datetime.timedelta(days=11),
            reason="Alice left her job.",
            changed_by=case.grace,
        )
    assert refused.value.field == "effective_date"
    nothing_changed(case, events, notices)

    # The day of the last decision itself is not before it.
    change = enrolment_withdraw(
        enrolment=case.hsc331,
        effective_date=TODAY() - datetime.timedelta(days=10),
        reason="Alice left her job.",
        changed_by=case.grace,
    )
    assert change.effective_date == TODAY() - datetime.timedelta(days=10)


def test_a_transfer_dated_before_the_last_decision_is_refused_too(case):
    last_a_decision(case)
    events, notices = AuditEvent.objects.count(), Notification.objects.count()
    with pytest.raises(Refused, match=re.escape(refusal("transfer"))) as refused:
        enrolment_transfer(
            enrolment=case.hsc331,
            to_centre="Hillside College",
            effective_date=TODAY() - datetime.timedelta(days=15),
            reason="Moved.",
            changed_by=case.grace,
        )
    assert refused.value.field == "effective_date"
    nothing_changed(case, events, notices)
    enrolment_transfer(
        enrolment=case.hsc331,
        to_centre="Hillside College",
        effective_date=TODAY() - datetime.timedelta(days=9),
        reason="Moved.",
        changed_by=case.grace,
    )
    case.hsc331.refresh_from_db()
    assert case.hsc331.status == EnrolmentStatus.TRANSFERRED


def test_decisions_recorded_today_on_the_other_unit_hold_nothing_back(case):
    evidence = accepted_evidence(case, references=["H3 25.1"])
    decision_services.decision_record(
        enrolment=case.h3_25,
        assessor=case.bob,
        evidence=[evidence],
        decided_on=TODAY(),
        criterion=case.h3_25.unit.criteria.get(reference="H3 25.1"),
    )
    enrolment_withdraw(
        enrolment=case.hsc331,
        effective_date=TODAY() - datetime.timedelta(days=20),
        reason="Alice dropped HSC331.",
        changed_by=case.grace,
    )
    with pytest.raises(
        Refused, match=re.escape(dates.day(TODAY()) + ", when the last decision on this unit")
    ):
        enrolment_withdraw(
            enrolment=case.h3_25,
            effective_date=TODAY() - datetime.timedelta(days=1),
            reason="Alice left her job.",
            changed_by=case.grace,
        )


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.replace("&rsquo;", "’").replace("&#x27;", "'").split())


def test_the_withdraw_page_says_why_and_keeps_what_was_typed(client, case):
    last_a_decision(case)
    events, notices = AuditEvent.objects.count(), Notification.objects.count()
    typed = (TODAY() - datetime.timedelta(days=14)).isoformat()
    client.force_login(case.grace)

    response = client.post(
        reverse("portfolio:enrolment_withdraw", args=[case.hsc331.pk]),
        {"effective_date": typed, "reason": "Alice left her job in care on the 1st."},
    )

    assert response.status_code == 400
    shown = words(response)
    assert "There is a problem" in shown
    assert refusal("withdrawal") in shown
    page = response.content.decode()
    assert re.search(rf'<input type="date" name="effective_date" value="{typed}"', page)
    assert "Alice left her job in care on the 1st." in shown
    nothing_changed(case, events, notices)
