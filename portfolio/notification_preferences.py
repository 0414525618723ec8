"""How each person chooses to hear of each kind of notification: at once by email, in a daily digest
email, or in the app only (every notification is in the app whatever they choose).

The defaults: an email at once for what asks something of the person (evidence to judge, evidence
referred back, a countersignature, the IQA's referral, a check that failed, an EQA's report and the
centre's answer to one of its actions), and for what happens
once in a unit's life and opens its next step (signed off, countersigned, unlocked), where a day's
wait would hold the next person up; the daily digest for news that asks nothing (evidence accepted,
the assessor's own records, the IQA's countersignature)."""

from collections.abc import Iterable

from django.db import transaction

from .models import Membership, NotificationPreference, Person, Role
from .notification_kinds import NotificationDelivery, NotificationKind

Kind = NotificationKind
AT_ONCE, DIGEST = NotificationDelivery.AT_ONCE, NotificationDelivery.DIGEST

DEFAULT_DELIVERY: dict[NotificationKind, NotificationDelivery] = {
    Kind.EVIDENCE_SUBMITTED: AT_ONCE,
    Kind.WITNESS_TESTIMONY: AT_ONCE,
    Kind.EVIDENCE_REFERRED: AT_ONCE,
    Kind.EVIDENCE_ACCEPTED: DIGEST,
    Kind.EVIDENCE_RECORDED: DIGEST,
    Kind.EVIDENCE_JUDGED_ELSEWHERE: DIGEST,
    Kind.COMMENT: AT_ONCE,
    Kind.COUNTERSIGN_REQUESTED: AT_ONCE,
    Kind.UNIT_SIGNED_OFF: AT_ONCE,
    Kind.UNIT_COUNTERSIGNED: AT_ONCE,
    Kind.UNIT_UNLOCKED: AT_ONCE,
    Kind.IQA_REFERRED: AT_ONCE,
    Kind.IQA_COUNTERSIGNED: DIGEST,
    Kind.IQA_ACTIONS_DONE: AT_ONCE,
    Kind.INTEGRITY_FAILURE: AT_ONCE,
    Kind.EQA_REPORT: AT_ONCE,
    # The answer waits on the EQA, who closes the action or leaves it open, often against its due
    # date: it asks something of them, and the centre waits to hear. Answers come a few per visit;
    # an EQA who works with many centres and would rather read them together chooses the digest.
    Kind.EQA_ACTION_ANSWERED: AT_ONCE,
    Kind.EQA_ACTION_REVIEWED: AT_ONCE,
    # Who is on a case, and until when, changes who does the next step: nobody should wait a day.
    Kind.ENROLMENT_CHANGED: AT_ONCE,
    # What someone may do at a centre, or whether they may sign in to it at all: they should know now.
    Kind.MEMBERSHIP_CHANGED: AT_ONCE,
    # A name to confirm asks something of the person, who may not otherwise come to the site soon.
    Kind.NAME_SUGGESTED: AT_ONCE,
    # News that asks nothing: the centre could prepare the newcomer's units before they accepted.
    Kind.INVITATION_ACCEPTED: DIGEST,
    # What every notification was before people chose: a notice nobody has classified yet is not
    # held back a day.
    Kind.GENERAL: AT_ONCE,
}

# Who receives each kind, so that the settings page offers a candidate only a candidate's kinds.
AUDIENCE: dict[NotificationKind, set[str]] = {
    Kind.EVIDENCE_SUBMITTED: {Role.ASSESSOR},
    Kind.WITNESS_TESTIMONY: {Role.CANDIDATE, Role.ASSESSOR},
    Kind.EVIDENCE_REFERRED: {Role.CANDIDATE},
    Kind.EVIDENCE_ACCEPTED: {Role.CANDIDATE},
    Kind.EVIDENCE_RECORDED: {Role.CANDIDATE},
    Kind.EVIDENCE_JUDGED_ELSEWHERE: {Role.ASSESSOR},
    Kind.COMMENT: {Role.CANDIDATE, Role.ASSESSOR},
    Kind.COUNTERSIGN_REQUESTED: {Role.CANDIDATE},
    Kind.UNIT_SIGNED_OFF: {Role.IQA},
    Kind.UNIT_COUNTERSIGNED: {Role.ASSESSOR, Role.IQA},
    Kind.UNIT_UNLOCKED: {Role.CANDIDATE, Role.ASSESSOR, Role.IQA},
    Kind.IQA_REFERRED: {Role.ASSESSOR},
    Kind.IQA_COUNTERSIGNED: {Role.CANDIDATE, Role.ASSESSOR},
    Kind.IQA_ACTIONS_DONE: {Role.IQA},
    Kind.INTEGRITY_FAILURE: {Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR},
    Kind.EQA_REPORT: {Role.ADMINISTRATOR, Role.IQA},
    Kind.EQA_ACTION_ANSWERED: {Role.EQA},
    Kind.EQA_ACTION_REVIEWED: {Role.ADMINISTRATOR, Role.IQA},
    Kind.ENROLMENT_CHANGED: {Role.CANDIDATE, Role.ASSESSOR, Role.IQA},
    Kind.MEMBERSHIP_CHANGED: {Role.CANDIDATE, Role.ASSESSOR, Role.IQA, Role.ADMINISTRATOR},
    Kind.NAME_SUGGESTED: set(Role),
    Kind.INVITATION_ACCEPTED: {Role.ADMINISTRATOR},
    Kind.GENERAL: set(Role),
}


def kinds_for(person: Person) -> list[NotificationKind]:
    """The kinds this person's roles receive, in the enumeration's order. Someone with no role at
    any centre (a site administrator) is offered them all."""
    roles = set(Membership.objects.filter(person=person).values_list("role", flat=True))
    if not roles:
        return list(NotificationKind)
    return [kind for kind in NotificationKind if AUDIENCE[kind] & roles]


def choices_of(person: Person) -> dict[NotificationKind, NotificationDelivery]:
    """Every kind with how this person hears of it: their choice, or the default."""
    chosen = dict(NotificationPreference.objects.filter(person=person).values_list("kind", "delivery"))
    return {
        kind: NotificationDelivery(chosen[kind]) if kind in chosen else DEFAULT_DELIVERY[kind]
        for kind in NotificationKind
    }


def deliveries(people: Iterable[Person], kind: NotificationKind) -> dict[int, NotificationDelivery]:
    """How each of these people hears of a notification of this kind, by their id: one query."""
    ids = [person.pk for person in people]
    chosen = dict(
        NotificationPreference.objects.filter(person__in=ids, kind=kind).values_list("person_id", "delivery")
    )
    return {pk: NotificationDelivery(chosen[pk]) if pk in chosen else DEFAULT_DELIVERY[kind] for pk in ids}


def notification_preferences_save(
    *, person: Person, choices: dict[NotificationKind, NotificationDelivery]
) -> None:
    """Records the person's choices. A notification already waiting for the digest stays in it (it
    has not been emailed), unless they now want that kind in the app only."""
    with transaction.atomic():
        for kind, delivery in choices.items():
            NotificationPreference.objects.update_or_create(
                person=person, kind=kind, defaults={"delivery": delivery}
            )
