"""Where each unit stands (in progress, signed off, countersigned by the candidate, by the IQA),
for lists of enrolments on pages that portfolio draws, such as the centre's enrolment list. The
state and its words are `assessments.unit_state`'s; this adds the dates that go with them."""

import datetime
from dataclasses import replace

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

from portfolio.models import Enrolment

from ..models import QualityReview, SignOff
from ..sampling import with_state
from ..unit_state import Badge, UnitState

register = template.Library()


IN_PROGRESS = UnitState.IN_PROGRESS.badge


def _day(moment: datetime.datetime) -> str:
    return format_date(timezone.localtime(moment), "j M Y")


def _state(key: str, sign_off: SignOff | None, countersigned_at) -> Badge:
    """The badge of a state of `sampling.with_state` (the IQA's sample page lists and filters by
    the same states), with the dates that go with it."""
    state = UnitState(key)
    if state == UnitState.IN_PROGRESS or sign_off is None:
        return IN_PROGRESS
    if state == UnitState.REFERRED:
        return replace(state.badge, detail=f"Signed off {_day(sign_off.assessor_signed_at)}")
    if state == UnitState.COUNTERSIGNED:
        return replace(state.badge, detail=_day(countersigned_at))
    if state == UnitState.SIGNED_OFF:
        return replace(state.badge, detail=f"countersigned by the candidate {_day(sign_off.candidate_signed_at)}")
    return state.badge


@register.simple_tag
def unit_states(enrolments) -> dict[int, Badge]:
    """Each enrolment's state by its id, in three queries however many enrolments."""
    ids = [e.pk for e in enrolments if isinstance(e, Enrolment)]
    keys = dict(with_state(Enrolment.objects.filter(pk__in=ids)).values_list("pk", "state"))
    standing = {s.enrolment_id: s for s in SignOff.objects.standing().filter(enrolment_id__in=ids)}
    countersigned = dict(
        QualityReview.objects.filter(
            sign_off__in=list(standing.values()), outcome=QualityReview.Outcome.COUNTERSIGNED
        )
        .order_by("reviewed_at", "pk")  # the latest wins
        .values_list("sign_off__enrolment_id", "reviewed_at")
    )
    return {pk: _state(keys.get(pk, UnitState.IN_PROGRESS), standing.get(pk), countersigned.get(pk)) for pk in ids}


@register.filter
def state_of(states: dict, enrolment: Enrolment) -> Badge:
    return states.get(enrolment.pk, IN_PROGRESS)
