"""What an IQA's sampling plan asks, and what has been done against it: the one place it is worked out.

The units of a plan are the enrolments at its centre that the IQA quality-assures (not those the IQA
also assesses), started by the plan's end and not signed off before its start. For each assessor,
the share their risk rating sets (the plan's share for the rating, or the assessor's own) of those
units, rounded up, is planned at each stage the plan names: interim (decisions on a unit in
progress) and summative (a signed-off unit). Done is the number of the units the IQA reviewed at
that stage within the plan's period (countersigned or referred back; a unit waiting in the sample
is not done yet). An assessor not rated yet is planned as a new one: every unit.

Methods and locations count as covered when evidence cited by the decisions on a unit reviewed in
the period is of that method, or names the location in where it happened.

A unit the current plan marks "sample before claim" (by itself, or every unit of its assessor) is
held from the centre's claims until the IQA has countersigned its signed-off record
(`held_before_claim`, which `assessments.claims` asks)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from portfolio.models import AssessmentMethod, Centre, Enrolment, EnrolmentStatus, Evidence, Person, Role

from .models import QualityReview, SignOff
from .sampling_plan_models import AssessorRating, RiskRating, SampleStages, SamplingPlan

Outcome = QualityReview.Outcome
Stage = QualityReview.Stage

# The words of each state of a count, beside its colour (never the colour alone).
STATUS_WORDS = {"met": "Met", "behind": "Behind plan", "not-started": "Not started", "none": "None planned"}


def planned_count(share: int, units: int) -> int:
    """The share (per cent) of the units, rounded up: 20% of 6 units is 2, of 1 unit is 1."""
    return (share * units + 99) // 100


@dataclass(frozen=True)
class StageCount:
    planned: int
    done: int

    @property
    def status(self) -> str:
        if self.planned == 0:
            return "none"
        if self.done >= self.planned:
            return "met"
        return "behind" if self.done else "not-started"

    @property
    def met(self) -> bool:
        return self.status in ("met", "none")

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def words(self) -> str:
        return f"{self.done} of {self.planned} planned"


def stage_counts(*, share: int, stages: str, units: int, interim_done: int, summative_done: int) -> tuple[StageCount, StageCount]:
    """(interim, summative): planned at each stage the plan names, nothing at the other."""
    planned = planned_count(share, units)
    interim = planned if stages in (SampleStages.BOTH, SampleStages.INTERIM) else 0
    summative = planned if stages in (SampleStages.BOTH, SampleStages.SUMMATIVE) else 0
    return StageCount(interim, interim_done), StageCount(summative, summative_done)


@dataclass
class AssessorCompliance:
    assessor: Person
    rating: AssessorRating | None  # None: not rated yet, planned as new
    share: int
    units: int
    interim: StageCount
    summative: StageCount

    @property
    def rating_words(self) -> str:
        return self.rating.get_rating_display() if self.rating else "Not rated yet (sampled as new)"

    @property
    def stages(self) -> str:
        return self.rating.stages if self.rating else SampleStages.BOTH

    @property
    def met(self) -> bool:
        return self.interim.met and self.summative.met


@dataclass(frozen=True)
class Covered:
    name: str
    covered: bool


@dataclass(frozen=True)
class UnitCoverage:
    code: str
    title: str
    units: int
    sampled: int


@dataclass
class Compliance:
    plan: SamplingPlan
    assessors: list[AssessorCompliance]
    methods: list[Covered]
    locations: list[Covered]
    candidates: int
    candidates_sampled: int
    units: list[UnitCoverage]
    must_sample: list[tuple[Enrolment, bool]] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return all(a.met for a in self.assessors)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def plan_units(plan: SamplingPlan) -> list[Enrolment]:
    """The units of the plan (see the module's docstring), with candidate, assessor and unit."""
    signed_before = SignOff.objects.standing().filter(
        enrolment=OuterRef("pk"), assessor_signed_at__lt=_day_start(plan.period_start)
    )
    return list(
        Enrolment.objects.filter(
            iqa=plan.iqa, centre=plan.centre, start_date__lte=plan.period_end, status=EnrolmentStatus.ACTIVE,
            case_seal_broken_at__isnull=True,  # its people changed in the database: in nobody's plan (`case_seals`)
        )
        .exclude(assessor=plan.iqa)
        .exclude(Exists(signed_before))
        .select_related("candidate", "assessor", "unit")
        .order_by("assessor__last_name", "assessor__first_name", "candidate__last_name", "unit__code", "pk")
    )


def reviewed_in_period(plan: SamplingPlan, enrolment_ids: Iterable[int]) -> dict[str, set[int]]:
    """The units the IQA reviewed in the period, by stage ("interim", "final")."""
    found: dict[str, set[int]] = {Stage.INTERIM: set(), Stage.FINAL: set()}
    rows = QualityReview.objects.filter(
        iqa=plan.iqa, enrolment_id__in=list(enrolment_ids), outcome__in=[Outcome.COUNTERSIGNED, Outcome.REFERRED],
        reviewed_at__gte=_day_start(plan.period_start),
        reviewed_at__lt=_day_start(plan.period_end + datetime.timedelta(days=1)),
    ).values_list("enrolment_id", "stage")
    for enrolment_id, stage in rows:
        found[stage].add(enrolment_id)
    return found


def _assessors(plan: SamplingPlan, units: list[Enrolment], reviewed: dict[str, set[int]]) -> list[AssessorCompliance]:
    ratings = {r.assessor_id: r for r in plan.ratings.all()}
    by_assessor: dict[int, list[Enrolment]] = {}
    people: dict[int, Person] = {}
    for enrolment in units:
        by_assessor.setdefault(enrolment.assessor_id, []).append(enrolment)
        people[enrolment.assessor_id] = enrolment.assessor
    found = []
    for assessor_id, theirs in by_assessor.items():
        rating = ratings.get(assessor_id)
        share = assessor_share(plan, rating)
        ids = {e.pk for e in theirs}
        interim, summative = stage_counts(
            share=share, stages=rating.stages if rating else SampleStages.BOTH, units=len(theirs),
            interim_done=len(ids & reviewed[Stage.INTERIM]), summative_done=len(ids & reviewed[Stage.FINAL]),
        )
        found.append(AssessorCompliance(people[assessor_id], rating, share, len(theirs), interim, summative))
    return found


def assessor_share(plan: SamplingPlan, rating: AssessorRating | None) -> int:
    if rating is None:
        return plan.share_of(RiskRating.NEW)
    return rating.share if rating.share is not None else plan.share_of(rating.rating)


def _sampled_evidence(sampled: set[int]) -> list[tuple[str, str]]:
    """(method, where it happened) of the evidence cited by the decisions on the sampled units."""
    if not sampled:
        return []
    return list(Evidence.objects.filter(decisions__enrolment_id__in=sampled).values_list("method", "location").distinct())


def _coverage(plan: SamplingPlan, sampled: set[int]) -> tuple[list[Covered], list[Covered]]:
    evidence = _sampled_evidence(sampled)
    methods_seen = {method for method, _ in evidence}
    places = [location.casefold() for _, location in evidence if location]
    methods = [Covered(AssessmentMethod(m).label, m in methods_seen) for m in AssessmentMethod.values if m in plan.methods]
    locations = [
        Covered(name, any(name.casefold() in place for place in places)) for name in plan.location_list
    ]
    return methods, locations


def _by_unit(units: list[Enrolment], sampled: set[int]) -> list[UnitCoverage]:
    found: dict[int, list[Enrolment]] = {}
    for enrolment in units:
        found.setdefault(enrolment.unit_id, []).append(enrolment)
    rows = [
        UnitCoverage(e[0].unit.code, e[0].unit.title, len(e), sum(x.pk in sampled for x in e)) for e in found.values()
    ]
    return sorted(rows, key=lambda row: row.code)


def compliance(plan: SamplingPlan) -> Compliance:
    """The plan against what the IQA has done in its period, under each CAMERA heading."""
    units = plan_units(plan)
    reviewed = reviewed_in_period(plan, (e.pk for e in units))
    sampled = reviewed[Stage.INTERIM] | reviewed[Stage.FINAL]
    methods, locations = _coverage(plan, sampled)
    candidates = {e.candidate_id for e in units}
    return Compliance(
        plan=plan,
        assessors=_assessors(plan, units, reviewed),
        methods=methods,
        locations=locations,
        candidates=len(candidates),
        candidates_sampled=len({e.candidate_id for e in units if e.pk in sampled}),
        units=_by_unit(units, sampled),
        must_sample=_must_sample(plan),
    )


def _must_sample(plan: SamplingPlan) -> list[tuple[Enrolment, bool]]:
    """The units the plan marks one by one, each with whether the IQA has countersigned its record."""
    marked = list(plan.must_sample.select_related("candidate", "unit", "assessor").order_by("candidate__last_name", "unit__code"))
    done = countersigned_records(marked)
    return [(e, e.pk in done) for e in marked]


def countersigned_records(enrolments: Iterable[Enrolment]) -> set[int]:
    """Of these units, those whose standing sign-off the IQA has countersigned."""
    return set(
        QualityReview.objects.filter(
            enrolment__in=list(enrolments), outcome=Outcome.COUNTERSIGNED, sign_off__voided_at__isnull=True,
            sign_off__isnull=False,
        ).values_list("enrolment_id", flat=True)
    )


def current_plan(iqa: Person, centre_id: int, today: datetime.date | None = None) -> SamplingPlan | None:
    """The IQA's plan at the centre whose period holds today, if any."""
    today = today or timezone.localdate()
    return (
        SamplingPlan.objects.filter(iqa=iqa, centre_id=centre_id, period_start__lte=today, period_end__gte=today)
        .order_by("-period_start").first()
    )


def plan_shown(iqa: Person, centre_id: int) -> SamplingPlan | None:
    """The plan the pages show and change: the current one, or else the next to start."""
    today = timezone.localdate()
    return current_plan(iqa, centre_id, today) or (
        SamplingPlan.objects.filter(iqa=iqa, centre_id=centre_id, period_start__gt=today).order_by("period_start").first()
    )


def plans_of(iqa: Person) -> list[tuple[Centre, Compliance | None]]:
    """Each centre where the person is an IQA, with what their plan there asks and what is done
    (None where they have no plan yet): the sample page shows them."""
    centres = Centre.objects.filter(memberships__person=iqa, memberships__role=Role.IQA).distinct().order_by("name")
    found = []
    for centre in centres:
        plan = plan_shown(iqa, centre.pk)
        found.append((centre, compliance(plan) if plan else None))
    return found


def marked_before_claim(enrolments: Iterable[Enrolment], today: datetime.date | None = None) -> set[int]:
    """Of these units, those the current plan of their IQA at their centre marks "sample before
    claim", by itself or as every unit of its assessor."""
    enrolments = list(enrolments)
    if not enrolments:
        return set()
    today = today or timezone.localdate()
    plans = SamplingPlan.objects.filter(
        iqa_id__in={e.iqa_id for e in enrolments}, centre_id__in={e.centre_id for e in enrolments},
        period_start__lte=today, period_end__gte=today,
    ).prefetch_related("ratings", "must_sample").order_by("period_start")
    marks: dict[tuple[int, int], tuple[set[int], set[int]]] = {}
    for plan in plans:
        marks[(plan.iqa_id, plan.centre_id)] = (
            {e.pk for e in plan.must_sample.all()},
            {r.assessor_id for r in plan.ratings.all() if r.sample_before_claim},
        )
    found = set()
    for enrolment in enrolments:
        units, assessors = marks.get((enrolment.iqa_id, enrolment.centre_id), (set(), set()))
        if enrolment.pk in units or enrolment.assessor_id in assessors:
            found.add(enrolment.pk)
    return found


def held_before_claim(enrolments: Iterable[Enrolment]) -> set[int]:
    """The units held from claiming: marked "sample before claim" and not yet countersigned by the IQA."""
    enrolments = list(enrolments)
    marked = marked_before_claim(enrolments)
    return marked - countersigned_records(e for e in enrolments if e.pk in marked)


def held_from_claim(today: datetime.date | None = None) -> Q:
    """`held_before_claim` as a condition on sign-offs, for a query that counts and pages what is
    ready to claim in the database: the unit is marked "sample before claim" by a current plan of
    its IQA at its centre (by itself, or as every unit of its assessor), and the IQA has not
    countersigned its standing record."""
    today = today or timezone.localdate()
    current = {"period_start__lte": today, "period_end__gte": today}
    marked = Exists(SamplingPlan.objects.filter(
        iqa=OuterRef("enrolment__iqa"), centre=OuterRef("enrolment__centre"), must_sample=OuterRef("enrolment"), **current,
    )) | Exists(AssessorRating.objects.filter(
        plan__iqa=OuterRef("enrolment__iqa"), plan__centre=OuterRef("enrolment__centre"),
        assessor=OuterRef("enrolment__assessor"), sample_before_claim=True,
        **{f"plan__{name}": value for name, value in current.items()},
    ))
    countersigned = Exists(QualityReview.objects.filter(
        enrolment=OuterRef("enrolment"), outcome=Outcome.COUNTERSIGNED, sign_off__isnull=False,
        sign_off__voided_at__isnull=True,
    ))
    return Q(marked) & ~Q(countersigned)


def holds_any(centre: Centre, today: datetime.date | None = None) -> bool:
    """Whether a current plan at the centre marks anything "sample before claim": when none does,
    nothing is held, and a list of what is ready need not ask `held_from_claim` of every unit."""
    today = today or timezone.localdate()
    return SamplingPlan.objects.filter(centre=centre, period_start__lte=today, period_end__gte=today).filter(
        Q(must_sample__isnull=False) | Q(ratings__sample_before_claim=True)
    ).exists()
