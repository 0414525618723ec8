"""What a centre administrator changes on an enrolment once it is registered: its assessor or IQA,
its target date, and its standing (withdrawn, transferred to another centre, reinstated).

Each change is one transaction: the enrolment's row locked, every rule checked, the change and its
history row (`EnrolmentChange`) written, the audit event recorded, and the people told once it is
committed. A refusal (`services_centre.Refused`, naming the form's field) changes nothing.

Access follows the enrolment (`access.py` asks `enrolment.assessor` and `enrolment.iqa`), so the
assessor or IQA taken off a case stops reaching it, and the candidate's evidence through it, at
once. What they decided, signed or reviewed keeps their name: decisions, sign-offs and reviews
carry their own author, never the enrolment's.

What may be changed when (nothing but reinstating on a closed enrolment; on a signed-off unit, no
withdrawing, transferring or new target date, and the assessor and IQA who did its work kept while
they hold the role here) is `enrolment_rules.refusal`, which each change asks under the row's lock
and the pages ask to offer only what may be done.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import addressed, audit, dates, reinstatement_notices
from .audit import PortfolioAction
from .enrolment_models import EnrolmentChangeKind as Kind
from .enrolment_rules import refusal
from .last_decision import last_decision_on
from .models import Enrolment, EnrolmentChange, EnrolmentStatus, Person, Role
from .notifications import NotificationKind, notify
from .services_centre import (
    Refused,
    holds_role,
    require_administrator,
    require_case_dates_within_reach,
    require_case_people,
    target_passed,
    with_article,
)

REASON_LENGTH = 2000
CENTRE_NAME_LENGTH = EnrolmentChange._meta.get_field("transferred_to").max_length or 200
# Which field of the enrolment each reassignment changes, with its words.
ROLES = {"assessor": ("assessor", "assessor"), "iqa": ("iqa", "IQA")}


def _locked(enrolment: Enrolment) -> Enrolment:
    """The enrolment's row, locked until the transaction ends, read afresh: a change decided on a
    page read a minute ago is checked against what is there now."""
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("centre", "candidate", "unit", "assessor", "iqa")
        .get(pk=enrolment.pk)
    )


def reason_checked(reason: str, *, kept_with: str = "the enrolment's history") -> str:
    """The reason a centre administrator gives for a change, trimmed: required, and within the one
    length every such reason keeps to (an enrolment's changes, a hand-over, a deactivation)."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(f"Give the reason: it is kept with {kept_with}.", field="reason")
    if len(reason) > REASON_LENGTH:
        raise Refused(f"Keep the reason within {REASON_LENGTH} characters.", field="reason")
    return reason


def _require_possible(enrolment: Enrolment, change: str) -> None:
    if problem := refusal(enrolment, change):
        raise Refused(problem)


def _unit_link(enrolment: Enrolment) -> str:
    return reverse("assessments:enrolment_detail", args=[enrolment.pk])


def _history(enrolment: Enrolment, kind: str, by: Person, reason: str, **facts: object) -> EnrolmentChange:
    change = EnrolmentChange(enrolment=enrolment, kind=kind, changed_by=by, reason=reason, **facts)
    change.full_clean()
    change.save()
    return change


# The assessor and the IQA ----------------------------------------------------------------------


def _require_may_take_over(enrolment: Enrolment, role: str, person: Person) -> None:
    field, word = ROLES[role]
    current = getattr(enrolment, field)
    if person == current:
        raise Refused(f"{person} is already the {word} of this unit. Choose someone else.", field="person")
    if role == "assessor" and person == enrolment.iqa:
        raise Refused(
            f"{person} is this unit's IQA, and nobody quality-assures their own decisions. "
            "Change the IQA first, or choose another assessor.", field="person",
        )
    if role == "iqa" and person == enrolment.assessor:
        raise Refused(
            f"{person} is this unit's assessor, and nobody quality-assures their own decisions. "
            "Choose another IQA.", field="person",
        )
    if role == "iqa" and enrolment.changes.filter(kind=Kind.ASSESSOR, from_person=person).exists():
        raise Refused(
            f"{person} assessed this unit before, and nobody quality-assures decisions they may have made. "
            "Choose another IQA.", field="person",
        )
    assessor, iqa = (person, enrolment.iqa) if role == "assessor" else (enrolment.assessor, person)
    try:
        # The newcomer holds the role here; the others stay on the unit, deactivated since or not.
        require_case_people(
            centre=enrolment.centre, candidate=enrolment.candidate, assessor=assessor, iqa=iqa, joining=(field,)
        )
    except Refused as refused:
        raise Refused(str(refused), field="person") from None


def _reassigned(enrolment: Enrolment, role: str, person: Person, reason: str, by: Person) -> tuple[EnrolmentChange, Person]:
    """`person` checked and put on the locked case; returns the change and who was on it. The caller tells."""
    field, word = ROLES[role]
    _require_may_take_over(enrolment, role, person)
    before = getattr(enrolment, field)
    setattr(enrolment, field, person)
    enrolment.full_clean()
    enrolment.save(update_fields=[field])
    kind = Kind.ASSESSOR if role == "assessor" else Kind.IQA
    change = _history(enrolment, kind, by, reason, from_person=before, to_person=person)
    audit.record(
        PortfolioAction.ENROLMENT_ASSESSOR_CHANGED if role == "assessor" else PortfolioAction.ENROLMENT_IQA_CHANGED,
        actor=by, centre=enrolment.centre, enrolment=enrolment,
        summary=f"{enrolment.unit.code} of {enrolment.candidate}: {word} {before} replaced by {person}",
        before={field: before.pk, "name": str(before)},
        after={field: person.pk, "name": str(person), "unit": enrolment.unit.code, "reason": reason},
    )
    return change, before


def enrolment_reassign(
    *, enrolment: Enrolment, role: str, person: Person, reason: str, changed_by: Person
) -> EnrolmentChange:
    """Puts `person` on the case as its assessor (`role="assessor"`) or IQA (`"iqa"`) in place of
    whoever was; the one taken off, the one put on and the candidate are told."""
    if role not in ROLES:
        raise Refused("Choose whether to change the assessor or the IQA.")
    require_administrator(changed_by, enrolment.centre)
    reason = reason_checked(reason)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_possible(enrolment, role)
        change, before = _reassigned(enrolment, role, person, reason, changed_by)
        _tell_reassigned(enrolment, ROLES[role][1], before, person, changed_by)
    return change


def _tell_reassigned(enrolment: Enrolment, word: str, before: Person, after: Person, by: Person) -> None:
    unit, candidate = enrolment.unit.code, enrolment.candidate
    kind = NotificationKind.ENROLMENT_CHANGED
    notify(
        [after], f"{by} made you the {word} of {candidate}’s {unit}, in place of {before}.",
        centre=enrolment.centre_id, kind=kind, link=_unit_link(enrolment), subject=f"You are now the {word} of {candidate}’s {unit}",
    )
    notify(
        [before], f"{by} made {after} the {word} of {candidate}’s {unit} in your place: you no longer have "
        "access to it. What you recorded on it stays in its record under your name.",
        centre=enrolment.centre_id, kind=kind, subject=f"You are no longer the {word} of {candidate}’s {unit}",
    )
    notify(
        [candidate], f"{by} made {after} your {word} for {unit}, in place of {before}.",
        centre=enrolment.centre_id, kind=kind, link=_unit_link(enrolment), subject=f"Your {word} for {unit} has changed",
    )


# The target date ------------------------------------------------------------------------------


def _require_target_date(enrolment: Enrolment, target_date: datetime.date) -> None:
    """A target date the unit may be given: not before its start, not passed, within reach. The one
    rule for changing it on its own and when reinstating the unit."""
    if target_date < enrolment.start_date:
        raise Refused(
            f"The target date cannot be before the start date, {dates.day(enrolment.start_date)}.",
            field="target_date",
        )
    if problem := target_passed(target_date):
        raise Refused(problem, field="target_date")
    require_case_dates_within_reach(target_date=target_date)


def _target_date_set(enrolment: Enrolment, target_date: datetime.date, reason: str, by: Person) -> EnrolmentChange:
    """The new date written, with its history row and audit event; the caller checks it and tells."""
    before = enrolment.target_date
    enrolment.target_date = target_date
    enrolment.full_clean()
    enrolment.save(update_fields=["target_date"])
    change = _history(enrolment, Kind.TARGET_DATE, by, reason, from_date=before, to_date=target_date)
    audit.record(
        PortfolioAction.ENROLMENT_TARGET_DATE_CHANGED, actor=by, centre=enrolment.centre, enrolment=enrolment,
        summary=f"{enrolment.unit.code} of {enrolment.candidate}: target date {before} changed to {target_date}",
        before={"target_date": before.isoformat()},
        after={"target_date": target_date.isoformat(), "unit": enrolment.unit.code, "reason": reason},
    )
    return change


def enrolment_target_date_change(
    *, enrolment: Enrolment, target_date: datetime.date, reason: str, changed_by: Person
) -> EnrolmentChange:
    """Moves the date the unit should be completed by; the candidate and the assessor are told."""
    require_administrator(changed_by, enrolment.centre)
    reason = reason_checked(reason)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_possible(enrolment, "target_date")
        before = enrolment.target_date
        if target_date == before:
            raise Refused(f"The target date is already {dates.day(before)}.", field="target_date")
        _require_target_date(enrolment, target_date)
        change = _target_date_set(enrolment, target_date, reason, changed_by)
        addressed.notify_each(
            [enrolment.candidate, enrolment.assessor],
            lambda reader: (f"{changed_by} changed the target date of {addressed.unit_of(enrolment, reader)} from "
                            f"{dates.day(before)} to {dates.day(target_date)}: {reason}",
                            f"New target date for {addressed.unit_of(enrolment, reader)}"),
            centre=enrolment.centre_id, kind=NotificationKind.ENROLMENT_CHANGED, link=_unit_link(enrolment),
        )
    return change


# Withdrawn, transferred, reinstated --------------------------------------------------------------


def _require_may_close(enrolment: Enrolment, on: datetime.date, doing: str) -> None:
    _require_possible(enrolment, "withdraw" if doing == "withdrawn" else "transfer")
    today = timezone.localdate()
    if on > today:
        raise Refused("The date cannot be in the future: record it on the day.", field="effective_date")
    if enrolment.start_date <= today and on < enrolment.start_date:
        raise Refused(
            f"The date cannot be before the unit's start date, {dates.day(enrolment.start_date)}.",
            field="effective_date",
        )
    # Not back into a time it was closed before (an outside trial: withdrawn as of a day before its
    # reinstatement, the history said it was closed while it was being judged).
    back = enrolment.changes.filter(kind=Kind.REINSTATED).order_by("-effective_date").first()
    if back and back.effective_date and on < back.effective_date:
        raise Refused(
            f"The date cannot be before the unit was reinstated, {dates.day(back.effective_date)}.",
            field="effective_date",
        )
    # Nor back into a time it was being assessed (an outside trial): not before its last decision.
    decided = last_decision_on(enrolment)
    if decided and on < decided:
        raise Refused(
            f"The {'withdrawal' if doing == 'withdrawn' else 'transfer'} cannot be dated before {dates.day(decided)}, "
            "when the last decision on this unit was recorded: its history would say it was closed while it was "
            "being assessed.", field="effective_date",
        )
    # A unit that has not started yet is left on the day the centre learns the candidate will not
    # begin it, which is before its start; but not before they were registered on it.
    registered = timezone.localtime(enrolment.registered_at).date()
    if enrolment.start_date > today and on < registered:
        raise Refused(
            f"The date cannot be before the candidate was registered on the unit, {dates.day(registered)}: "
            "it has not started yet.", field="effective_date",
        )


def _close(
    enrolment: Enrolment, status: str, on: datetime.date, reason: str, by: Person, transferred_to: str = ""
) -> EnrolmentChange:
    withdrawn = status == EnrolmentStatus.WITHDRAWN
    enrolment.status = status
    enrolment.save(update_fields=["status"])
    change = _history(
        enrolment, Kind.WITHDRAWN if withdrawn else Kind.TRANSFERRED, by, reason,
        from_status=EnrolmentStatus.ACTIVE, to_status=status, effective_date=on, transferred_to=transferred_to,
    )
    where = f" to {transferred_to}" if transferred_to else ""
    audit.record(
        PortfolioAction.ENROLMENT_WITHDRAWN if withdrawn else PortfolioAction.ENROLMENT_TRANSFERRED,
        actor=by, centre=enrolment.centre, enrolment=enrolment,
        summary=f"{enrolment.candidate} {'withdrawn from' if withdrawn else 'transferred'}{where} "
        f"{'' if withdrawn else 'with '}{enrolment.unit.code} on {on}",
        before={"status": EnrolmentStatus.ACTIVE.value},
        after={"status": status, "date": on.isoformat(), "unit": enrolment.unit.code, "reason": reason,
               "transferred_to": transferred_to},
    )
    how, how_now = ("withdrew", "withdrawn") if withdrawn else (f"recorded the transfer{where} of", "transferred")
    addressed.notify_each(
        [enrolment.candidate, enrolment.assessor, enrolment.iqa],
        lambda reader: (f"{by} {how} {addressed.unit_of(enrolment, reader)} on {dates.day(on)}: "
                        f"{addressed.ended(reason)} Its record is kept as it stands; no more evidence is submitted "
                        "or judged on it here.", addressed.first_up(f"{addressed.unit_of(enrolment, reader)} {how_now}")),
        centre=enrolment.centre_id, kind=NotificationKind.ENROLMENT_CHANGED, link=_unit_link(enrolment),
    )
    return change


def enrolment_withdraw(
    *, enrolment: Enrolment, effective_date: datetime.date, reason: str, changed_by: Person
) -> EnrolmentChange:
    """The candidate leaves the unit: the enrolment is kept, read-only, shown as withdrawn."""
    require_administrator(changed_by, enrolment.centre)
    reason = reason_checked(reason)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_may_close(enrolment, effective_date, "withdrawn")
        return _close(enrolment, EnrolmentStatus.WITHDRAWN, effective_date, reason, changed_by)


def enrolment_transfer(
    *, enrolment: Enrolment, to_centre: str, effective_date: datetime.date, reason: str, changed_by: Person
) -> EnrolmentChange:
    """The candidate carries on with the unit at another centre, named in words (centres are walled
    from each other: nothing here is sent there). The enrolment is kept, read-only, shown as
    transferred."""
    require_administrator(changed_by, enrolment.centre)
    reason = reason_checked(reason)
    to_centre = " ".join((to_centre or "").split())
    if not to_centre:
        raise Refused("Name the centre the candidate is transferring to.", field="to_centre")
    if len(to_centre) > CENTRE_NAME_LENGTH:
        raise Refused(f"Keep the centre's name within {CENTRE_NAME_LENGTH} characters.", field="to_centre")
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_may_close(enrolment, effective_date, "transferred")
        return _close(enrolment, EnrolmentStatus.TRANSFERRED, effective_date, reason, changed_by, to_centre)


def _team_on_return(enrolment: Enrolment, chosen: dict[str, Person | None]) -> dict[str, Person]:
    """The assessor and IQA a reinstated unit goes back to: the ones chosen, else the ones it had,
    provided they still hold the role here. Someone deactivated, or whose role was taken, while the
    unit was closed cannot take it up again: nobody could then open it, and it would be nobody's work."""
    team: dict[str, Person] = {}
    for role, (field, word) in ROLES.items():
        person = chosen.get(role) or getattr(enrolment, field)
        if not holds_role(person, enrolment.centre, Role.ASSESSOR if role == "assessor" else Role.IQA):
            raise Refused(f"{person} is no longer {with_article(word)} at {enrolment.centre}. Choose the {word} "
                          "who takes the unit on.", field=role)
        team[role] = person
    require_case_people(
        centre=enrolment.centre, candidate=enrolment.candidate, assessor=team["assessor"], iqa=team["iqa"]
    )
    return team


def _require_target_on_return(enrolment: Enrolment, target_date: datetime.date) -> None:
    """The target date a reinstated unit goes on with, by the rule of a new one; the date it had,
    kept, only while it has not passed (it often has, by the time the candidate comes back)."""
    if target_date == enrolment.target_date and target_passed(target_date):
        raise Refused(
            f"Its target date, {dates.day(target_date)}, has passed: choose a new one, today or later, "
            "that the candidate can still meet.", field="target_date",
        )
    _require_target_date(enrolment, target_date)


def enrolment_reinstate(
    *, enrolment: Enrolment, reason: str, changed_by: Person, assessor: Person | None = None, iqa: Person | None = None,
    target_date: datetime.date | None = None,
) -> list[Person]:
    """A withdrawn or transferred enrolment taken up again here, from where it was left, with the
    assessor and IQA it had or, if one of them is no longer one here (or the administrator chooses
    so), another, and with the target date it had (unless passed) or a new one: each a change of its
    own in the history, as on its own page. Everyone on it, and anyone taken off it, is told once
    (`reinstatement_notices`); returns them, for the page to name."""
    require_administrator(changed_by, enrolment.centre)
    reason = reason_checked(reason)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_possible(enrolment, "reinstate")
        team = _team_on_return(enrolment, {"assessor": assessor, "iqa": iqa})
        target_date = target_date or enrolment.target_date
        _require_target_on_return(enrolment, target_date)
        before = enrolment.status
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.save(update_fields=["status"])
        _history(
            enrolment, Kind.REINSTATED, changed_by, reason, from_status=before, to_status=EnrolmentStatus.ACTIVE,
            effective_date=timezone.localdate(),
        )
        audit.record(
            PortfolioAction.ENROLMENT_REINSTATED, actor=changed_by, centre=enrolment.centre, enrolment=enrolment,
            summary=f"{enrolment.candidate}’s {enrolment.unit.code} reinstated",
            before={"status": before}, after={"status": EnrolmentStatus.ACTIVE.value, "unit": enrolment.unit.code,
                                              "reason": reason, **reinstatement_notices.team_facts(team)},
        )
        # The IQA first when the new assessor is the IQA it had, else the assessor first.
        swaps = []
        for role in ("iqa", "assessor") if team["assessor"] == enrolment.iqa else ("assessor", "iqa"):
            if team[role] != getattr(enrolment, role):
                _, was = _reassigned(enrolment, role, team[role], reason, changed_by)
                swaps.append(reinstatement_notices.Swap(ROLES[role][1], was, team[role]))
        old = enrolment.target_date  # a new one has its own history row, told in the one notice
        if target_date != old:
            _target_date_set(enrolment, target_date, reason, changed_by)
        told = reinstatement_notices.tell(enrolment, by=changed_by, reason=reason, swaps=swaps,
                                          old_date=old if target_date != old else None, link=_unit_link(enrolment))
    return told
