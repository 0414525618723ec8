"""Which audit events the centre's audit trail shows, and how they are read.

The rule: the centre's audit trail is about **running the centre**, and shows an event by its
action alone (`RUNNING_THE_CENTRE`): its people (added, invited, roles given and taken, names,
deactivated and reactivated, a deactivation's reason corrected, sign-in lock-outs cleared), the
invitations and imports, registrations and what the centre changes on them (assessor, IQA, target
date, withdrawn, transferred, reinstated, a unit's version moved), its external quality assurers'
access, its settings and catalogue (the import right, the centre's name, the seal of its PDFs) and
its bulk downloads (portfolio exports, visit packs, the claim list).

It never shows an event about a candidate's evidence, an assessor's decision, a sign-off, a
review, a comment, a testimony or a single unit's download: evidence is personal data read only by
those on the candidate's case, and those events stay on the unit's own audit trail (the unit page,
`assessments/audit_trail.py`). A new action of assessments or exports is left out until it is named
here; a new action of portfolio is shown unless it is named in `_ABOUT_EVIDENCE`, so one about
evidence must be added there.

Read newest first, on the centre's own rows before anything else (the index `audit_centre_at`), and
counted on `audit_centre_action_at`, which holds only the centre, the action and the time.
"""

import datetime

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from assessments.audit_actions import AssessmentAction
from exports.audit_actions import ExportAction
from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, Centre, DeactivatedMembership, Invitation, Membership, Person

_ABOUT_EVIDENCE = {
    PortfolioAction.EVIDENCE_CREATED, PortfolioAction.EVIDENCE_CHANGED, PortfolioAction.EVIDENCE_MAPPED,
    PortfolioAction.EVIDENCE_SUBMITTED, PortfolioAction.EVIDENCE_DELETED,
    PortfolioAction.FILE_DOWNLOADED, PortfolioAction.FILE_VIEWED, PortfolioAction.EVIDENCE_PUT_RIGHT,
}

RUNNING_THE_CENTRE: frozenset[str] = frozenset(
    {action.value for action in PortfolioAction if action not in _ABOUT_EVIDENCE}
    | {action.value for action in (
        AssessmentAction.UNIT_VERSION_MOVED, AssessmentAction.CLAIMS_EXPORTED,
        ExportAction.EXPORT_REQUESTED, ExportAction.EXPORT_BUILT, ExportAction.EXPORT_DOWNLOADED,
        ExportAction.EXPORT_RESTARTED, ExportAction.EXPORT_FAILED,
        ExportAction.VISIT_PACK_REQUESTED, ExportAction.VISIT_PACK_BUILT, ExportAction.VISIT_PACK_DOWNLOADED,
        ExportAction.SEAL_MADE, ExportAction.SEAL_UPLOADED, ExportAction.EXPORT_CHANGED,
        AssessmentAction.WITNESS_REQUEST_CHANGED,
    )}
)


def shown(action: str) -> bool:
    """Whether the centre's audit trail shows an event of this action."""
    return action in RUNNING_THE_CENTRE


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def centre_people(centre: Centre) -> Q:
    """The people who are or were at the centre: its members, those deactivated here, and those it
    invited (by the invitation's address, whether or not they accepted). Only their email addresses
    are matched: anyone else (the site administrator who made the centre, a person of another
    centre) is found by the name the trail shows, never by an address it does not show."""
    invited = Invitation.objects.filter(centre=centre).order_by().values(address=Lower("email"))
    return (
        Q(pk__in=Membership.objects.filter(centre=centre).order_by().values("person"))
        | Q(pk__in=DeactivatedMembership.objects.filter(centre=centre).order_by().values("person"))
        | Q(pk__in=Person.objects.alias(address=Lower("email")).filter(address__in=invited).values("pk"))
    )


def _person_matches(centre: Centre, words: list[str]) -> Q:
    """Every word in the name the trail shows of the person who acted (`AuditEvent.actor_name`, or
    their name now for an event from before it was kept), the candidate the event is about, or the
    person it names (a name or email in its facts, recorded at this centre, or the name now of the
    person whose id alone it recorded; the name they had before, as the one taken off a unit by a
    change of assessor or IQA; the assessor and IQA a reinstatement names); or in the email address
    of the person who acted or the candidate, when they are among the centre's people."""
    matches = Q()
    for word in words:
        by_email = Person.objects.filter(centre_people(centre), email__icontains=word).values("pk")
        matches &= Q(
            Q(actor_name__icontains=word) & ~Q(actor_name__iexact=F("actor__email"))
            | Q(actor_name__isnull=True) & (Q(actor__first_name__icontains=word) | Q(actor__last_name__icontains=word))
            | Q(actor__in=by_email) | Q(candidate__in=by_email)
            | Q(candidate__first_name__icontains=word) | Q(candidate__last_name__icontains=word)
            | Q(after__email__icontains=word) | Q(after__name__icontains=word)
            | Q(before__name__icontains=word) & ~Q(action=PortfolioAction.CENTRE_RENAMED)
            | Q(after__assessor_name__icontains=word) | Q(after__iqa_name__icontains=word)
            | Q(after__name__isnull=True) & Exists(
                Person.objects.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word), pk=OuterRef("subject"))
            )
        )
    return matches


def events_of(
    centre: Centre, *, words: list[str], since: datetime.date | None, until: datetime.date | None
) -> QuerySet[AuditEvent]:
    """The centre's events of running it, newest first, narrowed to a person's words and to the
    local days `since` to `until` (both included)."""
    found = AuditEvent.objects.filter(centre=centre, action__in=sorted(RUNNING_THE_CENTRE))
    if since is not None:
        found = found.filter(at__gte=_day_start(since))
    if until is not None:
        found = found.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    if words:
        # An event about one of the centre's people recorded with their id alone reads by their name
        # now (`audit_sentences.person_named`), so it is found by it.
        subject = Cast(KeyTextTransform("person", "after"), IntegerField())
        found = found.alias(subject=subject).filter(_person_matches(centre, words))
    return found.order_by("-at", "-id")
