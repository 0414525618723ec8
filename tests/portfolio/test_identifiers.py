"""A candidate's ULN (its check digit), SCN and awarding-body registration numbers, as the centre
administrator records them."""

import pytest

from portfolio.identifiers import scn_problem, uln_check_digit, uln_problem
from portfolio.models import AuditEvent
from tests.assessments.qualification_case import register_alice
from tests.assessments.unit_case import build_case

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
    case.alice.refresh_from_db()
    registration.refresh_from_db()
    assert (case.alice.uln, case.alice.scn, registration.registration_number) == ("9276308686", "123456789", "SQA-77")
    event = AuditEvent.objects.get(action="portfolio.candidate.identifiers_changed")
    assert event.after == {"uln": "9276308686", "scn": "123456789", "registration DEMO 07": "SQA-77"}


def test_a_uln_with_a_wrong_check_digit_is_refused_and_nothing_is_saved(client, case):
    client.force_login(case.grace)
    response = client.post(_url(case), {"uln": "9276308687", "scn": ""})
    assert response.status_code == 400
    assert "9276308687 is not a valid Unique Learner Number" in response.content.decode()
    case.alice.refresh_from_db()
    assert case.alice.uln == ""
