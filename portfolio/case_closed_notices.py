"""What a candidate is told of their units whose people were changed outside the portfolio
(`case_seals`): the unit is closed for now, the centre's administrators know, the evidence is kept.
Every query of the candidate's part on a case leaves a marked case out (`held_roles.case_held`), so
without this the unit simply vanished from their home with no word.

Only the unit is named: never its contents, nor who the changed row now names (it may name someone
the candidate should not learn of). The row's candidate is believed only where the seal says another
column changed; where the candidate column itself changed, the person the row now names is a forged
name and is told nothing, and the real candidate is found by the seal alone."""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.crypto import constant_time_compare

from standards.models import Unit

from . import case_seals
from .case_sealing import row_of, seal_of
from .models import Enrolment, Membership, Person, Role


@dataclass(frozen=True)
class ClosedUnit:
    enrolment_id: int
    code: str
    title: str

    @property
    def words(self) -> str:
        return (f"{self.code} {self.title} is closed for now: the people on it were changed outside the portfolio. "
                "Your centre’s administrators have been told; your evidence is kept.")


def closed_units_of(candidate: Person) -> list[ClosedUnit]:
    """The candidate's units marked changed, by unit code: read in one query (a case changed is rare;
    asking the seal who was on one reads a few more, for that case only)."""
    here = Membership.objects.filter(person=candidate.pk, role=Role.CANDIDATE, centre=OuterRef("centre"))
    rows = (
        Enrolment.objects.filter(case_seal_broken_at__isnull=False)
        .filter(Q(candidate=candidate.pk) | Q(Exists(here)))
        .annotate(candidate_here=ExpressionWrapper(Q(Exists(here)), output_field=BooleanField()))
        .select_related("unit")
        .order_by("unit__code", "pk")
    )
    closed = []
    for enrolment in rows:
        unit = _their_unit(enrolment, candidate)
        if unit is not None:
            closed.append(ClosedUnit(enrolment.pk, unit.code, unit.title))
    return closed


def _their_unit(enrolment: Enrolment, candidate: Person) -> Unit | None:
    """The unit the portfolio put the candidate on, if the seal says the case is theirs; else None."""
    if enrolment.candidate_id != candidate.pk:
        # Moved to another name in the database: theirs only if the seal holds with them as its candidate.
        sealed = seal_of(enrolment.pk, {**row_of(enrolment), "candidate_id": candidate.pk})
        theirs = enrolment.candidate_here and constant_time_compare(sealed, enrolment.case_seal)  # type: ignore[attr-defined]
        return enrolment.unit if theirs else None
    found = case_seals.sealed_column(enrolment) if enrolment.case_seal else None
    if found is None or found[0] == "candidate_id":
        return None  # the row may name them falsely: nothing is said to whoever it names
    column, value = found
    if column != "centre_id" and not enrolment.candidate_here:  # type: ignore[attr-defined]
        return None  # deactivated at its centre: none of its units is theirs to be told of
    if column == "unit_id":
        return Unit.objects.filter(pk=value).first()
    return enrolment.unit
