"""Handing over everything an assessor or IQA has at a centre: when they leave, each of their
active units there gets a new assessor (or IQA) at once, instead of one page per unit.

Each unit is changed by `services_enrolments.enrolment_reassign`, as if done on its own page: its
history row, its audit event, and the three people on it told. All of it in one transaction, and
all or nothing: if the rules refuse the new person on any unit (they are its IQA, say), nothing is
changed and every refusal is listed, for the administrator to settle those units first."""

from django.db import transaction

from .models import Centre, Enrolment, EnrolmentChange, EnrolmentStatus, Person, Role
from .services_centre import Refused, holds_role, require_administrator, with_article
from .services_enrolments import ROLES, enrolment_reassign


class HandoverRefused(Refused):
    """The units the new person may not take, each with why."""

    def __init__(self, refusals: list[str]):
        super().__init__(" ".join(refusals), field="person")
        self.refusals = refusals


def units_held(centre: Centre, person: Person, role: str) -> list[Enrolment]:
    """The person's active units at the centre as its assessor (`role="assessor"`) or IQA (`"iqa"`):
    what a handover moves. Withdrawn and transferred ones stay as they were left."""
    field = ROLES[role][0]
    return list(
        Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE, **{field: person})
        .select_related("candidate", "unit", "assessor", "iqa")
        .order_by("candidate__last_name", "candidate__first_name", "unit__code", "pk")
    )


def units_hand_over(
    *, centre: Centre, role: str, from_person: Person, to_person: Person, reason: str, changed_by: Person
) -> list[EnrolmentChange]:
    """Makes `to_person` the assessor (or IQA) of every active unit `from_person` is that of here."""
    if role not in ROLES:
        raise Refused("Choose whether to hand over their units as assessor or as IQA.")
    require_administrator(changed_by, centre)
    word = ROLES[role][1]
    if to_person == from_person:
        raise Refused(f"Choose someone other than {from_person} to take over.", field="person")
    if not holds_role(to_person, centre, Role.ASSESSOR if role == "assessor" else Role.IQA):
        raise Refused(f"{to_person} is not {with_article(word)} at {centre}.", field="person")
    changes: list[EnrolmentChange] = []
    refusals: list[str] = []
    with transaction.atomic():
        units = units_held(centre, from_person, role)
        if not units:
            raise Refused(f"{from_person} is the {word} of no active unit here: there is nothing to hand over.")
        for enrolment in units:
            try:
                with transaction.atomic():
                    changes.append(enrolment_reassign(
                        enrolment=enrolment, role=role, person=to_person, reason=reason, changed_by=changed_by
                    ))
            except Refused as refusal:
                if refusal.field == "reason":
                    raise
                refusals.append(f"{enrolment.candidate}’s {enrolment.unit.code}: {refusal}")
        if refusals:
            # Raised inside the transaction: the units changed before it are put back, and nobody is told.
            raise HandoverRefused(refusals)
    return changes
