"""Where each unit stands (in progress, signed off, countersigned by the candidate, by the IQA),
for lists of enrolments on pages that portfolio draws, such as the centre's enrolment list."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date

from portfolio.models import Enrolment

from ..models import QualityReview, SignOff
from ..sampling import with_state

register = template.Library()


@dataclass(frozen=True)
class UnitState:
    label: str
    detail: str = ""
    tone: str = "secondary"  # the Bootstrap badge colour


IN_PROGRESS = UnitState("In progress")


def _day(moment: datetime.datetime) -> str:
    return format_date(timezone.localtime(moment), "j M Y")


def _state(key: str, sign_off: SignOff | None, countersigned_at: datetime.datetime | None) -> UnitState:
    """The words for a state key of `sampling.with_state`, which holds the rule (the IQA's sample
    page lists and filters by the same keys), with the dates that go with it."""
    if key == "in-progress" or sign_off is None:
        return IN_PROGRESS
    if key == "referred":
        return UnitState("Referred back by the IQA", f"Signed off {_day(sign_off.assessor_signed_at)}", "warning")
    if key == "awaiting":
        return UnitState("Signed off", "waiting for the candidate's countersignature", "info")
    if key == "countersigned":
        return UnitState("IQA countersigned", _day(cast(datetime.datetime, countersigned_at)), "success")
    # Neither in progress nor waiting for the candidate: the candidate has countersigned.
    signed_at = cast(datetime.datetime, sign_off.candidate_signed_at)
    return UnitState("Signed off", f"countersigned by the candidate {_day(signed_at)}", "primary")


@register.simple_tag
def unit_states(enrolments: Iterable[object]) -> dict[int, UnitState]:
    """Each enrolment's state by its id, in three queries however many enrolments."""
    ids = [e.pk for e in enrolments if isinstance(e, Enrolment)]
    keys = dict(with_state(Enrolment.objects.filter(pk__in=ids)).values_list("pk", "state"))
    standing = {s.enrolment_id: s for s in SignOff.objects.filter(enrolment_id__in=ids, voided_at__isnull=True)}
    countersigned = dict(
        QualityReview.objects.filter(
            sign_off__in=list(standing.values()), outcome=QualityReview.Outcome.COUNTERSIGNED
        )
        .order_by("reviewed_at", "pk")  # the latest wins
        .values_list("sign_off__enrolment_id", "reviewed_at")
    )
    return {pk: _state(keys.get(pk, "in-progress"), standing.get(pk), countersigned.get(pk)) for pk in ids}


@register.filter
def state_of(states: dict, enrolment: Enrolment) -> UnitState:
    return states.get(enrolment.pk, IN_PROGRESS)
