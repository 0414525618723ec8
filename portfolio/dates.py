"""Dates and times as every page, email and message words them: "1 December 2026" and
"1 December 2026, 10:15", in the centre's time zone (settings.TIME_ZONE, Europe/London: the centres
are in the UK). One format, so a date reads the same on the unit page, the home page, the PDF and a
refusal message. The PDF's audit appendix and the CSV download keep machine time in UTC
(`utc_stamp`, `assessments.integrity.utc_iso`), and say so.

Templates use the filters of the same names (`{% load dates %}`: `|day`, `|day_time`,
`|utc_stamp`); tests/test_structure.py finds any other human date format in a template."""

import datetime

from django.conf import settings
from django.utils import dateformat, timezone

DAY = "j F Y"  # 1 December 2026
DAY_TIME = "j F Y, H:i"  # 1 December 2026, 10:15
UTC_STAMP = "Y-m-d H:i:s"  # 2026-12-01 10:15:00, then " UTC"

# The span a date typed into a filter may take: far wider than any record, and far enough from the
# calendar's ends that the day after it (a report counts up to the start of the day after "To") and a
# day's start in the centre's time zone are still dates. A date outside is refused like a date that
# is no date: 9999-12-31 is a slip of the year, never a day someone means.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)

# What people call the time zone the site shows, where it has a common name.
_ZONE_NAMES = {"Europe/London": "UK time"}


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def day(value: datetime.date | datetime.datetime | None) -> str:
    """"1 December 2026"; a date-time's day in the centre's time zone. Nothing for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return dateformat.format(value, DAY)


def day_time(value: datetime.datetime | datetime.date | None) -> str:
    """"1 December 2026, 10:15" in the centre's time zone; a plain date gets its day only."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value)
    return dateformat.format(_local(value), DAY_TIME)


def day_time_zoned(value: datetime.datetime) -> str:
    """"1 December 2026, 10:15 GMT": `day_time` with the zone's abbreviation at that moment (GMT or
    BST in the UK), for words read away from the site's pages, which say their zone once (a command's
    output, a finding passed on in a notification or email)."""
    if not timezone.is_aware(value):
        return day_time(value)
    local = timezone.localtime(value)
    return f"{dateformat.format(local, DAY_TIME)} {local.tzname()}"


def day_time_of_iso(value: str) -> str:
    """An ISO 8601 time read from a document (a PDF's seal or manifest) as `day_time` words it; the
    text as it is when it is not one (the checking page showed "2026-12-05T10:15:03.123456+00:00")."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    return day_time(moment) if moment.tzinfo else value


def utc_stamp(value: datetime.datetime | None) -> str:
    """"2026-12-01 10:15:00 UTC": a machine-readable time in UTC, for the PDF's audit appendix."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = value.astimezone(datetime.UTC)
    return dateformat.format(value, UTC_STAMP) + " UTC"


def zone_name() -> str:
    """The centre's time zone as people say it: "UK time"."""
    return _ZONE_NAMES.get(settings.TIME_ZONE, settings.TIME_ZONE)


# A date typed that is no date, said as the reports' filters say it (not Django's "Enter a valid date.").
NOT_A_DATE = "Enter a real date, as a day, month and year: for example 1 September 2026."


def span_problem(value: datetime.date | None) -> str:
    """What is wrong with a date typed into a filter, in the words every page says it: nothing for
    a date within the span (`EARLIEST` to `LATEST`), or for no date."""
    if value is None or EARLIEST <= value <= LATEST:
        return ""
    return f"Enter a date between {day(EARLIEST)} and {day(LATEST)}."
