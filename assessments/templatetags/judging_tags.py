"""How long evidence has waited, for the assessor's queue and home page."""

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def waited(since: datetime.datetime | None) -> str:
    """How long since, in its largest unit: "3 days", "2 hours", "less than a minute"."""
    if since is None:
        return ""
    if timezone.now() - since < datetime.timedelta(minutes=1):
        return "less than a minute"
    return timesince(since, depth=1)
