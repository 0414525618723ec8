"""The sentences of assessments' audit actions (see `portfolio.audit_sentences`): judging, witness
testimony, decisions, sign-off, the IQA's reviews and the conversation about evidence. Registered
when the app is ready (`AssessmentsConfig.ready`)."""

from portfolio.audit_sentences import (
    actor,
    candidate_name,
    counted,
    day,
    evidence_reference,
    facts,
    listed,
    quoted,
    writes,
)
from portfolio.models import AuditEvent

from .audit_actions import AssessmentAction as Action
from .eqa_models import EqaOutcome
from .sampling_plan_models import RiskRating

_VACS = ("valid", "authentic", "current", "sufficient")
_STAGES = {"interim": "an interim review of the decisions so far", "final": "a final review of the signed-off unit"}


@writes(Action.EVIDENCE_ACCEPTED)
def _accepted(event: AuditEvent) -> str:
    after = facts(event)
    confirmed = [name for name in _VACS if after.get(name)]
    as_what = f" as {listed(confirmed)}" if confirmed else ""
    covering = f", covering scope {listed(after['scope_covered'])}" if after.get("scope_covered") else ""
    feedback = f", with feedback {quoted(after['feedback'])}" if after.get("feedback") else ""
    return f"{actor(event)} accepted {evidence_reference(event)} (version {after['version']}){as_what}{covering}{feedback}"


@writes(Action.EVIDENCE_REFERRED)
def _referred(event: AuditEvent) -> str:
    feedback = facts(event).get("feedback")
    return f"{actor(event)} referred {evidence_reference(event)} back to the candidate" + (
        f": {quoted(feedback)}" if feedback else ""
    )


@writes(Action.TESTIMONY_REQUESTED)
def _testimony_requested(event: AuditEvent) -> str:
    after = facts(event)
    return f"{actor(event)} asked {after['witness_name']} for witness testimony on {listed(after['criteria'])}"


@writes(Action.TESTIMONY_GIVEN)
def _testimony_given(event: AuditEvent) -> str:
    after = facts(event)
    witness = after["witness"]
    kind = "expert witness testimony" if witness.get("expert") else "witness testimony"
    role = f" ({witness['job_role']})" if witness.get("job_role") else ""
    return f"{witness['name']}{role} gave {kind} as {evidence_reference(event)}, for {listed(after['criteria'])}"


@writes(Action.DECISION_CITATION_ADDED)
def _citation_added(event: AuditEvent) -> str:
    after = facts(event)
    return f"{actor(event)} added {listed(after['added'])} to the evidence cited for {after['item']}"


@writes(Action.SCOPE_RECORDED)
def _scope_recorded(event: AuditEvent) -> str:
    after, before = facts(event), facts(event, "before")
    unit = after.get("unit", "the unit")
    now = f"scope {listed(after['scope_covered'])} of {unit}" if after.get("scope_covered") else f"none of {unit}’s scope"
    was = f" (before: {listed(before['scope_covered']) or 'none'})" if "scope_covered" in before else ""
    return f"{actor(event)} recorded {evidence_reference(event)} as covering {now}{was}"


@writes(Action.FIXITY_FAILED)
def _fixity_failed(event: AuditEvent) -> str:
    after = facts(event)
    problems = after.get("problems") or []
    found = f": {problems[0]}" + (f" (and {counted(len(problems) - 1, 'more change')})" if len(problems) > 1 else "") if problems else ""
    return f"A check of the files found the signed record changed since sign-off{found}"


@writes(Action.FIXITY_INTACT_AGAIN)
def _fixity_intact_again(event: AuditEvent) -> str:
    return "A check found the signed record as it was signed again, after an earlier check had found it changed"


@writes(Action.DECISION_RECORDED)
def _decision_recorded(event: AuditEvent) -> str:
    after = facts(event)
    cited = after.get("evidence") or []
    citing = f", citing {listed(cited)}" if cited else ""
    return f"{actor(event)} recorded {after['item']} as met{citing}"


@writes(Action.DECISION_WITHDRAWN)
def _decision_withdrawn(event: AuditEvent) -> str:
    after = facts(event)
    reason = f": {quoted(after['reason'])}" if after.get("reason") else ""
    return f"{actor(event)} withdrew the decision that {after['item']} is met{reason}"


@writes(Action.UNIT_SIGNED_OFF)
def _signed_off(event: AuditEvent) -> str:
    after = facts(event)
    resting = f", on {counted(after['decisions'], 'decision')} and {counted(after['files'], 'evidence file')}"
    not_applicable = after.get("scope_not_applicable") or {}
    scope = "".join(f"; scope “{name}” does not apply: {quoted(reason)}" for name, reason in not_applicable.items())
    return f"{actor(event)} signed the unit off{resting}{scope}"


