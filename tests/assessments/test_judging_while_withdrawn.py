"""A judgement and a withdrawal (or transfer) of the unit at the same moment (an outside trial: the
judgement could land just after the withdrawal, since judging locked the evidence's row and not the
unit's). Judging now locks the rows of the units the evidence bears on, in id order, before the
evidence's, and refuses if one closed since it was read; the withdrawal locks the same row, then
asks for the last decision on the unit. Either comes first, never both at once.

The first tests stand the withdrawal between judging's checks and its locks, in one thread, on
either database. The threaded ones (PostgreSQL, where a second connection waits for a row lock)
hold one side's lock until the other is seen waiting for it (pg_stat_activity), then let it go.

Alice is on HSC331 and H3 25 at Riverside (started 30 days ago), with Bob as assessor; Grace
administers Riverside. See tests/assessments/unit_case.py."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from assessments.models import Decision, JudgedEnrolment, Judgement
from assessments.services import judging
from portfolio import services_enrolments
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, Enrolment, EnrolmentStatus, EvidenceState, Notification
from portfolio.notification_kinds import NotificationKind
from portfolio.services_centre import Refused
from tests.assessments.unit_case import build_case, submitted_evidence

ACCEPTED = dict.fromkeys(judging.VACS, True)
WITHDRAWN_JUST_NOW = "just now, while you were judging"


def _withdraw(case, enrolment, on=None):
    return services_enrolments.enrolment_withdraw(
        enrolment=enrolment,
        effective_date=on or timezone.localdate(),
        reason="Left the course.",
        changed_by=case.grace,
    )


def _withdrawn_after_the_checks(monkeypatch, case, enrolment):
    """Judging's checks pass; then, before it locks anything, the administrator withdraws the unit."""
    checks = judging._require_assessor

    def then_withdrawn(evidence, assessor):
        checks(evidence, assessor)
        _withdraw(case, enrolment)

    monkeypatch.setattr(judging, "_require_assessor", then_withdrawn)


def _nothing_judged(evidence):
    evidence.refresh_from_db()
    assert evidence.state == EvidenceState.SUBMITTED
    assert not Judgement.objects.filter(evidence=evidence).exists()
    assert not JudgedEnrolment.objects.exists() and not Decision.objects.exists()
    assert not Notification.objects.filter(kind=NotificationKind.EVIDENCE_ACCEPTED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["accept", "accept and decide", "refer back"])
def test_a_judgement_of_a_unit_withdrawn_before_the_lock_is_refused_and_nothing_is_saved(monkeypatch, how):
    case = build_case()
    evidence = submitted_evidence(case, references=["HSC331a.1"])
    _withdrawn_after_the_checks(monkeypatch, case, case.hsc331)
    with pytest.raises(PortfolioError) as refusal:
        if how == "refer back":
            judging.evidence_refer_back(evidence=evidence, assessor=case.bob, feedback="Name the visit.")
        else:
            proves = (
                list(case.hsc331.unit.criteria.filter(reference="HSC331a.1"))
                if how == "accept and decide"
                else []
            )
            judging.evidence_accept(evidence=evidence, assessor=case.bob, proves=proves, **ACCEPTED)
    assert str(refusal.value) == (
        f"Alice Adams’s HSC331 was withdrawn just now, while you were judging {evidence.reference}: nothing was "
        f"saved. Look at {evidence.reference} again."
    )
    _nothing_judged(evidence)


@pytest.mark.django_db
def test_a_judgement_of_a_unit_transferred_before_the_lock_is_refused_too(monkeypatch):
    case = build_case()
    evidence = submitted_evidence(case, references=["HSC331a.1"])
    checks = judging._require_assessor

    def then_transferred(evidence, assessor):
        checks(evidence, assessor)
        services_enrolments.enrolment_transfer(
            enrolment=case.hsc331,
            to_centre="Hillside College",
            effective_date=timezone.localdate(),
            reason="Moved house.",
            changed_by=case.grace,
        )

    monkeypatch.setattr(judging, "_require_assessor", then_transferred)
    with pytest.raises(PortfolioError, match="Alice Adams’s HSC331 was transferred just now"):
        judging.evidence_accept(evidence=evidence, assessor=case.bob, **ACCEPTED)
    _nothing_judged(evidence)


@pytest.mark.django_db
def test_the_other_assessors_unit_withdrawn_before_the_lock_refuses_it_too(monkeypatch):
    """Holistic evidence bears on both units; the one Bob does not judge for closes as he judges."""
    case = build_case()
    evidence = submitted_evidence(case, references=["HSC331a.1", "H3 25.6"])
    _withdrawn_after_the_checks(monkeypatch, case, case.h3_25)
    with pytest.raises(PortfolioError, match="Alice Adams’s H3 25 was withdrawn just now"):
        judging.evidence_accept(evidence=evidence, assessor=case.bob, **ACCEPTED)
    _nothing_judged(evidence)


