"""The centre's staff in figures: each assessor's caseload and decisions month by month, and each
IQA's sampling coverage. Each is read for a given set of people (a page of a report, or one person
on their home) in a fixed number of queries. The figures about units are in `caseload`.

- Caseload: the assessor's units not yet signed off, by RAG status (`caseload.Rag`), and their
  candidates, those of deactivated candidates counted apart (`portfolio.enrolment_counts`); with
  `caseload.waiting_by_assessor`, the evidence waiting for them.
- Decisions: what the assessor recorded in each month: evidence accepted, evidence referred back,
  criteria and knowledge items recorded as met (withdrawn ones too: they were decisions when made),
  and units signed off (unlocked ones too).
- Sampling coverage: of the units an IQA quality-assures (not those they also assess), how many were
  sampled (a review by them, at either stage, recorded as countersigned or referred back) and how
  many assessors and candidates those cover; signed-off units, and those of them reviewed at the
  final stage. What their sampling plan asks is `sampling_plan.compliance`, on the plan's own page.
  Every IQA, today's or one who has left, is counted on the units naming them now and on those
  handed over from them since, with their own reviews of those (`coverage_of_iqas`): moving units
  to another IQA, or leaving, takes none of their sampling out of their figures."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import dateformat

from portfolio.enrolment_models import EnrolmentChangeKind
from portfolio.models import Enrolment, EnrolmentChange

from .caseload import Narrowed, Rag, items_of_units, with_rag
from .counted import left_out_of_figures
from .models import Decision, JudgedEnrolment, Judgement, QualityReview, SignOff

Outcome = QualityReview.Outcome


@dataclass(frozen=True)
class Caseload:
    """One assessor's units not signed off, by status, and their candidates; and apart, the units
    not signed off of their candidates deactivated at the centre, in none of the other figures
    (`of_deactivated_by_assessor`, read once for a whole report)."""

    units: int = 0
    candidates: int = 0
    on_track: int = 0
    at_risk: int = 0
    overdue: int = 0
    signed_off: int = 0
    of_deactivated: int = 0


def caseloads(enrolments: QuerySet[Enrolment], assessor_ids: Iterable[int], today: datetime.date | None = None) -> dict[int, Caseload]:
    """Each assessor's caseload among these enrolments (of current candidates), by assessor id: two
    queries (their units' items counted once, then each unit's status, grouped by assessor and
    candidate). The status is worked out once a unit, in the grouping: counted with a FILTER per
    figure, PostgreSQL worked it out (a sign-off lookup and a count of decisions) once for each of
    the six figures. The few groups are added up here."""
    theirs = enrolments.filter(assessor_id__in=list(assessor_ids))
    items = items_of_units(theirs.order_by().values("unit"))
    figures: dict[int, dict[str, int]] = {}
    candidates: dict[int, set[int]] = {}
    field = {Rag.ON_TRACK: "on_track", Rag.AT_RISK: "at_risk", Rag.OVERDUE: "overdue", Rag.COMPLETE: "signed_off"}
    groups = with_rag(theirs, today, items=items).order_by().values_list("assessor_id", "candidate_id", "rag")
    for assessor, candidate, status, n in groups.annotate(n=Count("pk")):
        found = figures.setdefault(assessor, dict.fromkeys(("units", *field.values()), 0))
        found[field[Rag(status)]] += n
        if status != Rag.COMPLETE:
            found["units"] += n
            candidates.setdefault(assessor, set()).add(candidate)
    return {
        assessor: Caseload(candidates=len(candidates.get(assessor, ())), **found) for assessor, found in figures.items()
    }


def of_deactivated_by_assessor(enrolments: QuerySet[Enrolment]) -> dict[int, int]:
    """Of these enrolments, those the reports leave out (`counted.left_out_of_figures`: of deactivated
    candidates, neither withdrawn, transferred nor signed off), by assessor id: what the caseloads
    count apart. One query, a few rows."""
    return dict(
        left_out_of_figures(enrolments)
        .order_by().values_list("assessor_id").annotate(n=Count("pk")).values_list("assessor_id", "n")
    )


@dataclass
class MonthOfDecisions:
    month: datetime.date  # its first day
    accepted: int = 0
    referred: int = 0
    items_met: int = 0
    signed_off: int = 0

    @property
    def evidence_judged(self) -> int:
        """Evidence accepted or referred back: the decisions on evidence. Items met and units signed
        off are other kinds of decision (an item of evidence can prove many items), so no figure adds
        them all up."""
        return self.accepted + self.referred

    @property
    def name(self) -> str:
        """"March 2026": a month as the decisions report names it."""
        return dateformat.format(self.month, "F Y")


def _month(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def decisions_by_month(
    enrolments: QuerySet[Enrolment], assessor_ids: Iterable[int], narrowed: Narrowed
) -> dict[int, list[MonthOfDecisions]]:
    """Each assessor's decisions on these enrolments, month by month (the newest first), within the
    dates narrowed to: three queries. A judgement counts for the enrolments whose unit its evidence
    was mapped to when judged (`JudgedEnrolment`), once however many of them it bears on."""
    ids = list(assessor_ids)
    # Counted from the rows recording the units each judgement bore on (the (assessor, judged_at)
    # index), a judgement once however many of these units it bore on: the work grows with the
    # judgements reported, not with the centre. Working out each judgement's units from its mappings
    # took 2.9 times as long at 10,000 candidates as at 1,000 on PostgreSQL.
    judged = (
        JudgedEnrolment.objects.filter(assessor_id__in=ids, enrolment__in=enrolments).filter(narrowed.dates("judged_at"))
        .annotate(month=TruncMonth("judged_at")).order_by().values("assessor_id", "month").annotate(
            accepted=Count("judgement", distinct=True, filter=Q(outcome=Judgement.Outcome.ACCEPTED)),
            referred=Count("judgement", distinct=True, filter=Q(outcome=Judgement.Outcome.REFERRED)),
        )
    )
    met = (
        Decision.objects.filter(decided_by_id__in=ids, enrolment__in=enrolments).filter(narrowed.dates("decided_at"))
        .annotate(month=TruncMonth("decided_at")).order_by().values("decided_by_id", "month")
        .annotate(n=Count("pk"))
    )
    signed = (
        SignOff.objects.filter(assessor_id__in=ids, enrolment__in=enrolments)
        .filter(narrowed.dates("assessor_signed_at"))
        .annotate(month=TruncMonth("assessor_signed_at")).order_by().values("assessor_id", "month")
        .annotate(n=Count("pk"))
    )
    months: dict[tuple[int, datetime.date], MonthOfDecisions] = {}

    def month_of(person: int, when: datetime.date | datetime.datetime) -> MonthOfDecisions:
        key = (person, _month(when))
        return months.setdefault(key, MonthOfDecisions(key[1]))

    for row in judged:
        found = month_of(row["assessor_id"], row["month"])
        found.accepted, found.referred = row["accepted"], row["referred"]
    for row in met:
        month_of(row["decided_by_id"], row["month"]).items_met = row["n"]
    for row in signed:
        month_of(row["assessor_id"], row["month"]).signed_off = row["n"]
    by_person: dict[int, list[MonthOfDecisions]] = {person: [] for person in ids}
    for (person, _), month in sorted(months.items(), key=lambda item: item[0][1], reverse=True):
        by_person.setdefault(person, []).append(month)
    return by_person


@dataclass(frozen=True)
class SamplingCoverage:
    """What one IQA's sampling covers of the units they quality-assure."""

    units: int = 0
    sampled: int = 0
    signed_off: int = 0
    final_reviewed: int = 0
    assessors: int = 0
    assessors_sampled: int = 0
    candidates: int = 0
    candidates_sampled: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.sampled / self.units) if self.units else 0

    @property
    def final_percent(self) -> int:
        return round(100 * self.final_reviewed / self.signed_off) if self.signed_off else 0


