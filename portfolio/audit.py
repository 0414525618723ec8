"""Writing the audit trail. Every service that changes state calls `record` inside its transaction,
so the event and the change are saved together or not at all.

The actions are namespaced codes ("portfolio.evidence.submitted"), each a member of an enumeration:
portfolio's here, assessments' in `assessments.audit_actions` (portfolio does not know that app).
The codes are stored in every event and written into the CSV exports, so a member's value never
changes once released; a new action is a new member."""

import json
from enum import StrEnum

from django.utils import timezone

from .models import AuditEvent, Centre, Enrolment, Evidence, Person
from .signing import audit_event_seal


class AuditAction(StrEnum):
    """What every app's enumeration of actions derives from, so `record` takes only a member."""


class PortfolioAction(AuditAction):
    EVIDENCE_CREATED = "portfolio.evidence.created"
    EVIDENCE_CHANGED = "portfolio.evidence.changed"
    EVIDENCE_MAPPED = "portfolio.evidence.mapped"
    EVIDENCE_SUBMITTED = "portfolio.evidence.submitted"
    EVIDENCE_DELETED = "portfolio.evidence.deleted"
    FILE_DOWNLOADED = "portfolio.file.downloaded"
    FILE_VIEWED = "portfolio.file.viewed"
    PERSON_ADDED = "portfolio.person.added"
    PERSON_ROLE_ADDED = "portfolio.person.role_added"
    PERSON_INVITED = "portfolio.person.invited"
    # A centre administrator runs its people (portfolio/services_people.py).
    PERSON_ROLE_REMOVED = "portfolio.person.role_removed"
    PERSON_RENAMED = "portfolio.person.renamed"
    PERSON_DEACTIVATED = "portfolio.person.deactivated"
    PERSON_REACTIVATED = "portfolio.person.reactivated"
    # While they are deactivated, the centre corrects why (the old words kept in the event's `before`).
    DEACTIVATION_REASON_CORRECTED = "portfolio.person.deactivation_reason_corrected"
    SIGN_IN_LOCK_CLEARED = "portfolio.person.sign_in_lock_cleared"
    ENROLMENT_REGISTERED = "portfolio.enrolment.registered"
    # What the centre changes on an enrolment after registering it (services_enrolments).
    ENROLMENT_ASSESSOR_CHANGED = "portfolio.enrolment.assessor_changed"
    ENROLMENT_IQA_CHANGED = "portfolio.enrolment.iqa_changed"
    ENROLMENT_TARGET_DATE_CHANGED = "portfolio.enrolment.target_date_changed"
    ENROLMENT_WITHDRAWN = "portfolio.enrolment.withdrawn"
    ENROLMENT_TRANSFERRED = "portfolio.enrolment.transferred"
    ENROLMENT_REINSTATED = "portfolio.enrolment.reinstated"
    # The people on an enrolment's case found changed outside the portfolio (`case_seals`).
    ENROLMENT_CASE_CHANGED = "portfolio.enrolment.case_changed"
    ENROLMENT_CASE_PUT_BACK = "portfolio.enrolment.case_put_back"
    # A role at the centre found not as the portfolio gave it, and put right (`membership_seals`).
    MEMBERSHIP_PUT_RIGHT = "portfolio.membership.put_right"
    # An evidence item or file found moved outside the portfolio, and put back (`row_seals`).
    EVIDENCE_PUT_RIGHT = "portfolio.evidence.put_right"
    # An invitation, a prepared registration or roles kept for reactivating found changed (`pending_seals`).
    PENDING_ROW_CHANGED = "portfolio.pending.changed"
    # The centre's audit trail found changed outside the portfolio (`audit_chain.tell`).
    AUDIT_TRAIL_CHANGED = "portfolio.audit.trail_changed"
    # The centre's administrator records that the centre has dealt with what was found (`findings.acknowledge`).
    AUDIT_TRAIL_ACKNOWLEDGED = "portfolio.audit.trail_acknowledged"
    QUALIFICATION_REGISTERED = "portfolio.qualification.registered"
    IDENTIFIERS_CHANGED = "portfolio.candidate.identifiers_changed"
    # The site administrator lets a centre administrator import units into the catalogue, or stops.
    IMPORT_RIGHT_GRANTED = "portfolio.catalogue.import_right_granted"
    IMPORT_RIGHT_WITHDRAWN = "portfolio.catalogue.import_right_withdrawn"
    EQA_INVITED = "portfolio.eqa.invited"
    INVITATION_RESENT = "portfolio.invitation.resent"
    INVITATION_ACCEPTED = "portfolio.invitation.accepted"
    EQA_TERMS_ACCEPTED = "portfolio.eqa.terms_accepted"
    EQA_RENEWED = "portfolio.eqa.renewed"
    EQA_ENDED = "portfolio.eqa.ended"
    # An EQA's grant found not as the centre gave it, or put back (`grant_seals`).
    EQA_ACCESS_CHANGED = "portfolio.eqa.access_changed"
    # A centre administrator imported candidates from a spreadsheet (each one added is its own event).
    PEOPLE_IMPORTED = "portfolio.people.imported"
    # Everyone a centre adds is invited (issue 16): the centre sees the name it typed until they accept.
    INVITATION_MADE = "portfolio.invitation.made"
    INVITATION_CANCELLED = "portfolio.invitation.cancelled"
    ENROLMENT_PREPARED = "portfolio.enrolment.prepared"
    ENROLMENT_PREPARED_DROPPED = "portfolio.enrolment.prepared_dropped"
    ENROLMENT_PREPARED_CHANGED = "portfolio.enrolment.prepared_changed"
    ENROLMENT_PREPARED_CANCELLED = "portfolio.enrolment.prepared_cancelled"
    ENROLMENT_PREPARED_HELD = "portfolio.enrolment.prepared_held"
    # An invited candidate's qualification registration, prepared before they accept (issue 16).
    QUALIFICATION_PREPARED = "portfolio.qualification.prepared"
    QUALIFICATION_PREPARED_DROPPED = "portfolio.qualification.prepared_dropped"
    CENTRE_CREATED = "portfolio.centre.created"
    # The site administrator's centres page (portfolio/services_site.py).
    CENTRE_RENAMED = "portfolio.centre.renamed"
    # A person owns their name: the centre corrects an invitation's typed name, or asks the person.
    INVITATION_RENAMED = "portfolio.invitation.renamed"
    PERSON_NAME_SUGGESTED = "portfolio.person.name_suggested"
    # A CSV import corrects the ULN on a candidate's waiting invitation (their record's: IDENTIFIERS_CHANGED).
    INVITATION_ULN_CHANGED = "portfolio.invitation.uln_changed"


