"""The centre's page about a person says where each name it asked them to confirm stands: waiting
since the day it was asked, accepted or declined on the day they answered; never another centre's."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import dates
from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent, Membership, NameSuggestion, Notification, Role
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


# Asking again while a question waits (issue 16, tester's finding: several questions to the same
# person were all shown as waiting). The newer replaces the waiting one, which is kept, marked. ----


def _ask(client, centre, grace, person, first_name: str, last_name: str = "Baker"):
    client.force_login(grace)
    return client.post(reverse("portfolio:person_name", args=[centre.pk, person.pk]),
                       {"first_name": first_name, "last_name": last_name})


def test_asking_for_another_name_replaces_the_waiting_question(client, centre, grace, bob):
    assert _ask(client, centre, grace, bob, "Robret").status_code == 302  # a slip of the keyboard
    assert _ask(client, centre, grace, bob, "Robert").status_code == 302

    page = _page(client, centre, grace, bob)
    assert page.count("Waiting since") == 1
    assert f"Robert Baker Waiting since {_today()}: they have not answered yet." in page
    assert (f"Robret Baker Replaced on {_today()} by the question asking them to confirm Robert Baker: "
            "it no longer waits for them.") in page
    # Bob is asked one thing: the newer name, and told it replaces the first question.
    client.force_login(bob)
    account = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", client.get(ACCOUNT).content.decode())).split())
    assert "Robert Baker" in account and "Robret" not in account
    told = Notification.objects.filter(recipient=bob).order_by("-pk").first()
    assert f"This replaces their question of {_today()}." in told.message
    # The centre's audit trail says what the newer question replaced.
    event = AuditEvent.objects.filter(action=PortfolioAction.PERSON_NAME_SUGGESTED).order_by("-pk").first()
    assert sentence(event) == ("Grace Gordon asked Bob Baker to change their name to Robert Baker, "
                               "replacing the question waiting for Robret Baker")


def test_asking_for_the_same_name_again_is_refused_while_it_waits(client, centre, grace, bob):
    _ask(client, centre, grace, bob, "Robert")

    response = _ask(client, centre, grace, bob, "Robert")

    page = html.unescape(response.content.decode())
    assert "There is a problem" in page
    assert (f"Bob Baker was asked on {_today()} to confirm Robert Baker and has not answered yet: "
            "the question is still waiting on their account page.") in page
    assert NameSuggestion.objects.count() == 1


def test_a_replaced_question_answers_nothing_and_the_newer_is_answered(client, centre, grace, bob):
    first = name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robret", last_name="Baker")
    name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(bob)
    # The first notification's link fills in nothing of the replaced question.
    assert 'value="Robret"' not in client.get(f"{ACCOUNT}?suggestion={first.pk}").content.decode()
    client.post(ACCOUNT, {"keep": first.pk})  # from a page opened before the second question
    assert NameSuggestion.objects.waiting().get().first_name == "Robert"

    client.post(ACCOUNT, {"first_name": "Robert", "last_name": "Baker"})

    page = _page(client, centre, grace, bob)
    assert f"Robert Baker Accepted on {_today()}" in page and "Robret Baker Replaced on" in page


def test_another_centres_waiting_question_is_not_replaced(client, centre, other_centre, grace, bob):
    Membership.objects.create(person=bob, centre=other_centre, role=Role.IQA)
    hilda = member(other_centre, Role.ADMINISTRATOR, email="hilda@example.org", first_name="Hilda", last_name="Hart")
    theirs = name_suggest(centre=other_centre, person=bob, suggested_by=hilda, first_name="Roberto", last_name="Baker")

    _ask(client, centre, grace, bob, "Robert")

    theirs.refresh_from_db()
    assert theirs.replaced_by is None
    assert {s.first_name for s in NameSuggestion.objects.waiting()} == {"Roberto", "Robert"}
