"""The assessor's parts of the candidate's unit page, and how long evidence has waited."""

import datetime

from django import template
from django.template import Context
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.timesince import timesince

from portfolio.models import AssessmentMethod, Enrolment

from .. import selectors
from ..services.decisions import standing_sign_off

register = template.Library()


@register.simple_tag(takes_context=True)
def judging_panel(context: Context, enrolment: Enrolment) -> str:
    """For the unit's assessor: record their own evidence (unless the unit is signed off), and how
    much waits for judgement. For anyone else: nothing."""
    request = context["request"]
    if enrolment.assessor_id != request.user.pk:
        return ""
    return render_to_string(
        "assessments/judging_panel.html",
        {
            "enrolment": enrolment,
            "waiting": selectors.waiting_for_unit(enrolment),
            "signed_off": standing_sign_off(enrolment) is not None,
            "observation": AssessmentMethod.DIRECT_OBSERVATION.value,
            "questioning": AssessmentMethod.QUESTIONING.value,
        },
        request=request,
    )


@register.filter
def waited(since: datetime.datetime | None) -> str:
    """How long since, in its largest unit: "3 days", "2 hours", "less than a minute"."""
    if since is None:
        return ""
    if timezone.now() - since < datetime.timedelta(minutes=1):
        return "less than a minute"
    return timesince(since, depth=1)
