"""The sentences of the audit actions of running a centre (see `portfolio.audit_sentences`): its
invitations, registrations waiting for someone to accept, EQAs' access, the centre itself, and what
the centre changes on an enrolment. Registered when the app is ready (portfolio/apps.py)."""

from .audit import PortfolioAction
from .audit_sentences import actor, candidate_name, day, facts, listed, quoted, role_words, writes
from .models import AuditEvent

# External quality assurers' access (portfolio/services_eqa.py, services_invitations.py).


@writes(PortfolioAction.EQA_INVITED)
def _eqa_invited(event: AuditEvent) -> str:
    after = facts(event)
    body = f" for {after['awarding_body']}" if after.get("awarding_body") else ""
    return (
        f"{actor(event)} invited {after['name']} ({after['email']}) as external quality assurer{body}, "
        f"to read {listed(after['scope'])} from {day(after['start_date'])} to {day(after['end_date'])}"
    )


@writes(PortfolioAction.INVITATION_RESENT)
def _invitation_resent(event: AuditEvent) -> str:
    return f"{actor(event)} sent the invitation to {facts(event)['email']} again; the earlier link no longer works"


@writes(PortfolioAction.INVITATION_ACCEPTED)
def _invitation_accepted(event: AuditEvent) -> str:
    return f"{actor(event)} accepted the invitation sent to {facts(event)['email']}"


@writes(PortfolioAction.INVITATION_RENAMED)
def _invitation_renamed(event: AuditEvent) -> str:
    after = facts(event)
    return f"{actor(event)} corrected the name on the invitation of {after['email']} from {facts(event, 'before')['name']} to {after['name']}"


@writes(PortfolioAction.INVITATION_ULN_CHANGED)
def _invitation_uln_changed(event: AuditEvent) -> str:
    after = facts(event)
    before = facts(event, "before")["uln"] or "none"
    return f"{actor(event)} corrected the ULN on the invitation of {after['email']} from {before} to {after['uln']}"


@writes(PortfolioAction.INVITATION_MADE)
def _invitation_made(event: AuditEvent) -> str:
    after = facts(event)
    return f"{actor(event)} invited {after['name']} ({after['email']}) as {role_words(after['role'])}"


@writes(PortfolioAction.INVITATION_CANCELLED)
def _invitation_cancelled(event: AuditEvent) -> str:
    after = facts(event)
    dropped = [*(after.get("prepared_units_dropped") or []), *(after.get("prepared_qualifications_dropped") or [])]
    units = f", and their registration on {listed(dropped)} with it" if dropped else ""
    return f"{actor(event)} withdrew the invitation of {after['name']} ({after['email']}){units}"


@writes(PortfolioAction.ENROLMENT_PREPARED)
def _enrolment_prepared(event: AuditEvent) -> str:
    after = facts(event)
    return (
        f"{actor(event)} registered {after['name']} ({after['email']}) on {after['unit']}, "
        f"target date {day(after['target_date'])}, waiting for them to accept the invitation"
    )


@writes(PortfolioAction.ENROLMENT_PREPARED_DROPPED)
def _enrolment_prepared_dropped(event: AuditEvent) -> str:
    after = facts(event)
    return f"The registration on {after['unit']} was not opened when {actor(event)} accepted: {after['reason']}"


@writes(PortfolioAction.ENROLMENT_PREPARED_HELD)
def _enrolment_prepared_held(event: AuditEvent) -> str:
    after = facts(event)
    return (f"The registration on {after['unit']} was kept waiting when {actor(event)} accepted, for the centre to "
            f"choose its team: {after['reason']}")


@writes(PortfolioAction.ENROLMENT_PREPARED_CHANGED)
def _enrolment_prepared_changed(event: AuditEvent) -> str:
    after = facts(event)
    if handover := after.get("handover"):
        role = "assessor" if handover["role"] == "assessor" else "IQA"
        return (f"{actor(event)} handed over the registration of {after['name']} on {after['unit']} before they "
                f"accepted: {handover['to']} is its {role} now ({after['reason']})")
    return (f"{actor(event)} changed the registration of {after['name']} on {after['unit']} before they accepted "
            f"(target date {day(after['target_date'])})")


@writes(PortfolioAction.ENROLMENT_PREPARED_CANCELLED)
def _enrolment_prepared_cancelled(event: AuditEvent) -> str:
    after = facts(event)
    return f"{actor(event)} cancelled the registration of {after['name']} on {after['unit']} before they accepted"


@writes(PortfolioAction.QUALIFICATION_PREPARED)
def _qualification_prepared(event: AuditEvent) -> str:
    after = facts(event)
    return (
        f"{actor(event)} registered {after['name']} ({after['email']}) on {after['qualification']}, with "
        f"{listed(after['units'])}, target date {day(after['target_date'])}, waiting for them to accept the invitation"
    )


@writes(PortfolioAction.QUALIFICATION_PREPARED_DROPPED)
def _qualification_prepared_dropped(event: AuditEvent) -> str:
    after = facts(event)
    return f"The registration on {after['qualification']} was not opened when {actor(event)} accepted: {after['reason']}"


@writes(PortfolioAction.CENTRE_CREATED)
def _centre_created(event: AuditEvent) -> str:
    after = facts(event)
    return f"{actor(event)} created the centre {after['name']} ({after['code']})"


