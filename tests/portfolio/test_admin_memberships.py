"""The Django admin gives people roles at a centre (Membership), but no longer the external quality
assurer's: that comes only from a centre's grant (EqaGrant), accepted through its invitation. An
outside trial found the admin still offering it."""

import pytest
from django.urls import reverse

from portfolio.models import Membership, Role
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EQA_WORDS = "External quality assurer"


@pytest.fixture
def site_administrator(client, django_user_model):
    person = django_user_model.objects.create_superuser(email="root@example.org", password="correct horse battery")
    client.force_login(person)
    return person


def test_the_membership_form_offers_every_role_but_the_eqa(client, site_administrator, centre):
    page = client.get(reverse("admin:portfolio_membership_add")).content.decode()

    assert "Internal quality assurer" in page and "Centre administrator" in page
    assert EQA_WORDS not in page and 'value="eqa"' not in page


def test_an_eqa_membership_posted_anyway_is_refused(client, site_administrator, centre):
    person = PersonFactory(email="eve@example.org")
    response = client.post(
        reverse("admin:portfolio_membership_add"), {"person": person.pk, "centre": centre.pk, "role": Role.EQA},
    )

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(person=person).exists()


def test_the_centres_page_and_the_list_filter_offer_no_eqa_role(client, site_administrator, centre, alice):
    centre_page = client.get(reverse("admin:portfolio_centre_change", args=[centre.pk])).content.decode()
    memberships = client.get(reverse("admin:portfolio_membership_changelist")).content.decode()

    assert "Candidate" in centre_page and 'value="eqa"' not in centre_page
    assert "Candidate" in memberships and EQA_WORDS not in memberships