def _reviews(narrowed: Narrowed, enrolment: str, iqa: str) -> QuerySet[QualityReview]:
    return QualityReview.objects.filter(
        enrolment=OuterRef(enrolment), iqa=OuterRef(iqa), outcome__in=[Outcome.COUNTERSIGNED, Outcome.REFERRED]
    ).filter(narrowed.dates("reviewed_at"))


def sampling_coverage(
    enrolments: QuerySet[Enrolment], iqa_ids: Iterable[int], narrowed: Narrowed
) -> dict[int, SamplingCoverage]:
    """Each IQA's coverage of those of these enrolments naming them now (reviews recorded within the
    dates narrowed to), by IQA id: one query. All of an IQA's coverage when no unit among these has
    been handed over from them; `coverage_of_iqas` chooses.

    Whether a unit is signed off is asked as "its id among the standing sign-offs' enrolments": the
    few thousand sign-offs are read once into a hash, where an EXISTS was an index lookup for each of
    the page's units (25 IQAs of 500 units each at a centre of 10,000 candidates)."""
    reviews = _reviews(narrowed, "pk", "iqa")
    signed_off = Q(pk__in=SignOff.objects.standing().values("enrolment_id"))
    rows = (
        enrolments.filter(iqa_id__in=list(iqa_ids)).exclude(assessor=F("iqa"))
        .annotate(
            was_sampled=Exists(reviews),
            final=Exists(reviews.filter(stage=QualityReview.Stage.FINAL)),
        )
        .order_by().values("iqa_id").annotate(
            units=Count("pk"),
            sampled=Count("pk", filter=Q(was_sampled=True)),
            signed_off=Count("pk", filter=signed_off),
            final_reviewed=Count("pk", filter=Q(final=True) & signed_off),
            assessors=Count("assessor", distinct=True),
            assessors_sampled=Count("assessor", distinct=True, filter=Q(was_sampled=True)),
            candidates=Count("candidate", distinct=True),
            candidates_sampled=Count("candidate", distinct=True, filter=Q(was_sampled=True)),
        )
    )
    return {row.pop("iqa_id"): SamplingCoverage(**row) for row in rows}


