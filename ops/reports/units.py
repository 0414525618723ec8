"""The reports about candidates' units: progress by candidate with its RAG status, and the units
past their target date. Each gives its page (one page of rows, in a fixed number of queries) and its
CSV rows (read with `.iterator()`, never the whole table at once). Their dates are target dates."""

import datetime
from collections.abc import Iterator, Mapping

from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.utils import timezone

from assessments import caseload, caseload_elements, counted
from assessments.caseload import Narrowed, Rag
from assessments.sign_off_seals import record_changed
from ops.forms.reports import RagFilterForm
from portfolio.counted_pages import KnownCountPaginator
from portfolio.held_roles import candidate_here
from portfolio.models import Centre, Enrolment, EnrolmentStatus
from portfolio.paging import Pages
from portfolio.selectors import deactivated_at

from .charts import share_bar, stacked_bars

PER_PAGE = 50
ORDER = ("candidate__last_name", "candidate__first_name", "unit__code", "pk")
# The RAG statuses a chart draws, in its order, with the words of its legend.
RATED = (Rag.ON_TRACK, Rag.AT_RISK, Rag.OVERDUE)


def _narrowed_units(centre: Centre, narrowed: Narrowed, *, closed: bool = False) -> QuerySet[Enrolment]:
    """The centre's units neither withdrawn nor transferred (or, `closed`, those that are) narrowed
    as chosen, with target dates in range."""
    every = Enrolment.objects.filter(centre=centre)
    every = every.exclude(status=EnrolmentStatus.ACTIVE) if closed else every.filter(status=EnrolmentStatus.ACTIVE)
    return narrowed.enrolments(every).filter(narrowed.dates("target_date", moment=False))


def centre_units(centre: Centre, narrowed: Narrowed) -> QuerySet[Enrolment]:
    """The centre's units narrowed to the qualification, unit and assessor, with target dates in
    range, that the reports count (`counted.in_figures`): a deactivated candidate's units not
    signed off are counted apart (`left_out`); their signed-off units count."""
    return counted.in_figures(_narrowed_units(centre, narrowed))


# The CSVs list every unit the page counts and those it counts apart, each said in this column, so
# that a download is never silently shorter than the centre's records.
COUNTED_HEADER = "in the report's figures"
NOT_COUNTED = "no: candidate deactivated, unit not signed off"


def _counted_words(here: bool, rag: str) -> str:
    return "yes" if here or rag == Rag.COMPLETE else NOT_COUNTED


def _person(first: str, last: str, person_id: int, deactivated: set[int]) -> str:
    return f"{first} {last}{' (deactivated)' if person_id in deactivated else ''}"


def _with_bars(centre: Centre, rows: list[Enrolment]) -> list[Enrolment]:
    # A finished learner's unit counts after they are deactivated: marked, as on the centre page.
    deactivated = deactivated_at(centre, [id_ for row in rows for id_ in (row.assessor_id, row.candidate_id)])
    for row in rows:
        row.assessor_deactivated = row.assessor_id in deactivated  # type: ignore[attr-defined]
        row.candidate_deactivated = row.candidate_id in deactivated  # type: ignore[attr-defined]
        row.bar = share_bar(  # type: ignore[attr-defined]  # for the template
            key=f"bar-{row.pk}", label=f"{row.candidate} on {row.unit.code}: criteria and knowledge met",
            part=row.met, whole=row.items,  # type: ignore[attr-defined]
        )
        row.rag_label = Rag(row.rag).label  # type: ignore[attr-defined]
    return rows


