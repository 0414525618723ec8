"""A unit of Alice's qualification whose people were changed in the database (`portfolio.case_seals`):
the qualification page still lists it, marked, but links it only for the centre's administrators,
who alone may open it; to Alice it is no dead link."""

import pytest
from django.urls import reverse

from portfolio.models import Enrolment
from tests.assessments.qualification_case import register_alice
from tests.assessments.unit_case import build_case

pytestmark = pytest.mark.django_db


def test_a_changed_unit_is_listed_without_a_link_but_for_the_administrators(client):
    case = build_case()
    registration = register_alice(case)
    Enrolment.objects.filter(pk=case.h3_25.pk).update(assessor=case.erin)
    page_url = reverse("assessments:registration_detail", args=[registration.pk])
    unit_url = reverse("assessments:enrolment_detail", args=[case.h3_25.pk])

    client.force_login(case.alice)
    page = client.get(page_url).content.decode()
    assert "People changed outside the portfolio" in page
    assert unit_url not in page and "Erin" not in page
    assert reverse("assessments:enrolment_detail", args=[case.hsc331.pk]) in page

    client.force_login(case.grace)
    assert unit_url in client.get(page_url).content.decode()
