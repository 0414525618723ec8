"""The sentences of exports' audit actions (see `portfolio.audit_sentences`). A unit's trail shows
its PDF downloads and a bulk export or visit pack that left it out; the rest are the centre's. Registered when
the app is ready (`ExportsConfig.ready`)."""

from portfolio.audit_sentences import actor, counted, day, facts, quoted, writes
from portfolio.models import AuditEvent

from .audit_actions import ExportAction as Action

_SYSTEM = "The portfolio"  # what happens on the worker, with no person behind it


@writes(Action.UNIT_EXPORTED)
def _unit_exported(event: AuditEvent) -> str:
    return f"{actor(event)} downloaded the unit’s portfolio as a PDF"


@writes(Action.UNIT_LEFT_OUT)
def _left_out(event: AuditEvent) -> str:
    problems = facts(event).get("problems") or []
    why = f": {quoted(problems[0])}" if problems else ""
    if len(problems) > 1:
        why += f" and {counted(len(problems) - 1, 'more problem')}"
    return f"The unit was left out of bulk export {facts(event)['export']}: its record has changed since sign-off{why}"


@writes(Action.EXPORT_REQUESTED)
def _requested(event: AuditEvent) -> str:
    units = facts(event).get("enrolments") or []
    return f"{actor(event)} asked for bulk export {facts(event)['export']} of {counted(len(units), 'unit')}"


@writes(Action.EXPORT_BUILT)
def _built(event: AuditEvent) -> str:
    left_out = facts(event).get("left_out") or []
    leaving = f", leaving out {counted(len(left_out), 'unit')}" if left_out else ""
    return f"{_SYSTEM} built bulk export {facts(event)['export']}{leaving}"


@writes(Action.EXPORT_DOWNLOADED)
def _downloaded(event: AuditEvent) -> str:
    return f"{actor(event)} downloaded bulk export {facts(event)['export']}"


@writes(Action.EXPORT_RESTARTED, Action.EXPORT_FAILED)
def _stalled(event: AuditEvent) -> str:
    after = facts(event)
    outcome = "started it again" if event.action == Action.EXPORT_RESTARTED else "gave up on it"
    return (
        f"The worker building {after.get('kind') or 'bulk export'} {after['export']} stopped; {_SYSTEM.lower()} {outcome} "
        f"after {counted(after['attempts'], 'attempt')}"
    )


@writes(Action.SEAL_MADE, Action.SEAL_UPLOADED)
def _seal(event: AuditEvent) -> str:
    how = "made" if event.action == Action.SEAL_MADE else "uploaded"
    valid_until = facts(event).get("valid_until")
    until = f", valid until {day(valid_until)}" if valid_until else ""
    return f"A new seal for the centre’s PDFs was {how}{until}"


@writes(Action.SUMMARY_EXPORTED)
def _summary_exported(event: AuditEvent) -> str:
    return f"{actor(event)} downloaded the summary of achievement of {facts(event)['qualification']} as a PDF"


@writes(Action.VISIT_PACK_REQUESTED)
def _pack_requested(event: AuditEvent) -> str:
    units = facts(event).get("enrolments") or []
    return f"{actor(event)} asked for visit pack {facts(event)['pack']} of {counted(len(units), 'unit')}"


@writes(Action.VISIT_PACK_BUILT)
def _pack_built(event: AuditEvent) -> str:
    left_out = facts(event).get("left_out") or []
    leaving = f", leaving out {counted(len(left_out), 'unit')}" if left_out else ""
    return f"{_SYSTEM} built visit pack {facts(event)['pack']}{leaving}"


@writes(Action.VISIT_PACK_DOWNLOADED)
def _pack_downloaded(event: AuditEvent) -> str:
    return f"{actor(event)} downloaded visit pack {facts(event)['pack']}"


@writes(Action.EXPORT_CHANGED)
def _changed(event: AuditEvent) -> str:
    return f"{_SYSTEM} checked a {facts(event).get('kind') or 'bulk export'}: {facts(event)['said']}"


@writes(Action.UNIT_LEFT_OUT_OF_PACK)
def _left_out_of_pack(event: AuditEvent) -> str:
    problems = facts(event).get("problems") or []
    why = f": {quoted(problems[0])}" if problems else ""
    if len(problems) > 1:
        why += f" and {counted(len(problems) - 1, 'more problem')}"
    reason = facts(event).get("reason") or "its record has changed since sign-off"
    return f"The unit was left out of visit pack {facts(event)['pack']}: {reason}{why}"
