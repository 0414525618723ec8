"""The quality-assurance panel of the candidate's unit page."""

from django import template
from django.template import Context
from django.template.loader import render_to_string

from portfolio.models import Enrolment

from ..models import QualityReview

register = template.Library()


@register.simple_tag(takes_context=True)
def iqa_panel(context: Context, enrolment: Enrolment) -> str:
    """The IQA's reviews of this unit, for everyone on the case; for the IQA a way to review it,
    and for the assessor the actions of any referral still open, with a form to mark them done."""
    request = context["request"]
    person = request.user
    reviews = list(
        QualityReview.objects.filter(enrolment=enrolment)
        .select_related("iqa", "sign_off__voided_by")
        .order_by("-sampled_at", "-pk")
    )
    is_assessor = enrolment.assessor_id == person.pk
    open_referrals = [
        r
        for r in reviews
        if is_assessor and r.outcome == QualityReview.Outcome.REFERRED and r.actions_done_at is None
    ]
    return render_to_string(
        "assessments/iqa_panel.html",
        {
            "enrolment": enrolment,
            # The assessor's open referrals stand out above, with their form, rather than twice.
            "reviews": [r for r in reviews if r.outcome != QualityReview.Outcome.SAMPLED and r not in open_referrals],
            "in_sample": any(r.outcome == QualityReview.Outcome.SAMPLED for r in reviews),
            "is_iqa": enrolment.iqa_id == person.pk and not is_assessor,
            "open_referrals": open_referrals,
        },
        request=request,
    )
