"""Where each unit stands, as a badge: the states themselves are read by the page's view
(`selectors.unit_states`); this only picks one enrolment's from them."""

from django import template

from portfolio.models import Enrolment

from ..eqa_units import EqaMark
from ..selectors import IN_PROGRESS
from ..unit_state import Badge

register = template.Library()


@register.filter
def marks_of(marks: dict[int, list[EqaMark]] | str, enrolment: Enrolment) -> list[EqaMark]:
    """The unit's "EQA sampled" marks, from the marks the view read (none if it read none)."""
    return marks.get(enrolment.pk, []) if isinstance(marks, dict) else []


@register.filter
def state_of(states: dict[int, Badge], enrolment: Enrolment) -> Badge:
    return states.get(enrolment.pk, IN_PROGRESS)
