"""A candidate at two centres, deactivated at one since they opened its evidence form (an outside
trial's finding): the form sent for that centre saved nothing and was filed at the other centre, where
its staff read it. It is refused, saying so, with what they typed kept; nothing is put at another
centre unless they send it again for that one."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import services_people
from portfolio.models import AuditEvent, Evidence, Role
from tests.factories import CentreFactory, enrol, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_at_two_centres(alice, hsc331, other_centre, frank):
    yan = member(other_centre, Role.ASSESSOR, first_name="Yan", last_name="Young")
    ida = member(other_centre, Role.IQA, first_name="Ida", last_name="Iles")
    return enrol(alice, "HSC331", assessor=yan, iqa=ida, centre=other_centre)


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.replace("&#x27;", "'").replace("&quot;", '"').split())


def sent(centre_id: int) -> dict:
    return {
        "centre": centre_id, "title": "Planning a visit", "method": "reflective_account",
        "activity_date": timezone.localdate().isoformat(), "account": "I helped Person A plan a visit.",
    }


def deactivated_at(centre, alice, frank) -> None:
    services_people.membership_deactivate(centre=centre, person=alice, deactivated_by=frank, reason="Left the course")


def test_a_form_for_a_centre_she_was_deactivated_at_is_refused_and_filed_nowhere(
    client, alice, centre, other_centre, alice_at_two_centres, frank
):
    client.force_login(alice)
    opened = client.get(reverse("portfolio:evidence_create"), {"centre": other_centre.pk})
    assert f'name="centre" value="{other_centre.pk}"' in opened.content.decode()
    deactivated_at(other_centre, alice, frank)
    events = AuditEvent.objects.count()

    response = client.post(reverse("portfolio:evidence_create") + f"?centre={other_centre.pk}", sent(other_centre.pk))

    assert response.status_code == 400 and not Evidence.objects.filter(candidate=alice).exists()
    assert AuditEvent.objects.count() == events
    page = words(response)
    assert ("You can no longer add evidence at the centre this form was for, so nothing was saved. It is now for "
            "your portfolio at Riverside Training: save it again to add it there.") in page
    assert "For your portfolio at Riverside Training ." in page and "Hillside" not in page
    body = response.content.decode()
    assert 'value="Planning a visit"' in body and "I helped Person A plan a visit." in body  # nothing lost
    assert f'name="centre" value="{centre.pk}"' in body

    again = client.post(reverse("portfolio:evidence_create"), sent(centre.pk))
    assert again.status_code == 302 and Evidence.objects.get(candidate=alice).centre == centre


def test_an_address_naming_that_centre_asks_which_of_hers(
    client, alice, centre, other_centre, alice_at_two_centres, frank
):
    deactivated_at(other_centre, alice, frank)
    client.force_login(alice)

    page = words(client.get(reverse("portfolio:evidence_create"), {"centre": other_centre.pk}))

    assert "You can no longer add evidence at the centre this address names. Choose one of yours." in page
    assert "Add evidence at Riverside Training" in page and "Hillside" not in page


def test_with_two_centres_left_the_form_comes_back_with_a_choice_among_them(
    client, alice, centre, other_centre, alice_at_two_centres, frank
):
    third = CentreFactory(name="Lakeside College")
    member(third, Role.CANDIDATE, email=alice.email)
    enrol(alice, "HSC331", assessor=member(third, Role.ASSESSOR), iqa=member(third, Role.IQA), centre=third)
    deactivated_at(other_centre, alice, frank)
    client.force_login(alice)

    response = client.post(reverse("portfolio:evidence_create"), sent(other_centre.pk))

    assert response.status_code == 400 and not Evidence.objects.filter(candidate=alice).exists()
    page = words(response)
    assert "Choose which of your centres it is for, and save it again." in page
    assert "Which centre is this evidence for? Lakeside College Riverside Training" in page
    body = response.content.decode()
    assert f'type="radio" name="centre" value="{third.pk}"' in body and "checked" not in body
    assert 'value="Planning a visit"' in body


def test_a_form_for_a_centre_still_hers_is_saved_there(client, alice, centre, other_centre, alice_at_two_centres):
    client.force_login(alice)
    response = client.post(reverse("portfolio:evidence_create"), sent(other_centre.pk))
    assert response.status_code == 302 and Evidence.objects.get(candidate=alice).centre == other_centre


def test_a_form_of_several_centres_naming_none_comes_back_with_the_choice(
    client, alice, centre, other_centre, alice_at_two_centres
):
    client.force_login(alice)
    response = client.post(reverse("portfolio:evidence_create"), {**sent(0), "centre": ""})

    assert response.status_code == 400 and not Evidence.objects.filter(candidate=alice).exists()
    page = words(response)
    assert ("Nothing was saved: the form did not say which centre it is for. Choose which of your centres it is "
            "for, and save it again.") in page
    assert "Which centre is this evidence for? Hillside College Riverside Training" in page
