"""The assessors the reports and the bulk export name and offer in their Assessor filter: those who
assess here now, then those who no longer do (deactivated, or the role taken away) but whose work is
on the centre's records, marked so (`role_holders`). A leaver's decisions are the centre's record:
the decisions report keeps them and can be narrowed to them, whoever holds their units now; and the
units still theirs (signed off before they left) are exported under their name."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from assessments.models import Decision, JudgedEnrolment, SignOff
from portfolio import role_holders
from portfolio.models import Centre, Enrolment, EnrolmentStatus, Person, Role


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


def with_records(centre: Centre) -> QuerySet[Person]:
    """The assessors of the Assessor filter and the decisions report: today's, then those with any
    decision or unit here."""
    return role_holders.listed(centre, Role.ASSESSOR, _decided_here(centre) | Q(_named_on_units(centre)))


def holding_units(centre: Centre) -> QuerySet[Person]:
    """The assessors of the caseloads: today's, then former ones still named on an active unit here,
    so that every unit the report counts is in someone's row. A former assessor with no unit has no
    caseload to show (their decisions are in the decisions report)."""
    return role_holders.listed(centre, Role.ASSESSOR, Q(_named_on_units(centre)))


def _named_on_any_unit(centre: Centre) -> Exists:
    """The assessor named on a unit here in any state: active (signed off before they left: only
    units not signed off are handed over), withdrawn or transferred. The units a bulk export takes."""
    return Exists(Enrolment.objects.filter(centre=centre, assessor=OuterRef("pk")))


def of_units(centre: Centre) -> QuerySet[Person]:
    """The assessors of the bulk export's Assessor filter: today's, then former ones still named on a
    unit here, whose units a centre exports for the awarding body. A former assessor whose units were
    all handed over has none of theirs to export (their decisions are in the decisions report)."""
    return role_holders.listed(centre, Role.ASSESSOR, Q(_named_on_any_unit(centre)))


def names(people: QuerySet[Person]) -> list[tuple[int, str]]:
    """Each of `of_units`, `with_records` or `holding_units`'s people: id and `name`."""
    return role_holders.names(people, "an assessor")


def name(person: Person) -> str:
    """The person's name as the reports show it, a former assessor's marked: "Erin Evans
    (deactivated)", or "(no longer an assessor)" when they are still here in another role."""
    return role_holders.name(person, "an assessor")
