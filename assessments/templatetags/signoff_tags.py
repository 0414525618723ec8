"""Formatting for the sign-off's pages. The unit page's panels are assembled in its view."""

import datetime

from django import template

register = template.Library()


@register.filter
def iso_date(value: str) -> datetime.date | str:
    """A date written in a manifest ("2026-03-03") as a date, for the `date` filter."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
