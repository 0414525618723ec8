"""The sign-off panel and the audit trail panel of the candidate's unit page."""

import datetime

from django import template
from django.template import Context
from django.template.loader import render_to_string

from portfolio.models import Enrolment

from .. import integrity
from ..audit_trail import changes, unit_events
from ..models import SignOff
from ..progress import unit_progress

register = template.Library()

AUDIT_EVENTS_SHOWN = 20


@register.filter
def iso_date(value: str) -> datetime.date | str:
    """A date written in a manifest ("2026-03-03") as a date, for the `date` filter."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.simple_tag(takes_context=True)
def signoff_panel(context: Context, enrolment: Enrolment) -> str:
    """Who signed, whether what they signed is still intact, and what this person may do next.

    The integrity check re-hashes every signed file on each view: correctness before speed."""
    request = context["request"]
    user = request.user
    sign_offs = list(SignOff.objects.filter(enrolment=enrolment).select_related("assessor", "voided_by"))
    standing = next((s for s in sign_offs if s.is_standing), None)
    progress = context.get("progress") or unit_progress(enrolment)
    return render_to_string(
        "assessments/signoff_panel.html",
        {
            "enrolment": enrolment,
            "progress": progress,
            "sign_off": standing,
            "report": integrity.check(standing) if standing else None,
            "voided": [s for s in sign_offs if not s.is_standing],
            "is_assessor": enrolment.assessor_id == user.pk,
            "is_candidate": enrolment.candidate_id == user.pk,
            "is_iqa": enrolment.iqa_id == user.pk,
        },
        request=request,
    )


@register.simple_tag(takes_context=True)
def audit_trail_panel(context: Context, enrolment: Enrolment) -> str:
    events = unit_events(enrolment)
    latest = list(events[:AUDIT_EVENTS_SHOWN])
    for event in latest:
        event.changes = changes(event)  # type: ignore[attr-defined]  # for the template
    return render_to_string(
        "assessments/audit_trail_panel.html",
        {
            "enrolment": enrolment,
            "events": latest,
            "total": events.count() if len(latest) == AUDIT_EVENTS_SHOWN else len(latest),
        },
        request=context["request"],
    )
