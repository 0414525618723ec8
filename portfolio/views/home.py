"""What the home page shows: one section for each role the person holds at any centre, the first
leading. The page itself is served by assessments.views.home.

Every section is read in a fixed number of queries, however many units, candidates or centres
it lists: progress is counted in the database, one subquery per number, never one per row.
"""

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from standards.models import Criterion, KnowledgeItem

from .. import selectors
from ..models import Centre, Enrolment, Evidence, EvidenceState, Membership, Person, Role

# The order sections appear in when a person holds several roles: their own portfolio first,
# then the work they do for others, then the centre's running.
ROLE_ORDER = (Role.CANDIDATE, Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR, Role.EQA)

LATEST_EVIDENCE_SHOWN = 5


def _count(queryset: QuerySet, group_by: str, counted_field: str = "pk") -> Coalesce:
    """The number of distinct `counted_field` values in `queryset` (already tied to the outer row),
    as an annotation."""
    counted = queryset.order_by().values(group_by).annotate(n=Count(counted_field, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_progress(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment with how many of its unit's criteria and knowledge items the candidate has
    mapped evidence to (any of their evidence, whatever its state), of how many: the same
    "with evidence" numbers as the candidate's unit page."""
    unit, candidate = OuterRef("unit"), OuterRef("candidate")
    # Counted from the candidate's own mapping rows (a few hundred, through the evidence's candidate
    # index), not from the unit's items joined to every mapping of each: a tenth of the time for an
    # assessor with a hundred enrolments.
    mapped_criteria = Evidence.criteria.through.objects.filter(evidence__candidate=candidate, criterion__unit=unit)
    mapped_knowledge = Evidence.knowledge_items.through.objects.filter(
        evidence__candidate=candidate, knowledgeitem__unit=unit
    )
    return enrolments.annotate(
        criteria_total=_count(Criterion.objects.filter(unit=unit), "unit"),
        criteria_evidenced=_count(mapped_criteria, "evidence__candidate", "criterion"),
        knowledge_total=_count(KnowledgeItem.objects.filter(unit=unit), "unit"),
        knowledge_evidenced=_count(mapped_knowledge, "evidence__candidate", "knowledgeitem"),
    )


def _waiting(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment with how many of its candidate's evidence items wait for assessment."""
    submitted = Evidence.objects.filter(
        candidate=OuterRef("candidate"), centre=OuterRef("centre"), state=EvidenceState.SUBMITTED
    )
    return enrolments.annotate(evidence_waiting=_count(submitted, "candidate"))


def _candidate_section(person: Person) -> dict:
    enrolments = with_progress(
        Enrolment.objects.filter(candidate=person).select_related("unit", "assessor", "iqa", "centre")
    ).order_by("target_date", "unit__code")
    latest = Evidence.objects.filter(candidate=person).order_by("-updated_at", "-number")
    drafts = Evidence.objects.filter(candidate=person, state=EvidenceState.DRAFT).order_by("number")
    return {
        "enrolments": list(enrolments),
        "latest_evidence": list(latest[:LATEST_EVIDENCE_SHOWN]),
        # The first of the "To do" list; assessments adds what was referred back and what waits
        # for the candidate's countersignature.
        "drafts": list(drafts),
    }


def _assessor_section(person: Person) -> dict:
    enrolments = _waiting(
        with_progress(Enrolment.objects.filter(assessor=person).select_related("candidate", "unit", "centre"))
    ).order_by("target_date", "candidate__last_name", "candidate__first_name", "unit__code")
    on_my_case = Enrolment.objects.filter(
        candidate=OuterRef("candidate"), centre=OuterRef("centre"), assessor=person
    )
    waiting = Evidence.objects.filter(Exists(on_my_case), state=EvidenceState.SUBMITTED).aggregate(
        count=Count("pk"), oldest=Min("submitted_at")
    )
    return {"enrolments": list(enrolments), "waiting": waiting}


def _iqa_section(person: Person) -> dict:
    enrolments = with_progress(
        Enrolment.objects.filter(iqa=person).select_related("candidate", "unit", "assessor", "centre")
    ).order_by(
        "assessor__last_name",
        "assessor__first_name",
        "assessor_id",
        "candidate__last_name",
        "candidate__first_name",
        "unit__code",
    )
    return {"enrolments": list(enrolments)}


def _administrator_section(person: Person) -> dict:
    def members(role: str) -> Coalesce:
        return _count(Membership.objects.filter(centre=OuterRef("pk"), role=role), "centre")

    centres = selectors.centres_where(person, Role.ADMINISTRATOR).annotate(
        candidate_count=members(Role.CANDIDATE),
        assessor_count=members(Role.ASSESSOR),
        iqa_count=members(Role.IQA),
        enrolment_count=_count(Enrolment.objects.filter(centre=OuterRef("pk")), "centre"),
    )
    return {"centres": list(centres)}


def _eqa_section(person: Person) -> dict:
    return {"centres": list(selectors.centres_where(person, Role.EQA))}


_SECTIONS = {
    Role.CANDIDATE: ("Your portfolio", _candidate_section),
    Role.ASSESSOR: ("Your candidates", _assessor_section),
    Role.IQA: ("Quality assurance", _iqa_section),
    Role.ADMINISTRATOR: ("Your centre", _administrator_section),
    Role.EQA: ("Centres you oversee", _eqa_section),
}


def _memberships(person: Person) -> list[tuple[str, list[Centre]]]:
    """Each role the person holds, in display order, with the centres they hold it at."""
    held: dict[str, list[Centre]] = {}
    for membership in Membership.objects.filter(person=person).select_related("centre"):
        held.setdefault(membership.role, []).append(membership.centre)
    return [(Role(role).label, held[role]) for role in ROLE_ORDER if role in held]


def home_context(person: Person) -> dict:
    """Everything the home page shows, one section per role the person holds. The page itself is
    served by assessments, which adds what only it knows (the assessor's queue, IQA referrals)."""
    roles = selectors.roles_of(person)
    sections = []
    for role in ROLE_ORDER:
        if role not in roles:
            continue
        heading, read = _SECTIONS[role]
        sections.append(
            {"role": role, "heading": heading, "template": f"portfolio/home_{role}.html", **read(person)}
        )
    return {"sections": sections, "memberships": _memberships(person), "today": timezone.localdate()}
