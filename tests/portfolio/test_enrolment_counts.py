"""The centre's enrolments counted alike wherever they are counted, as an outside tester found them
not: the administrator's home said "Enrolments 8" (a withdrawn one among them, with no word of it)
beside "Units 7 in progress", the centre page "8 enrolments", the site administrator's centres page
"7 active unit registrations". Active enrolments are counted; withdrawn and transferred ones, kept
as records, are counted apart and said to be.

The centre is tests/assessments/unit_case.py's: Alice on HSC331 and H3 25, Dave on HSC331."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.services_enrolments import enrolment_withdraw
from tests.assessments.unit_case import build_case
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = build_case()
    enrolment_withdraw(enrolment=case.h3_25, effective_date=timezone.localdate(),
                       reason="Alice has left her job in housing.", changed_by=case.grace)
    return case


def _text(client, person, url: str) -> str:
    client.force_login(person)
    html = client.get(url).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_home_counts_active_enrolments_and_says_which_are_not_counted(client, case):
    home = _text(client, case.grace, reverse("home"))
    assert "Enrolments 3 2 active, 1 withdrawn or transferred" in home
    # The units, a line each, add up to the enrolments: the withdrawn one said too (an outside trial).
    assert ("2 in progress 0 finished: signed off, countersigned by the candidate and by the IQA "
            "1 withdrawn or transferred, kept as a record") in home


def test_the_centre_page_says_how_many_of_its_enrolments_are_active(client, case):
    page = _text(client, case.grace, reverse("assessments:centre_detail", args=[case.centre.pk]))
    assert "3 enrolments: 2 active, 1 withdrawn or transferred" in page


def test_the_site_administrators_centres_page_counts_them_in_the_same_words(client, case):
    site = PersonFactory(email="site@example.org", is_superuser=True, is_staff=True)
    page = _text(client, site, reverse("portfolio:site_centres"))
    assert "2 active enrolments (not counted: 1 withdrawn or transferred)" in page


def test_nothing_is_said_apart_when_every_enrolment_is_active(client):
    case = build_case()
    home = _text(client, case.grace, reverse("home"))
    assert "Enrolments 3 What needs doing" in home and "withdrawn or transferred" not in home
    page = _text(client, case.grace, reverse("assessments:centre_detail", args=[case.centre.pk]))
    assert "3 enrolments" in page and "withdrawn or transferred" not in page
