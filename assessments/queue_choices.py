"""What an assessor may narrow their queue and their candidates' units to: the candidates and units
they assess. A candidate deactivated at the centre works on nothing there (`candidate_here`), so is
not offered, as the caseload and the queue leave them out; an address naming one is answered in
words, not by quietly showing a list that looks unfiltered."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from portfolio.held_roles import as_assessor, candidate_here
from portfolio.ids import as_id
from portfolio.models import Enrolment, EnrolmentStatus, Person
from standards.models import Unit


@dataclass(frozen=True)
class QueueChoices:
    candidates: list[Person]
    units: list[Unit]
    # The assessor's candidates deactivated at the centre: never offered, only named when asked for.
    deactivated: list[Person] = field(default_factory=list)


@dataclass(frozen=True)
class QueueFilter:
    """The candidate and unit the assessor chose to narrow the queue to (None: all of them)."""

    candidate_id: int | None = None
    unit_id: int | None = None
    # A deactivated candidate the address asked for: not a filter (nothing of theirs waits), said so.
    deactivated_candidate: Person | None = None
    # Any other candidate id asked for (unknown, or not the assessor's): said so, naming nobody.
    candidate_not_yours: bool = False

    @classmethod
    def from_query(cls, query: Mapping[str, str], choices: QueueChoices) -> "QueueFilter":
        """Only ids the assessor could have chosen; anything else is ignored rather than an error."""

        def chosen(name: str, allowed: set[int]) -> int | None:
            chosen_id = as_id(query.get(name, ""))
            return chosen_id if chosen_id in allowed else None

        asked = as_id(query.get("candidate", ""))
        candidate_id = chosen("candidate", {c.pk for c in choices.candidates})
        deactivated = next((c for c in choices.deactivated if c.pk == asked), None)
        return cls(
            candidate_id=candidate_id,
            unit_id=chosen("unit", {u.pk for u in choices.units}),
            deactivated_candidate=deactivated,
            candidate_not_yours=asked is not None and candidate_id is None and deactivated is None,
        )

    @property
    def is_active(self) -> bool:
        return self.candidate_id is not None or self.unit_id is not None


def queue_choices(assessor: Person) -> QueueChoices:
    """The candidates and units the assessor may narrow the queue to: those they assess, the
    candidates still candidates at the unit's centre; one query."""
    enrolments = list(
        Enrolment.objects.filter(as_assessor(assessor), status=EnrolmentStatus.ACTIVE)
        .annotate(current=candidate_here())
        .select_related("candidate", "unit")
        .order_by("candidate__last_name", "candidate__first_name", "unit__code")
    )
    candidates = {e.candidate_id: e.candidate for e in enrolments if e.current}
    # Deactivated at one centre and a candidate at another the assessor works at: offered, for the other.
    deactivated = {e.candidate_id: e.candidate for e in enrolments if not e.current and e.candidate_id not in candidates}
    units = sorted({e.unit_id: e.unit for e in enrolments}.values(), key=lambda unit: unit.code)
    return QueueChoices(candidates=list(candidates.values()), units=units, deactivated=list(deactivated.values()))


# Nothing chosen: the whole queue.
UNFILTERED = QueueFilter()
