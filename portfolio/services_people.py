"""A centre administrator runs the centre's people: their roles here, a change to their name
suggested to them (a person owns their name: `services_account`), deactivating and reactivating their membership, and clearing a sign-in lock-out.

Each change is checked, written, audited and told to the person in one transaction, or not at all.
Nothing here reads or changes anything of the person's at another centre, and no refusal names one.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import audit, dates, pending_seals, work_done
from .audit import PortfolioAction
from .enrolment_models import EnrolmentStatus
from .invitation_models import Invitation
from .models import Centre, DeactivatedMembership, EndedDeactivation, Membership, NameSuggestion, Person, Role
from .notification_kinds import NotificationKind
from .notifications import notify
from .services_centre import CENTRE_ROLES, Refused, require_administrator, with_article
from .services_centre_invitations import prepared_held, withdraw
from .services_enrolments import reason_checked
from .sign_in_limits import clear_lock_out, is_locked_out

# Where a deactivation's reason is kept, in its refusal and its form's words.
DEACTIVATION_REASON_KEPT = "the deactivation, on their page here and in the centre's audit trail"
# Where a reactivation's reason is kept, in the same words.
REACTIVATION_REASON_KEPT = "the reactivation, on their page here and in the centre's audit trail"


def _label(role: str) -> str:
    return str(Role(role).label).lower()


def _roles_here(person: Person, centre: Centre) -> set[str]:
    return set(Membership.objects.filter(person=person, centre=centre).values_list("role", flat=True))


def _last_administrator(person: Person, centre: Centre) -> bool:
    # Locked, so that two administrators cannot each remove the other at the same moment.
    administrators = list(
        Membership.objects.select_for_update().filter(centre=centre, role=Role.ADMINISTRATOR).values_list("person_id", flat=True)
    )
    return administrators == [person.pk]


def _units_ids(person: Person, centre: Centre, role: str) -> list[int]:
    field = {Role.CANDIDATE: "candidate", Role.ASSESSOR: "assessor", Role.IQA: "iqa"}.get(Role(role))
    if field is None:
        return []
    enrolments = centre.enrolments.filter(**{field: person})
    if role != Role.CANDIDATE:
        enrolments = enrolments.filter(status=EnrolmentStatus.ACTIVE)
    return list(enrolments.values_list("pk", flat=True))


def open_units(person: Person, centre: Centre, role: str) -> int:
    """How many units here the person still works on in that role: as assessor, the active ones not
    signed off; as IQA, the active ones not yet countersigned by an IQA (`work_done`: a handover
    moves these and leaves the others with them); as candidate, every one they are registered on
    (their record). A withdrawn or transferred unit is no one's work any more, and cannot be
    reassigned, so it keeps no assessor or IQA here."""
    ids = _units_ids(person, centre, role)
    if role == Role.CANDIDATE:
        return len(ids)
    return len(set(ids) - work_done.done(ids, role))


def units_done(person: Person, centre: Centre, role: str) -> int:
    """How many active units here the person is the assessor or IQA of with their work on them done
    (`work_done`): they stay with them when they leave, in no count of `open_units`."""
    if role not in (Role.ASSESSOR, Role.IQA):
        return 0
    return len(work_done.done(_units_ids(person, centre, role), role))


def _counted(units: int) -> str:
    return "1 unit" if units == 1 else f"{units} units"


def refuse_leaving(person: Person, centre: Centre, role: str, *, then: str) -> None:
    """The one rule for a person leaving a role here, whether the role is taken away or they are
    deactivated: the centre keeps an administrator, and an assessor's or IQA's units are reassigned
    first, and so are the registrations waiting for invited candidates that name them (one left
    naming them could not open when its candidate accepts), so that no candidate is left waiting on
    someone who can no longer open their unit. `then` ends the refusal with what the administrator
    was doing ("take the role away")."""
    if role == Role.ADMINISTRATOR and _last_administrator(person, centre):
        raise Refused(f"{person} is the only administrator of {centre}. Give someone else that role first.", field="roles")
    if role not in (Role.ASSESSOR, Role.IQA):
        return
    units = open_units(person, centre, role)
    waiting = len(prepared_held(centre, person, "assessor" if role == Role.ASSESSOR else "iqa"))
    if not units and not waiting:
        return
    work = "assesses" if role == Role.ASSESSOR else "quality-assures"
    held = [f"{work} {_counted(units)} {work_done.STILL[role]} here"] if units else []
    if waiting:
        registrations = "1 registration" if waiting == 1 else f"{waiting} registrations"
        held.append(f"is the {_label(role)} of {registrations} waiting for invited candidates to accept")
    them = "it" if units + waiting == 1 else "them"
    move = f"Hand {them} over" if waiting else f"Reassign {them}"
    raise Refused(f"{person} {' and '.join(held)}. {move} to another {_label(role)} first, then {then}.", field="roles")


def has_work_to_hand_over(person: Person, centre: Centre) -> bool:
    """Whether the person assesses or quality-assures anything here a handover would move: the
    refusals of `refuse_leaving` then link to it."""
    roles = _roles_here(person, centre) & {Role.ASSESSOR, Role.IQA}
    return any(
        open_units(person, centre, role) or prepared_held(centre, person, "assessor" if role == Role.ASSESSOR else "iqa")
        for role in roles
    )


def _refuse_removing(person: Person, centre: Centre, role: str) -> None:
    refuse_leaving(person, centre, role, then="take the role away")
    units = open_units(person, centre, role) if role == Role.CANDIDATE else 0
    if units:
        raise Refused(
            f"{person} is registered on {_counted(units)} here, so they stay a candidate. To end their access, "
            "deactivate them instead: their records are kept.", field="roles",
        )


def deactivation_refusal(person: Person, centre: Centre) -> str:
    """Why the person may not be deactivated now (the words of `refuse_leaving`), or "" if they may."""
    with transaction.atomic():
        roles = sorted(_roles_here(person, centre))
        try:
            for role in roles:
                refuse_leaving(person, centre, role, then="deactivate them")
        except Refused as refused:
            return str(refused)
    return ""


def roles_set(*, centre: Centre, person: Person, changed_by: Person, roles: set[str]) -> tuple[set[str], set[str]]:
    """Gives and takes the person's roles at the centre so they hold `roles`; returns (given, taken)."""
    require_administrator(changed_by, centre)
    if not roles or not roles <= set(CENTRE_ROLES):
        raise Refused("Choose at least one role. To end all their roles here, deactivate them instead.", field="roles")
    with transaction.atomic():
        held = _roles_here(person, centre)
        if not held:
            raise Refused(f"{person} is deactivated here. Reactivate them first.")
        given, taken = roles - held, held - roles
        for role in sorted(taken):
            _refuse_removing(person, centre, role)
        for role in sorted(given):
            Membership.objects.create(person=person, centre=centre, role=role)
        Membership.objects.filter(person=person, centre=centre, role__in=taken).delete()
        for role in sorted(given | taken):
            _record_role(centre, person, changed_by, role, given=role in given)
        if given or taken:
            words = [f"gave you the role of {_label(r)}" for r in sorted(given)]
            words += [f"took the role of {_label(r)} from you" for r in sorted(taken)]
            notify([person], f"{changed_by} {' and '.join(words)} at {centre}.", link=reverse("home"),
                   subject=f"Your roles at {centre}", kind=NotificationKind.MEMBERSHIP_CHANGED)
    return given, taken