@writes(Action.UNIT_COUNTERSIGNED)
def _countersigned(event: AuditEvent) -> str:
    return f"{actor(event)} countersigned the sign-off"


@writes(Action.UNIT_VERSION_MOVED)
def _version_moved(event: AuditEvent) -> str:
    after = facts(event)
    carried = counted(len(after.get("carried") or []), "item", "items")
    changed = after.get("changed") or []
    gone = after.get("gone") or []
    flagged = f"; words changed for {listed(changed)}" if changed else ""
    flagged += f"; not in the new version: {listed(gone)}" if gone else ""
    return (
        f"{actor(event)} moved the unit from version {after['from_version']} to version {after['to_version']}, "
        f"carrying over {carried} unchanged{flagged}"
    )


@writes(Action.UNIT_UNLOCKED)
def _unlocked(event: AuditEvent) -> str:
    reason = facts(event).get("reason")
    return f"{actor(event)} unlocked the unit, voiding its sign-off" + (f": {quoted(reason)}" if reason else "")


@writes(Action.AUDIT_TRAIL_EXPORTED)
def _trail_exported(event: AuditEvent) -> str:
    return f"{actor(event)} downloaded this audit trail as a spreadsheet (CSV)"


@writes(Action.IQA_SAMPLED)
def _sampled(event: AuditEvent) -> str:
    after = facts(event)
    if after.get("referral"):
        # Recorded by the sign-off that answered an IQA's referral: the actor is the assessor.
        return f"{actor(event)} signed the unit off again, so it is back in the IQA’s sample for a final review"
    return f"{actor(event)} added the unit to the IQA’s sample for {_STAGES[after['stage']]}"


@writes(Action.IQA_COUNTERSIGNED)
def _iqa_countersigned(event: AuditEvent) -> str:
    after = facts(event)
    comments = f": {quoted(after['comments'])}" if after.get("comments") else ""
    if after.get("stage") == "final":
        return f"{actor(event)}, the IQA, countersigned the signed-off unit{comments}"
    # An interim review: nothing is signed off to countersign; the IQA agreed with the decisions so far.
    return f"{actor(event)}, the IQA, reviewed the assessor’s decisions so far and agreed with them{comments}"


@writes(Action.IQA_REFERRED)
def _iqa_referred(event: AuditEvent) -> str:
    after = facts(event)
    what = "the signed-off unit" if after.get("stage") == "final" else "the decisions so far"
    actions = f", asking: {quoted(after['actions'])}" if after.get("actions") else ""
    return f"{actor(event)}, the IQA, referred {what} back to the assessor{actions}"


@writes(Action.IQA_ACTIONS_DONE)
def _actions_done(event: AuditEvent) -> str:
    note = facts(event).get("actions_done_note")
    return f"{actor(event)} marked the IQA’s actions done" + (f": {quoted(note)}" if note else "")


@writes(Action.EVIDENCE_COMMENTED)
def _commented(event: AuditEvent) -> str:
    # The summary is already the sentence, and only it names whom the comment went to; the
    # comment itself is read in the conversation, beside the evidence.
    return event.summary


@writes(Action.CLAIM_MADE)
def _claim_made(event: AuditEvent) -> str:
    after = facts(event)
    body = after.get("awarding_body") or "the awarding body"
    what = "the qualification" if after.get("kind") == "qualification" else "the unit"
    return (
        f"{actor(event)} marked {what} {after['code']} of {candidate_name(event)} claimed from {body} on "
        f"{day(after['claimed_on'])}, claim reference {after['reference']}"
    )


@writes(Action.CLAIMS_EXPORTED)
def _claims_exported(event: AuditEvent) -> str:
    after = facts(event)
    body = after.get("awarding_body") or "no awarding body"
    return f"{actor(event)} downloaded the claim list for {body} ({counted(after['claims'], 'claim')})"


@writes(Action.SAMPLING_PLAN_SAVED)
def _sampling_plan_saved(event: AuditEvent) -> str:
    after = facts(event)
    verb = "changed" if facts(event, "before") else "made"
    ratings = [
        f"{r['assessor']} {RiskRating(r['rating']).label.lower() if r['rating'] in RiskRating.values else r['rating']}"
        for r in after.get("ratings") or []
    ]
    rated = f", rating {listed(ratings)}" if ratings else ""
    marked = after.get("must_sample") or []
    held = f"; {counted(len(marked), 'unit')} to sample before claim" if marked else ""
    return (
        f"{actor(event)} {verb} their IQA sampling plan for {day(after['period_start'])} to "
        f"{day(after['period_end'])}{rated}{held}"
    )
# The external quality assurer's work. The sample's and the report's own words are in the event, so
# the sentence stands when the sample has since been deleted.

