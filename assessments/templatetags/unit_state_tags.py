"""Where each unit stands, as a badge: the states themselves are read by the page's view
(`selectors.unit_states`); this only picks one enrolment's from them."""

from django import template

from portfolio.models import Enrolment

from ..selectors import IN_PROGRESS
from ..unit_state import Badge

register = template.Library()


@register.filter
def state_of(states: dict[int, Badge], enrolment: Enrolment) -> Badge:
    return states.get(enrolment.pk, IN_PROGRESS)
