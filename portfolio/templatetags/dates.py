"""The shared date filters (`portfolio.dates`): `{{ when|day }}` "1 December 2026",
`{{ when|day_time }}` "1 December 2026, 10:15", both in the centre's time zone, and
`{{ when|utc_stamp }}` for the PDF's audit appendix, `{{ iso_text|day_time_of_iso }}` for a time
read from a document; `{% time_zone_name %}` "UK time"."""

from django import template

from portfolio import dates

register = template.Library()

register.filter("day", dates.day)
register.filter("day_time", dates.day_time)
register.filter("utc_stamp", dates.utc_stamp)
register.filter("day_time_of_iso", dates.day_time_of_iso)
register.simple_tag(dates.zone_name, name="time_zone_name")
