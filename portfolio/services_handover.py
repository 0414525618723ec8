"""Handing over everything an assessor or IQA has at a centre: when they leave, each of their
active units there gets a new assessor (or IQA) at once, instead of one page per unit, and so does
each registration waiting for an invited candidate to accept that names them.

Each unit is changed by `services_enrolments.enrolment_reassign`, as if done on its own page: its
history row, its audit event, and the three people on it told. Each waiting registration is changed
by `services_centre_invitations.prepared_enrolment_hand_over` (audited; nobody is told, since nobody
has the unit yet). All of it in one transaction, and all or nothing: if the rules refuse the new
person on any unit or registration (they are its IQA, say), nothing is changed and every refusal is
listed, for the administrator to settle those first."""

from dataclasses import dataclass

from django.db import transaction

from .invitation_models import PreparedEnrolment, PreparedRegistration
from .models import Centre, Enrolment, EnrolmentChange, EnrolmentStatus, Person, Role
from .services_centre import Refused, holds_role, require_administrator, with_article
from .services_centre_invitations import prepared_enrolment_hand_over, prepared_held
from .services_enrolments import ROLES, enrolment_reassign, reason_checked


class HandoverRefused(Refused):
    """The units the new person may not take, each with why."""

    def __init__(self, refusals: list[str]):
        super().__init__(" ".join(refusals), field="person")
        self.refusals = refusals


@dataclass(frozen=True)
class Handover:
    """What a handover moved: the units (each with its history row) and the registrations waiting
    for their candidate to accept."""

    changes: list[EnrolmentChange]
    prepared: list[PreparedEnrolment | PreparedRegistration]


def units_held(centre: Centre, person: Person, role: str) -> list[Enrolment]:
    """The person's active units at the centre as its assessor (`role="assessor"`) or IQA (`"iqa"`):
    what a handover moves. Withdrawn and transferred ones stay as they were left."""
    field = ROLES[role][0]
    return list(
        Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE, **{field: person})
        .select_related("candidate", "unit", "assessor", "iqa")
        .order_by("candidate__last_name", "candidate__first_name", "unit__code", "pk")
    )


def prepared_waiting(centre: Centre, person: Person, role: str) -> list[PreparedEnrolment | PreparedRegistration]:
    """The registrations of invited candidates, not yet accepted, naming the person in that role."""
    return prepared_held(centre, person, ROLES[role][0])


def _require_may_hand_over(*, centre: Centre, role: str, from_person: Person, to_person: Person) -> str:
    if role not in ROLES:
        raise Refused("Choose whether to hand over their units as assessor or as IQA.")
    word = ROLES[role][1]
    if to_person == from_person:
        raise Refused(f"Choose someone other than {from_person} to take over.", field="person")
    if not holds_role(to_person, centre, Role.ASSESSOR if role == "assessor" else Role.IQA):
        raise Refused(f"{to_person} is not {with_article(word)} at {centre}.", field="person")
    return word


def units_hand_over(
    *, centre: Centre, role: str, from_person: Person, to_person: Person, reason: str, changed_by: Person
) -> Handover:
    """Makes `to_person` the assessor (or IQA) of every active unit `from_person` is that of here,
    and of every registration waiting for an invited candidate's acceptance."""
    require_administrator(changed_by, centre)
    word = _require_may_hand_over(centre=centre, role=role, from_person=from_person, to_person=to_person)
    reason = reason_checked(reason)
    changes: list[EnrolmentChange] = []
    refusals: list[str] = []
    with transaction.atomic():
        units, waiting = units_held(centre, from_person, role), prepared_waiting(centre, from_person, role)
        if not units and not waiting:
            raise Refused(f"{from_person} is the {word} of no active unit here: there is nothing to hand over.")
        for enrolment in units:
            try:
                with transaction.atomic():
                    changes.append(enrolment_reassign(
                        enrolment=enrolment, role=role, person=to_person, reason=reason, changed_by=changed_by
                    ))
            except Refused as refusal:
                refusals.append(f"{enrolment.candidate}’s {enrolment.unit.code}: {refusal}")
        for prepared in waiting:
            try:
                with transaction.atomic():
                    prepared_enrolment_hand_over(
                        prepared=prepared, field=ROLES[role][0], person=to_person, reason=reason, changed_by=changed_by
                    )
            except Refused as refusal:
                refusals.append(f"{prepared.invitation.name}’s {prepared.registered_on} (waiting for them to accept): "
                                f"{refusal}")
        if refusals:
            # Raised inside the transaction: what changed before it is put back, and nobody is told.
            raise HandoverRefused(refusals)
    return Handover(changes=changes, prepared=waiting)