@writes(PortfolioAction.CENTRE_RENAMED)
def _centre_renamed(event: AuditEvent) -> str:
    return f"{actor(event)} renamed the centre {facts(event, 'before')['name']} to {facts(event)['name']}"


@writes(PortfolioAction.EQA_TERMS_ACCEPTED)
def _eqa_terms_accepted(event: AuditEvent) -> str:
    return f"{actor(event)} accepted the centre’s data-protection terms for external quality assurers"


@writes(PortfolioAction.EQA_RENEWED)
def _eqa_renewed(event: AuditEvent) -> str:
    after = facts(event)
    return f"{actor(event)} renewed the access of {after['who']} until {day(after['end_date'])}"


@writes(PortfolioAction.EQA_ENDED)
def _eqa_ended(event: AuditEvent) -> str:
    return f"{actor(event)} ended the access of {facts(event)['who']}"


# What the centre changes on an enrolment (portfolio/services_enrolments.py).


@writes(PortfolioAction.ENROLMENT_ASSESSOR_CHANGED, PortfolioAction.ENROLMENT_IQA_CHANGED)
def _enrolment_reassigned(event: AuditEvent) -> str:
    word = "assessor" if event.action == PortfolioAction.ENROLMENT_ASSESSOR_CHANGED else "IQA"
    after = facts(event)
    return (
        f"{actor(event)} changed the {word} of {after['unit']} from {facts(event, 'before')['name']} to "
        f"{after['name']}: {quoted(after['reason'])}"
    )


@writes(PortfolioAction.ENROLMENT_TARGET_DATE_CHANGED)
def _enrolment_target_date(event: AuditEvent) -> str:
    after = facts(event)
    return (
        f"{actor(event)} changed the target date of {after['unit']} from {day(facts(event, 'before')['target_date'])} "
        f"to {day(after['target_date'])}: {quoted(after['reason'])}"
    )


@writes(PortfolioAction.ENROLMENT_WITHDRAWN, PortfolioAction.ENROLMENT_TRANSFERRED)
def _enrolment_closed(event: AuditEvent) -> str:
    after = facts(event)
    if event.action == PortfolioAction.ENROLMENT_WITHDRAWN:
        did = f"withdrew {candidate_name(event)} from {after['unit']}"
    else:
        did = f"recorded the transfer of {candidate_name(event)}’s {after['unit']} to {after['transferred_to']}"
    return f"{actor(event)} {did} on {day(after['date'])}: {quoted(after['reason'])}"


@writes(PortfolioAction.ENROLMENT_REINSTATED)
def _enrolment_reinstated(event: AuditEvent) -> str:
    after = facts(event)
    # The assessor and IQA it went on with, kept since an outside trial (`reinstatement_notices.team_facts`).
    team = f", with {after['assessor_name']} as assessor and {after['iqa_name']} as IQA" if "iqa_name" in after else ""
    return f"{actor(event)} reinstated {candidate_name(event)}’s {after['unit']}{team}: {quoted(after['reason'])}"


@writes(PortfolioAction.ENROLMENT_CASE_CHANGED)
def _enrolment_case_changed(event: AuditEvent) -> str:
    after = facts(event)
    return f"The portfolio found the people on {candidate_name(event)}’s {after['unit']} changed outside it: {after['changed']}"


@writes(PortfolioAction.AUDIT_TRAIL_CHANGED)
def _audit_trail_changed(event: AuditEvent) -> str:
    after = facts(event)
    more = after["count"] - 1
    return (f"The portfolio found the centre’s audit trail changed outside it: {after['first']}"
            + (f" And {more} more problem{'s' if more != 1 else ''}." if more else ""))


@writes(PortfolioAction.AUDIT_TRAIL_ACKNOWLEDGED)
def _audit_trail_acknowledged(event: AuditEvent) -> str:
    after = facts(event)
    count = after.get("count", 0)
    return (f"Recorded that the centre has dealt with the {count} problem{'s' if count != 1 else ''} found in its audit "
            f"trail: {after.get('note', '')}")


@writes(PortfolioAction.ENROLMENT_CASE_PUT_BACK)
def _enrolment_case_put_back(event: AuditEvent) -> str:
    return (f"The portfolio found the people on {candidate_name(event)}’s {facts(event)['unit']} as it made them "
            "again, and opened the unit to them again")


@writes(PortfolioAction.MEMBERSHIP_PUT_RIGHT)
def _membership_put_right(event: AuditEvent) -> str:
    return f"The portfolio found a role changed outside it: {facts(event)['said']}"


@writes(PortfolioAction.EQA_ACCESS_CHANGED)
def _eqa_access_changed(event: AuditEvent) -> str:
    return f"The portfolio checked an external quality assurer’s access: {facts(event)['said']}"


@writes(PortfolioAction.PENDING_ROW_CHANGED)
def _pending_row_changed(event: AuditEvent) -> str:
    return f"The portfolio found a row changed outside it: {facts(event).get('said', '')}"


@writes(PortfolioAction.EVIDENCE_PUT_RIGHT)
def _evidence_put_right(event: AuditEvent) -> str:
    return f"The portfolio found evidence moved outside it: {facts(event)['said']}"
