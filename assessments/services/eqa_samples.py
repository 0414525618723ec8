"""The external quality assurer's samples: made, changed and deleted by the EQA alone, of units in
their scope (`portfolio.access.eqa_enrolments`) at one centre. Each unit taken into or out of a
sample is recorded in that unit's audit trail, since the centre sees the "EQA sampled" mark. Once a
report on the sample has been sent to the centre, the sample is fixed with it.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction

from portfolio import access, audit, dates
from portfolio.errors import PortfolioError
from portfolio.models import Centre, Enrolment, Person

from ..audit_actions import AssessmentAction
from ..eqa_models import EqaSample, VisitMode


def _name(person: Person) -> str:
    return person.get_full_name() or person.email


def _in_scope(eqa: Person, centre: Centre, enrolments: Iterable[Enrolment]) -> list[Enrolment]:
    ids = sorted({e.pk for e in enrolments})
    if not ids:
        raise PortfolioError("Tick at least one unit for the sample.")
    found = list(
        access.eqa_enrolments(eqa).filter(pk__in=ids, centre=centre).select_related("candidate", "unit", "centre")
    )
    if len(found) != len(ids):
        raise PortfolioError(f"A sample is of units at one centre that you quality-assure: those of {centre.name}.")
    return found


def _check_owner(sample: EqaSample, eqa: Person) -> None:
    if sample.eqa_id != eqa.pk:
        raise PortfolioError("A sample is changed only by the external quality assurer who made it.")


def _check_open(sample: EqaSample) -> None:
    if sample.reports.filter(submitted_at__isnull=False).exists():
        raise PortfolioError(
            "Your report on this sample has been sent to the centre, so the sample stays as it was. "
            "Make a new sample for your next visit."
        )


def _record(action: AssessmentAction, sample: EqaSample, eqa: Person, enrolment: Enrolment, why: str = "") -> None:
    taken = "taken into" if action == AssessmentAction.EQA_SAMPLED else "taken out of"
    audit.record(
        action,
        actor=eqa,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=f"{enrolment.unit.code} of {_name(enrolment.candidate)} {taken} {_name(eqa)}’s EQA sample "
        f"“{sample.name}”",
        after={
            "sample": sample.pk, "name": sample.name, "planned_on": sample.planned_on.isoformat(),
            "mode": sample.mode, **({"why": why} if why else {}),
        },
    )


def sample_create(
    *, eqa: Person, name: str, planned_on: datetime.date, mode: str, enrolments: Iterable[Enrolment]
) -> EqaSample:
    """A new sample of the units ticked, at their centre."""
    chosen = list(enrolments)
    if not chosen:
        raise PortfolioError("Tick at least one unit for the sample.")
    centre = chosen[0].centre
    with transaction.atomic():
        found = _in_scope(eqa, centre, chosen)
        sample = EqaSample(eqa=eqa, centre=centre, name=name, planned_on=planned_on, mode=VisitMode(mode))
        sample.full_clean()
        sample.save()
        sample.enrolments.set(found)
        for enrolment in found:
            _record(AssessmentAction.EQA_SAMPLED, sample, eqa, enrolment)
    return sample


def sample_change(
    *, sample: EqaSample, eqa: Person, name: str, planned_on: datetime.date, mode: str,
    enrolments: Iterable[Enrolment],
) -> EqaSample:
    """The sample's name, date and way, and its units as ticked now: those added and those taken
    out are each recorded on their unit."""
    _check_owner(sample, eqa)
    with transaction.atomic():
        sample = EqaSample.objects.select_for_update(of=("self",)).select_related("centre").get(pk=sample.pk)
        _check_open(sample)
        found = _in_scope(eqa, sample.centre, enrolments)
        before = {e.pk: e for e in sample.enrolments.select_related("candidate", "unit", "centre")}
        sample.name, sample.planned_on, sample.mode = name, planned_on, VisitMode(mode)
        sample.full_clean()
        sample.save()
        sample.enrolments.set(found)
        for enrolment in found:
            if enrolment.pk not in before:
                _record(AssessmentAction.EQA_SAMPLED, sample, eqa, enrolment)
        kept = {e.pk for e in found}
        for pk, enrolment in before.items():
            if pk not in kept:
                _record(AssessmentAction.EQA_UNSAMPLED, sample, eqa, enrolment, why="removed")
    return sample


def sample_delete(*, sample: EqaSample, eqa: Person) -> None:
    """Deletes the sample (and a draft report on it), its units' marks going with it."""
    _check_owner(sample, eqa)
    with transaction.atomic():
        sample = EqaSample.objects.select_for_update().get(pk=sample.pk)
        _check_open(sample)
        for enrolment in sample.enrolments.select_related("candidate", "unit", "centre"):
            _record(AssessmentAction.EQA_UNSAMPLED, sample, eqa, enrolment, why="deleted")
        sample.reports.all().delete()  # drafts only: `_check_open` refused a sent one
        sample.delete()


def planned_words(sample: EqaSample) -> str:
    """“Visit 12 March 2027”, remote, planned for 12 March 2027: as messages say it."""
    return f"“{sample.name}” ({sample.get_mode_display().lower()}, {dates.day(sample.planned_on)})"
