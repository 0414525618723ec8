"""The centre's figures at a glance: whether each candidate's unit is on track, which units are past
their target date, the evidence waiting for each assessor and for how long. The reports pages
(`ops.reports`), the administrator's "what needs doing" and the assessor's and IQA's homes all read
them here, so a unit is "at risk" by one rule wherever it is said. Decisions per assessor per month
and each IQA's sampling coverage are in `caseload_staff`.

The RAG status of a unit (`Rag`, `RAG_RULES` in words for the pages) is decided once, in integer
arithmetic, so the database (`with_rag`, to count, filter and sort by it) and Python (`rag`, for rows
already read) give the same answer: `tests/assessments/test_caseload.py` checks both at the
boundaries. "Met" is the share of the unit's criteria and knowledge items with a standing decision
(`progress.met_counts` counts the same decisions).

Working days are Monday to Friday; bank holidays are not known here and count as working days.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from portfolio.models import Enrolment, Evidence, EvidenceState, EvidenceUnit, QualificationRegistration
from standards.models import Criterion, KnowledgeItem, Unit

from .models import Decision, SignOff

# The rule's numbers: a unit is at risk when the share of its time gone is more than LAG_POINTS
# percentage points ahead of the share of its items met, or when its target is CLOSING_DAYS away or
# less with under CLOSING_MET_PERCENT of its items met.
LAG_POINTS = 20
CLOSING_DAYS = 30
CLOSING_MET_PERCENT = 75
# Evidence that has waited longer than this for its assessor is late (the administrator's home says so).
LATE_WORKING_DAYS = 10


class Rag(models.TextChoices):
    """Where a unit stands against its target date. Complete units (signed off) are not rated."""

    OVERDUE = "overdue", "Overdue"
    AT_RISK = "at-risk", "At risk"
    ON_TRACK = "on-track", "On track"
    COMPLETE = "complete", "Signed off"


RAG_RULES = (
    "Signed off: the assessor has signed the unit off; it is not rated.",
    "Overdue: the target date has passed and the unit is not signed off.",
    f"At risk: the share of the time from start to target date that has gone is more than {LAG_POINTS} "
    f"percentage points ahead of the share of the unit’s criteria and knowledge items met; or the target "
    f"date is {CLOSING_DAYS} days away or less and under {CLOSING_MET_PERCENT}% of them are met.",
    "On track: everything else.",
)


def rag(
    *, start: datetime.date, target: datetime.date, today: datetime.date, met: int, items: int, signed_off: bool
) -> Rag:
    """The unit's RAG status, for a row already read: `met` of its `items` have a standing decision."""
    if signed_off:
        return Rag.COMPLETE
    if today > target:
        return Rag.OVERDUE
    gone, span, left = (today - start).days, (target - start).days, (target - today).days
    # gone/span - met/items > LAG/100, multiplied out so that no division rounds (as `with_rag` does).
    if gone * 100 * items > (met * 100 + LAG_POINTS * items) * span:
        return Rag.AT_RISK
    if left <= CLOSING_DAYS and met * 100 < CLOSING_MET_PERCENT * items:
        return Rag.AT_RISK
    return Rag.ON_TRACK


class DaysBetween(models.Func):
    """Whole days from the first date to the second (negative when the second is earlier)."""

    output_field = IntegerField()
    arity = 2

    # PostgreSQL: a date minus a date is a whole number of days.
    template = "(CAST(%(expressions)s AS date))"
    arg_joiner = " AS date) - CAST("

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(", **extra_context,
        )

    def __init__(self, start: object, end: object) -> None:
        # Written end first: the SQL takes the earlier date from the later one.
        super().__init__(end, start)


def _items_of_unit() -> models.Expression:
    def counted(model: type[Criterion] | type[KnowledgeItem]) -> Coalesce:
        found = model.objects.filter(unit=OuterRef("unit")).order_by().values("unit").annotate(n=Count("pk"))
        return Coalesce(Subquery(found.values("n"), output_field=IntegerField()), 0)

    return counted(Criterion) + counted(KnowledgeItem)


def _met_items() -> Coalesce:
    # COUNT(*), not of the key: the index of standing decisions by enrolment (Decision.Meta) answers it alone.
    met = Decision.objects.standing().filter(enrolment=OuterRef("pk")).order_by().values("enrolment").annotate(
        n=Count("*")
    )
    return Coalesce(Subquery(met.values("n"), output_field=IntegerField()), 0)


