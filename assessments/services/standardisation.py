"""Recording a standardisation meeting: the centre's assessors and IQAs looked at the same evidence
or decisions and agreed how the standard is judged. An IQA or administrator of the centre records
it, once; the EQA reads it (`access.standardisation_meeting_for_user`)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portfolio import access as portfolio_access
from portfolio import audit
from portfolio.errors import PortfolioError
from portfolio.models import Centre, Enrolment, Evidence, Person, Role

from ..audit_actions import AssessmentAction
from ..models import StandardisationAction, StandardisationMeeting


@dataclass(frozen=True)
class AgreedAction:
    text: str
    owner: Person
    due_on: datetime.date


def centre_staff(centre: Centre) -> list[Person]:
    """Who may attend or own an action: the centre's assessors and IQAs."""
    return list(
        Person.objects.filter(memberships__centre=centre, memberships__role__in=[Role.ASSESSOR, Role.IQA])
        .distinct().order_by("last_name", "first_name", "pk")
    )


def linkable_units(centre: Centre, recorder: Person) -> list[Enrolment]:
    """The candidates' units at the centre the recorder may open, to link from the record."""
    return list(
        portfolio_access.enrolments_visible_to(recorder).filter(centre=centre)
        .order_by("candidate__last_name", "candidate__first_name", "unit__code", "pk")
    )


def linkable_evidence(centre: Centre, recorder: Person) -> list[Evidence]:
    return list(
        portfolio_access.evidence_visible_to(recorder).filter(centre=centre)
        .order_by("candidate__last_name", "candidate__first_name", "number")
    )


def _check(
    *, centre: Centre, recorder: Person, held_on: datetime.date, attendees: Sequence[Person],
    units: Sequence[Enrolment], evidence: Sequence[Evidence], actions: Sequence[AgreedAction],
) -> None:
    if not {Role.IQA, Role.ADMINISTRATOR} & portfolio_access.roles_at(recorder, centre.pk):
        raise PortfolioError("Only the centre's IQAs and administrators record a standardisation meeting.")
    if held_on > timezone.localdate():
        raise PortfolioError("The date of the meeting cannot be in the future.")
    staff = {p.pk for p in centre_staff(centre)}
    if not attendees:
        raise PortfolioError("Choose who attended.")
    if any(p.pk not in staff for p in [*attendees, *(a.owner for a in actions)]):
        raise PortfolioError("Attendees and action owners are the centre's assessors and IQAs.")
    if {u.pk for u in units} - {u.pk for u in linkable_units(centre, recorder)}:
        raise PortfolioError("Link only units of this centre that you can open.")
    if {e.pk for e in evidence} - {e.pk for e in linkable_evidence(centre, recorder)}:
        raise PortfolioError("Link only evidence of this centre that you can open.")


def standardisation_record(
    *, centre: Centre, recorder: Person, held_on: datetime.date, attendees: Sequence[Person], looked_at: str,
    outcome: str, units: Sequence[Enrolment] = (), evidence: Sequence[Evidence] = (),
    actions: Sequence[AgreedAction] = (),
) -> StandardisationMeeting:
    _check(
        centre=centre, recorder=recorder, held_on=held_on, attendees=attendees, units=units, evidence=evidence,
        actions=actions,
    )
    with transaction.atomic():
        meeting = StandardisationMeeting(
            centre=centre, held_on=held_on, looked_at=looked_at, outcome=outcome, recorded_by=recorder,
            recorded_at=timezone.now(),
        )
        meeting.full_clean()
        meeting.save()
        meeting.attendees.set(attendees)
        meeting.units.set(units)
        meeting.evidence.set(evidence)
        for agreed in actions:
            action = StandardisationAction(meeting=meeting, text=agreed.text, owner=agreed.owner, due_on=agreed.due_on)
            action.full_clean()
            action.save()
        names = [p.get_full_name() or p.email for p in attendees]
        audit.record(
            AssessmentAction.STANDARDISATION_RECORDED, actor=recorder, centre=centre,
            summary=f"Standardisation meeting of {held_on.isoformat()} recorded",
            after={
                "meeting": meeting.pk, "held_on": held_on.isoformat(), "attendees": names, "actions": len(actions),
                "looked_at": looked_at, "outcome": outcome,
                "units": [f"{u.unit.code} of {u.candidate}" for u in units],
                "evidence": [f"{e.reference} of {e.candidate}" for e in evidence],
            },
        )
    return meeting