_MODES = {"remote": "remote", "on_site": "on-site"}
_OUTCOMES = dict(EqaOutcome.choices)


@writes(Action.EQA_SAMPLED)
def _eqa_sampled(event: AuditEvent) -> str:
    after = facts(event)
    return (
        f"{actor(event)}, the external quality assurer, took the unit into their sample {quoted(after['name'])}, "
        f"planned for {day(after['planned_on'])} ({_MODES.get(str(after.get('mode')), 'remote or on site')})"
    )


@writes(Action.EQA_UNSAMPLED)
def _eqa_unsampled(event: AuditEvent) -> str:
    after = facts(event)
    how = "deleted their sample" if after.get("why") == "deleted" else "took the unit out of their sample"
    return f"{actor(event)}, the external quality assurer, {how} {quoted(after['name'])}"


@writes(Action.EQA_REPORT_SUBMITTED)
def _eqa_report(event: AuditEvent) -> str:
    after = facts(event)
    outcome = _OUTCOMES.get(str(after.get("outcome")), after.get("outcome"))
    sample = f" on the sample {quoted(after['sample'])}" if after.get("sample") else ""
    return (
        f"{actor(event)}, the external quality assurer, sent the centre the report of the "
        f"{_MODES.get(str(after.get('mode')), '')} visit of {day(after['visited_on'])}{sample}: {outcome}, "
        f"with {counted(after.get('actions', 0), 'action')}"
    )


@writes(Action.EQA_ACTION_ANSWERED)
def _eqa_answered(event: AuditEvent) -> str:
    after = facts(event)
    when = f"done on {day(after['done_on'])}" if after.get("done_on") else f"planned for {day(after['planned_on'])}"
    return f"{actor(event)} answered the EQA’s action {after['number']} ({when}): {quoted(after.get('response'))}"


@writes(Action.EQA_ACTION_REVIEWED)
def _eqa_reviewed(event: AuditEvent) -> str:
    after = facts(event)
    done = f"closed action {after['number']}" if after.get("review") == "closed" else f"left action {after['number']} open"
    note = f": {quoted(after['note'])}" if after.get("note") else ""
    return f"{actor(event)}, the external quality assurer, {done}{note}"
# The centre's quality-assurance records and the witness status list. -----------------------------


@writes(Action.STANDARDISATION_RECORDED)
def _standardisation_recorded(event: AuditEvent) -> str:
    after = facts(event)
    attended = f", attended by {listed(after['attendees'])}" if after.get("attendees") else ""
    actions = f", with {counted(after['actions'], 'action')}" if after.get("actions") else ""
    return f"{actor(event)} recorded the standardisation meeting of {day(after['held_on'])}{attended}{actions}"


@writes(Action.QUALIFICATION_HELD_ADDED)
def _qualification_held_added(event: AuditEvent) -> str:
    after = facts(event)
    files = after.get("files") or []
    certificate = f", with {listed(files)}" if files else ""
    return (
        f"{actor(event)} added the qualification {quoted(after['title'])} ({after['awarding_body']}, achieved "
        f"{day(after['achieved_on'])}){certificate}"
    )


@writes(Action.EXPERIENCE_ADDED)
def _experience_added(event: AuditEvent) -> str:
    after = facts(event)
    until = f" to {day(after['ended_on'])}" if after.get("ended_on") else ""
    return (
        f"{actor(event)} added occupational experience as {after['role']} at {after['setting']}, "
        f"from {day(after['started_on'])}{until}"
    )


@writes(Action.CPD_RECORDED)
def _cpd_recorded(event: AuditEvent) -> str:
    after = facts(event)
    files = after.get("files") or []
    with_files = f", with {listed(files)}" if files else ""
    return (
        f"{actor(event)} recorded {after['hours']} hours of CPD on {day(after['done_on'])}: "
        f"{quoted(after['activity'])}{with_files}"
    )


@writes(Action.WITNESS_STATUS_REQUESTED)
def _witness_status_requested(event: AuditEvent) -> str:
    return f"{actor(event)} asked the witness {facts(event)['witness_name']} to confirm their witness status"


@writes(Action.WITNESS_REQUEST_CHANGED)
def _witness_request_changed(event: AuditEvent) -> str:
    return f"The portfolio checked a witness’s testimony link: {facts(event)['said']}"


@writes(Action.WITNESS_STATUS_CONFIRMED)
def _witness_status_confirmed(event: AuditEvent) -> str:
    witness = facts(event)["witness"]
    expert = (
        f"an expert witness: {quoted(witness['expertise'])}" if witness.get("expert") else "not an expert witness"
    )
    return (
        f"{witness['name']} confirmed their witness status: {witness['job_role']}, "
        f"{witness['relationship']}, {expert}"
    )
