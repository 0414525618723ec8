"""A person owns their name (issue 16, finding of outside testers): they change it on their own
account page; the centre corrects only the name it typed on an invitation still waiting, and asks
anyone who has accepted, the same for everyone."""

import re

import pytest
from django.urls import reverse

from portfolio import dates
from portfolio.models import AuditEvent, Invitation, Membership, NameSuggestion, Notification, Role
from portfolio.services_people import name_suggest

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("portfolio:account")


def text_of(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").replace("&rsquo;", "’").split())


def test_the_user_menu_links_to_the_account_page_where_a_person_changes_their_own_name(client, centre, bob):
    client.force_login(bob)
    assert f'href="{ACCOUNT}">Your account</a>' in client.get(reverse("home")).content.decode()
    page = text_of(client.get(ACCOUNT))
    assert "Your account" in page and "bob@example.org" in page and 'value="Bob"' in page

    response = client.post(ACCOUNT, {"first_name": "Robert\u202e", "last_name": "Baker\r\nBcc: x"}, follow=True)

    assert "Your name is now Robert Baker Bcc: x." in text_of(response)
    bob.refresh_from_db()
    assert (bob.first_name, bob.last_name) == ("Robert", "Baker Bcc: x")
    event = AuditEvent.objects.get(action="portfolio.person.renamed")
    assert (event.actor, event.centre, event.before["name"]) == (bob, centre, "Bob Baker")


def test_a_name_needs_both_parts(client, bob):
    client.force_login(bob)
    response = client.post(ACCOUNT, {"first_name": "  ", "last_name": "Baker"})
    assert response.status_code == 400
    bob.refresh_from_db()
    assert bob.first_name == "Bob"


def test_each_centre_that_knows_the_person_records_the_change_in_its_own_trail(client, centre, other_centre, bob):
    Membership.objects.create(person=bob, centre=other_centre, role=Role.IQA)
    client.force_login(bob)
    client.post(ACCOUNT, {"first_name": "Robert", "last_name": "Baker"})
    events = AuditEvent.objects.filter(action="portfolio.person.renamed")
    assert sorted(e.centre_id for e in events) == sorted([centre.pk, other_centre.pk])
    assert all(other_centre.name not in e.summary and centre.name not in e.summary for e in events)


def test_the_suggested_name_is_filled_in_and_confirmed_by_the_person(client, centre, grace, bob):
    name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    link = Notification.objects.get(recipient=bob).link
    client.force_login(bob)
    page = text_of(client.get(link))
    assert "Grace Gordon of Riverside Training asks you to check your name: they would record it as <strong>Robert Baker</strong>." in page
    assert 'value="Robert"' in page
    bob.refresh_from_db()
    assert bob.first_name == "Bob"  # nothing changes until they save

    client.post(link, {"first_name": "Robert", "last_name": "Baker"})
    bob.refresh_from_db()
    assert bob.first_name == "Robert"


def test_someone_elses_suggestion_fills_in_nothing(client, centre, grace, bob, carol):
    suggestion = name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(carol)
    page = text_of(client.get(f"{ACCOUNT}?suggestion={suggestion.pk}"))
    assert "Robert" not in page and 'value="Carol"' in page
    assert NameSuggestion.objects.count() == 1


@pytest.fixture
def invited(client, grace, centre):
    client.force_login(grace)
    client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Nia", "last_name": "Newtn", "email": "nia@example.org", "role": Role.CANDIDATE,
    })
    return Invitation.objects.get(email="nia@example.org")


def test_the_administrator_corrects_the_name_typed_on_a_waiting_invitation(client, grace, centre, invited):
    url = reverse("portfolio:invitation_name", args=[centre.pk, invited.pk])
    centre_page = client.get(reverse("assessments:centre_detail", args=[centre.pk])).content.decode()
    assert f'href="{url}">Correct name' in centre_page
    form = text_of(client.get(url))
    assert 'value="Nia"' in form and 'value="Newtn"' in form

    response = client.post(url, {"first_name": "Nia", "last_name": "Newton"}, follow=True)

    assert "The invitation of nia@example.org now names Nia Newton." in text_of(response)
    invited.refresh_from_db()
    assert invited.name == "Nia Newton"
    event = AuditEvent.objects.get(action="portfolio.invitation.renamed")
    assert (event.before["name"], event.after["name"]) == ("Nia Newtn", "Nia Newton")


def test_an_accepted_invitations_name_is_not_the_centres_to_correct(client, grace, centre, invited, alice):
    Invitation.objects.filter(pk=invited.pk).update(accepted_by=alice, accepted_at=invited.sent_at)
    response = client.post(reverse("portfolio:invitation_name", args=[centre.pk, invited.pk]),
                           {"first_name": "Nia", "last_name": "Newton"})
    assert response.status_code == 404  # nothing to correct: the page says it was accepted
    assert "The invitation of Nia Newtn was accepted" in text_of(response)


# A suggestion waiting for the person (issue 16, outside trial: it showed only from the notification's link).


def words_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split()).replace(" .", ".")


def test_a_waiting_suggestion_shows_on_the_account_page_opened_without_the_link(client, centre, grace, bob):
    suggestion = name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(bob)

    page = words_of(client.get(ACCOUNT))

    assert "Grace Gordon of Riverside Training asks you to check your name: they would record it as Robert Baker." in page
    assert f"Asked on {dates.day(suggestion.made_at)}." in page
    assert "It waits for you: your name stays Bob Baker until you save a name here" in page
    assert 'value="Bob"' in text_of(client.get(ACCOUNT))  # their own name in the form until they choose
    assert f'href="?suggestion={suggestion.pk}">Fill in Robert Baker' in text_of(client.get(ACCOUNT))


def test_keeping_ones_name_answers_the_suggestion_and_it_is_not_shown_again(client, centre, grace, bob):
    suggestion = name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(bob)

    response = client.post(ACCOUNT, {"keep": suggestion.pk}, follow=True)

    assert "Your name stays Bob Baker." in words_of(response)
    assert "asks you to check your name" not in words_of(response)
    bob.refresh_from_db()
    assert bob.first_name == "Bob"


def test_saving_a_name_answers_the_suggestion(client, centre, grace, bob):
    name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(bob)

    client.post(ACCOUNT, {"first_name": "Rob", "last_name": "Baker"})

    assert "asks you to check your name" not in words_of(client.get(ACCOUNT))


def test_someone_else_cannot_answer_a_persons_suggestion(client, centre, grace, bob, carol):
    suggestion = name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(carol)
    client.post(ACCOUNT, {"keep": suggestion.pk})
    client.force_login(bob)
    assert "asks you to check your name" in words_of(client.get(ACCOUNT))


def test_keeping_ones_name_to_a_question_that_waits_no_more_says_nothing_was_answered(client, centre, grace, bob):
    first = name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robret", last_name="Baker")
    name_suggest(centre=centre, person=bob, suggested_by=grace, first_name="Robert", last_name="Baker")
    client.force_login(bob)

    for question in (first.pk, 999999):
        page = words_of(client.post(ACCOUNT, {"keep": question}, follow=True))
        assert "That question waits no more (answered already, or replaced by a newer one): nothing was answered." in page
        assert "Your name stays" not in page
        assert "they would record it as Robert Baker" in page  # the newer question still waits