def _unit_rows(found: QuerySet, narrowed: Narrowed, *, enrolment: str, iqa: str, unit: str) -> QuerySet:
    """(IQA, unit, assessor, candidate, sampled by them, reviewed at the final stage, signed off) for
    each of `found`'s rows, `enrolment` and `iqa` naming its unit and IQA, `unit` the path to the
    unit's own fields."""
    reviews = _reviews(narrowed, enrolment, iqa)
    return found.exclude(**{f"{unit}assessor": F(iqa)}).annotate(
        was_sampled=Exists(reviews),
        final=Exists(reviews.filter(stage=QualityReview.Stage.FINAL)),
        signed=Exists(SignOff.objects.standing().filter(enrolment=OuterRef(enrolment))),
    ).order_by().values_list(iqa, enrolment, f"{unit}assessor", f"{unit}candidate", "was_sampled", "final", "signed")


def coverage_of_iqas(
    enrolments: QuerySet[Enrolment], iqa_ids: Iterable[int], narrowed: Narrowed
) -> dict[int, SamplingCoverage]:
    """Each IQA's coverage, by IQA id, one rule for all, today's IQAs and those who have left alike:
    of these enrolments, those naming them now and those handed over from them since (an IQA change
    from them in the unit's history), and their own reviews of them. An EQA judges each IQA's
    sampling by it, so rebalancing units between IQAs, or an IQA's leaving, takes nothing out of
    their figures; the units' new IQAs count them too, as theirs now.

    At most three queries, however many IQAs: the units handed over from them, a row each (hand-overs
    are rare); then the IQAs with none counted by `sampling_coverage`, grouped; and the few with some,
    a row for each unit naming them, added up here with those handed over: a unit can have been
    theirs more than once (handed away and back), which counts once."""
    ids = list(iqa_ids)
    handed_over = list(_unit_rows(
        EnrolmentChange.objects.filter(kind=EnrolmentChangeKind.IQA, from_person_id__in=ids, enrolment__in=enrolments),
        narrowed, enrolment="enrolment", iqa="from_person", unit="enrolment__",
    ))
    per_unit = {row[0] for row in handed_over}
    found = sampling_coverage(enrolments, [i for i in ids if i not in per_unit], narrowed)
    if not per_unit:
        return found
    named = _unit_rows(enrolments.filter(iqa_id__in=per_unit), narrowed, enrolment="pk", iqa="iqa", unit="")
    units: dict[int, dict[int, tuple]] = {}
    for iqa, unit, *figures in [*named, *handed_over]:
        units.setdefault(iqa, {})[unit] = tuple(figures)
    return found | {iqa: _covered(list(theirs.values())) for iqa, theirs in units.items()}


def _covered(units: list[tuple]) -> SamplingCoverage:
    """The coverage of these (assessor, candidate, sampled, final, signed off) units, counted as
    `sampling_coverage` counts them."""
    sampled = [(assessor, candidate) for assessor, candidate, was_sampled, _, _ in units if was_sampled]
    return SamplingCoverage(
        units=len(units), sampled=len(sampled),
        signed_off=sum(1 for *_, signed in units if signed),
        final_reviewed=sum(1 for *_, final, signed in units if final and signed),
        assessors=len({u[0] for u in units}), assessors_sampled=len({a for a, _ in sampled}),
        candidates=len({u[1] for u in units}), candidates_sampled=len({c for _, c in sampled}),
    )
