"""A centre's audit trail found changed outside the portfolio (`portfolio.audit_chain`): recorded,
and its administrators told, once for the same findings. The nightly check (`manage.py check_fixity`)
finds them again every night until the centre acts; a restore finds those the backup holds."""

from django.urls import reverse

from portfolio import audit, audit_chain
from portfolio.models import AuditEvent, Person, Role
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
    )
    if told.exists():
        return False
    audit.record(
        audit.PortfolioAction.AUDIT_TRAIL_CHANGED, actor=None, centre=findings.centre,
        summary=f"The audit trail was changed outside the portfolio: {findings.count} problem(s)",
        after={"first_event": first.event_id, "first": first.words, "count": findings.count},
    )
    administrators = Person.objects.filter(
        memberships__centre=findings.centre, memberships__role=Role.ADMINISTRATOR
    ).distinct()
    more = f" ({findings.count} problems in all)" if findings.count > 1 else ""
    notify(
        list(administrators),
        f"The audit trail of {findings.centre.name} was changed outside the portfolio{more}: {first.words} "
        "Whoever runs the installation compares it with the backups.",
        subject=f"The audit trail of {findings.centre.name} was changed outside the portfolio",
        centre=findings.centre.pk, kind=NotificationKind.INTEGRITY_FAILURE,
        link=reverse("ops:audit_trail", args=[findings.centre.pk]),
    )
    return True