def _record_role(centre: Centre, person: Person, changed_by: Person, role: str, *, given: bool) -> None:
    audit.record(
        PortfolioAction.PERSON_ROLE_ADDED if given else PortfolioAction.PERSON_ROLE_REMOVED,
        actor=changed_by, centre=centre, candidate=person if role == Role.CANDIDATE else None,
        summary=f"{person} {'given' if given else 'no longer'} {with_article(_label(role))}",
        after=_named(person) | {"role": role, "new_account": False},
    )


def _waiting_here(person: Person, centre: Centre) -> list[NameSuggestion]:
    """The centre's questions still waiting for the person (one, but for records from before a new
    question replaced the waiting one), oldest first; one that is their name already asks nothing."""
    waiting = NameSuggestion.objects.waiting().filter(person=person, centre=centre)
    return list(waiting.exclude(first_name=person.first_name, last_name=person.last_name).order_by("made_at", "pk"))


def name_suggest(
    *, centre: Centre, person: Person, suggested_by: Person, first_name: str, last_name: str
) -> NameSuggestion:
    """Asks the person to change their name: they own it, and confirm it on their account page or
    do nothing. The same for everyone, so the administrator learns nothing of other centres.

    One question from a centre waits at a time. Asking for another name while one waits replaces it
    (it is kept, marked replaced by this one), so the person is never asked two things at once and
    a slip in the first is corrected by asking again; asking for the same name again is refused, as
    it is already waiting."""
    require_administrator(suggested_by, centre)
    first_name, last_name = first_name.strip(), last_name.strip()
    if not (first_name and last_name):
        raise Refused("Give both a first name and a last name.")
    suggested = f"{first_name} {last_name}"
    with transaction.atomic():
        # The person's row orders two administrators asking at once, and their own answer.
        person = Person.objects.select_for_update().get(pk=person.pk)
        if (person.first_name, person.last_name) == (first_name, last_name):
            raise Refused(f"Their name is already {suggested}.")
        waiting = _waiting_here(person, centre)
        for earlier in waiting:
            if (earlier.first_name, earlier.last_name) == (first_name, last_name):
                raise Refused(
                    f"{person} was asked on {dates.day(earlier.made_at)} to confirm {suggested} and has not "
                    "answered yet: the question is still waiting on their account page."
                )
        suggestion = NameSuggestion(
            person=person, centre=centre, suggested_by=suggested_by, first_name=first_name, last_name=last_name
        )
        suggestion.full_clean()
        suggestion.save()
        NameSuggestion.objects.filter(pk__in=[earlier.pk for earlier in waiting]).update(replaced_by=suggestion)
        replaced = [f"{earlier.first_name} {earlier.last_name}" for earlier in waiting]
        in_place = f", replacing the question waiting for {' and '.join(replaced)}" if replaced else ""
        audit.record(
            PortfolioAction.PERSON_NAME_SUGGESTED, actor=suggested_by, centre=centre,
            summary=f"{person} asked to change their name to {suggested}{in_place}",
            before={"name": str(person)},
            after={"person": person.pk, "email": person.email, "name": suggested, "replaces": replaced},
        )
        earlier_words = f" This replaces their question of {dates.day(waiting[-1].made_at)}." if waiting else ""
        notify(
            [person], f"{suggested_by} of {centre} asks you to check your name: they would record it as "
            f"{suggested}. If that is right, confirm it on your account page; if not, you need do nothing."
            f"{earlier_words}",
            kind=NotificationKind.NAME_SUGGESTED, subject="Please check your name",
            link=f"{reverse('portfolio:account')}?suggestion={suggestion.pk}",
        )
    return suggestion