def record(
    action: AuditAction,
    *,
    actor: Person | None,
    centre: Centre,
    summary: str,
    candidate: Person | None = None,
    enrolment: Enrolment | None = None,
    evidence: Evidence | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    if not isinstance(action, AuditAction):
        # A code typed out by hand is how two spellings of one action get into the trail.
        raise TypeError(f"Audit actions are members of an AuditAction enumeration, not {action!r}.")
    if evidence is not None and candidate is None:
        candidate = evidence.candidate
    if enrolment is not None and candidate is None:
        candidate = enrolment.candidate
    event = AuditEvent(
        action=action.value,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.email)[:300] if actor is not None else None,
        centre=centre,
        candidate=candidate,
        enrolment=enrolment,
        evidence=evidence,
        summary=summary[:300],
        # Sealed as the database will give them back: a tuple read back is a list, a number key a string.
        before=json.loads(json.dumps(before or {})),
        after=json.loads(json.dumps(after or {})),
        at=timezone.now(),
    )
    # The centre's latest event, read without a lock: SQLite's transactions are IMMEDIATE, so writes
    # come one at a time; on PostgreSQL two at once may both follow the same event, a fork the check
    # accepts (a row lock here would risk deadlocks with the services' own locks).
    latest = AuditEvent.objects.filter(centre=centre).order_by("-id").values_list("pk", "seal").first()
    event.previous, previous_seal = latest if latest is not None else (None, None)
    event.seal = audit_event_seal(event, previous_seal)
    event.save(force_insert=True)
    return event
