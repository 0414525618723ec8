"""Saving an IQA's sampling plan: checked (only the IQA writes it; the assessors rated and the units
marked are the IQA's own at the centre; no two plans of theirs there overlap), written and audited
in one transaction."""

import datetime
from typing import Any

from django.db import transaction

from portfolio import audit
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, Centre, Enrolment, Membership, Person, Role

from ..audit_actions import AssessmentAction
from ..sampling_plan_models import AssessorRating, RiskRating, SamplingPlan


def twelve_months_from(start: datetime.date) -> datetime.date:
    """The last day of the twelve months that begin on `start` (29 February runs to 27 February)."""
    try:
        next_year = start.replace(year=start.year + 1)
    except ValueError:
        next_year = start.replace(year=start.year + 1, day=28)
    return next_year - datetime.timedelta(days=1)


def plan_assessors(iqa: Person, centre: Centre) -> list[Person]:
    """The assessors whose units at the centre the IQA quality-assures (never the IQA themselves)."""
    return list(
        Person.objects.filter(assessed_enrolments__iqa=iqa, assessed_enrolments__centre=centre)
        .exclude(pk=iqa.pk).distinct().order_by("last_name", "first_name", "pk")
    )


def plan_enrolments(iqa: Person, centre: Centre) -> list[Enrolment]:
    """The units the IQA may mark "sample before claim": theirs to quality-assure at the centre, not claimed."""
    return list(
        Enrolment.objects.filter(iqa=iqa, centre=centre, claims__isnull=True, case_seal_broken_at__isnull=True)
        .exclude(assessor=iqa)
        .select_related("candidate", "unit", "assessor")
        .order_by("assessor__last_name", "assessor__first_name", "candidate__last_name", "unit__code", "pk")
    )


def _name(person: Person) -> str:
    return person.get_full_name() or person.email


def _facts(plan: SamplingPlan) -> dict[str, Any]:
    """What the audit trail keeps of a plan, to say what changed."""
    return {
        "plan": plan.pk, "period_start": plan.period_start.isoformat(), "period_end": plan.period_end.isoformat(),
        "shares": {rating.value: plan.share_of(rating) for rating in RiskRating},
        "ratings": [
            {"assessor": _name(r.assessor), "rating": r.rating, "rated_on": r.rated_on.isoformat(), "reason": r.reason,
             "share": r.share, "stages": r.stages, "sample_before_claim": r.sample_before_claim}
            for r in plan.ratings.select_related("assessor").order_by("assessor__last_name", "assessor__first_name")
        ],
        "methods": list(plan.methods), "locations": plan.location_list,
        "must_sample": [f"{e.unit.code} of {_name(e.candidate)}" for e in plan.must_sample.select_related("unit", "candidate")],
    }


def _check(*, iqa: Person, centre: Centre, plan: SamplingPlan | None, start: datetime.date, end: datetime.date,
           ratings: list[dict[str, Any]], must_sample: list[Enrolment], methods: list[str]) -> None:
    if not Membership.objects.filter(person=iqa, centre=centre, role=Role.IQA).exists():
        raise PortfolioError(f"Only an internal quality assurer at {centre} keeps a sampling plan there.")
    if plan is not None and (plan.iqa_id != iqa.pk or plan.centre_id != centre.pk):
        raise PortfolioError("Only the IQA whose plan it is changes it.")
    overlapping = SamplingPlan.objects.filter(iqa=iqa, centre=centre, period_start__lte=end, period_end__gte=start)
    if plan is not None:
        overlapping = overlapping.exclude(pk=plan.pk)
    if overlapping.exists():
        raise PortfolioError("These twelve months overlap another plan of yours at this centre. Start the plan after it ends.")
    theirs = {p.pk for p in plan_assessors(iqa, centre)}
    if any(row["assessor"].pk not in theirs for row in ratings):
        raise PortfolioError("A plan rates only the assessors whose units you quality-assure at this centre.")
    units = {e.pk for e in plan_enrolments(iqa, centre)}
    if any(e.pk not in units for e in must_sample):
        raise PortfolioError("A plan marks only your own units at this centre, not yet claimed, to sample before claim.")
    if any(m not in AssessmentMethod.values for m in methods):
        raise PortfolioError("Choose the methods among those listed.")


def sampling_plan_save(
    *, iqa: Person, centre: Centre, plan: SamplingPlan | None, period_start: datetime.date, shares: dict[str, int],
    ratings: list[dict[str, Any]], methods: list[str], locations: str, must_sample: list[Enrolment],
) -> SamplingPlan:
    """Writes the IQA's plan (a new one when `plan` is None): its period of twelve months from
    `period_start`, the share of each rating, each assessor's rating, the methods and locations,
    and the units to sample before claim."""
    end = twelve_months_from(period_start)
    with transaction.atomic():
        _check(iqa=iqa, centre=centre, plan=plan, start=period_start, end=end, ratings=ratings,
               must_sample=must_sample, methods=methods)
        before = _facts(plan) if plan is not None else {}
        plan = plan or SamplingPlan(iqa=iqa, centre=centre)
        plan.period_start, plan.period_end = period_start, end
        for rating, share in shares.items():
            setattr(plan, f"share_{rating}", share)
        plan.methods = [m for m in AssessmentMethod.values if m in methods]
        plan.locations = "\n".join(dict.fromkeys(line.strip() for line in locations.splitlines() if line.strip()))
        plan.full_clean()
        plan.save()
        plan.must_sample.set(must_sample)
        plan.ratings.exclude(assessor__in=[row["assessor"] for row in ratings]).delete()
        for row in ratings:
            fields = {key: value for key, value in row.items() if key != "assessor"}
            rated = AssessorRating(plan=plan, assessor=row["assessor"], **fields)
            rated.pk = plan.ratings.filter(assessor=row["assessor"]).values_list("pk", flat=True).first()
            rated.full_clean(validate_unique=False)
            rated.save()
        after = _facts(plan)
        audit.record(
            AssessmentAction.SAMPLING_PLAN_SAVED, actor=iqa, centre=centre,
            summary=f"{_name(iqa)}’s IQA sampling plan at {centre} saved ({period_start.isoformat()} to {end.isoformat()})",
            before=before, after=after,
        )
    return plan
