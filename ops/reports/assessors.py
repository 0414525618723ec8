"""The assessors the reports name and offer in their Assessor filter: those who assess here now, then
those who no longer do (deactivated, or the role taken away) but whose work is on the centre's
records, marked so. A leaver's decisions are the centre's record: the decisions report keeps them
and can be narrowed to them, whoever holds their units now.

Who counts as a former assessor is looked for among the people deactivated here or still holding a
staff role here, so the question is not asked of every candidate of a large centre."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from assessments.models import Decision, JudgedEnrolment, SignOff
from portfolio.models import (
    Centre,
    DeactivatedMembership,
    Enrolment,
    EnrolmentStatus,
    Membership,
    Person,
    Role,
)


def _assesses_here(centre: Centre) -> Exists:
    return Exists(Membership.objects.filter(person=OuterRef("pk"), centre=centre, role=Role.ASSESSOR))


def _deactivated_here(centre: Centre) -> Exists:
    return Exists(DeactivatedMembership.objects.filter(person=OuterRef("pk"), centre=centre))


def _was_staff_here(centre: Centre) -> Q:
    staff = Membership.objects.filter(person=OuterRef("pk"), centre=centre).exclude(role=Role.CANDIDATE)
    return Q(Exists(staff)) | Q(_deactivated_here(centre))


def _named_on_units(centre: Centre) -> Exists:
    """The assessor still named on an active unit here (a signed-off one a leaver was not asked to
    hand over): its figures are theirs in the caseloads."""
    return Exists(Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE, assessor=OuterRef("pk")))


def _decided_here(centre: Centre) -> Q:
    """Any decision the decisions report counts: a judgement, an item met, a signature."""
    return (
        Q(Exists(JudgedEnrolment.objects.filter(assessor=OuterRef("pk"), enrolment__centre=centre)))
        | Q(Exists(Decision.objects.filter(decided_by=OuterRef("pk"), enrolment__centre=centre)))
        | Q(Exists(SignOff.objects.filter(assessor=OuterRef("pk"), enrolment__centre=centre)))
    )


def _staff_or_deactivated_here(centre: Centre) -> Q:
    """Everyone the lists can hold, found from the centre's memberships (a few hundred people) before
    anything else is asked: asked of every person, PostgreSQL hashed every decision at the centre to
    answer "decided here" (60 ms at 10,000 candidates, on every report)."""
    staff = Membership.objects.filter(centre=centre).exclude(role=Role.CANDIDATE).order_by().values("person")
    deactivated = DeactivatedMembership.objects.filter(centre=centre).order_by().values("person")
    return Q(pk__in=staff.union(deactivated))


def _listed(centre: Centre, former: Q) -> QuerySet[Person]:
    return (
        Person.objects.filter(_staff_or_deactivated_here(centre))
        .annotate(assesses_here=_assesses_here(centre), deactivated_here=_deactivated_here(centre))
        .filter(Q(assesses_here=True) | (_was_staff_here(centre) & former))
        .order_by(F("assesses_here").desc(), "last_name", "first_name", "pk")
    )


def with_records(centre: Centre) -> QuerySet[Person]:
    """The assessors of the Assessor filter and the decisions report: today's, then those with any
    decision or unit here."""
    return _listed(centre, _decided_here(centre) | Q(_named_on_units(centre)))


def holding_units(centre: Centre) -> QuerySet[Person]:
    """The assessors of the caseloads: today's, then former ones still named on an active unit here,
    so that every unit the report counts is in someone's row. A former assessor with no unit has no
    caseload to show (their decisions are in the decisions report)."""
    return _listed(centre, Q(_named_on_units(centre)))


def name(person: Person) -> str:
    """The person's name as the reports show it, a former assessor's marked: "Erin Evans
    (deactivated)", or "(no longer an assessor)" when they are still here in another role."""
    if getattr(person, "assesses_here", True):
        return str(person)
    return f"{person} ({'deactivated' if getattr(person, 'deactivated_here', False) else 'no longer an assessor'})"
