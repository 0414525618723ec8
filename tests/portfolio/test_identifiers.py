"""A candidate's ULN (its check digit), SCN and awarding-body registration numbers, as the centre
administrator records them."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from portfolio.identifier_models import identifiers_at
from portfolio.identifiers import scn_problem, uln_check_digit, uln_problem
from portfolio.models import AuditEvent, CandidateIdentifiers, Centre, Invitation, Person, Role
from tests.assessments.qualification_case import register_alice
from tests.assessments.unit_case import build_case
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db  # the folder's standards are loaded for every test


@pytest.mark.parametrize("uln", ["9276308686", "1234567899", "1000000000", "9999999998", "92763 08686"])
def test_valid_ulns_are_accepted(uln):
    assert uln_problem(uln) is None


@pytest.mark.parametrize(
    ("uln", "why"),
    [
        ("9276308687", "last digit does not match"),  # one digit off
        ("2976308686", "last digit does not match"),  # two digits swapped
        ("927630868", "10 digits"),
        ("92763086860", "10 digits"),
        ("92763O8686", "10 digits"),  # a letter O
        ("0276308686", "does not start with 0"),
        ("1234567890", "last digit does not match"),
        ("1500000000", "last digit does not match"),  # remainder 0: it would need a check digit of 10
    ],
)
def test_invalid_ulns_are_refused_with_a_reason(uln, why):
    assert why in (uln_problem(uln) or "")


def test_a_remainder_of_0_gives_no_check_digit_and_the_worked_example_gives_6():
    # 1x10 + 5x9 = 55, which 11 divides: the check digit would be 10, so no ULN starts 150000000.
    assert uln_check_digit("150000000") is None
    # HESA's worked example: 9x10 + 2x9 + 7x8 + 6x7 + 3x6 + 0x5 + 8x4 + 6x3 + 8x2 = 290; 290 = 26x11 + 4; 10 - 4 = 6.
    assert uln_check_digit("927630868") == 6


@pytest.mark.parametrize(("scn", "ok"), [("123456789", True), ("123 456 789", True), ("12345678", False), ("12345678X", False)])
def test_an_scn_is_nine_digits(scn, ok):
    assert (scn_problem(scn) is None) == ok


@pytest.fixture
def case():
    return build_case()


def _url(case):
    return f"/portfolio/centres/{case.centre.pk}/candidates/{case.alice.pk}/identifiers/"


def test_the_administrator_records_the_identifiers_and_they_are_audited(client, case):
    registration = register_alice(case)
    client.force_login(case.grace)
    page = client.get(_url(case))
    assert "SQA registration number for DEMO 07" in page.content.decode()
    response = client.post(_url(case), {"uln": "9276308686", "scn": "123 456 789", f"registration_{registration.pk}": "SQA-77"})
    assert response.status_code == 302
    registration.refresh_from_db()
    held = identifiers_at(case.alice.pk, case.centre.pk)
    assert (held.uln, held.scn, registration.registration_number) == ("9276308686", "123456789", "SQA-77")
    event = AuditEvent.objects.get(action="portfolio.candidate.identifiers_changed")
    assert event.after == {"uln": "9276308686", "scn": "123456789", "registration DEMO 07": "SQA-77"}


def test_a_uln_with_a_wrong_check_digit_is_refused_and_nothing_is_saved(client, case):
    client.force_login(case.grace)
    response = client.post(_url(case), {"uln": "9276308687", "scn": ""})
    assert response.status_code == 400
    assert "9276308687 is not a valid Unique Learner Number" in response.content.decode()
    assert not CandidateIdentifiers.objects.exists()


def test_each_centre_reads_and_writes_only_its_own_record_of_a_candidates_identifiers(client, case):
    """Issue 16, centres are walled: Alice is a candidate at Riverside and at Hillside too."""
    hillside = Centre.objects.get(code="hillside")
    hal = member(hillside, Role.ASSESSOR, first_name="Hal", last_name="Hart", email="hal@example.org")
    there = enrol(case.alice, "H3 25", assessor=hal, iqa=hal, centre=hillside)
    client.force_login(case.grace)
    assert client.post(_url(case), {"uln": "9276308686", "scn": "123456789"}).status_code == 302

    client.force_login(case.frank)
    hillside_url = f"/portfolio/centres/{hillside.pk}/candidates/{case.alice.pk}/identifiers/"
    page = client.get(hillside_url).content.decode()
    assert "9276308686" not in page and "123456789" not in page
    assert client.post(hillside_url, {"uln": "1234567899", "scn": ""}).status_code == 302

    riverside_record, hillside_record = (identifiers_at(case.alice.pk, c.pk) for c in (case.centre, hillside))
    assert (riverside_record.uln, riverside_record.scn) == ("9276308686", "123456789")
    assert (hillside_record.uln, hillside_record.scn) == ("1234567899", "")
    client.force_login(hal)
    cover = _pdf_text(client.get(f"/exports/units/{there.pk}/portfolio.pdf").content)
    assert "Unique Learner Number (ULN) 1234567899" in cover and "9276308686" not in cover
    client.force_login(case.bob)
    cover = _pdf_text(client.get(f"/exports/units/{case.h3_25.pk}/portfolio.pdf").content)
    assert "Unique Learner Number (ULN) 9276308686" in cover and "1234567899" not in cover


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_uln_imported_with_an_invitation_becomes_the_centres_record_when_they_accept(
    client, case, django_capture_on_commit_callbacks
):
    client.force_login(case.grace)
    upload = SimpleUploadedFile("class.csv", b"First name,Last name,Email,ULN\nNia,Nash,nia@example.org,92763 08686\n")
    preview = client.post(reverse("portfolio:people_import", args=[case.centre.pk]), {"people_file": upload})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(preview["Location"])
    assert Invitation.objects.get(email="nia@example.org").uln == "9276308686"
    link = re.search(r"https?://[^/\s]+(/\S*invitations/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    password = "a long Passphrase 2026"
    client.post(link, {"first_name": "Nia", "last_name": "Nash", "password1": password, "password2": password})

    nia = Person.objects.get(email="nia@example.org")
    assert identifiers_at(nia.pk, case.centre.pk).uln == "9276308686"
    client.force_login(case.grace)
    assert 'value="9276308686"' in client.get(f"/portfolio/centres/{case.centre.pk}/candidates/{nia.pk}/identifiers/").content.decode()
