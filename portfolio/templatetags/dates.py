"""The shared date filters (`portfolio.dates`): `{{ when|day }}` "1 December 2026",
`{{ when|day_time }}` "1 December 2026, 10:15", both in the centre's time zone, and
`{{ when|utc_stamp }}` for the PDF's audit appendix; `{% time_zone_name %}` "UK time"."""

from django import template

from portfolio import dates

register = template.Library()

register.filter("day", dates.day)
register.filter("day_time", dates.day_time)
register.filter("utc_stamp", dates.utc_stamp)
register.simple_tag(dates.zone_name, name="time_zone_name")