def items_of_units(unit_ids: Iterable[int] | QuerySet) -> dict[int, int]:
    """How many criteria and knowledge items each of these units has, by unit id (the ids, or a
    query of them: `enrolments.values("unit")`): one query."""
    def counted(model: type[Criterion] | type[KnowledgeItem]) -> Coalesce:
        found = model.objects.filter(unit=OuterRef("pk")).order_by().values("unit").annotate(n=Count("*"))
        return Coalesce(Subquery(found.values("n"), output_field=IntegerField()), 0)

    units = unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids)
    return dict(Unit.objects.filter(pk__in=units).annotate(n=counted(Criterion) + counted(KnowledgeItem))
                .order_by().values_list("pk", "n"))


def _items_given(items: Mapping[int, int]) -> models.Expression:
    """The unit's items, from counts already read (`items_of_units`): a value in the row, where a
    count per row would be two subqueries for each enrolment."""
    if not items:
        return Value(0, output_field=IntegerField())
    return Case(*(When(unit_id=unit, then=Value(n)) for unit, n in items.items()), default=Value(0),
                output_field=IntegerField())


# The querysets below carry annotations the type checker cannot see, so they are typed QuerySet[Any].
Annotated = QuerySet[Any]


def with_rag(
    enrolments: QuerySet[Enrolment], today: datetime.date | None = None, *, items: Mapping[int, int] | None = None,
    kept: bool = False,
) -> Annotated:
    """Each enrolment with `items` (its unit's criteria and knowledge items), `met` (those with a
    standing decision), `signed_off` and `rag` (a `Rag` value), all in SQL: filter, count or sort by
    them at no cost per row. `rag` is the rule `rag` states, in the same arithmetic. Over many
    enrolments, pass `items` (`items_of_units` of their units): the count of each unit's items is
    then read once, not twice for every enrolment; and `kept`: `met` is then the count the services
    keep (`met_counts`), one row joined, not the decisions counted for each enrolment."""
    today = today or timezone.localdate()
    on = Value(today, output_field=models.DateField())
    enrolments = enrolments.annotate(
        items=_items_of_unit() if items is None else _items_given(items),
        met=Coalesce(F("met_count__met"), 0) if kept else _met_items(),
        signed_off=Exists(SignOff.objects.standing().filter(enrolment=OuterRef("pk"))),
        days_gone=DaysBetween(F("start_date"), on),
        days_span=DaysBetween(F("start_date"), F("target_date")),
        days_left=DaysBetween(on, F("target_date")),
    )
    return _rag_case(enrolments, today)


def _rag_case(enrolments: Annotated, today: datetime.date) -> Annotated:
    lagging = Q(lag_left__gt=F("lag_right"))
    closing_short = Q(days_left__lte=CLOSING_DAYS, met_hundreds__lt=F("closing_share"))
    # `rag`'s inequality with the items term moved to the left (the same integers): each of `items`
    # and `met` is then named once in it, and each name is a subquery the database runs again.
    return enrolments.alias(
        lag_left=F("items") * (F("days_gone") * 100 - LAG_POINTS * F("days_span")),
        lag_right=F("met") * 100 * F("days_span"),
        met_hundreds=F("met") * 100,
        closing_share=CLOSING_MET_PERCENT * F("items"),
    ).annotate(rag=Case(
        When(signed_off=True, then=Value(Rag.COMPLETE.value)),
        When(target_date__lt=today, then=Value(Rag.OVERDUE.value)),
        When(lagging, then=Value(Rag.AT_RISK.value)),
        When(closing_short, then=Value(Rag.AT_RISK.value)),
        default=Value(Rag.ON_TRACK.value),
        output_field=models.CharField(),
    ))


def rag_counts(
    enrolments: QuerySet[Enrolment], today: datetime.date | None = None, *, items: Mapping[int, int] | None = None
) -> dict[str, int]:
    """How many of the enrolments are in each RAG status, by `Rag` value (every value present): one
    query. `items` as for `with_rag`."""
    counted = dict(with_rag(enrolments, today, items=items).order_by().values("rag").annotate(n=Count("pk"))
                   .values_list("rag", "n"))
    return {value: counted.get(value, 0) for value in Rag.values}


