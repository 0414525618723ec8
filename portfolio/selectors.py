"""What portfolio pages read about people and centres. Who may see which object is decided in
`portfolio.access`, which every view fetches through."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from . import name_order
from .enrolment_models import EnrolmentChangeKind
from .models import (
    Centre,
    DeactivatedMembership,
    EndedDeactivation,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    EqaGrant,
    Invitation,
    Membership,
    NameSuggestion,
    Person,
    Role,
)


def roles_of(person: Person) -> set[str]:
    """The person's roles anywhere (one query): their memberships, and EQA while a grant they
    accepted has neither ended nor run out (its records open as `portfolio.access` says)."""
    if not person.is_authenticated:
        return set()
    cached = getattr(person, "_portfolio_roles", None)
    if cached is None:
        memberships = Membership.objects.filter(person=person).order_by().values_list("role", flat=True)
        grants = EqaGrant.objects.filter(
            person=person, ended_at__isnull=True, end_date__gte=timezone.localdate(), seal_broken_at__isnull=True
        ).order_by().values_list(Value(Role.EQA.value, output_field=CharField()))
        cached = set(memberships.union(grants))
        person._portfolio_roles = cached  # type: ignore[attr-defined]  # kept on the request's Person
    return cached


def staff_at(centre: Centre, role: str) -> QuerySet[Person]:
    return Person.objects.filter(memberships__centre=centre, memberships__role=role).distinct()


def invitations_waiting(centre: Centre) -> QuerySet[Invitation]:
    """The centre's invitations to its own roles not yet accepted nor withdrawn (expired ones too:
    they can be sent again)."""
    return Invitation.objects.filter(centre=centre, accepted_at__isnull=True, cancelled_at__isnull=True).exclude(
        role=Role.EQA
    )


def invited_candidates(centre: Centre) -> QuerySet[Invitation]:
    return invitations_waiting(centre).filter(role=Role.CANDIDATE)


def _by_surname(candidate: Person | Invitation) -> tuple[str, str, str]:
    if isinstance(candidate, Invitation):
        return name_order.typed_name_key(candidate.name, candidate.email)
    return name_order.person_key(candidate)


def candidates_to_register(centre: Centre, *, invited: bool) -> list[Person | Invitation]:
    """Whom a registration form offers, by surname (`name_order`): the centre's candidates and, if
    `invited`, those invited as candidates who have not yet accepted, in one list, so a class is
    found in one place. Registering on a unit and on a qualification offer them in this same order."""
    people: list[Person | Invitation] = list(staff_at(centre, Role.CANDIDATE))
    if invited:
        people += list(invited_candidates(centre))
    return sorted(people, key=_by_surname)


def staff_choices(centre: Centre, role: str) -> QuerySet[Person]:
    """The centre's holders of a role as a form offers them, by name (`name_order`)."""
    return staff_at(centre, role).order_by(*name_order.by_name(), "pk")


def granted_unit_import(person: Person) -> bool:
    """A centre administrator the site administrator has allowed to import units (for
    `standards.permissions.may_import_units`)."""
    return Membership.objects.filter(person=person, role=Role.ADMINISTRATOR, may_import_units=True).exists()


def centre_administrators() -> QuerySet[Membership]:
    """Every centre's administrators, centre by centre, for the site administrator's page of who may
    import units."""
    return (
        Membership.objects.filter(role=Role.ADMINISTRATOR)
        .select_related("person", "centre")
        .order_by("centre__name", "centre_id", *name_order.by_name("person__"))
    )


def people_for(enrolment: Enrolment, role: str) -> QuerySet[Person]:
    """Whom the administrator may choose as the unit's new assessor or IQA: the centre's people in
    that role, less those the service refuses (`services_enrolments._require_may_take_over`): the
    candidate, whoever holds the role now, the unit's IQA as its assessor, and as its IQA its assessor
    or anyone who assessed it before (nobody quality-assures their own decisions). Offered, they
    were refused on submit (an outside trial)."""
    wanted = Role.ASSESSOR if role == "assessor" else Role.IQA
    refused = [enrolment.candidate_id, enrolment.assessor_id, enrolment.iqa_id]
    people = Person.objects.filter(memberships__centre_id=enrolment.centre_id, memberships__role=wanted).exclude(pk__in=refused)
    if role == "iqa":
        people = people.exclude(pk__in=assessed_by(enrolment))
    return people.distinct().order_by(*name_order.by_name(), "pk")


def assessed_by(enrolment: Enrolment) -> QuerySet[EnrolmentChange, Any]:
    """The ids of whoever assessed the unit before (a subquery): refused as its IQA, nobody
    quality-assuring decisions they may have made (`services_enrolments._require_may_take_over`)."""
    return enrolment.changes.filter(kind=EnrolmentChangeKind.ASSESSOR, from_person__isnull=False).values("from_person")


def iqas_on_return(enrolment: Enrolment) -> QuerySet[Person]:
    """Whom reinstating may make the unit's IQA: the centre's IQAs less the candidate, its assessor
    and anyone who assessed it before, as `people_for` offers a new IQA (the one it had among them)."""
    return (
        staff_choices(enrolment.centre, Role.IQA)
        .exclude(pk__in=[enrolment.candidate_id, enrolment.assessor_id]).exclude(pk__in=assessed_by(enrolment))
    )


def enrolment_history(enrolment: Enrolment) -> list[EnrolmentChange]:
    """What the centre changed on the enrolment after registering it, the latest first (one query)."""
    return list(enrolment.changes.select_related("from_person", "to_person", "changed_by"))


