"""The external quality assurer's way into a centre: every candidate's unit, where it stands, and a
link to read it. They read and change nothing; nobody outside the centre finds the page."""

import pytest
from django.urls import reverse

from portfolio.models import Role
from tests.factories import CentreFactory, member


def page_text(client, person, centre, **query) -> str:
    client.force_login(person)
    response = client.get(reverse("assessments:centre_portfolios", args=[centre.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_eqa_home_links_each_overseen_centre_to_its_portfolios(client, heidi, centre):
    client.force_login(heidi)
    page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("assessments:centre_portfolios", args=[centre.pk])}"' in page


@pytest.mark.django_db
def test_the_eqa_sees_every_unit_with_its_state_and_opens_it_to_read(client, heidi, centre, hsc331, h3_25):
    page = page_text(client, heidi, centre)

    assert "2 units" in page
    assert f'href="{reverse("assessments:enrolment_detail", args=[hsc331.pk])}"' in page
    assert f'href="{reverse("assessments:enrolment_detail", args=[h3_25.pk])}"' in page
    assert "In progress" in page
    unit_page = client.get(reverse("assessments:enrolment_detail", args=[hsc331.pk]))
    assert unit_page.status_code == 200
    # Reading is all: the actions answer 403 to the EQA.
    assert client.post(reverse("assessments:sign_off", args=[hsc331.pk])).status_code == 403


@pytest.mark.django_db
def test_the_search_narrows_to_a_candidate_or_unit(client, heidi, centre, hsc331, h3_25):
    page = page_text(client, heidi, centre, q="H3")

    assert "1 unit matching" in page
    assert reverse("assessments:enrolment_detail", args=[h3_25.pk]) in page
    assert reverse("assessments:enrolment_detail", args=[hsc331.pk]) not in page


@pytest.mark.django_db
def test_an_eqa_of_another_centre_finds_nothing(client, centre, hsc331):
    elsewhere = CentreFactory(name="Hillside College", code="hillside")
    outsider = member(elsewhere, Role.EQA, email="ed@example.org")
    client.force_login(outsider)

    assert client.get(reverse("assessments:centre_portfolios", args=[centre.pk])).status_code == 404


@pytest.mark.django_db
def test_the_search_finds_an_assessor_by_first_name_and_a_unit_by_its_title(client, heidi, centre, hsc331, h3_25):
    assert "2 units matching" in page_text(client, heidi, centre, q=hsc331.assessor.first_name)
    page = page_text(client, heidi, centre, q="boundaries")
    assert "1 unit matching" in page and reverse("assessments:enrolment_detail", args=[h3_25.pk]) in page


@pytest.mark.django_db
def test_the_administrators_centre_page_leads_to_every_unit_of_the_centre(client, centre, hsc331, h3_25):
    grace = member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Green", email="grace@example.org")
    client.force_login(grace)
    centre_page = client.get(reverse("assessments:centre_detail", args=[centre.pk])).content.decode()
    assert f'href="{reverse("assessments:centre_portfolios", args=[centre.pk])}">Read the portfolios</a>' in centre_page

    page = page_text(client, grace, centre)
    assert "2 units" in page
    assert reverse("assessments:enrolment_detail", args=[hsc331.pk]) in page
    assert reverse("assessments:enrolment_detail", args=[h3_25.pk]) in page
