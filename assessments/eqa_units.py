"""What the external quality assurer reads of the units in their scope: the list on their home page
(where each unit stands, its assessor and IQA, when the IQA and this EQA sampled it), its filters,
and the "EQA sampled" marks every list and the unit page show.

Which units are in the EQA's scope is `portfolio.access.eqa_enrolments`, asked here and nowhere
else. The rows of one page are read in a fixed number of queries, however many units the list holds.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from portfolio import access
from portfolio.models import Centre, Enrolment, Membership, Person, QualificationRegistration
from standards.models import Qualification, Unit

from .access import eqa_reports_visible_to
from .claim_models import Claim
from .eqa_models import EqaReport, EqaReview, EqaSample
from .models import QualityReview
from .sampling import with_state
from .selectors import unit_states
from .unit_state import Badge, UnitState

# The states the list may be narrowed to: where the unit has got to, as the EQA asks it. A claimed
# unit is "claimed" whatever else it is; "signed off" takes in a unit waiting for the candidate.
CLAIMED = "claimed"
STATE_CHOICES = [
    (UnitState.IN_PROGRESS.value, "In progress"),
    (UnitState.SIGNED_OFF.value, "Signed off"),
    (UnitState.COUNTERSIGNED.value, "IQA countersigned"),
    (UnitState.REFERRED.value, "Referred back by the IQA"),
    (CLAIMED, "Claimed"),
]
_STATES_OF = {UnitState.SIGNED_OFF.value: [UnitState.SIGNED_OFF.value, UnitState.AWAITING.value]}

LIST_ORDER = ("centre__name", "centre_id", "candidate__last_name", "candidate__first_name", "unit__code", "pk")


@dataclass(frozen=True)
class FilterChoices:
    """What the EQA may narrow their list to: only what is in their scope."""

    centres: list[tuple[int, str]]
    qualifications: list[tuple[int, str]]
    units: list[tuple[int, str]]
    assessors: list[tuple[int, str]]


def filter_choices(eqa: Person) -> FilterChoices:
    scope = access.eqa_enrolments(eqa)
    # A qualification an open grant names, with candidates registered on it at that grant's centre:
    # a grant of units only offers none (its units are all the EQA may read there).
    registered = QualificationRegistration.objects.filter(qualification=OuterRef(OuterRef("pk")), centre=OuterRef("centre"))
    granting = access.eqa_grants_open_to(eqa).filter(qualifications=OuterRef("pk")).filter(Exists(registered))
    qualifications = Qualification.objects.filter(Exists(granting)).order_by("code")
    units = Unit.objects.filter(pk__in=scope.values("unit")).order_by("code", "version")
    assessors = Person.objects.filter(pk__in=scope.values("assessor")).order_by("last_name", "first_name")
    return FilterChoices(
        centres=[(c.pk, c.name) for c in access.eqa_centres(eqa).order_by("name")],
        qualifications=[(q.pk, f"{q.code} {q.title}") for q in qualifications],
        units=[(u.pk, u.code if u.version == "1" else f"{u.code} v{u.version}") for u in units],
        assessors=[(p.pk, p.get_full_name() or p.email) for p in assessors],
    )


def _claimed() -> Exists:
    return Exists(Claim.objects.filter(enrolment=OuterRef("pk")))


def listed(eqa: Person, chosen: Mapping[str, Any]) -> QuerySet[Enrolment]:
    """The units in the EQA's scope that the filters chosen leave, in the list's order (by centre,
    then candidate, then unit)."""
    enrolments = access.eqa_enrolments(eqa)
    for name in ("centre", "unit", "assessor"):
        if name in chosen:
            enrolments = enrolments.filter(**{f"{name}_id": chosen[name]})
    if "qualification" in chosen:
        enrolments = enrolments.filter(
            Exists(
                QualificationRegistration.objects.filter(
                    candidate=OuterRef("candidate"), centre=OuterRef("centre"),
                    qualification_id=chosen["qualification"], units=OuterRef("unit"),
                )
            )
        )
    state = chosen.get("state")
    if state == CLAIMED:
        enrolments = enrolments.filter(_claimed())
    elif state:
        enrolments = with_state(enrolments.exclude(_claimed())).filter(state__in=_STATES_OF.get(str(state), [state]))
    return enrolments.order_by(*LIST_ORDER)


@dataclass(frozen=True)
class EqaMark:
    """A unit in an EQA's sample: who, in which sample, planned for when."""

    eqa: str
    sample: str
    planned_on: datetime.date
    sample_id: int


