"""Handing over everything an assessor or IQA has at a centre: when they leave, each of their
active units there that still needs them (as assessor, each not yet signed off; as IQA, each not yet
countersigned by an IQA: `work_done`) gets a new assessor (or IQA) at once, instead of one page per
unit, and so does each registration waiting for an invited candidate to accept that names them.

Each unit is changed by `services_enrolments.enrolment_reassign`, as if done on its own page: its
history row, its audit event, and the three people on it told. Each waiting registration is changed
by `services_centre_invitations.prepared_enrolment_hand_over` (audited; nobody is told, since nobody
has the unit yet). All of it in one transaction, and all or nothing: if the rules refuse the new
person on any unit or registration (they are its IQA, say), nothing is changed and every refusal is
listed, for the administrator to settle those first."""

from dataclasses import dataclass

from django.db import transaction

from . import name_order, work_done
from .invitation_models import PreparedEnrolment, PreparedRegistration
from .models import Centre, Enrolment, EnrolmentChange, EnrolmentStatus, Person, Role
from .notifications import still_at
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
    for their candidate to accept; how many units it left with the person, their work on them
    done (`units_and_kept`); and of the candidates of the units moved, how many, being deactivated
    here, were not told (`notifications.still_at`, the rule `notify` tells by)."""

    changes: list[EnrolmentChange]
    prepared: list[PreparedEnrolment | PreparedRegistration]
    kept: int = 0
    candidates: int = 0
    candidates_not_told: int = 0


def _active(centre: Centre, person: Person, role: str) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(centre=centre, status=EnrolmentStatus.ACTIVE, **{ROLES[role][0]: person})
        .select_related("candidate", "unit", "assessor", "iqa")
        .order_by(*name_order.by_name("candidate__"), "unit__code", "pk")
    )


def units_and_kept(centre: Centre, person: Person, role: str) -> tuple[list[Enrolment], int]:
    """The person's active units at the centre as its assessor (`role="assessor"`) or IQA (`"iqa"`)
    that a handover moves, and how many it leaves with them, their work on them done (`work_done`:
    as assessor, signed off; as IQA, countersigned by an IQA). Withdrawn and transferred ones stay
    as they were left, in neither.

    A unit done stays with them: their name on it is the record of who did that work. An assessor's
    new assessor could otherwise unlock a signed-off unit, voiding a sign-off they never made; an
    IQA's countersignature would seem the newcomer's. Leaving (`services_people.open_units`) counts
    only the units still needing them, by the same rule."""
    units = _active(centre, person, role)
    done = work_done.done([enrolment.pk for enrolment in units], role)
    return [enrolment for enrolment in units if enrolment.pk not in done], len(done)


def kept_words(kept: int, person: Person, role: str) -> str:
    """"1 signed-off unit stays with Bob Baker, not handed over: ...", or "" when none does."""
    if not kept:
        return ""
    it = "it" if kept == 1 else "them"
    return (f"{kept} {work_done.DONE[role]} unit{'' if kept == 1 else 's'} stay{'s' if kept == 1 else ''} with "
            f"{person}, not handed over: their name on {it} is the record of {work_done.RECORDS[role].format(it=it)}.")


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
    """Makes `to_person` the assessor (or IQA) of every active unit `from_person` is that of here
    that still needs them (`units_and_kept`), and of every registration waiting for an invited
    candidate's acceptance."""
    require_administrator(changed_by, centre)
    word = _require_may_hand_over(centre=centre, role=role, from_person=from_person, to_person=to_person)
    reason = reason_checked(reason)
    changes: list[EnrolmentChange] = []
    refusals: list[str] = []
    with transaction.atomic():
        (units, kept), waiting = units_and_kept(centre, from_person, role), prepared_waiting(centre, from_person, role)
        if not units and not waiting:
            raise Refused(f"{from_person} is the {word} of no active unit {work_done.STILL[role]} here: "
                          "there is nothing to hand over.")
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
    candidates = [change.enrolment.candidate for change in changes]
    told = still_at(candidates, centre)
    return Handover(
        changes=changes, prepared=waiting, kept=kept,
        candidates=len(set(candidates)), candidates_not_told=len(set(candidates) - set(told)),
    )
