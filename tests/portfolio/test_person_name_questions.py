"""The centre's page about a person says where each name it asked them to confirm stands: waiting
since the day it was asked, accepted or declined on the day they answered; never another centre's."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import dates
from portfolio.models import Membership, NameSuggestion, Role
from portfolio.services_people import name_suggest
from tests.factories import member

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("portfolio:account")


def _page(client, centre, grace, person) -> str:
    """The page's words as they read, without its markup."""
    client.force_login(grace)
    page = client.get(reverse("portfolio:person_detail", args=[centre.pk, person.pk])).content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(" :", ":")


def _today() -> str:
    return dates.day(timezone.localdate())


def test_a_name_waiting_for_the_person_says_since_when(client, centre, grace, bob):
    name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    page = _page(client, centre, grace, bob)
    assert f"Robert Baker Waiting since {_today()}: they have not answered yet." in page
    assert f"Asked by Grace Gordon on {_today()}." in page


def test_a_name_the_person_confirmed_is_accepted(client, centre, grace, bob):
    name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(bob)
    client.post(ACCOUNT, {"first_name": "Robert", "last_name": "Baker"})
    assert NameSuggestion.objects.get().answer == NameSuggestion.Answer.ACCEPTED
    page = _page(client, centre, grace, bob)
    assert f"Robert Baker Accepted on {_today()}: they confirmed it as their name." in page
    assert "Waiting" not in page and "Declined" not in page


def test_a_name_the_person_kept_theirs_against_is_declined(client, centre, grace, bob):
    suggestion = name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(bob)
    client.post(ACCOUNT, {"keep": suggestion.pk})
    page = _page(client, centre, grace, bob)
    assert f"Robert Baker Declined on {_today()}: they kept their name, or saved a different one." in page
    assert "Waiting" not in page


def test_saving_another_name_declines_the_suggestion_and_stays_declined(client, centre, grace, bob):
    name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(bob)
    client.post(ACCOUNT, {"first_name": "Bobby", "last_name": "Baker"})
    # Later they take the name suggested after all: what they answered then is what they answered.
    client.post(ACCOUNT, {"first_name": "Robert", "last_name": "Baker"})
    assert "Robert Baker Declined on" in _page(client, centre, grace, bob)


def test_another_centres_question_is_not_shown(client, centre, other_centre, grace, bob):
    Membership.objects.create(person=bob, centre=other_centre, role=Role.IQA)
    hilda = member(other_centre, Role.ADMINISTRATOR, email="hilda@example.org", first_name="Hilda", last_name="Hart")
    name_suggest(centre=other_centre, person=bob, suggested_by=hilda, first_name="Roberto", last_name="Baker")
    page = _page(client, centre, grace, bob)
    assert "Roberto" not in page and "Hilda" not in page and "Names the centre asked them to confirm" not in page
