"""How many units a report counts, and progress by element across them: of each element's criteria (or a unit's criteria
in no element), across every enrolment on its unit, how many are met. The progress report reads it
for the whole of what it is narrowed to, so it is counted from indexes alone (the standing
decisions' (enrolment, criterion) index), in four queries whatever the size of the centre."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from portfolio.held_roles import candidate_here
from portfolio.models import Enrolment
from standards.models import Criterion, Element

from .caseload import Rag, items_of_units, with_rag
from .models import Decision


@dataclass(frozen=True)
class ElementProgress:
    """Of the criteria of one element (or of a unit with no elements), across the enrolments on its
    unit: how many (criterion, candidate) pairs there are and how many are met."""

    unit_code: str
    code: str  # the element's code; "" for a unit's criteria in no element
    title: str
    met: int
    total: int


@dataclass(frozen=True)
class UnitsCounted:
    """Of some enrolments: how many of current candidates' are on each unit (by unit id) and in each
    RAG status (by `Rag` value, every value present), and how many are of deactivated candidates
    (`of_current_candidates`, `of_deactivated_candidates`); and each of their units' criteria and
    knowledge items (`caseload.items_of_units`), for `with_rag` on them."""

    per_unit: dict[int, int]
    by_status: dict[str, int]
    left_out: int
    items: dict[int, int]


def units_counted(enrolments: QuerySet[Enrolment], today: datetime.date | None = None) -> UnitsCounted:
    """Each enrolment read once for all three counts, grouped by unit, status and whether its
    candidate is current: two queries (the units' items first, so that no row counts them)."""
    items = items_of_units(enrolments.order_by().values("unit"))
    per_unit: dict[int, int] = {}
    by_status = dict.fromkeys(Rag.values, 0)
    left_out = 0
    groups = with_rag(enrolments.annotate(current=candidate_here()), today, items=items).order_by()
    for unit, current, status, n in groups.values_list("unit", "current", "rag").annotate(n=Count("pk")):
        if current:
            per_unit[unit] = per_unit.get(unit, 0) + n
            by_status[status] += n
        else:
            left_out += n
    return UnitsCounted(per_unit, by_status, left_out, items)


def element_progress(enrolments: QuerySet[Enrolment], per_unit: Mapping[int, int] | None = None) -> list[ElementProgress]:
    """Each element of the units of these enrolments, with its criteria met across them: four
    queries (three given `per_unit`: how many of the enrolments are on each unit). The standing decisions
    are counted by criterion, from the (enrolment, criterion) index of standing decisions alone; a
    decision's criterion is always of its enrolment's unit (the services refuse any other)."""
    if per_unit is None:
        per_unit = dict(enrolments.order_by().values("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    met = dict(
        Decision.objects.standing().filter(enrolment__in=enrolments, criterion__isnull=False).order_by()
        .values("criterion").annotate(n=Count("*")).values_list("criterion", "n")
    )
    total: dict[tuple[int | None, int], int] = {}
    met_of: dict[tuple[int | None, int], int] = {}
    loose: dict[int, tuple[str, str]] = {}
    for pk, element, unit, code, title in Criterion.objects.filter(unit_id__in=per_unit).order_by(
        "unit__code", "unit__version", "unit_id"
    ).values_list("pk", "element_id", "unit_id", "unit__code", "unit__title"):
        total[element, unit] = total.get((element, unit), 0) + 1
        met_of[element, unit] = met_of.get((element, unit), 0) + met.get(pk, 0)
        if element is None:
            loose[unit] = (code, title)
    found = [
        ElementProgress(e.unit.code, e.code, e.title, met_of.get((e.pk, e.unit_id), 0),
                        total.get((e.pk, e.unit_id), 0) * per_unit[e.unit_id])
        for e in Element.objects.filter(unit_id__in=per_unit).select_related("unit")
        .order_by("unit__code", "unit__version", "position")
    ]
    for unit, (code, title) in loose.items():
        found.append(ElementProgress(code, "", title, met_of.get((None, unit), 0), total[None, unit] * per_unit[unit]))
    return found