def progress_page(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> dict:
    # The summary is of every unit the report is narrowed to, by design (the RAG counts, progress by
    # element): the units counted by unit and status in one reading of them, with the decisions
    # met on each as kept (`assessments.met_counts`), and the decisions by criterion as kept at the
    # centre (docs/performance.md).
    units = centre_units(centre, narrowed)
    status = RagFilterForm(query).chosen()
    counted = caseload_elements.units_counted(_narrowed_units(centre, narrowed))
    per_unit, not_counted, counts = counted.per_unit, counted.left_out, counted.by_status
    rows = caseload.with_rag(units, items=counted.items).select_related("candidate", "unit", "assessor").order_by(*ORDER)
    if status:
        rows = rows.filter(rag=status)
    # A complete unit whose signed record is known changed since is marked, as every list marks it.
    rows = rows.annotate(changed=ExpressionWrapper(record_changed(), output_field=BooleanField()))
    shown = counts[status] if status else sum(counts.values())
    page = KnownCountPaginator(rows, PER_PAGE, shown).get_page(query.get("page"))
    elements = caseload_elements.element_progress(
        units, per_unit, caseload_elements.criteria_met(centre.pk, narrowed, units, deactivated=not_counted)
    )
    return {
        "page": page,
        "rows": _with_bars(centre, list(page.object_list)),
        "left_out": not_counted,
        # Withdrawn and transferred units are in no report's figures: said, as the home says them.
        "closed": _narrowed_units(centre, narrowed, closed=True).order_by().count(),
        "status": status,
        "status_form": RagFilterForm(query),
        "counts": [(Rag(value).label, counts[value]) for value in Rag.values],
        "charts": [stacked_bars(
            key="chart-rag", title="Units by status",
            description="The centre’s units not signed off, by whether they are on track, at risk or overdue.",
            series=[s.label for s in RATED], rows=[("Units not signed off", [counts[s] for s in RATED])], unit=("unit", "units"),
        )],
        "elements": [
            (e, share_bar(key=f"element-{i}", label=f"{e.unit_code} {e.code or 'criteria'}: met", part=e.met, whole=e.total))
            for i, e in enumerate(elements)
        ],
    }


PROGRESS_HEADER = [
    "candidate", "candidate email", "unit", "unit title", "assessor", "start date", "target date",
    "items", "items met", "per cent met", "status", COUNTED_HEADER,
]


def progress_rows(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> Iterator[list]:
    units = _narrowed_units(centre, narrowed).annotate(here=candidate_here())
    items = caseload.items_of_units(units.order_by().values("unit"))
    rows = caseload.with_rag(units, items=items).order_by(*ORDER)
    status = RagFilterForm(query).chosen()
    if status:
        rows = rows.filter(rag=status)
    deactivated = deactivated_at(centre)
    for row in rows.values_list(
        "candidate__first_name", "candidate__last_name", "candidate_id", "candidate__email", "unit__code", "unit__title",
        "assessor__first_name", "assessor__last_name", "assessor_id", "start_date", "target_date", "items", "met", "rag",
        "here",
    ).iterator(chunk_size=1000):
        first, last, c_id, email, code, title, a_first, a_last, a_id, start, target, items, met, rag, here = row
        percent = round(100 * met / items) if items else 0
        yield [_person(first, last, c_id, deactivated), email, code, title, _person(a_first, a_last, a_id, deactivated), start, target,
               items, met, percent, Rag(rag).label, _counted_words(here, rag)]


def _overdue_units(centre: Centre, narrowed: Narrowed, today: datetime.date) -> QuerySet[Enrolment]:
    """`centre_units` past their target date. An overdue unit is not signed off, so of those the
    reports count it is a current candidate's: asked so, one EXISTS cheaper than `in_figures`'s."""
    return caseload.overdue(counted.of_current_candidates(_narrowed_units(centre, narrowed)), today)


def overdue_page(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> dict:
    today = timezone.localdate()
    rows = caseload.with_rag(_overdue_units(centre, narrowed, today)).select_related(
        "candidate", "unit", "assessor"
    )
    page = Pages(rows, PER_PAGE).get_page(query.get("page"))
    shown = _with_bars(centre, list(page.object_list))
    for row in shown:
        row.days_overdue = (today - row.target_date).days  # type: ignore[attr-defined]
    left_out = caseload.overdue(counted.left_out_of_figures(_narrowed_units(centre, narrowed)), today).count()
    return {"page": page, "rows": shown, "left_out": left_out}


OVERDUE_HEADER = [
    "candidate", "candidate email", "unit", "unit title", "assessor", "target date", "days overdue", "items",
    "items met", "per cent met", COUNTED_HEADER,
]


def overdue_rows(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> Iterator[list]:
    today = timezone.localdate()
    # Overdue units are not signed off, so a deactivated candidate's are each counted apart.
    rows = caseload.with_rag(caseload.overdue(_narrowed_units(centre, narrowed), today)).annotate(here=candidate_here())
    deactivated = deactivated_at(centre)
    for row in rows.values_list(
        "candidate__first_name", "candidate__last_name", "candidate_id", "candidate__email", "unit__code", "unit__title",
        "assessor__first_name", "assessor__last_name", "assessor_id", "target_date", "items", "met", "rag", "here",
    ).iterator(chunk_size=1000):
        first, last, c_id, email, code, title, a_first, a_last, a_id, target, items, met, rag, here = row
        percent = round(100 * met / items) if items else 0
        yield [_person(first, last, c_id, deactivated), email, code, title, _person(a_first, a_last, a_id, deactivated), target,
               (today - target).days, items, met, percent, _counted_words(here, rag)]