@pytest.mark.django_db
def test_the_assessors_own_record_on_a_unit_withdrawn_before_the_lock_is_refused(monkeypatch):
    case = build_case()
    checks = judging._require_assessor_may_record

    def then_withdrawn(enrolment, *args):
        checks(enrolment, *args)
        _withdraw(case, enrolment)

    monkeypatch.setattr(judging, "_require_assessor_may_record", then_withdrawn)
    with pytest.raises(PortfolioError, match="HSC331 is withdrawn, so it takes no new evidence"):
        judging.assessor_evidence_record(
            enrolment=case.hsc331,
            assessor=case.bob,
            method=AssessmentMethod.DIRECT_OBSERVATION,
            title="Observed a visit",
            activity_date=timezone.localdate(),
            account="Alice planned the visit with Person A.",
            criteria=case.hsc331.unit.criteria.filter(reference="HSC331a.1"),
        )
    assert not Judgement.objects.exists() and not Decision.objects.exists()


@pytest.mark.django_db
def test_a_unit_closed_before_judging_began_is_refused_as_before():
    """Not a race: the unit was withdrawn before the assessor posted; the refusal says so as it did."""
    case = build_case()
    evidence = submitted_evidence(case, references=["HSC331a.1"])
    _withdraw(case, case.hsc331)
    with pytest.raises(PortfolioError) as refusal:
        judging.evidence_accept(evidence=evidence, assessor=case.bob, **ACCEPTED)
    assert WITHDRAWN_JUST_NOW not in str(refusal.value) and "withdrawn" in str(refusal.value)
    _nothing_judged(evidence)


# Two connections at once (PostgreSQL).

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second connection waits for a row lock on PostgreSQL only"
)
SECONDS = 15


def _someone_waits_for_a_lock() -> bool:
    """True once another connection to this database waits for a row lock (polled up to SECONDS)."""
    deadline = time.monotonic() + SECONDS
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def _in_thread(call, outcome: dict, name: str) -> threading.Thread:
    def run():
        try:
            outcome[name] = call()
        except Exception as error:  # the outcome under test, whatever it is
            outcome[name] = error
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _held_inside(monkeypatch, module, name: str, holding: threading.Event, release: threading.Event) -> None:
    """`module.name` runs only once `release` is set, signalling `holding` first: its caller's locks
    are held meanwhile."""
    original = getattr(module, name)

    def held(*args, **kwargs):
        holding.set()
        assert release.wait(SECONDS), "never released"
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_judging_while_the_withdrawal_holds_the_unit_waits_and_then_is_refused(monkeypatch):
    case = build_case()
    evidence = submitted_evidence(case, references=["HSC331a.1"])
    holding, release, outcome = threading.Event(), threading.Event(), {}
    # The withdrawal has locked the unit and checked it may close it; it is about to write.
    _held_inside(monkeypatch, services_enrolments, "_close", holding, release)
    withdrawing = _in_thread(lambda: _withdraw(case, case.hsc331), outcome, "withdrawal")
    assert holding.wait(SECONDS)
    judging_thread = _in_thread(
        lambda: judging.evidence_accept(evidence=evidence, assessor=case.bob, **ACCEPTED),
        outcome,
        "judgement",
    )
    waited = _someone_waits_for_a_lock()
    release.set()
    for thread in (withdrawing, judging_thread):
        thread.join(SECONDS * 2)
    assert waited, f"judging did not wait for the withdrawal's lock: {outcome}"
    assert not isinstance(outcome["withdrawal"], Exception), outcome
    assert isinstance(outcome["judgement"], PortfolioError) and WITHDRAWN_JUST_NOW in str(
        outcome["judgement"]
    )
    _nothing_judged(evidence)
    assert Enrolment.objects.get(pk=case.hsc331.pk).status == EnrolmentStatus.WITHDRAWN


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_while_judging_holds_the_unit_waits_and_then_finds_the_judgement(monkeypatch):
    """Dated yesterday, the withdrawal would have been accepted before the judgement; it waits for
    the judgement's lock, then finds it recorded today and is refused, as if it came after."""
    case = build_case()
    evidence = submitted_evidence(case, references=["HSC331a.1"])
    holding, release, outcome = threading.Event(), threading.Event(), {}
    # Judging has locked the units and the evidence and checked everything; it is about to write.
    _held_inside(monkeypatch, judging, "_judge", holding, release)
    judging_thread = _in_thread(
        lambda: judging.evidence_accept(evidence=evidence, assessor=case.bob, **ACCEPTED),
        outcome,
        "judgement",
    )
    assert holding.wait(SECONDS)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    withdrawing = _in_thread(lambda: _withdraw(case, case.hsc331, on=yesterday), outcome, "withdrawal")
    waited = _someone_waits_for_a_lock()
    release.set()
    for thread in (judging_thread, withdrawing):
        thread.join(SECONDS * 2)
    assert waited, f"the withdrawal did not wait for judging's lock: {outcome}"
    assert isinstance(outcome["judgement"], Judgement), outcome
    assert isinstance(
        outcome["withdrawal"], Refused
    ) and "when the last decision on this unit was recorded" in str(outcome["withdrawal"])
    assert Enrolment.objects.get(pk=case.hsc331.pk).status == EnrolmentStatus.ACTIVE
