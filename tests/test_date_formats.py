"""Dates read the same everywhere: "1 December 2026" and "1 December 2026, 10:15", in the centre's
time zone (Europe/London), from one place (`portfolio.dates` and its template filters `day`,
`day_time`). The PDF's audit appendix alone keeps UTC, and says so."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template

from portfolio import dates

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# Winter (GMT) and summer (BST): the same UTC time of day shows an hour apart in the UK.
WINTER = datetime.datetime(2026, 12, 1, 10, 15, 42, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)


def test_a_date_is_its_day_month_in_words_and_year():
    assert dates.day(datetime.date(2026, 12, 1)) == "1 December 2026"
    assert dates.day(WINTER) == "1 December 2026"
    assert dates.day(None) == ""


def test_a_time_is_in_the_centres_time_zone():
    assert dates.day_time(WINTER) == "1 December 2026, 10:15"
    # 23:30 UTC on 1 July is 00:30 on 2 July in British Summer Time: the day moves with it.
    assert dates.day_time(SUMMER) == "2 July 2026, 00:30"
    assert dates.day(SUMMER) == "2 July 2026"
    assert dates.day_time(datetime.date(2026, 12, 1)) == "1 December 2026"


def test_the_utc_stamp_is_utc_whatever_the_season():
    assert dates.utc_stamp(SUMMER) == "2026-07-01 23:30:00 UTC"
    assert dates.utc_stamp(WINTER) == "2026-12-01 10:15:42 UTC"


def test_the_template_filters_say_the_same():
    rendered = Template(
        "{% load dates %}{{ d|day }} · {{ t|day_time }} · {{ t|utc_stamp }} · {% time_zone_name %}"
    ).render(Context({"d": datetime.date(2026, 12, 1), "t": SUMMER}))
    assert rendered == "1 December 2026 · 2 July 2026, 00:30 · 2026-07-01 23:30:00 UTC · UK time"


def test_the_time_zone_is_the_centres(settings):
    assert settings.TIME_ZONE == "Europe/London"
    settings.TIME_ZONE = "Europe/Dublin"
    assert dates.zone_name() == "Europe/Dublin"


# Machine formats, which people never read: a <time datetime="..."> attribute and a date field's value.
_MACHINE_FORMATS = {"c", "Y-m-d"}
_DATE_FILTER = re.compile(r"""\|\s*date\s*:\s*(["'])(.*?)\1|\|\s*date\b(?!\s*:)""")
_OTHER_DATE_FILTERS = re.compile(r"\|\s*(time|naturaltime|naturalday)\b")


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


def test_templates_word_dates_with_the_shared_filters():
    """Any `|date` with a format people read, or the `time` and humanize filters, is a second date
    format: use `|day` or `|day_time` (`{% load dates %}`)."""
    wrong = []
    for path in _templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for match in _DATE_FILTER.finditer(line):
                if match.group(2) not in _MACHINE_FORMATS:
                    wrong.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
            wrong += [f"{path.relative_to(ROOT)}:{number}: |{m}" for m in _OTHER_DATE_FILTERS.findall(line)]
    assert wrong == [], "Word dates with |day or |day_time:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_a_template_that_words_dates_loads_them(path):
    text = path.read_text()
    if re.search(r"\|\s*(day|day_time|utc_stamp)\b|{%\s*time_zone_name", text):
        assert re.search(r"{%\s*load\s[^%]*\bdates\b", text), f"{path.name} uses the date filters without loading them"


def test_the_pdfs_audit_appendix_alone_is_in_utc_and_says_so():
    pdf = (TEMPLATES / "pdf" / "unit.html").read_text()
    appendix = pdf.split("Appendix: audit trail")[1]
    assert "|utc_stamp" in appendix and "Times in this appendix are in UTC" in appendix
    assert [path.name for path in _templates() if "|utc_stamp" in path.read_text()] == ["unit.html"]
