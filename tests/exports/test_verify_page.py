"""The checking page: staff and EQAs upload a unit PDF and read whether its seal and manifest hold."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.services.signoff import unit_sign_off
from exports.unit_pdf import render_unit_pdf
from portfolio.models import Role
from tests.factories import CentreFactory, member

pytestmark = pytest.mark.django_db
URL = "/exports/verify/"


def _check(client, person, pdf: bytes) -> str:
    client.force_login(person)
    response = client.post(URL, {"pdf": SimpleUploadedFile("alice.pdf", pdf, content_type="application/pdf")})
    # Post, redirect, get: refreshing the result never uploads the file again.
    assert response.status_code == 302 and response["Location"] == URL
    response = client.get(URL)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_sealed_pdf_is_valid_and_matches_the_live_record(client, unit):
    unit_sign_off(enrolment=unit["enrolment"], assessor=unit["bob"], declared=True)
    page = _check(client, unit["bob"], render_unit_pdf(unit["enrolment"]))
    assert "Valid</h2>" in page and "H3 25 of Alice Morgan, signed off" in page
    assert "sealed by" in page and "Compared with the live record." in page
    # The seal's time in words, as every page words a time (it was ISO text with microseconds).
    assert re.search(r"sealed by [^<]+ on \d{1,2} [A-Z][a-z]+ 20\d\d, \d\d:\d\d\.", page), page


def test_one_changed_byte_is_not_valid_naming_what(client, unit):
    pdf = render_unit_pdf(unit["enrolment"]).replace(b"Alice Morgan", b"Alice Morgen", 1)
    page = _check(client, unit["bob"], pdf)
    assert "Not valid</h2>" in page and "Its seal is broken: the PDF has changed since it was sealed." in page


def test_a_file_changed_in_storage_since_sign_off_is_named(client, unit):
    unit_sign_off(enrolment=unit["enrolment"], assessor=unit["bob"], declared=True)
    pdf = render_unit_pdf(unit["enrolment"])
    stored = unit["evidence"][0].files.get()
    with stored.file.storage.open(stored.file.name, "ab") as handle:
        handle.write(b"!")
    page = _check(client, unit["bob"], pdf)
    assert "Not valid</h2>" in page and "The live record: E1 photo.jpg has changed since the unit was signed off" in page


def test_staff_of_another_centre_learn_nothing_of_the_live_record(client, unit):
    unit_sign_off(enrolment=unit["enrolment"], assessor=unit["bob"], declared=True)
    pdf = render_unit_pdf(unit["enrolment"])
    stored = unit["evidence"][0].files.get()
    with stored.file.storage.open(stored.file.name, "ab") as handle:
        handle.write(b"!")
    outsider = member(CentreFactory(name="Hillside College"), Role.ASSESSOR, email="zed@example.org")
    page = _check(client, outsider, pdf)
    assert "Valid</h2>" in page and "Not compared with the live record: the unit is not on your case." in page
    assert "photo.jpg has changed" not in page


def test_nothing_uploaded_or_not_a_pdf_is_a_clear_message(client, unit):
    client.force_login(unit["bob"])
    assert "Choose the PDF to check." in client.post(URL, {}).content.decode()
    page = _check(client, unit["bob"], b"just some words")
    assert "Not valid</h2>" in page and "“alice.pdf” is neither a PDF nor a ZIP." in page


def test_candidates_have_no_checking_page(client, unit):
    client.force_login(unit["enrolment"].candidate)
    assert client.get(URL).status_code == 404


def test_the_result_is_shown_once_and_a_refused_upload_stays_on_the_page(client, unit):
    page = _check(client, unit["bob"], b"just some words")
    assert "Not valid</h2>" in page
    assert "Not valid</h2>" not in client.get(URL).content.decode()
    refused = client.post(URL, {})
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode() and 'href="#id_pdf"' in refused.content.decode()
