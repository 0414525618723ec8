"""A link followed to an address that takes only a form's button (a view behind `require_POST`)
answers a page in the product's layout saying to use the button, with the way home, not Django's
blank 405 (config/not_allowed.py); the status and the Allow header stay as they were, and a program
asking for something other than a page gets the bare answer as before."""

import re

import pytest
from django.urls import reverse

from tests.assessments.judging_people import submitted

pytestmark = pytest.mark.django_db

WORDS = "This address takes a form’s button, not a link: go back and use the button on the page."


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def comment_url(alice, hsc331):
    return reverse("assessments:evidence_comment", args=[submitted(alice, hsc331).pk])


def test_a_link_to_a_forms_address_says_to_use_the_button_in_the_sites_layout(client, alice, comment_url):
    client.force_login(alice)

    response = client.get(comment_url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert WORDS in _text(response)
    assert "<title>Use the button on the page · Evidence portfolio</title>" in page
    assert f'href="{reverse("home")}"' in page and "Go to your home page" in _text(response)
    assert "Alice Adams" in _text(response) and 'id="main"' in page  # signed in, in the base layout


def test_a_program_asking_for_no_page_gets_the_bare_answer(client, alice, comment_url):
    client.force_login(alice)
    response = client.get(comment_url, headers={"Accept": "application/json"})
    assert (response.status_code, response["Allow"], response.content) == (405, "POST", b"")


def test_a_method_the_site_never_speaks_keeps_its_bare_answer(client, alice, comment_url):
    client.force_login(alice)
    response = client.delete(comment_url)
    assert (response.status_code, response["Allow"], response.content) == (405, "GET, HEAD, POST", b"")
