"""The centre's page of IQA sampling plans, a page of IQAs at a time: each IQA's plan shown (the
current one, or else the next to start) with each of its assessors planned and done, counted as
`sampling_plan.compliance` counts them (its module docstring states the rules).

`compliance` reads one plan's units and reviews row by row; this reads the same figures for a whole
page of IQAs in a fixed number of queries, grouped and counted by the database, so the page costs
the same whatever the number of IQAs, units or evidence items at the centre. The methods,
locations and units sampled stay on each plan's own page."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone

from portfolio.models import Centre, Enrolment, EnrolmentStatus, Person

from .models import QualityReview, SignOff
from .sampling_plan import AssessorCompliance, _day_start, assessor_share, stage_counts
from .sampling_plan_models import SampleStages, SamplingPlan

Outcome = QualityReview.Outcome
Stage = QualityReview.Stage


@dataclass
class PlanSummary:
    iqa: Person
    plan: SamplingPlan | None
    assessors: list[AssessorCompliance] = field(default_factory=list)


def _plans_shown(centre: Centre, iqas: Sequence[Person]) -> dict[int, SamplingPlan]:
    """Each IQA's plan shown, as `sampling_plan.plan_shown` chooses it: the current one, or else the
    next to start."""
    today = timezone.localdate()
    plans = SamplingPlan.objects.filter(
        centre=centre, iqa__in=list(iqas), period_end__gte=today
    ).prefetch_related("ratings").order_by("period_start")
    shown: dict[int, SamplingPlan] = {}
    for plan in plans:  # the current ones first, the latest start last; then those to come
        if plan.period_start <= today or plan.iqa_id not in shown:
            shown[plan.iqa_id] = plan
    return shown


def _first_signed(through: str) -> Subquery:
    """When the unit was first signed off by a sign-off still standing (None: never)."""
    signed = (
        SignOff.objects.standing().filter(enrolment=OuterRef(f"{through}pk" if through else "pk"))
        .values("enrolment").annotate(first=Min("assessor_signed_at")).values("first")
    )
    return Subquery(signed)


def _in_plan(plan: SamplingPlan, through: str = "") -> Q:
    """The plan's units (`sampling_plan.plan_units`), for a query annotated with `first_signed`."""
    return (
        Q(**{f"{through}iqa_id": plan.iqa_id, f"{through}centre_id": plan.centre_id,
             f"{through}start_date__lte": plan.period_end, f"{through}status": EnrolmentStatus.ACTIVE,
             f"{through}case_seal_broken_at__isnull": True})
        & ~Q(**{f"{through}assessor_id": plan.iqa_id})
        & (Q(first_signed__isnull=True) | Q(first_signed__gte=_day_start(plan.period_start)))
    )


def _any(conditions: list[Q]) -> Q:
    found = Q(pk__in=[])
    for condition in conditions:
        found |= condition
    return found


def _units(plans: list[SamplingPlan]) -> dict[tuple[int, int], int]:
    """(IQA, assessor): how many units of the IQA's plan the assessor has."""
    rows = (
        Enrolment.objects.annotate(first_signed=_first_signed(""))
        .filter(_any([_in_plan(plan) for plan in plans]))
        .values("iqa_id", "assessor_id").annotate(units=Count("pk")).order_by()
    )
    return {(row["iqa_id"], row["assessor_id"]): row["units"] for row in rows}


def _done(plans: list[SamplingPlan]) -> dict[tuple[int, int, str], int]:
    """(IQA, assessor, stage): how many of the plan's units the IQA reviewed at that stage in the
    plan's period (countersigned or referred back)."""
    conditions = [
        _in_plan(plan, "enrolment__") & Q(
            iqa_id=plan.iqa_id, reviewed_at__gte=_day_start(plan.period_start),
            reviewed_at__lt=_day_start(plan.period_end) + datetime.timedelta(days=1),
        )
        for plan in plans
    ]
    rows = (
        QualityReview.objects.annotate(first_signed=_first_signed("enrolment__"))
        .filter(_any(conditions), outcome__in=[Outcome.COUNTERSIGNED, Outcome.REFERRED])
        .values("iqa_id", "enrolment__assessor_id", "stage").annotate(units=Count("enrolment", distinct=True)).order_by()
    )
    return {(row["iqa_id"], row["enrolment__assessor_id"], row["stage"]): row["units"] for row in rows}


def plan_summaries(centre: Centre, iqas: Sequence[Person]) -> list[PlanSummary]:
    """Each of these IQAs with their plan shown and each assessor in it against the plan."""
    plans = _plans_shown(centre, iqas)
    units = _units(list(plans.values())) if plans else {}
    done = _done(list(plans.values())) if plans else {}
    people = Person.objects.in_bulk({assessor for _, assessor in units})
    summaries = []
    for iqa in iqas:
        plan = plans.get(iqa.pk)
        summary = PlanSummary(iqa, plan)
        if plan is not None:
            ratings = {r.assessor_id: r for r in plan.ratings.all()}
            for (iqa_id, assessor_id), count in units.items():
                if iqa_id != iqa.pk:
                    continue
                rating = ratings.get(assessor_id)
                share = assessor_share(plan, rating)
                interim, summative = stage_counts(
                    share=share, stages=rating.stages if rating else SampleStages.BOTH, units=count,
                    interim_done=done.get((iqa.pk, assessor_id, Stage.INTERIM), 0),
                    summative_done=done.get((iqa.pk, assessor_id, Stage.FINAL), 0),
                )
                summary.assessors.append(AssessorCompliance(people[assessor_id], rating, share, count, interim, summative))
            summary.assessors.sort(key=lambda row: (row.assessor.last_name, row.assessor.first_name, row.assessor.pk))
        summaries.append(summary)
    return summaries
