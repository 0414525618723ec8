"""The links to the centre's quality-assurance records on a home page: once per centre, however
many of the roles that have them the person holds there (an outside trial: an assessor who is an
IQA too saw "Standardisation meetings · My competence and CPD" twice)."""

import pytest
from django.urls import reverse

from portfolio.models import Membership, Role
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db


def _home(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_assessor_who_is_an_iqa_too_sees_the_links_once(client):
    case = build_case()
    Membership.objects.create(person=case.bob, centre=case.centre, role=Role.IQA)

    page = _home(client, case.bob)
    assert page.count(">Standardisation meetings</a>") == 1
    assert page.count(">My competence and CPD</a>") == 1
    assert page.count(">Assessors’ competence and CPD</a>") == 1  # the IQA's links, the fuller set


def test_an_assessor_alone_still_has_them(client):
    case = build_case()
    page = _home(client, case.erin)
    assert page.count(">Standardisation meetings</a>") == 1
    assert page.count(">My competence and CPD</a>") == 1