def waiting_invitations(person: Person, centre: Centre) -> list[Invitation]:
    """The centre's invitations to the person's address not yet accepted or withdrawn (expired ones
    too, which could be sent again): deactivating withdraws them, so no link lets them back in."""
    return list(
        Invitation.objects.filter(
            centre=centre, email__iexact=person.email, accepted_at__isnull=True, cancelled_at__isnull=True
        ).exclude(role=Role.EQA).order_by("created_at", "pk")
    )


def membership_deactivate(
    *, centre: Centre, person: Person, deactivated_by: Person, reason: str
) -> DeactivatedMembership:
    """Ends the person's access to the centre, keeping every record, the roles to give back and why.
    The reason is the centre's (its page about them, its audit trail): the person is not told it."""
    require_administrator(deactivated_by, centre)
    if person.pk == deactivated_by.pk:
        raise Refused("You cannot deactivate yourself. Ask another administrator of the centre.")
    reason = reason_checked(reason, kept_with=DEACTIVATION_REASON_KEPT)
    with transaction.atomic():
        memberships = list(Membership.objects.select_for_update().filter(person=person, centre=centre))
        if not memberships:
            raise Refused(f"{person} is already deactivated here.")
        roles = sorted(m.role for m in memberships)
        for role in roles:
            refuse_leaving(person, centre, role, then="deactivate them")
        record = DeactivatedMembership.objects.create(
            person=person, centre=centre, roles=roles, deactivated_by=deactivated_by, reason=reason,
            may_import_units=any(m.may_import_units for m in memberships),
        )
        Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()
        withdrawn = waiting_invitations(person, centre)
        for invitation in withdrawn:
            withdraw(invitation, withdrawn_by=deactivated_by)
        record.invitations_withdrawn.set(withdrawn)
        _record_move(PortfolioAction.PERSON_DEACTIVATED, centre, person, deactivated_by, roles, reason=reason)
        notify([person], f"{deactivated_by} ended your access to {centre}. Your records there are kept; "
               "ask the centre if you think this is a mistake.", subject=f"Your access to {centre} ended",
               kind=NotificationKind.MEMBERSHIP_CHANGED)
    return record


