"""The actions assessments records in the audit trail (see `portfolio.audit`): the codes are stored
in every event and written into the CSV exports, so a member's value never changes."""

from portfolio.audit import AuditAction


class AssessmentAction(AuditAction):
    EVIDENCE_ACCEPTED = "assessments.evidence.accepted"
    EVIDENCE_REFERRED = "assessments.evidence.referred"
    TESTIMONY_REQUESTED = "assessments.testimony.requested"
    TESTIMONY_GIVEN = "assessments.testimony.given"
    DECISION_RECORDED = "assessments.decision.recorded"
    DECISION_WITHDRAWN = "assessments.decision.withdrawn"
    UNIT_SIGNED_OFF = "assessments.unit.signed_off"
    UNIT_COUNTERSIGNED = "assessments.unit.countersigned"
    UNIT_UNLOCKED = "assessments.unit.unlocked"
    AUDIT_TRAIL_EXPORTED = "assessments.audit_trail.exported"
    IQA_SAMPLED = "assessments.iqa.sampled"
    IQA_COUNTERSIGNED = "assessments.iqa.countersigned"
    IQA_REFERRED = "assessments.iqa.referred"
    IQA_ACTIONS_DONE = "assessments.iqa.actions_done"
    EVIDENCE_COMMENTED = "assessments.evidence.commented"
    # A check of a signed-off unit (its files read from storage) found it changed since sign-off.
    FIXITY_FAILED = "assessments.fixity.failed"
    # The next check found it as signed again (the file put back from a backup, say).
    FIXITY_INTACT_AGAIN = "assessments.fixity.intact_again"
    DECISION_CITATION_ADDED = "assessments.decision.citation_added"
    # Holistic evidence accepted by the assessor of another unit: this unit's assessor recorded (or
    # corrected) which of its scope items the evidence covers.
    SCOPE_RECORDED = "assessments.scope.recorded"
    # Certification claims: a unit or a qualification marked claimed from the awarding body, and the
    # claim list downloaded.
    CLAIM_MADE = "assessments.claim.made"
    CLAIMS_EXPORTED = "assessments.claims.exported"
    # A centre administrator moved a candidate's enrolment to another version of its unit.
    UNIT_VERSION_MOVED = "assessments.unit.version_moved"
    # An IQA made or changed their sampling plan at a centre (risk ratings, shares, methods, locations).
    SAMPLING_PLAN_SAVED = "assessments.sampling_plan.saved"
    # The external quality assurer's own work: a unit taken into or out of their sample, a report
    # sent to the centre, the centre's answer to one of its actions, and the EQA's word on that answer.
    EQA_SAMPLED = "assessments.eqa.sampled"
    EQA_UNSAMPLED = "assessments.eqa.unsampled"
    EQA_REPORT_SUBMITTED = "assessments.eqa.report_submitted"
    EQA_ACTION_ANSWERED = "assessments.eqa.action_answered"
    EQA_ACTION_REVIEWED = "assessments.eqa.action_reviewed"
    # Quality-assurance records of the centre: a standardisation meeting recorded; an assessor's or
    # IQA's qualification, occupational experience or CPD added by themselves.
    STANDARDISATION_RECORDED = "assessments.standardisation.recorded"
    QUALIFICATION_HELD_ADDED = "assessments.competence.qualification_added"
    EXPERIENCE_ADDED = "assessments.competence.experience_added"
    CPD_RECORDED = "assessments.competence.cpd_recorded"
    # A witness who testified before their status was asked for is sent a link to confirm it; they confirm it.
    WITNESS_STATUS_REQUESTED = "assessments.witness_status.requested"
    WITNESS_STATUS_CONFIRMED = "assessments.witness_status.confirmed"
    # A witness's testimony link found not as the portfolio made it (put in, or its unit, address,
    # secret, asker or expiry changed, in the database: assessments/testimony_seals.py): it opens nothing.
    WITNESS_REQUEST_CHANGED = "assessments.testimony.request_changed"
