"""What each person may see. Every view fetches its objects through these functions, so a
stranger's request finds nothing (404) rather than something forbidden (403): ids leak nothing.

Who is on a candidate's case: the candidate; the assessor and the IQA of any of their enrolments
at that centre; the administrators of that centre; its external quality assurers (read-only).
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Centre, Enrolment, Evidence, EvidenceFile, Membership, Person, Role


def roles_of(person: Person) -> set[str]:
    if not person.is_authenticated:
        return set()
    cached = getattr(person, "_portfolio_roles", None)
    if cached is None:
        cached = set(Membership.objects.filter(person=person).values_list("role", flat=True))
        person._portfolio_roles = cached  # type: ignore[attr-defined]  # kept on the request's Person
    return cached


def centres_where(person: Person, *roles: str) -> QuerySet[Centre]:
    return Centre.objects.filter(memberships__person=person, memberships__role__in=roles).distinct()


def _overseen_centres(person: Person) -> QuerySet[Centre]:
    """Centres whose every portfolio this person may read: its administrators and EQAs."""
    return centres_where(person, Role.ADMINISTRATOR, Role.EQA)


def enrolments_visible_to(person: Person) -> QuerySet[Enrolment]:
    if not person.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        Q(candidate=person) | Q(assessor=person) | Q(iqa=person) | Q(centre__in=_overseen_centres(person))
    ).select_related("candidate", "unit", "unit__suite", "assessor", "iqa", "centre")


def enrolment_for_user(person: Person, pk: int) -> Enrolment:
    return get_object_or_404(enrolments_visible_to(person), pk=pk)


def evidence_visible_to(person: Person) -> QuerySet[Evidence]:
    if not person.is_authenticated:
        return Evidence.objects.none()
    on_case = Enrolment.objects.filter(
        candidate=OuterRef("candidate"), centre=OuterRef("centre")
    ).filter(Q(assessor=person) | Q(iqa=person))
    return Evidence.objects.filter(
        Q(candidate=person) | Exists(on_case) | Q(centre__in=_overseen_centres(person))
    ).select_related("candidate", "centre")


def evidence_for_user(person: Person, pk: int) -> Evidence:
    return get_object_or_404(evidence_visible_to(person), pk=pk)


def own_evidence_for_user(person: Person, pk: int) -> Evidence:
    """Evidence the person may change as its candidate (others get 404, as for strangers)."""
    return get_object_or_404(Evidence.objects.select_related("centre"), pk=pk, candidate=person)


def evidence_file_for_user(person: Person, pk: int) -> EvidenceFile:
    return get_object_or_404(
        EvidenceFile.objects.select_related("evidence", "evidence__candidate"),
        pk=pk,
        evidence__in=evidence_visible_to(person),
    )


def candidates_at(centre: Centre) -> QuerySet[Person]:
    return Person.objects.filter(memberships__centre=centre, memberships__role=Role.CANDIDATE).annotate(
        enrolment_count=Count("enrolments", filter=Q(enrolments__centre=centre), distinct=True)
    )


def staff_at(centre: Centre, role: str) -> QuerySet[Person]:
    return Person.objects.filter(memberships__centre=centre, memberships__role=role).distinct()


def administered_centre_for_user(person: Person, pk: int) -> Centre:
    return get_object_or_404(centres_where(person, Role.ADMINISTRATOR), pk=pk)
