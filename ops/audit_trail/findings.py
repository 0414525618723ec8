"""A centre's audit trail found changed outside the portfolio (`portfolio.audit_chain`): recorded,
and its administrators told, once for the same findings. The nightly check (`manage.py check_fixity`)
finds them again every night until the centre acts; a restore finds those the backup holds.

A deleted event cannot be put back but from a backup, so a centre that has dealt with what was found
(compared it with a backup, told its awarding body) records so (`acknowledge`): an event of its own
trail, sealed in the chain like any other, naming every problem found then by their digest. The
nightly check and a restore then report those problems as known and do not fail on them; anything
changed after (one more problem, or another) fails again."""

from django.db import transaction
from django.urls import reverse

from portfolio import audit, audit_chain
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Centre, Person, Role
from portfolio.notifications import NotificationKind, notify


def tell(findings: audit_chain.CentreFindings) -> bool:
    """Records a centre's trail found changed, and tells its administrators, once for the same
    findings (the nightly check finds them again every night until the centre acts). True if told."""
    if not findings.count:
        return False
    first = findings.first[0]
    told = AuditEvent.objects.filter(
        centre=findings.centre, action=audit.PortfolioAction.AUDIT_TRAIL_CHANGED,
        after__first_event=first.event_id, after__count=findings.count,
    ).exclude(after__has_key="tail")
    if told.exists():
        return False
    _record_and_notify(findings.centre, first, findings.count, {"digest": findings.digest})
    return True


def tell_tail(centre: Centre, problem: audit_chain.Problem) -> bool:
    """Records the newest events of a centre's trail found deleted (`heads.tails_deleted`: the event
    the last check found latest is gone, or not as it was), and tells its administrators, once. The
    next check compares with the heads this one found, so it is found once; nothing to acknowledge
    (no digest: the page offers no form for it). True if told."""
    told = AuditEvent.objects.filter(
        centre=centre, action=audit.PortfolioAction.AUDIT_TRAIL_CHANGED, after__tail=True,
        after__first_event=problem.event_id, after__first=problem.words,
    )
    if told.exists():
        return False
    _record_and_notify(centre, problem, 1, {"tail": True})
    return True


def _record_and_notify(centre: Centre, first: audit_chain.Problem, count: int, facts: dict) -> None:
    audit.record(
        audit.PortfolioAction.AUDIT_TRAIL_CHANGED, actor=None, centre=centre,
        summary=f"The audit trail was changed outside the portfolio: {count} problem(s)",
        after={"first_event": first.event_id, "first": first.words, "count": count, **facts},
    )
    administrators = Person.objects.filter(memberships__centre=centre, memberships__role=Role.ADMINISTRATOR).distinct()
    more = f" ({count} problems in all)" if count > 1 else ""
    notify(
        list(administrators),
        f"The audit trail of {centre.name} was changed outside the portfolio{more}: {first.words} "
        "Whoever runs the installation compares it with the backups.",
        subject=f"The audit trail of {centre.name} was changed outside the portfolio",
        centre=centre.pk, kind=NotificationKind.INTEGRITY_FAILURE,
        link=reverse("ops:audit_trail", args=[centre.pk]),
    )


def acknowledged(findings: audit_chain.CentreFindings) -> AuditEvent | None:
    """The centre's record that it has dealt with exactly these findings, if it made one."""
    if not findings.count:
        return None
    return (AuditEvent.objects.filter(centre=findings.centre, action=audit.PortfolioAction.AUDIT_TRAIL_ACKNOWLEDGED,
                                      after__digest=findings.digest).select_related("actor").order_by("-pk").first())


def acknowledge(centre: Centre, person: Person, note: str) -> audit_chain.CentreFindings:
    """Records that the centre has dealt with what its whole trail shows now (checked again here, so
    what is acknowledged is what is there, not what a page showed earlier). Refused when nothing is
    found, or the note is empty."""
    note = " ".join(note.split())
    if not note:
        raise PortfolioError("Say what the centre did about it, for the record: for example, compared with which backup, and who was told.")
    with transaction.atomic():
        findings = audit_chain.centre_findings(centre)
        if not findings.count:
            raise PortfolioError("The audit trail holds as the portfolio wrote it: there is nothing to record.")
        tell(findings)  # found since the last check: recorded first, so the page shows what was acknowledged
        audit.record(
            audit.PortfolioAction.AUDIT_TRAIL_ACKNOWLEDGED, actor=person, centre=centre,
            summary=f"The centre dealt with {findings.count} problem(s) found in its audit trail",
            after={"digest": findings.digest, "count": findings.count, "first": findings.first[0].words, "note": note[:1000]},
        )
    return findings
