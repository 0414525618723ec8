"""Whose evidence an item is to judge: the assessor of a unit it bears on. A candidate's units may
have different assessors; an item mapped only to units another assessor assesses is theirs, in
their queue alone, judged and discussed with the candidate by them. The assessor of the
candidate's other units still reads it (they are on the candidate's case), but neither judges it
nor writes in its conversation. The queue (`portfolio.waiting`), the rights on an item
(`access.evidence_rights`), the judging and conversation services ask this one rule; the caseload
report counts by the same units (`assessments.caseload.waiting_evidence`)."""

from collections.abc import Iterable

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from . import locks
from .held_roles import as_assessor
from .models import Enrolment, EnrolmentStatus, Evidence, Person


def judged_by(assessor: Person) -> Q:
    """For evidence rows: the assessor's to judge. Mapped (by a criterion or knowledge item) to an
    active unit of its candidate's at its centre that they assess, holding the role there; or to a
    unit the candidate is not on here (an earlier version's items after the unit moved version), or
    to nothing, which any of the candidate's assessors refers back. Evidence bearing only on withdrawn or
    transferred units is nobody's (`locks.bears_only_on_closed_units`, said apart)."""
    theirs = Enrolment.objects.filter(
        as_assessor(assessor),
        candidate=OuterRef("candidate"),
        centre=OuterRef("centre"),
        status=EnrolmentStatus.ACTIVE,
    ).filter(locks.mapped_to_its_unit())
    mapped = Q(Exists(Evidence.criteria.through.objects.filter(evidence=OuterRef("pk")))) | Q(
        Exists(Evidence.knowledge_items.through.objects.filter(evidence=OuterRef("pk")))
    )
    return Q(Exists(theirs.order_by())) | locks.mapped_elsewhere() | ~mapped


def judges(assessor: Person, evidence: Evidence) -> bool:
    return Evidence.objects.filter(pk=evidence.pk).filter(judged_by(assessor)).exists()


def who_judges(evidence: Evidence, people: Iterable[Person]) -> list[Person]:
    """Those of `people` whose it is to judge the item, asked in one query however many there are
    (a candidate's two assessors cost the evidence page a query each: tests/performance)."""
    people = list(people)
    if not people:
        return []
    asked = {f"judges_{person.pk}": ExpressionWrapper(judged_by(person), output_field=BooleanField()) for person in people}
    found = Evidence.objects.filter(pk=evidence.pk).values(**asked).first() or {}
    return [person for person in people if found.get(f"judges_{person.pk}")]


def units_it_bears_on(evidence: Evidence) -> QuerySet[Enrolment]:
    """The candidate's active units at the evidence's centre it is mapped to (by a criterion or a
    knowledge item), by unit code, with their unit and assessor read."""
    return (
        Enrolment.objects.filter(candidate=evidence.candidate_id, centre=evidence.centre_id, status=EnrolmentStatus.ACTIVE)
        .filter(Q(unit__criteria__in=evidence.criteria.all()) | Q(unit__knowledge_items__in=evidence.knowledge_items.all()))
        .select_related("unit", "assessor")
        .distinct()
        .order_by("unit__code")
    )


def judged_elsewhere_words(evidence: Evidence) -> str:
    """Why an assessor of the candidate's other units neither judges this item nor writes about it:
    the units it bears on and who assesses them. "" when it bears on no active unit here."""
    units = list(units_it_bears_on(evidence))
    if not units:
        return ""
    # A unit whose people were changed in the database names nobody: the row's assessor may be wrong.
    named = "; ".join(
        f"{e.unit.code}, closed while the centre checks who is on it" if e.case_seal_broken_at
        else f"{e.unit.code}, assessed by {e.assessor}" for e in units
    )
    return (
        f"{evidence.reference} bears on units you do not assess ({named}): their assessor judges it, "
        "and the conversation about it is between them and the candidate. You can read it."
    )


def changed_cases_only(evidence: Evidence) -> list[Enrolment]:
    """The active units the item bears on, by code, when each is on a case whose people were changed
    outside the portfolio (`case_seals`: closed to its assessor while the centre checks who is on
    it); [] when it bears on none, or on one whose case holds."""
    units = list(units_it_bears_on(evidence))
    return units if units and all(e.case_seal_broken_at is not None for e in units) else []
