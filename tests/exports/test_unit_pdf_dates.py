"""The unit PDF words dates as every page does ("1 December 2026", UK time), except its audit trail
appendix, which keeps the recorded moments in UTC and says so. It used to print UK time there under
a legend that said UTC: an hour out all summer."""

import datetime
import io
from unittest import mock

import pytest
from pypdf import PdfReader

from assessments.audit_actions import AssessmentAction
from exports.unit_pdf import render_unit_pdf
from portfolio import audit, dates

pytestmark = pytest.mark.django_db

# 23:30 UTC on 1 July is 00:30 on 2 July in British Summer Time.
SUMMER_NIGHT = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_audit_appendix_is_in_utc_and_the_rest_in_uk_time(unit):
    enrolment = unit["enrolment"]
    with mock.patch("django.utils.timezone.now", return_value=SUMMER_NIGHT):
        audit.record(
            AssessmentAction.AUDIT_TRAIL_EXPORTED, actor=unit["bob"], centre=enrolment.centre, enrolment=enrolment,
            summary="H3 25 audit trail of Alice Morgan downloaded as CSV",
        )

    text = _text(render_unit_pdf(enrolment))

    appendix = text[text.index("Every recorded change, oldest first."):]
    assert "Times in this appendix are in UTC" in appendix
    assert "2026-07-01 23:30:00 UTC Bob Hughes" in appendix
    assert "2026-07-02 00:30" not in appendix
    assert f"(target {dates.day(enrolment.target_date)})" in text
    assert "Produced " in text and "(UK time)" in text
