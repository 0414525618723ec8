"""The centre page's qualification registrations mark a deactivated candidate as its enrolments do
(an outside trial found Alice unmarked there while deactivated)."""

import re

import pytest
from django.urls import reverse

from portfolio.services_people import membership_deactivate, membership_reactivate
from tests.assessments.qualification_case import register_alice
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db


def _qualifications(client, case) -> str:
    client.force_login(case.grace)
    page = client.get(reverse("assessments:centre_detail", args=[case.centre.pk])).content.decode()
    table = page[page.index("Qualifications"):page.index('id="people-heading"')]
    return " ".join(re.sub(r"<[^>]+>", " ", table).split())


def test_it_marks_a_deactivated_candidate_in_the_qualification_registrations(client):
    case = build_case()
    register_alice(case)
    before = _qualifications(client, case)
    assert "Alice Adams" in before and "Alice Adams (deactivated)" not in before

    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")
    assert "Alice Adams (deactivated)" in _qualifications(client, case)

    membership_reactivate(centre=case.centre, person=case.alice, reactivated_by=case.grace, reason="Back at the centre.")
    assert "Alice Adams (deactivated)" not in _qualifications(client, case)
