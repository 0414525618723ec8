"""Where a unit has got to: in progress, signed off and waiting for the candidate, signed off,
countersigned by the IQA, or referred back to the assessor by the IQA.

One type, from which everything that shows or filters on a unit's state comes: the IQA's sample list
works it out in SQL (`annotation`, so it can filter on it), the rows it has read work it out in
Python (`decide`), and both the IQA's page and the centre's enrolment list take their words from
here. Both ways ask the same questions in the same order (`_RULES`): the first that holds decides.
When a unit was completed, wherever a page or the PDF says so, is `completed_at`.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, CharField, Exists, Value, When


class UnitState(models.TextChoices):
    # In the order of the IQA's filter.
    IN_PROGRESS = "in-progress", "In progress"
    AWAITING = "awaiting", "Signed off, awaiting the candidate’s countersignature"
    SIGNED_OFF = "signed-off", "Signed off"
    COUNTERSIGNED = "countersigned", "Countersigned by the IQA"
    REFERRED = "referred", "Referred to the assessor"

    @property
    def badge(self) -> "Badge":
        """The words and colour of the state on the centre's enrolment list, which speaks to the
        centre's administrators rather than to the IQA."""
        return _BADGES[self]


@dataclass(frozen=True)
class Badge:
    label: str
    tone: str  # the Bootstrap badge colour
    detail: str = ""  # said under the label where no date says more
    completed_at: datetime.datetime | None = None  # see `completed_at`
    # The signed record has changed since sign-off, as far as is known without reading a file (the
    # last check found it changed, or the sign-off was voided by hand: `fixity.found_changed_since_sign_off`):
    # a list marks it, as the unit page does, rather than showing the state alone.
    changed: bool = False


_BADGES = {
    UnitState.IN_PROGRESS: Badge("In progress", "secondary"),
    UnitState.AWAITING: Badge("Signed off", "info", "waiting for the candidate's countersignature"),
    UnitState.SIGNED_OFF: Badge("Signed off", "primary"),
    UnitState.COUNTERSIGNED: Badge("IQA countersigned", "success"),
    UnitState.REFERRED: Badge("Referred back by the IQA", "warning"),
}


# A deactivated candidate's unit not signed off: in progress, but nobody works on it (the
# administrator's home counts these apart in the same words, `counted.left_out`). Every page that
# shows a unit's state takes this one badge, so they cannot say "In progress" and "paused" of it.
PAUSED = Badge("In progress, paused", "secondary", "candidate deactivated: nobody works on it")


@dataclass(frozen=True)
class Facts:
    """What decides a unit's state, for a unit already read."""

    referred: bool  # an IQA referral the assessor has not yet answered
    signed_off: bool  # a standing sign-off
    countersigned_by_iqa: bool  # an IQA countersigned the standing sign-off
    awaiting_candidate: bool  # the standing sign-off waits for the candidate's countersignature


# (state, fact, whether the fact holds): asked in this order, the first match decides; else signed off.
_RULES = (
    (UnitState.REFERRED, "referred", True),
    (UnitState.IN_PROGRESS, "signed_off", False),
    (UnitState.COUNTERSIGNED, "countersigned_by_iqa", True),
    (UnitState.AWAITING, "awaiting_candidate", True),
)
_OTHERWISE = UnitState.SIGNED_OFF


def decide(facts: Facts) -> UnitState:
    for state, fact, holds in _RULES:
        if getattr(facts, fact) == holds:
            return state
    return _OTHERWISE


def annotation(**facts: Exists) -> Case:
    """The state as an SQL expression, from an Exists for each field of `Facts`, each about the row
    being annotated."""
    if facts.keys() != Facts.__dataclass_fields__.keys():
        raise TypeError(f"The state needs exactly these facts: {', '.join(Facts.__dataclass_fields__)}.")
    return Case(
        *(When(facts[fact] if holds else ~facts[fact], then=Value(state.value)) for state, fact, holds in _RULES),
        default=Value(_OTHERWISE.value),
        output_field=CharField(),
    )


def completed_at(
    state: UnitState,
    *,
    candidate_countersigned_at: datetime.datetime | None,
    iqa_countersigned_at: datetime.datetime | None,
    iqa_to_review: bool,
) -> datetime.datetime | None:
    """When the unit was completed; None while it is not.

    A unit is complete once every signature it needs is given: the assessor's sign-off, the
    candidate's countersignature and, when the IQA has taken the signed-off unit into their sample
    or referred it back (`iqa_to_review`: a review waits, or the IQA's word on this sign-off was a
    referral), the IQA's countersignature: the centre claims a unit from the awarding body only once
    it is signed off and quality-assured. So the date is the IQA's countersignature where there is
    one, else the candidate's; a unit waiting for the candidate or for the IQA, or referred back, is
    not complete, whatever dates it carries."""
    if candidate_countersigned_at is None:
        return None
    if state == UnitState.COUNTERSIGNED and iqa_countersigned_at is not None:
        return max(candidate_countersigned_at, iqa_countersigned_at)
    if state == UnitState.SIGNED_OFF and not iqa_to_review:
        return candidate_countersigned_at
    return None
