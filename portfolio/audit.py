"""Writing the audit trail. Every service that changes state calls `record` inside its transaction,
so the event and the change are saved together or not at all."""

from .models import AuditEvent, Centre, Enrolment, Evidence, Person


def record(
    action: str,
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
    if evidence is not None and candidate is None:
        candidate = evidence.candidate
    if enrolment is not None and candidate is None:
        candidate = enrolment.candidate
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        centre=centre,
        candidate=candidate,
        enrolment=enrolment,
        evidence=evidence,
        summary=summary[:300],
        before=before or {},
        after=after or {},
    )
