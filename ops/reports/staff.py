"""The reports about the centre's staff: each assessor's caseload and the evidence waiting for them,
their decisions month by month, and each IQA's sampling coverage. A page reads its figures for the
people it shows only (`assessments.caseload_staff`), in a fixed number of queries; the CSV reads the
people a batch at a time, so it never holds the whole centre."""

import dataclasses
import datetime
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from assessments import assessors, caseload, caseload_staff, counted
from assessments.caseload import Narrowed
from assessments.sampling_plan_models import SamplingPlan
from portfolio import role_holders
from portfolio.models import Centre, Enrolment, EnrolmentStatus, Person
from portfolio.paging import Pages

from . import iqas
from .charts import stacked_bars

PER_PAGE = 25
BATCH = 200  # people read at a time for a CSV


def _iqas(centre: Centre, narrowed: Narrowed) -> QuerySet[Person]:
    """Today's IQAs, then those who have left having sampled here (`iqas`), or the one chosen."""
    people = iqas.with_records(centre)
    return people.filter(pk=narrowed.iqa_id) if narrowed.iqa_id is not None else people


def _assessors(people: QuerySet[Person], narrowed: Narrowed) -> QuerySet[Person]:
    return people.filter(pk=narrowed.assessor_id) if narrowed.assessor_id is not None else people


def _units(centre: Centre, narrowed: Narrowed) -> QuerySet[Enrolment]:
    return narrowed.enrolments(Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE))


def _batches(people: QuerySet[Person]) -> Iterator[list[Person]]:
    found = people.iterator(chunk_size=BATCH)
    while batch := list(islice(found, BATCH)):
        yield batch


def _caseload_figures(
    centre: Centre, narrowed: Narrowed, people: Iterable[Person], apart: Mapping[int, int]
) -> list[tuple]:
    """Each person's caseload of the units the reports count (`counted.in_figures`: a deactivated
    candidate's signed-off units among them), with a deactivated candidate's units not signed off
    counted apart (`apart`: `caseload_staff.of_deactivated_by_assessor`), and the evidence waiting:
    current candidates' only, as a deactivated candidate's evidence waits for no one."""
    people = list(people)
    ids = [p.pk for p in people]
    units = _units(centre, narrowed)
    loads = caseload_staff.caseloads(counted.in_figures(units), ids)
    waits = caseload.waiting_by_assessor(
        counted.of_current_candidates(units).filter(assessor_id__in=ids), submitted=narrowed.dates("submitted_at")
    )
    return [
        (p, dataclasses.replace(loads.get(p.pk, caseload_staff.Caseload()), of_deactivated=apart.get(p.pk, 0)),
         waits.get(p.pk, caseload.Waiting()))
        for p in people
    ]


