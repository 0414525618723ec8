"""The people the staff reports (and the bulk export, for assessors) name in one role (assessor or
IQA) and offer in their filters: those who hold it here now, then those who no longer do
(deactivated, or the role taken away while they stay in another) but whose work is on the centre's
records, marked so. A leaver's work is the centre's record: the reports keep it, under their name.
`assessments.assessors` and `ops.reports.iqas` say what "work on the records" is for each role.

Former holders are looked for among the people deactivated here or still holding a staff role here
(a few hundred at a large centre), so the question of their records is never asked of every
candidate: asked of every person, PostgreSQL hashed every decision at the centre to answer it (55 to
73 ms at 10,000 candidates, on every report; docs/performance.md)."""

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from portfolio import name_order
from portfolio.models import Centre, DeactivatedMembership, Membership, Person, Role


def _among(people: QuerySet) -> ExpressionWrapper:
    """Whether the person is among `people` (a few hundred ids at most, read once into a hash)."""
    return ExpressionWrapper(Q(pk__in=people), output_field=BooleanField())


def _staff_or_deactivated_here(centre: Centre) -> Q:
    """Everyone the lists can hold, found from the centre's memberships before anything else is
    asked (through the (centre, role) index: "not a candidate" read every membership). The ids are
    read first and given as a list: given as a subquery, PostgreSQL expected thousands of people
    and read every person and every unit of the centre to keep its few hundred staff (17 ms at
    10,000 candidates on the bulk export's Assessor filter, under 1 ms from the list)."""
    staff_roles = [role for role in Role if role != Role.CANDIDATE]
    staff = Membership.objects.filter(centre=centre, role__in=staff_roles).order_by().values_list("person", flat=True)
    return Q(pk__in=set(staff) | set(_deactivated_here(centre).values_list("person", flat=True)))


def _deactivated_here(centre: Centre) -> QuerySet:
    return DeactivatedMembership.objects.filter(centre=centre).order_by().values("person")


def listed(centre: Centre, role: Role, former: Q) -> QuerySet[Person]:
    """Today's holders of the role here, then the former ones `former` finds (a condition on the
    person: their records here), each set apart by `holds_role_here` and `deactivated_here` for
    `name`. Whether someone holds the role or is deactivated is asked of the few ids of each, read
    once, and `former` only of the rest."""
    holders = Membership.objects.filter(centre=centre, role=role).order_by().values("person")
    return (
        Person.objects.filter(_staff_or_deactivated_here(centre))
        .annotate(holds_role_here=_among(holders), deactivated_here=_among(_deactivated_here(centre)))
        .filter(Q(holds_role_here=True) | former)
        .order_by(F("holds_role_here").desc(), *name_order.by_name(), "pk")
    )


def has_left(person: Person) -> bool:
    """Whether a person `listed` found no longer holds the role here."""
    return not getattr(person, "holds_role_here", True)


def name(person: Person, role_words: str) -> str:
    """The person's name as the reports show it, a former holder's marked: "Erin Evans
    (deactivated)", or "(no longer an assessor)" (`role_words`) when they are still here in another
    role."""
    return _marked(str(person), not has_left(person), getattr(person, "deactivated_here", False), role_words)


def names(people: QuerySet[Person], role_words: str) -> list[tuple[int, str]]:
    """Each of the people `listed` found, id and `name`, read as values: a filter's options, 200 of
    them at a centre of 10,000 candidates, for which a whole person each cost twice the time."""
    # The last two are `listed`'s annotations, which the type checker cannot see on a QuerySet[Person].
    rows = people.values_list("pk", "first_name", "last_name", "email", "holds_role_here", "deactivated_here")  # type: ignore[misc]
    return [
        (pk, _marked(f"{first} {last}".strip() or email, holds, deactivated, role_words))
        for pk, first, last, email, holds, deactivated in rows
    ]


def _marked(shown: str, holds: bool, deactivated: bool, role_words: str) -> str:
    # As Person.__str__ reads: the full name, or the email when no name was given.
    if holds:
        return shown
    return f"{shown} ({'deactivated' if deactivated else f'no longer {role_words}'})"
