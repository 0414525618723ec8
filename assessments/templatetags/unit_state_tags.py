"""Where each unit stands (in progress, signed off, countersigned by the candidate, by the IQA),
for lists of enrolments on pages that portfolio draws, such as the centre's enrolment list."""

from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

from portfolio.models import Enrolment

from ..models import QualityReview, SignOff

register = template.Library()


@dataclass(frozen=True)
class UnitState:
    label: str
    detail: str = ""
    tone: str = "secondary"  # the Bootstrap badge colour


IN_PROGRESS = UnitState("In progress")


def _day(moment) -> str:
    return format_date(timezone.localtime(moment), "j M Y")


def _state(sign_off: SignOff | None, review: QualityReview | None) -> UnitState:
    if sign_off is None:
        return IN_PROGRESS
    signed = f"Signed off {_day(sign_off.assessor_signed_at)}"
    if review is not None and review.outcome == QualityReview.Outcome.REFERRED and review.actions_done_at is None:
        return UnitState("Referred back by the IQA", signed, "warning")
    if sign_off.candidate_signed_at is None:
        return UnitState("Signed off", "waiting for the candidate's countersignature", "info")
    if review is not None and review.outcome == QualityReview.Outcome.COUNTERSIGNED:
        return UnitState("IQA countersigned", _day(review.reviewed_at), "success")
    return UnitState("Signed off", f"countersigned by the candidate {_day(sign_off.candidate_signed_at)}", "primary")


@register.simple_tag
def unit_states(enrolments) -> dict[int, UnitState]:
    """Each enrolment's state by its id, in two queries however many enrolments."""
    ids = [e.pk for e in enrolments if isinstance(e, Enrolment)]
    standing = {s.enrolment_id: s for s in SignOff.objects.filter(enrolment_id__in=ids, voided_at__isnull=True)}
    latest_review: dict[int, QualityReview] = {}
    reviews = QualityReview.objects.filter(sign_off_id__in=[s.pk for s in standing.values()]).order_by("sampled_at", "pk")
    for review in reviews:
        latest_review[review.sign_off_id] = review  # the last one wins
    return {
        pk: _state(standing.get(pk), latest_review.get(standing[pk].pk) if pk in standing else None) for pk in ids
    }


@register.filter
def state_of(states: dict, enrolment: Enrolment) -> UnitState:
    return states.get(enrolment.pk, IN_PROGRESS)