def overdue(enrolments: QuerySet[Enrolment], today: datetime.date | None = None) -> QuerySet[Enrolment]:
    """The units past their target date and not signed off, the longest overdue first."""
    today = today or timezone.localdate()
    return (
        enrolments.filter(target_date__lt=today)
        .exclude(Exists(SignOff.objects.standing().filter(enrolment=OuterRef("pk"))))
        .order_by("target_date", "candidate__last_name", "candidate__first_name", "unit__code", "pk")
    )


# Working days and the evidence waiting for each assessor. -----------------------------------------


def working_days_waited(since: datetime.date | datetime.datetime, today: datetime.date) -> int:
    """The working days after `since` up to and including `today`: evidence submitted on a Friday
    has waited one working day on Monday; on the day it was submitted, none. A moment is read as its
    day in the centre's time. The one count of working days: the reports, the administrator's "what
    needs doing" and the assessor's and IQA's homes all use it, and say it with `wait_words`."""
    if isinstance(since, datetime.datetime):
        since = timezone.localtime(since).date()
    if today <= since:
        return 0
    days = (today - since).days
    weeks, rest = divmod(days, 7)
    extra = sum((since + datetime.timedelta(days=n)).weekday() < 5 for n in range(1, rest + 1))
    return weeks * 5 + extra


def wait_words(days: int | None) -> str:
    """A wait in words, as every page says it: "less than a working day", "1 working day", "3 working
    days" ("" for no wait at all: nothing waiting)."""
    if days is None:
        return ""
    if days == 0:
        return "less than a working day"
    return f"{days} working day{'s' if days != 1 else ''}"


def oldest_wait_words(oldest: datetime.datetime | None, today: datetime.date) -> str:
    """How long the item submitted at `oldest` has waited, in words ("" with nothing waiting)."""
    return wait_words(working_days_waited(oldest, today) if oldest is not None else None)


def waited_more_than(working_days: int, today: datetime.date) -> datetime.datetime:
    """The moment before which evidence was submitted if it has waited more than `working_days`
    working days by `today` (`working_days_waited`): the start of that day in the centre's time."""
    day, counted = today, 0
    # The (n+1)th working day counting back from today (today itself counts if it is one).
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted == working_days + 1:
                break
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def waiting_evidence(enrolments: QuerySet[Enrolment]) -> Annotated:
    """Submitted evidence not yet judged, a row for each of these enrolments it bears on (mapped to a
    criterion or knowledge item of its unit), with `enrolment_assessor` (the assessor it waits for)
    and `evidence` (the item): group by the assessor and count distinct items. Read from
    `portfolio.EvidenceUnit`, the table the database keeps of which units each item bears on: one
    index read an enrolment, where asking the evidence and its mappings cost a probe of every
    submitted item of the candidate's for each unit. Pass active enrolments only, as the
    reports and the administrator's home do: evidence bearing only on withdrawn or transferred units
    waits for nobody (`portfolio.locks.bears_only_on_closed_units`, the queue's rule)."""
    return (
        EvidenceUnit.objects.filter(state=EvidenceState.SUBMITTED)
        .alias(
            enrolment=F("candidate__enrolments"),
            enrolment_unit=F("candidate__enrolments__unit"),
            enrolment_centre=F("candidate__enrolments__centre"),
        )
        .annotate(enrolment_assessor=F("candidate__enrolments__assessor"))
        .filter(enrolment__in=enrolments.values("pk"), enrolment_centre=F("centre"), enrolment_unit=F("unit"))
    )


@dataclass(frozen=True)
class Waiting:
    """The evidence waiting for one assessor: how many items and for how long, in working days."""

    count: int = 0
    up_to_5: int = 0
    from_6_to_10: int = 0
    over_10: int = 0
    oldest: datetime.datetime | None = None

    def longest(self, today: datetime.date) -> int:
        """The working days the oldest item has waited (0 with none)."""
        return working_days_waited(self.oldest, today) if self.oldest else 0

    def longest_words(self, today: datetime.date) -> str:
        """The oldest item's wait in words ("" with none)."""
        return oldest_wait_words(self.oldest, today)


