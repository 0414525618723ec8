"""Two browsers at once: two sign-offs of one unit, two decisions on one criterion, a sign-off and a
withdrawal. Each pair runs in two threads, with their own database connections, released together
by a barrier. Exactly one wins; the other is told why; nothing is duplicated or lost.

On PostgreSQL the enrolment's row lock (SELECT ... FOR UPDATE) makes the second wait for the first
and then find its work done; run these with `.ci/postgres .venv/bin/python -m pytest
tests/assessments/test_races.py`. On SQLite the test database is in memory with a shared cache,
where a second writer is refused at once ("database table is locked") instead of waiting as it
does on a database file; the second thread then tries again, as SQLite's busy timeout would, and
is refused by the rules.

Alice is the candidate on HSC331, Bob her assessor. See tests/assessments/unit_case.py.
"""

import threading
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from assessments.models import Decision, SignOff
from assessments.services import decisions, signoff
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, meet

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE_PATIENCE_SECONDS = 20  # as long as the settings' busy timeout for a database file


def _as_sqlite_would_wait(call):
    deadline = time.monotonic() + SQLITE_PATIENCE_SECONDS
    while True:
        try:
            return call()
        except OperationalError as error:
            locked = connection.vendor == "sqlite" and "locked" in str(error)
            if not locked or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def at_once(*calls) -> list:
    """Runs the calls in threads released together; returns each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = _as_sqlite_would_wait(call)
        except Exception as error:  # the outcome under test, whatever it is
            outcomes[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return outcomes


@pytest.fixture
def case():
    return build_case()


@pytest.fixture
def evidence(case):
    return accepted_evidence(case)


def test_two_sign_offs_at_once_leave_exactly_one(case, evidence):
    meet(case, case.hsc331, [evidence])

    def sign():
        return signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    outcomes = at_once(sign, sign)

    won = [o for o in outcomes if isinstance(o, SignOff)]
    lost = [o for o in outcomes if isinstance(o, PortfolioError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "already signed off" in str(lost[0]) or "at the same moment" in str(lost[0])
    assert SignOff.objects.filter(enrolment=case.hsc331, voided_at=None).count() == 1
    assert SignOff.objects.count() == 1
    assert AuditEvent.objects.filter(action="assessments.unit.signed_off").count() == 1


def test_two_decisions_on_one_criterion_at_once_leave_exactly_one(case, evidence):
    criterion = Criterion.objects.get(reference="HSC331a.1")

    def record():
        return decisions.decision_record(
            enrolment=case.hsc331, assessor=case.bob, criterion=criterion, evidence=[evidence],
            decided_on=timezone.localdate(), seen_decision_id=None,
        )

    outcomes = at_once(record, record)

    won = [o for o in outcomes if isinstance(o, Decision)]
    lost = [o for o in outcomes if isinstance(o, PortfolioError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "HSC331a.1" in str(lost[0])
    assert Decision.objects.filter(enrolment=case.hsc331, criterion=criterion).count() == 1
    assert AuditEvent.objects.filter(action="assessments.decision.recorded").count() == 1
    assert list(Decision.objects.get().evidence.all()) == [evidence]


def test_a_sign_off_and_a_withdrawal_at_once_never_sign_a_unit_with_a_gap(case, evidence):
    meet(case, case.hsc331, [evidence])
    decision = Decision.objects.get(criterion__reference="HSC331a.1")

    outcomes = at_once(
        lambda: signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True),
        lambda: decisions.decision_withdraw(decision=decision, assessor=case.bob, reason="Wrong account cited."),
    )

    signed, withdrawn = outcomes
    assert isinstance(signed, SignOff) != isinstance(withdrawn, Decision), outcomes
    decision.refresh_from_db()
    if isinstance(signed, SignOff):
        assert isinstance(withdrawn, PortfolioError) and "is locked" in str(withdrawn)
        assert decision.is_standing
        assert len(SignOff.objects.get().manifest["decisions"]) == 34
    else:
        assert isinstance(signed, PortfolioError) and "HSC331a.1" in str(signed)
        assert not decision.is_standing and not SignOff.objects.exists()