def membership_reactivate(*, centre: Centre, person: Person, reactivated_by: Person, reason: str) -> list[str]:
    """Gives a deactivated person back the roles they held at the centre; returns them. The reason is
    required and checked as a deactivation's is, kept as the centre's: the person is not told it."""
    require_administrator(reactivated_by, centre)
    reason = reason_checked(reason, kept_with=REACTIVATION_REASON_KEPT)
    with transaction.atomic():
        record = DeactivatedMembership.objects.select_for_update().filter(person=person, centre=centre).first()
        if record is None:
            raise Refused(f"{person} is not deactivated here.")
        if not pending_seals.roles_put_back(record):  # changed by hand, and what they were cannot be told
            raise Refused(f"The roles kept for {person} were changed outside the portfolio, and what they were cannot "
                          "be told, so they are not given back. Whoever runs the installation can put them back from a backup.")
        roles = sorted(set(record.roles) - _roles_here(person, centre))
        for role in roles:
            Membership.objects.create(
                person=person, centre=centre, role=role,
                may_import_units=record.may_import_units and role == Role.ADMINISTRATOR,
            )
        # The record goes, kept as ended for the person's page; the deactivation's event keeps its
        # reason, and this one repeats it, so the reactivation reads whole in the audit trail.
        ended = {
            "deactivated_at": record.deactivated_at.isoformat(), "deactivated_by": str(record.deactivated_by),
            "reason": record.reason,
        }
        EndedDeactivation.objects.create(
            person=person, centre=centre, roles=sorted(record.roles), deactivated_by=record.deactivated_by,
            deactivated_at=record.deactivated_at, reason=record.reason,
            reactivated_by=reactivated_by, reactivated_at=timezone.now(), reactivation_reason=reason,
        )
        record.delete()
        _record_move(
            PortfolioAction.PERSON_REACTIVATED, centre, person, reactivated_by, sorted(record.roles),
            reason=reason, before=ended,
        )
        notify([person], f"{reactivated_by} gave you back your access to {centre}.", link=reverse("home"),
               subject=f"Your access to {centre} is back", kind=NotificationKind.MEMBERSHIP_CHANGED)
    return sorted(record.roles)


def deactivation_reason_correct(*, centre: Centre, person: Person, corrected_by: Person, reason: str) -> bool:
    """Corrects why the person is deactivated here, while they are: required as when deactivating,
    the old and new words kept in the audit trail, not told to the person. False when the reason
    typed is the one recorded already, and then nothing is recorded."""
    require_administrator(corrected_by, centre)
    reason = reason_checked(reason, kept_with=DEACTIVATION_REASON_KEPT)
    with transaction.atomic():
        record = DeactivatedMembership.objects.select_for_update().filter(person=person, centre=centre).first()
        if record is None:
            raise Refused(f"{person} is not deactivated here, so there is no reason to correct.")
        if record.reason == reason:
            return False
        was, record.reason = record.reason, reason
        record.save(update_fields=["reason"])
        audit.record(
            PortfolioAction.DEACTIVATION_REASON_CORRECTED, actor=corrected_by, centre=centre,
            candidate=person if Role.CANDIDATE in record.roles else None,
            summary=f"{person}: reason for deactivating corrected to: {reason}",
            before={"reason": was}, after=_named(person) | {"reason": reason},
        )
    return True


def _named(person: Person) -> dict[str, object]:
    """The person an event of the centre's people is about: their id, the name the trail names them
    by (as they were named then, as `AuditEvent.actor_name` keeps who acted) and the address the
    person filter finds them by (the centre's own person's, never shown in the sentence)."""
    return {"person": person.pk, "name": person.get_full_name(), "email": person.email}


def _record_move(
    action: PortfolioAction, centre: Centre, person: Person, actor: Person, roles: list[str], *,
    reason: str | None = None, before: dict[str, str] | None = None,
) -> None:
    moved = "deactivated" if action == PortfolioAction.PERSON_DEACTIVATED else "reactivated"
    audit.record(
        action, actor=actor, centre=centre, candidate=person if Role.CANDIDATE in roles else None,
        summary=f"{person} {moved}" + (f": {reason}" if reason else ""),
        before=before,
        after=_named(person) | {"roles": roles}
        | ({"reason": reason} if reason is not None else {}),
    )


def lock_out_clear(*, centre: Centre, person: Person, cleared_by: Person) -> bool:
    """Ends a sign-in lock-out on the person's email address (every client address); False when
    there was none to end, and then nothing is recorded."""
    require_administrator(cleared_by, centre)
    if not is_locked_out(person):
        return False
    with transaction.atomic():
        clear_lock_out(person)
        audit.record(
            PortfolioAction.SIGN_IN_LOCK_CLEARED, actor=cleared_by, centre=centre,
            summary=f"Sign-in lock-out of {person} cleared",
            after=_named(person),
        )
    return True
