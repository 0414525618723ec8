"""The summary of achievement of a complete qualification: the candidate, their identifiers, the
qualification and each unit with its credit, sign-off date, assessor and IQA countersignature date;
sealed as the unit PDF is. Before the qualification is complete there is none."""

import io

import pytest
from pypdf import PdfReader

from portfolio import dates
from portfolio.models import AuditEvent, CandidateIdentifiers
from tests.assessments.qualification_case import complete, register_alice
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_summary_lists_every_unit_with_its_dates_and_the_candidates_identifiers(client, case):
    CandidateIdentifiers.objects.create(candidate=case.alice, centre=case.centre, uln="9276308686", scn="123456789")
    registration = register_alice(case)
    complete(case, case.h3_25)
    complete(case, case.hsc331)
    client.force_login(case.carol)
    response = client.get(f"/exports/qualifications/{registration.pk}/summary.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = _text(pdf)
    for words in (
        "Summary of achievement", "Alice Adams", "9276308686", "123456789", "SQA-ALICE-1",
        "DEMO 07 SVQ 3 Social Services and Housing Support (demonstration)", "SCQF level 7",
        "14 achieved of 14 needed", "HSC331", "H3 25", "Bob Baker",
    ):
        assert words in text, words
    sign_off = case.hsc331.sign_offs.get(voided_at__isnull=True)
    assert dates.day(sign_off.assessor_signed_at) in text
    assert "Not sampled" not in text  # both units were countersigned by the IQA
    assert b"/ByteRange" in pdf  # sealed
    assert AuditEvent.objects.filter(action="exports.summary.exported", candidate=case.alice).count() == 1


def test_before_the_qualification_is_complete_there_is_no_summary(client, case):
    registration = register_alice(case)
    complete(case, case.h3_25)
    client.force_login(case.alice)
    response = client.get(f"/exports/qualifications/{registration.pk}/summary.pdf")
    assert response.status_code == 302 and response["Location"] == f"/assessments/qualifications/{registration.pk}/"


def test_the_unit_pdf_cover_carries_the_identifiers(client, case):
    CandidateIdentifiers.objects.create(candidate=case.alice, centre=case.centre, uln="9276308686")
    register_alice(case)
    client.force_login(case.bob)
    text = _text(client.get(f"/exports/units/{case.h3_25.pk}/portfolio.pdf").content)
    assert "Unique Learner Number (ULN) 9276308686" in text
    assert "SQA registration number for DEMO 07 SQA-ALICE-1" in text