def caseload_page(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> dict:
    page = Pages(_assessors(assessors.holding_units(centre), narrowed), PER_PAGE).get_page(query.get("page"))
    # A deactivated candidate's units not signed off, in no figure of the caseloads: said apart, in
    # all and in each assessor's row, as the other reports say theirs.
    apart = caseload_staff.of_deactivated_by_assessor(_units(centre, narrowed))
    rows = _caseload_figures(centre, narrowed, page.object_list, apart)
    today = timezone.localdate()
    return {
        "page": page,
        "rows": [(assessors.name(p), load, wait, wait.longest_words(today)) for p, load, wait in rows],
        "left_out": sum(apart.values()),
        "charts": [
            stacked_bars(
                key="chart-caseload", title="Each assessor’s units not signed off",
                description="Each assessor’s units not yet signed off, by status.",
                series=["On track", "At risk", "Overdue"],
                rows=[(assessors.name(p), [load.on_track, load.at_risk, load.overdue]) for p, load, _ in rows], unit=("unit", "units"),
            ),
            stacked_bars(
                key="chart-waiting", title="Evidence waiting for each assessor, by working days waited",
                description="Evidence submitted and not yet judged, by how many working days it has waited.",
                series=["Up to 5 working days", "6 to 10 working days", "More than 10 working days"],
                rows=[(assessors.name(p), [w.up_to_5, w.from_6_to_10, w.over_10]) for p, _, w in rows], unit=("item", "items"),
            ),
        ],
    }


CASELOAD_HEADER = [
    "assessor", "email", "units not signed off", "candidates with units not signed off", "on track", "at risk", "overdue", "signed off",
    "units not signed off of deactivated candidates (not counted)", "evidence waiting", "waiting up to 5 working days", "waiting 6 to 10 working days",
    "waiting more than 10 working days", "longest wait (working days)",
]


def caseload_rows(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> Iterator[list]:
    today = timezone.localdate()
    apart = caseload_staff.of_deactivated_by_assessor(_units(centre, narrowed))
    for batch in _batches(_assessors(assessors.holding_units(centre), narrowed)):
        for p, load, wait in _caseload_figures(centre, narrowed, batch, apart):
            yield [
                assessors.name(p), p.email, load.units, load.candidates, load.on_track, load.at_risk, load.overdue,
                load.signed_off, load.of_deactivated, wait.count, wait.up_to_5, wait.from_6_to_10, wait.over_10, wait.longest(today),
            ]


def _decided_units(centre: Centre, narrowed: Narrowed) -> QuerySet[Enrolment]:
    """The units whose decisions count: the assessor chosen narrows who decided, not who holds the
    unit now, so a decision stays the decider's after a handover (or their leaving). Withdrawn and
    transferred units count too: a decision is the centre's record, in the month it was made, and
    closing the unit later does not unmake it."""
    return dataclasses.replace(narrowed, assessor_id=None).enrolments(Enrolment.objects.filter(centre=centre))


def decisions_page(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> dict:
    page = Pages(_assessors(assessors.with_records(centre), narrowed), PER_PAGE).get_page(query.get("page"))
    people = list(page.object_list)
    months = caseload_staff.decisions_by_month(_decided_units(centre, narrowed), [p.pk for p in people], narrowed)
    return {"page": page, "rows": [(p, assessors.name(p), months.get(p.pk, [])) for p in people]}


DECISIONS_HEADER = [
    "assessor", "email", "month", "evidence judged", "evidence accepted", "evidence referred back", "items met", "units signed off",
]


def decisions_rows(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> Iterator[list]:
    units = _decided_units(centre, narrowed)
    for batch in _batches(_assessors(assessors.with_records(centre), narrowed)):
        months = caseload_staff.decisions_by_month(units, [p.pk for p in batch], narrowed)
        for p in batch:
            for month in months.get(p.pk, []):
                yield [assessors.name(p), p.email, f"{month.month:%Y-%m}", month.evidence_judged, month.accepted, month.referred,
                       month.items_met, month.signed_off]


def _current_plans(centre: Centre, ids: list[int], today: datetime.date) -> set[int]:
    return set(SamplingPlan.objects.filter(
        centre=centre, iqa_id__in=ids, period_start__lte=today, period_end__gte=today
    ).values_list("iqa_id", flat=True))


def _sampled_units(centre: Centre, narrowed: Narrowed) -> QuerySet[Enrolment]:
    """The units the coverage counts, as the other reports count them (`counted.in_figures`): a
    finished unit counts, with its sampling, whoever has been deactivated since; a deactivated
    candidate's unit not signed off is left out and said to be (`_left_out`)."""
    return counted.in_figures(_units(centre, narrowed))


def _left_out(centre: Centre, narrowed: Narrowed) -> QuerySet[Enrolment]:
    """Counted as the coverage counts units: those whose IQA did not also assess them."""
    return counted.left_out_of_figures(_units(centre, narrowed)).exclude(assessor=F("iqa"))


def _left_out_by_iqa(centre: Centre, narrowed: Narrowed, ids: list[int]) -> dict[int, int]:
    return dict(
        _left_out(centre, narrowed).filter(iqa_id__in=ids).order_by().values_list("iqa_id").annotate(n=Count("pk"))
        .values_list("iqa_id", "n")
    )


def _coverage(units: QuerySet[Enrolment], people: list[Person], narrowed: Narrowed) -> dict[int, caseload_staff.SamplingCoverage]:
    """Every IQA, today's or one who has left, counted on the units naming them now and on those
    handed over from them since, with their own reviews of those, so their sampling stays in their
    row (`caseload_staff.coverage_of_iqas`): the page and its CSV read it alike."""
    return caseload_staff.coverage_of_iqas(units, [p.pk for p in people], narrowed)


def sampling_page(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> dict:
    # The assessor chosen narrows the units, not the IQAs listed; the IQA chosen, the IQAs. A centre
    # has few IQAs (40 at 10,000 candidates): read at once, where a page of the query would be
    # counted and then read, each a search of the staff for leavers.
    page = Pages(list(_iqas(centre, narrowed)), PER_PAGE).get_page(query.get("page"))
    people = list(page.object_list)
    ids = [p.pk for p in people]
    found = _coverage(_sampled_units(centre, narrowed), people, narrowed)
    plans = _current_plans(centre, ids, timezone.localdate())
    left_out = _left_out(centre, narrowed).count()
    return {
        "page": page,
        "rows": [
            (p, iqas.name(p), found.get(p.pk, caseload_staff.SamplingCoverage()), p.pk in plans, role_holders.has_left(p))
            for p in people
        ],
        "left_out": left_out,
    }


SAMPLING_HEADER = [
    "IQA", "email", "units quality-assured", "units sampled", "per cent sampled", "signed off", "signed off and reviewed",
    "assessors", "assessors sampled", "candidates", "candidates sampled", "current sampling plan",
    "units not signed off of deactivated candidates (not counted)",
]


def sampling_rows(centre: Centre, narrowed: Narrowed, query: Mapping[str, str]) -> Iterator[list]:
    units = _sampled_units(centre, narrowed)
    today = timezone.localdate()
    for batch in _batches(_iqas(centre, narrowed)):
        found = _coverage(units, batch, narrowed)
        plans = _current_plans(centre, [p.pk for p in batch], today)
        apart = _left_out_by_iqa(centre, narrowed, [p.pk for p in batch])
        for p in batch:
            c = found.get(p.pk, caseload_staff.SamplingCoverage())
            yield [iqas.name(p), p.email, c.units, c.sampled, c.percent, c.signed_off, c.final_reviewed, c.assessors,
                   c.assessors_sampled, c.candidates, c.candidates_sampled, "yes" if p.pk in plans else "no",
                   apart.get(p.pk, 0)]