def waiting_by_assessor(
    enrolments: QuerySet[Enrolment], today: datetime.date | None = None, *, submitted: Q | None = None
) -> dict[int, Waiting]:
    """The evidence waiting for each assessor of these enrolments, by assessor id, in one query. An
    item mapped to two of an assessor's units counts once. `submitted` narrows the evidence (by
    when it was submitted, say: `Narrowed.dates("submitted_at")`)."""
    today = today or timezone.localdate()
    over_5, over_10 = waited_more_than(5, today), waited_more_than(LATE_WORKING_DAYS, today)
    rows = (
        waiting_evidence(enrolments).filter(submitted or Q()).order_by().values("enrolment_assessor").annotate(
            count=Count("evidence", distinct=True),
            over_10=Count("evidence", distinct=True, filter=Q(submitted_at__lt=over_10)),
            over_5=Count("evidence", distinct=True, filter=Q(submitted_at__lt=over_5)),
            oldest=Min("submitted_at"),
        )
    )
    return {
        row["enrolment_assessor"]: Waiting(
            count=row["count"], up_to_5=row["count"] - row["over_5"], from_6_to_10=row["over_5"] - row["over_10"],
            over_10=row["over_10"], oldest=row["oldest"],
        )
        for row in rows
    }


def late_evidence_count(
    centre_id: int, enrolments: QuerySet[Enrolment], today: datetime.date | None = None, *, up_to: int | None = None
) -> int:
    """How many evidence items at the centre bearing on these enrolments have waited more than
    LATE_WORKING_DAYS, counting no further than `up_to` when given. Each late item is asked whether
    it bears on one of them (EXISTS, so nothing counts twice and nothing is made distinct): the
    database reads the late items from the (centre, state, submitted_at) index and stops at `up_to`,
    whatever the size of the centre."""
    cutoff = waited_more_than(LATE_WORKING_DAYS, today or timezone.localdate())
    item, unit = OuterRef(OuterRef("pk")), OuterRef("unit")
    mapped = Exists(Evidence.criteria.through.objects.filter(evidence=item, criterion__unit=unit)) | Exists(
        Evidence.knowledge_items.through.objects.filter(evidence=item, knowledgeitem__unit=unit)
    )
    bearing = enrolments.filter(candidate=OuterRef("candidate"), centre=centre_id).filter(mapped).order_by()
    late = Evidence.objects.filter(centre=centre_id, state=EvidenceState.SUBMITTED, submitted_at__lt=cutoff).filter(
        Exists(bearing)
    ).order_by()
    return (late[:up_to] if up_to else late).count()


# What a report is narrowed to. -------------------------------------------------------------------
@dataclass(frozen=True)
class Narrowed:
    """What a report is narrowed to (None: not narrowed): a qualification's units, a unit, an
    assessor, an IQA, and dates (each report says which of its dates they apply to). The IQA
    narrows the IQAs the sampling report lists, not the units (`enrolments`): one who has left is
    counted on units that name another IQA now."""

    qualification_id: int | None = None
    unit_id: int | None = None
    assessor_id: int | None = None
    iqa_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def enrolments(self, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
        """The enrolments on the qualification's units of candidates registered on it at the centre
        (a unit of it is not enough), on the unit and of the assessor chosen."""
        if self.qualification_id is not None:
            units = Unit.objects.filter(qualification_places__group__qualification_id=self.qualification_id)
            enrolments = enrolments.filter(unit__in=units).filter(Exists(QualificationRegistration.objects.filter(
                candidate=OuterRef("candidate"), qualification_id=self.qualification_id, centre=OuterRef("centre"),
            )))
        if self.unit_id is not None:
            enrolments = enrolments.filter(unit_id=self.unit_id)
        if self.assessor_id is not None:
            enrolments = enrolments.filter(assessor_id=self.assessor_id)
        return enrolments

    def dates(self, field: str, *, moment: bool = True) -> Q:
        """`field` within the dates: a date and time (`moment`) read as its day in the centre's time,
        or a plain date."""
        found = Q()
        if self.date_from is not None:
            found &= Q(**{f"{field}__gte": _day_start(self.date_from) if moment else self.date_from})
        if self.date_to is not None:
            end = self.date_to + datetime.timedelta(days=1)
            found &= Q(**{f"{field}__lt": _day_start(end) if moment else end})
        return found


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
