"""Where an active unit stands (in progress, paused, signed off, countersigned...), for the
enrolment's page beside its standing: "Active" alone, of a unit finished, read as if it were still
being worked on (an outside trial). The states live in `assessments` (`selectors.unit_states`, the
centre page's enrolments table), which portfolio must not import: as with `portfolio/locks.py`,
assessments hands portfolio the answer when the apps load (`AssessmentsConfig.ready`). Without
assessments there is no state to say."""

from collections.abc import Callable
from typing import Any

from .models import Enrolment

# An enrolment -> its state's badge (`label`, `tone`, `detail`), as the centre page shows it.
StateOf = Callable[[Enrolment], Any]

_state_of: StateOf | None = None


def answer_with(state_of: StateOf) -> None:
    global _state_of
    _state_of = state_of


def unit_state(enrolment: Enrolment) -> Any:
    """The unit's state badge, or None without assessments."""
    return _state_of(enrolment) if _state_of is not None else None
