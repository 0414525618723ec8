"""When the last decision on a unit was recorded (an assessor's decision on a criterion or knowledge
item, its withdrawal or a citation added to it, a judgement of evidence bearing on the unit, a sign-off,
countersignature or unlock, an IQA's review), for withdrawing and transferring the unit
(`services_enrolments`): neither may be dated before it, or the unit's history says it was closed
while it was being assessed (an outside trial).

The decisions live in `assessments`, which portfolio must not import: as with `portfolio/locks.py`,
assessments hands portfolio the answer when the apps load (`AssessmentsConfig.ready`). Without
assessments nothing is decided, so there is no such date.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone

from .models import Enrolment

# An enrolment -> the moment the last decision on it was recorded, or None if none was.
LastDecisionAt = Callable[[Enrolment], datetime.datetime | None]

_last_decision_at: LastDecisionAt | None = None


def answer_with(last_decision_at: LastDecisionAt) -> None:
    global _last_decision_at
    _last_decision_at = last_decision_at


def last_decision_on(enrolment: Enrolment) -> datetime.date | None:
    """The day (in the centre's time zone) the last decision on the unit was recorded; None if none
    was."""
    if _last_decision_at is None:
        return None
    moment = _last_decision_at(enrolment)
    return timezone.localtime(moment).date() if moment is not None else None
