"""The sampling coverage report and the IQA's home say the same things in the same numbers, in words
that cannot be confused (an outside trial's findings): an IQA with no units reads "No units to
sample", not "0 of 0 (0%)" (the CSV keeps the numbers); the home's candidates' units and assessors are
the report's units quality-assured and assessors."""

import html
import re

import pytest
from django.urls import reverse

from tests.ops.test_reports import _csv, _get, case  # noqa: F401  # `case` is the reports' fixture

pytestmark = pytest.mark.django_db


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def row_of(page: str, name: str) -> str:
    start = page.index(f">{name}</th>")
    return words(page[start:page.index("</tr>", start)])


def test_an_iqa_with_no_units_reads_no_units_to_sample_and_the_csv_keeps_numbers(client, case):  # noqa: F811
    page = _get(client, case.grace, "report_sampling", case.centre).content.decode()

    ivan = row_of(page, "Ivan Ives")
    assert "No units to sample" in ivan and "0 of 0" not in ivan and "0%" not in ivan
    assert ivan.count("none: no units to sample") == 3
    assert "1 of 3 (33%)" in row_of(page, "Carol Clark")
    ivan_csv = {r["IQA"]: r for r in _csv(_get(client, case.grace, "report_sampling_csv", case.centre))}["Ivan Ives"]
    assert (ivan_csv["units quality-assured"], ivan_csv["units sampled"], ivan_csv["per cent sampled"]) == ("0", "0", "0")


def test_the_iqas_home_counts_the_units_and_assessors_the_report_counts(client, case):  # noqa: F811
    report = {r["IQA"]: r for r in _csv(_get(client, case.grace, "report_sampling_csv", case.centre))}["Carol Clark"]
    client.force_login(case.carol)
    home = words(client.get(reverse("home")).content.decode())

    units, assessors = report["units quality-assured"], report["assessors"]
    assert f"Candidates’ units 1 of {units} in your sample" in home
    assert f"Assessors 1 of {assessors} in your sample" in home
    assert "Unit standards 1 of 2 in your sample" in home
