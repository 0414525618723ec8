"""The IQA's caseload at a glance, for their home page: each assessor whose decisions they quality-assure,
with that assessor's units by where they stand (overdue by the rule in `home_caseload`), the evidence
waiting for them and its longest wait, the units waiting for the IQA's review, and how the IQA's
sampling plan stands for them (`sampling_plan.compliance`, which the plan's page shows in full).

The units are those the IQA quality-assures and does not also assess, as on the sample page. Read in
a fixed number of queries however many assessors and units (and a few more for each centre where the
person is an IQA, for its sampling plan)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from portfolio.held_roles import as_iqa
from portfolio.models import Centre, Enrolment, EnrolmentStatus, Person
from portfolio.name_order import folded
from portfolio.selectors import deactivated_on

from . import sampling_plan
from .caseload import oldest_wait_words
from .counted import in_figures, of_current_candidates
from .home_caseload import (
    NEAR_TARGET,
    Bar,
    BarPart,
    UnitWaiting,
    overdue_filter,
    waiting_by_unit,
)
from .models import SignOff
from .sampling import review_due, with_state
from .sampling_plan import Compliance, StageCount
from .unit_state import UnitState


@dataclass
class AssessorLine:
    assessor_id: int
    name: str
    candidates: int
    units: int
    signed_off: int
    overdue: int
    near_target: int
    referred: int  # referred back by the IQA, not yet answered
    to_review: int  # in the IQA's sample, the review not yet recorded
    by_name: tuple[str, str, str] = ("", "", "")  # `name_order`'s key
    deactivated: bool = False  # at the centre of any of these units: marked so, as every page marks them
    waiting: UnitWaiting = field(default_factory=UnitWaiting)
    interim: StageCount | None = None  # None: no sampling plan covers this assessor
    summative: StageCount | None = None

    @property
    def in_progress(self) -> int:
        return self.units - self.signed_off

    @property
    def oldest_words(self) -> str:
        return oldest_wait_words(self.waiting.oldest, timezone.localdate())

    @property
    def plan_met(self) -> bool | None:
        if self.interim is None or self.summative is None:
            return None
        return self.interim.met and self.summative.met

    @property
    def sample_url(self) -> str:
        return reverse("assessments:iqa_sample") + f"?assessor={self.assessor_id}"

    @property
    def bar(self) -> Bar:
        parts = [BarPart("Signed off", self.signed_off, "fill-signed"), BarPart("In progress", self.in_progress, "fill-working")]
        return Bar(parts, self.units, f"{self.name}: {self.signed_off} of {self.units} units signed off")

    def order(self) -> tuple:
        """Behind plan first, then the most waiting for review, then the most overdue; then by name."""
        return (self.plan_met is not False, -self.to_review, -self.overdue, self.by_name)


@dataclass
class PlanLine:
    """One centre's sampling plan in brief: how many assessors it is met for."""

    centre: Centre
    compliance: Compliance | None  # None: no plan yet
    url: str

    @property
    def assessors_met(self) -> int:
        return sum(a.met for a in self.compliance.assessors) if self.compliance else 0


@dataclass
class IqaCaseload:
    assessors: list[AssessorLine]
    plans: list[PlanLine]

    @property
    def behind_plan(self) -> int:
        return sum(line.plan_met is False for line in self.assessors)

    @property
    def plan_to_make(self) -> PlanLine | None:
        """With no sampling plan at any of their centres, the first plan to make (the home says "No
        sampling plan yet" rather than counting assessors behind a plan that does not exist)."""
        if any(plan.compliance for plan in self.plans):
            return None
        return self.plans[0] if self.plans else None

    @property
    def overdue(self) -> int:
        return sum(line.overdue for line in self.assessors)


def _assessor_lines(person: Person, today: datetime.date) -> dict[int, AssessorLine]:
    # A deactivated candidate's finished units count, as in the reports (counted.in_figures): the IQA
    # still samples and reviews them; their work in progress is no one's, and their evidence waits for no one.
    mine = in_figures(
        Enrolment.objects.filter(as_iqa(person), status=EnrolmentStatus.ACTIVE).exclude(assessor=person))
    counted = (
        with_state(mine)
        .annotate(
            signed_off=Exists(SignOff.objects.standing().filter(enrolment=OuterRef("pk"))),
            to_review=review_due(),  # in the sample with something new to review
            assessor_deactivated=deactivated_on("assessor"),
        )
        .order_by()
        .values("assessor_id", "assessor__first_name", "assessor__last_name", "assessor__email")
        .annotate(
            candidates=Count("candidate_id", distinct=True),
            units=Count("pk"),
            signed=Count("pk", filter=Q(signed_off=True)),
            overdue=Count("pk", filter=overdue_filter(today)),
            near_target=Count("pk", filter=Q(signed_off=False, target_date__gte=today, target_date__lte=today + NEAR_TARGET)),
            referred=Count("pk", filter=Q(state=UnitState.REFERRED)),
            reviews=Count("pk", filter=Q(to_review=True)),
            deactivated=Count("pk", filter=Q(assessor_deactivated=True)),
        )
    )
    lines = {}
    for row in counted:
        first, last, email = row["assessor__first_name"], row["assessor__last_name"], row["assessor__email"]
        lines[row["assessor_id"]] = AssessorLine(
            assessor_id=row["assessor_id"], name=f"{first} {last}".strip() or email, candidates=row["candidates"],
            units=row["units"], signed_off=row["signed"], overdue=row["overdue"], near_target=row["near_target"],
            referred=row["referred"], to_review=row["reviews"],
            by_name=(folded(last), folded(first), email), deactivated=row["deactivated"] > 0,
        )
    worked_on = of_current_candidates(mine)
    waiting = waiting_by_unit(worked_on.values("candidate_id"))
    for candidate_id, centre_id, unit_id, assessor_id in worked_on.values_list("candidate_id", "centre_id", "unit_id", "assessor_id"):
        found = waiting.get((candidate_id, centre_id, unit_id))
        if found is not None:
            lines[assessor_id].waiting.merge(found)
    return lines


def _summed(counts: list[StageCount]) -> StageCount:
    return StageCount(sum(c.planned for c in counts), sum(c.done for c in counts))


def iqa_caseload(person: Person) -> IqaCaseload:
    today = timezone.localdate()
    lines = _assessor_lines(person, today)
    plans: list[PlanLine] = []
    interim: dict[int, list[StageCount]] = {}
    summative: dict[int, list[StageCount]] = {}
    for centre, compliance in sampling_plan.plans_of(person):
        url = reverse("assessments:sampling_plan", args=[centre.pk, person.pk])
        plans.append(PlanLine(centre, compliance, url))
        for assessor in compliance.assessors if compliance else []:
            interim.setdefault(assessor.assessor.pk, []).append(assessor.interim)
            summative.setdefault(assessor.assessor.pk, []).append(assessor.summative)
    for assessor_id, line in lines.items():
        if assessor_id in interim:
            line.interim, line.summative = _summed(interim[assessor_id]), _summed(summative[assessor_id])
    return IqaCaseload(assessors=sorted(lines.values(), key=AssessorLine.order), plans=plans)
