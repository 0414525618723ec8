"""How many units a report counts, and progress by element across them: of each element's criteria (or a unit's criteria
in no element), across every enrolment on its unit, how many are met. The progress report reads it
for the whole of what it is narrowed to, so it reads the standing decisions as the services keep
them counted (`met_counts`): on each enrolment for the RAG status, on each criterion at the centre
for progress by element."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from portfolio.held_roles import candidate_here
from portfolio.models import Enrolment, EnrolmentStatus
from standards.models import Criterion, Element

from .caseload import Narrowed, Rag, items_of_units, with_rag
from .counted import left_out_of_figures
from .models import CriterionMet, Decision


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
    RAG status (by `Rag` value, every value present), and how many are left out: a deactivated
    candidate's units not signed off (`counted.in_figures`, `left_out_of_figures`); and each of their units' criteria and
    knowledge items (`caseload.items_of_units`), for `with_rag` on them."""

    per_unit: dict[int, int]
    by_status: dict[str, int]
    left_out: int
    items: dict[int, int]


def units_counted(enrolments: QuerySet[Enrolment], today: datetime.date | None = None) -> UnitsCounted:
    """Each enrolment read once for all three counts, grouped by unit, status and whether its
    candidate is current (a finished unit counts whoever its candidate: `counted.in_figures`): two
    queries (the units' items first, so that no row counts them)."""
    items = items_of_units(enrolments.order_by().values("unit"))
    per_unit: dict[int, int] = {}
    by_status = dict.fromkeys(Rag.values, 0)
    left_out = 0
    groups = with_rag(enrolments.annotate(current=candidate_here()), today, items=items, kept=True).order_by()
    for unit, current, status, n in groups.values_list("unit", "current", "rag").annotate(n=Count("pk")):
        if current or status == Rag.COMPLETE:
            per_unit[unit] = per_unit.get(unit, 0) + n
            by_status[status] += n
        else:
            left_out += n
    return UnitsCounted(per_unit, by_status, left_out, items)


def _met_by_criterion(enrolments: QuerySet[Enrolment]) -> dict[int, int]:
    """The standing decisions on these enrolments by criterion, counted from the (enrolment,
    criterion) index of standing decisions alone."""
    return dict(
        Decision.objects.standing().filter(enrolment__in=enrolments, criterion__isnull=False).order_by()
        .values("criterion").annotate(n=Count("*")).values_list("criterion", "n")
    )


def criteria_met(
    centre_id: int, narrowed: Narrowed, enrolments: QuerySet[Enrolment], *, deactivated: int | None = None
) -> dict[int, int]:
    """The standing decisions by criterion on `enrolments`: the centre's active units in the reports'
    figures (`counted.in_figures`), narrowed by `narrowed` (`ops.reports.units.centre_units`). Narrowed to no more than a
    unit, from the counts kept at the centre (`CriterionMet`), less those on the units the report
    leaves out (withdrawn or transferred, or a deactivated candidate's not signed off: few, counted); narrowed
    further (a qualification, an assessor, dates), counted. `deactivated`: how many of the narrowed
    active units are left out so, if already counted (`UnitsCounted.left_out`); with
    none, they are not looked for."""
    if (narrowed.qualification_id, narrowed.assessor_id, narrowed.date_from, narrowed.date_to) != (None,) * 4:
        return _met_by_criterion(enrolments)
    kept = CriterionMet.objects.filter(centre_id=centre_id, met__gt=0)
    at_centre = Enrolment.objects.filter(centre_id=centre_id)
    if narrowed.unit_id is not None:
        kept, at_centre = kept.filter(criterion__unit_id=narrowed.unit_id), at_centre.filter(unit_id=narrowed.unit_id)
    # Each status named, so that the (centre, status, target date) index finds the few closed units.
    closed = [status for status in EnrolmentStatus.values if status != EnrolmentStatus.ACTIVE]
    left_out = list(at_centre.filter(status__in=closed).order_by().values_list("pk", flat=True))
    if deactivated != 0:
        left_out += left_out_of_figures(at_centre.filter(status=EnrolmentStatus.ACTIVE)).order_by().values_list(
            "pk", flat=True
        )
    met = dict(kept.values_list("criterion", "met"))
    if left_out:
        for criterion, n in _met_by_criterion(Enrolment.objects.filter(pk__in=left_out)).items():
            met[criterion] -= n
    return met


def element_progress(
    enrolments: QuerySet[Enrolment], per_unit: Mapping[int, int] | None = None, met: Mapping[int, int] | None = None
) -> list[ElementProgress]:
    """Each element of the units of these enrolments, with its criteria met across them: four
    queries (three given `per_unit`: how many of the enrolments are on each unit; fewer again given
    `met`, their standing decisions by criterion: `criteria_met`). A decision's criterion is always
    of its enrolment's unit (the services refuse any other)."""
    if per_unit is None:
        per_unit = dict(enrolments.order_by().values("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    if met is None:
        met = _met_by_criterion(enrolments)
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