def closure_of(enrolment: Enrolment) -> EnrolmentChange | None:
    """How a withdrawn or transferred enrolment came to be so (when, why, where to); None while it
    is active, with no query."""
    if enrolment.status == EnrolmentStatus.ACTIVE:
        return None
    return (
        enrolment.changes.filter(to_status=enrolment.status, kind__in=["withdrawn", "transferred"])
        .select_related("changed_by").first()
    )


@dataclass(frozen=True)
class PersonHere:
    """What a centre's administrator sees of one person there: nothing of any other centre."""

    roles: list[str]  # the roles held here, or held until deactivated, in the order of `Role`
    deactivation: DeactivatedMembership | None
    enrolments: QuerySet[Enrolment]  # every unit here they are the candidate, assessor or IQA of (page it)
    # The roles they hold here now: with a deactivation, those that let them in again (an invitation
    # accepted before deactivating withdrew it), so that the page never says they can open nothing.
    held_now: list[str] = field(default_factory=list)
    # The roles of the invitations here that deactivating withdrew ("internal quality assurer"), so
    # the page can say why no link of theirs works.
    invitations_withdrawn: list[str] = field(default_factory=list)
    # The deactivations here that a reactivation ended, the latest first: this centre's only.
    ended_deactivations: list[EndedDeactivation] = field(default_factory=list)


def person_here(person: Person, centre: Centre) -> PersonHere:
    deactivation = DeactivatedMembership.objects.filter(person=person, centre=centre).select_related("deactivated_by").first()
    held_now = set(Membership.objects.filter(person=person, centre=centre).values_list("role", flat=True))
    held = held_now | (set(deactivation.roles) if deactivation else set())
    enrolments = (
        Enrolment.objects.filter(Q(candidate=person) | Q(assessor=person) | Q(iqa=person), centre=centre)
        .select_related("candidate", "unit", "assessor", "iqa")
        .order_by("unit__code", "candidate__last_name", "candidate__first_name", "pk")
    )
    return PersonHere(
        roles=[role for role in Role.values if role in held], deactivation=deactivation, enrolments=enrolments,
        held_now=[str(Role(role).label).lower() for role in Role.values if role in held_now],
        invitations_withdrawn=_withdrawn_by(deactivation) if deactivation else [],
        ended_deactivations=list(
            EndedDeactivation.objects.filter(person=person, centre=centre)
            .select_related("deactivated_by", "reactivated_by").order_by("-reactivated_at", "-pk")
        ),
    )


def _withdrawn_by(deactivation: DeactivatedMembership) -> list[str]:
    """The roles of the invitations the deactivation withdrew, as it recorded them."""
    roles = set(deactivation.invitations_withdrawn.values_list("role", flat=True))
    return [str(Role(role).label).lower() for role in Role.values if role in roles]


NAME_QUESTIONS_SHOWN = 5


@dataclass(frozen=True)
class NameQuestion:
    """A name the centre asked the person to confirm, and where it stands: "waiting" (since it was
    asked), "accepted" or "declined" (when they answered), "replaced" (by the centre's newer
    question, `suggestion.replaced_by`, while it waited) or "already" (their name is that now, so it
    asks them nothing more)."""

    suggestion: NameSuggestion
    state: str


def name_questions_here(person: Person, centre: Centre) -> list[NameQuestion]:
    """The names this centre asked the person to confirm, newest first: never another centre's."""
    asked = (
        NameSuggestion.objects.filter(person=person, centre=centre)
        .select_related("suggested_by", "replaced_by")
        .order_by("-made_at", "-pk")[:NAME_QUESTIONS_SHOWN]
    )
    questions = []
    for suggestion in asked:
        if suggestion.answer:
            state = suggestion.answer
        elif suggestion.replaced_by is not None:
            state = "replaced"
        elif (suggestion.first_name, suggestion.last_name) == (person.first_name, person.last_name):
            state = "already"  # as `services_account.waiting_name_suggestions`: not shown to them
        else:
            state = "waiting"
        questions.append(NameQuestion(suggestion, state))
    return questions


def deactivated_at(centre: Centre, among: list[int] | None = None) -> set[int]:
    """The ids of the people deactivated at the centre (of those `among`, if given), for marking
    their names "(deactivated)" wherever the centre's records show them."""
    deactivated = DeactivatedMembership.objects.filter(centre=centre)
    if among is not None:
        deactivated = deactivated.filter(person_id__in=among)
    return set(deactivated.values_list("person_id", flat=True))


def mark_deactivated(rows: Iterable[Any], *people: str) -> None:
    """On a page showing several centres' units (the IQA's, the EQA's, the claims): each row (an
    enrolment, or anything with `centre_id` and the `people` fields' ids) gains `<field>_deactivated`,
    true where that person is deactivated at the row's centre, for marking them "(deactivated)" as
    `deactivated_at` does on one centre's pages. One query for the page, none per row."""
    rows = list(rows)
    ids = {getattr(row, f"{person}_id") for row in rows for person in people}
    found = set(
        DeactivatedMembership.objects.filter(person_id__in=ids, centre_id__in={row.centre_id for row in rows})
        .values_list("person_id", "centre_id")
    ) if rows else set()
    for row in rows:
        for person in people:
            setattr(row, f"{person}_deactivated", (getattr(row, f"{person}_id"), row.centre_id) in found)


def deactivated_on(field: str, path: str = "") -> Exists:
    """Whether the person the row names in `field` ("assessor") is deactivated at the row's centre:
    an enrolment's (or one `path` leads to), for marking names "(deactivated)" on a page of several
    centres' units, as `deactivated_at` does for one centre's."""
    return Exists(
        DeactivatedMembership.objects.filter(person=OuterRef(f"{path}{field}"), centre=OuterRef(f"{path}centre"))
    )