def eqa_marks(enrolment_ids: Iterable[int], *, viewer: Person, eqa: Person | None = None) -> dict[int, list[EqaMark]]:
    """The "EQA sampled" marks of these units that `viewer` may see (of one EQA's samples, if given),
    by enrolment id, the latest first: one query. An EQA's samples are their own: the centre's staff
    (anyone with a role at the unit's centre) see every EQA's marks, an EQA only their own."""
    staff = Membership.objects.filter(person_id=viewer.pk, centre=OuterRef("enrolment__centre"))
    samples = EqaSample.enrolments.through.objects.filter(
        Q(eqasample__eqa_id=viewer.pk) | Q(Exists(staff)), enrolment_id__in=list(enrolment_ids)
    )
    if eqa is not None:
        samples = samples.filter(eqasample__eqa=eqa)
    rows = samples.select_related("eqasample__eqa").order_by("-eqasample__planned_on", "-eqasample_id")
    marks: dict[int, list[EqaMark]] = {}
    for row in rows:
        sample = row.eqasample
        marks.setdefault(row.enrolment_id, []).append(
            EqaMark(eqa=sample.eqa.get_full_name() or sample.eqa.email, sample=sample.name,
                    planned_on=sample.planned_on, sample_id=sample.pk)
        )
    return marks


@dataclass
class EqaUnitRow:
    enrolment: Enrolment
    state: Badge
    claimed: bool
    iqa_sampled_at: datetime.datetime | None
    my_samples: list[EqaMark] = field(default_factory=list)


def unit_rows(eqa: Person, enrolments: Iterable[Enrolment]) -> list[EqaUnitRow]:
    """The rows of one page of the list, with where each stands and its sampling history."""
    shown = list(enrolments)
    ids = [e.pk for e in shown]
    states = unit_states(shown)
    claimed = set(Claim.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", flat=True))
    iqa_sampled = dict(
        QualityReview.objects.filter(enrolment_id__in=ids).order_by().values("enrolment_id")
        .annotate(latest=Max("sampled_at")).values_list("enrolment_id", "latest")
    )
    mine = eqa_marks(ids, viewer=eqa, eqa=eqa)
    return [
        EqaUnitRow(
            enrolment=e, state=states[e.pk], claimed=e.pk in claimed,
            iqa_sampled_at=iqa_sampled.get(e.pk), my_samples=mine.get(e.pk, []),
        )
        for e in shown
    ]


def open_samples(eqa: Person, centre: Centre | None = None) -> QuerySet[EqaSample]:
    """The EQA's samples that may still change: no report on them has been sent to the centre."""
    samples = EqaSample.objects.filter(eqa=eqa).exclude(reports__submitted_at__isnull=False)
    if centre is not None:
        samples = samples.filter(centre=centre)
    return samples.select_related("centre").order_by("planned_on", "pk")


def with_open_actions(reports: QuerySet[EqaReport]) -> QuerySet[EqaReport]:
    """Reports, the latest visit first, each with how many of its actions the EQA has not closed."""
    return (
        reports.select_related("centre", "eqa")
        .annotate(open_actions=Count("actions", filter=~Q(actions__review=EqaReview.CLOSED)))
        .order_by("-visited_on", "-pk")
    )


def reports_sent_to(person: Person, most: int = 8) -> list[EqaReport]:
    """The latest reports EQAs sent that the person reads at their centre (their own aside)."""
    sent = eqa_reports_visible_to(person).filter(submitted_at__isnull=False).exclude(eqa=person)
    return list(with_open_actions(sent)[:most])
