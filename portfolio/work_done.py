"""Which of the units an assessor or IQA holds their work is done on, for handing their units over
and for leaving a role (`services_handover`, `services_people.open_units`): one rule for both.

An assessor's work on a unit ends when they sign it off (a standing sign-off: `locks`); an IQA's,
when an IQA countersigns that sign-off (the unit's state is "IQA countersigned",
`assessments.unit_state.UnitState.COUNTERSIGNED`). A unit done stays with its assessor or IQA: their
name on it is the record of who did that work, and a newcomer given it would seem to have done it.
Every other active unit (in progress, signed off and waiting for the IQA, referred back) still
needs them, and is what a handover moves and leaving asks to be moved first.

The countersignature lives in `assessments`, which portfolio must not import: as with
`portfolio/locks.py`, assessments hands portfolio the answer when the apps load
(`AssessmentsConfig.ready`). Without assessments nothing is countersigned, so nothing is done.
"""

from collections.abc import Callable, Iterable

from . import locks

# Enrolment ids -> those among them whose standing sign-off an IQA has countersigned.
CountersignedByIqa = Callable[[list[int]], set[int]]

_countersigned_by_iqa: CountersignedByIqa | None = None

# The words of a unit still needing the person ("2 units not yet signed off"), and of one done
# ("1 signed-off unit"), with what their name on a unit done records, by role ("assessor", "iqa").
STILL = {"assessor": "not yet signed off", "iqa": "not yet countersigned by an IQA"}
DONE = {"assessor": "signed-off", "iqa": "IQA-countersigned"}
RECORDS = {"assessor": "who signed {it} off", "iqa": "who quality-assured {it}"}


def answer_with(countersigned_by_iqa: CountersignedByIqa) -> None:
    global _countersigned_by_iqa
    _countersigned_by_iqa = countersigned_by_iqa


def done(enrolment_ids: Iterable[int], role: str) -> set[int]:
    """The enrolments among these whose work in `role` ("assessor" or "iqa") is done: as assessor,
    those signed off; as IQA, those an IQA has countersigned."""
    ids = list(enrolment_ids)
    if not ids:
        return set()
    if role == "assessor":
        return set(locks.locked_since(ids))
    if role == "iqa" and _countersigned_by_iqa is not None:
        return _countersigned_by_iqa(ids)
    return set()
