"""What the home page shows: one section for each role the person holds at any centre, the first
leading. The page itself is served by assessments.views.home.

Every section is read in a fixed number of queries, however many units, candidates or centres
it lists: progress is counted in the database, by subqueries or grouped queries, never a query per
row. The assessor's and the IQA's caseloads are read by assessments (`home_caseload`,
`home_iqa_caseload`), which knows sign-offs and reviews; the assessor's units are also on their own
paginated page (assessments.views.candidates).
"""

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import access, case_closed_notices, enrolment_counts, selectors
from ..case_evidence import same_case
from ..held_roles import as_assessor, as_candidate, candidate_here, case_held
from ..models import (
    Centre,
    DeactivatedMembership,
    Enrolment,
    EnrolmentStatus,
    EqaGrant,
    Evidence,
    EvidenceState,
    Invitation,
    Membership,
    Person,
    Role,
)
from ..progress import with_progress
from ..waiting import waiting_for

# The order sections appear in when a person holds several roles: their own portfolio first,
# then the work they do for others, then the centre's running.
ROLE_ORDER = (Role.CANDIDATE, Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR, Role.EQA)

LATEST_EVIDENCE_SHOWN = 5


def _count(queryset: QuerySet, group_by: str, counted_field: str = "pk") -> Coalesce:
    """The number of distinct `counted_field` values in `queryset` (already tied to the outer row),
    as an annotation."""
    counted = queryset.order_by().values(group_by).annotate(n=Count(counted_field, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _waiting(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment with how many of its candidate's evidence items mapped to its unit wait for
    assessment (an item mapped to two units counts on each: both wait for its judgement)."""
    return enrolments.annotate(evidence_waiting=_count(_submitted_to_unit(), "candidate"))


def _submitted_to_unit() -> QuerySet[Evidence]:
    """The enrolment's candidate's evidence at its centre, mapped to a criterion or knowledge item of
    its unit (as the queue narrowed to a unit finds it), that waits for assessment (a subquery)."""
    unit = OuterRef(OuterRef("unit"))
    criteria = Evidence.criteria.through.objects.filter(evidence=OuterRef("pk"), criterion__unit=unit)
    knowledge = Evidence.knowledge_items.through.objects.filter(evidence=OuterRef("pk"), knowledgeitem__unit=unit)
    return Evidence.objects.filter(same_case(), state=EvidenceState.SUBMITTED).filter(
        Q(Exists(criteria)) | Q(Exists(knowledge))
    )


def _mapped_anywhere() -> ExpressionWrapper:
    """Whether the evidence is mapped to anything yet: a draft that is asks only to be submitted."""
    pk = OuterRef("pk")
    mapped = (
        Q(Exists(Evidence.criteria.through.objects.filter(evidence=pk)))
        | Q(Exists(Evidence.knowledge_items.through.objects.filter(evidence=pk)))
        | Q(Exists(Evidence.scope_items.through.objects.filter(evidence=pk)))
    )
    return ExpressionWrapper(mapped, output_field=BooleanField())


def _candidate_section(person: Person) -> dict:
    enrolments = with_progress(
        Enrolment.objects.filter(as_candidate(person), case_held())
        .select_related("unit", "assessor", "iqa", "centre")
        .order_by("target_date", "unit__code"),
    )
    latest = Evidence.objects.filter(as_candidate(person)).select_related("centre").order_by("-updated_at", "-number")
    drafts = (
        Evidence.objects.filter(as_candidate(person), state=EvidenceState.DRAFT)
        .annotate(mapped=_mapped_anywhere())
        .order_by("number")
    )
    return {
        "enrolments": enrolments,
        "latest_evidence": list(latest[:LATEST_EVIDENCE_SHOWN]),
        # Each centre numbers its own evidence (E1 at each): say whose each is where there are two.
        "several_centres": len({e.centre_id for e in enrolments}) > 1,
        # The first of the "To do" list; assessments adds what was referred back and what waits
        # for the candidate's countersignature.
        "drafts": list(drafts),
        # Units closed while the centre checks who is on them: named, never opened (`case_closed_notices`).
        "closed_units": case_closed_notices.closed_units_of(person),
    }


# The assessor's candidates' units in the order they are listed: the nearest target date first, so
# that what is past its target or close to it comes first.
ASSESSOR_ORDER = ("target_date", "candidate__last_name", "candidate__first_name", "unit__code", "pk")
# How many of them the home page lists; the rest are on the full list, a page at a time.
ASSESSOR_UNITS_SHOWN = 10


# What the assessor may narrow the list to, besides one candidate or one unit.
SHOW_PAST_TARGET, SHOW_WAITING = "past_target", "waiting"
SHOW_CHOICES = (
    ("", "All units"),
    (SHOW_PAST_TARGET, "Past their target date"),
    (SHOW_WAITING, "With evidence waiting"),
)


def assessor_enrolments(
    person: Person, *, show: str = "", candidate_id: int | None = None, unit_id: int | None = None
) -> QuerySet[Enrolment]:
    """The enrolments the person assesses, in listing order, narrowed as chosen. Plain rows: the
    numbers are added to the rows shown only, by `with_numbers`."""
    # Withdrawn and transferred units are no work of theirs: they stay on the unit's own page.
    enrolments = Enrolment.objects.filter(as_assessor(person), status=EnrolmentStatus.ACTIVE)
    if candidate_id is not None:
        enrolments = enrolments.filter(candidate_id=candidate_id)
    if unit_id is not None:
        enrolments = enrolments.filter(unit_id=unit_id)
    if show == SHOW_PAST_TARGET:
        enrolments = enrolments.filter(target_date__lt=timezone.localdate())
    elif show == SHOW_WAITING:
        enrolments = enrolments.filter(Exists(_submitted_to_unit()))
    return enrolments.order_by(*ASSESSOR_ORDER)


def with_numbers(shown: QuerySet[Enrolment]) -> list[Enrolment]:
    """The enrolments of `shown` (a slice of `assessor_enrolments`), each with its progress and the
    evidence waiting, in three queries. The numbers are counted for these rows only: asked of the whole
    list, both databases counted them for every enrolment before sorting and keeping a page."""
    rows = Enrolment.objects.filter(pk__in=shown.values("pk")).select_related("candidate", "unit", "centre")
    return with_progress(_waiting(rows).order_by(*ASSESSOR_ORDER))


def _assessor_section(person: Person) -> dict:
    """The evidence waiting for the assessor (as their queue counts it: not a deactivated candidate's)
    and when the longest waiting was submitted; assessments adds their caseload and the units it lists."""
    # As the queue lists it (`waiting.waiting_for`): only what bears on an active unit.
    waiting = waiting_for(person).filter(candidate_here()).aggregate(count=Count("pk"), oldest=Min("submitted_at"))
    return {"waiting": waiting}


def _iqa_section(person: Person) -> dict:
    """Nothing portfolio can say: assessments adds the IQA's assessors, their caseloads and the sample."""
    return {}


def _administrator_section(person: Person) -> dict:
    def members(role: str) -> Coalesce:
        return _count(Membership.objects.filter(centre=OuterRef("pk"), role=role), "centre")

    def invited(role: str) -> Coalesce:
        # Those invited and not yet accepted (expired too, as the centre page lists them): a new
        # centre's people are all invited first, so "Candidates 0" alone would mislead.
        waiting = Invitation.objects.filter(centre=OuterRef("pk"), role=role, accepted_at__isnull=True,
                                            cancelled_at__isnull=True)
        return _count(waiting, "centre")

    centres = access.centres_where(person, Role.ADMINISTRATOR).annotate(
        candidate_count=members(Role.CANDIDATE),
        assessor_count=members(Role.ASSESSOR),
        iqa_count=members(Role.IQA),
        candidates_invited=invited(Role.CANDIDATE),
        assessors_invited=invited(Role.ASSESSOR),
        iqas_invited=invited(Role.IQA),
    )
    # Active enrolments, and apart those of deactivated candidates and those withdrawn or
    # transferred, as the centre page and the site's centres page count them (`enrolment_counts`).
    found = enrolment_counts.of_centres(centres)
    # The people figures count those holding the role: each says how many deactivated it leaves
    # out (an outside trial: "Candidates" fell by one with no word why). One query for the card.
    deactivated: dict[tuple[int, str], int] = {}
    for centre_id, roles in DeactivatedMembership.objects.filter(centre__in=found).values_list("centre_id", "roles"):
        for role in set(roles or ()):
            deactivated[(centre_id, role)] = deactivated.get((centre_id, role), 0) + 1
    for centre in found:
        centre.candidates_deactivated = deactivated.get((centre.pk, Role.CANDIDATE), 0)  # type: ignore[attr-defined]
        centre.assessors_deactivated = deactivated.get((centre.pk, Role.ASSESSOR), 0)  # type: ignore[attr-defined]
        centre.iqas_deactivated = deactivated.get((centre.pk, Role.IQA), 0)  # type: ignore[attr-defined]
    return {"centres": found}


def _eqa_section(person: Person) -> dict:
    """The person's grants not ended nor run out, each with its centre and whether its terms wait."""
    grants = (
        EqaGrant.objects.filter(
            person=person, ended_at__isnull=True, end_date__gte=access.local_today(), seal_broken_at__isnull=True
        )
        .select_related("centre").order_by("centre__name", "start_date")
    )
    return {"grants": list(grants), "today": access.local_today()}


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
            # Assessments, which serves the page, puts its own template in where it adds to the section.
            {"role": role, "heading": heading, "template": f"portfolio/home_{role}.html", **read(person)}
        )
    # Someone with no role left who was deactivated is told whose decision that was, not to ask to be added.
    ended = [] if sections else list(
        DeactivatedMembership.objects.filter(person=person).select_related("centre", "deactivated_by").order_by("centre__name")
    )
    return {
        "sections": sections, "memberships": _memberships(person), "ended": ended, "today": timezone.localdate(),
    }
