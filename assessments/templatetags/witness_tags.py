"""The witness panel of the candidate's unit page: their witnesses and the testimony asked for."""

from django import template
from django.template import Context
from django.template.loader import render_to_string

from portfolio.models import Enrolment

from ..services import witness as services
from ..services.decisions import standing_sign_off

register = template.Library()


@register.simple_tag(takes_context=True)
def witness_panel(context: Context, enrolment: Enrolment) -> str:
    person = context["request"].user
    requests = list(services.testimony_requests_for(enrolment))
    for testimony_request in requests:
        testimony_request.status = services.testimony_status(testimony_request)  # type: ignore[attr-defined]  # for the template
    on_the_case = person.pk in (enrolment.candidate_id, enrolment.assessor_id)
    signed_off = standing_sign_off(enrolment) is not None
    return render_to_string(
        "assessments/witness_panel.html",
        {
            "enrolment": enrolment,
            "witnesses": services.witnesses_of(enrolment.candidate),
            "requests": requests,
            # A signed-off unit takes no new evidence until it is unlocked.
            "may_request": on_the_case and not signed_off,
            "signed_off": on_the_case and signed_off,
            "is_candidate": person.pk == enrolment.candidate_id,
        },
        request=context["request"],
    )
