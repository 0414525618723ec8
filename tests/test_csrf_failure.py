"""A form refused by the CSRF check answers a page in the product's layout that says, in words, why
it could not be sent, that nothing was saved and what to do (an outside trial: a form sent from a
second tab after signing out and in again showed Django's bare "Forbidden (403) CSRF verification
failed" page). The technical reason is logged, never shown. The tests run with DEBUG off, as
production does."""

import logging
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import EvidenceComment
from tests.assessments.judging_people import submitted

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
SAYS = (
    "The page was open for too long, or you signed in again in another tab or window since it opened, "
    "so the portfolio could not be sure the form came from you. Nothing was saved."
)
WHAT_TO_DO = "Go back, reload the page and send the form again."


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def _says_so_and_nothing_technical(response) -> str:
    assert response.status_code == 403
    page, text = response.content.decode(), _text(response)
    assert "<title>Your form could not be sent · Evidence portfolio</title>" in page
    assert SAYS in text and WHAT_TO_DO in text
    assert 'id="main"' in page and f'href="{reverse("home")}"' in page  # the site's layout, a way home
    for technical in ("CSRF", "csrf", "token", "Forbidden", "Referer", "cookie"):
        assert technical not in text
    return text


def test_a_sign_in_form_sent_without_a_token_gets_the_sites_page_and_the_reason_is_logged(alice, caplog):
    """Anonymous, with no session and no CSRF cookie: the page asks nothing of either."""
    assert not settings.DEBUG
    browser = Client(enforce_csrf_checks=True)

    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = browser.post(reverse("login"), {"username": alice.email, "password": PASSWORD})

    text = _says_so_and_nothing_technical(response)
    assert "Sign in" in text and "Alice" not in text  # nobody was signed in
    assert "_auth_user_id" not in browser.session
    logged = [r.getMessage() for r in caplog.records if r.name == "django.security.csrf"]
    assert logged == ["Forbidden (CSRF cookie not set.): /accounts/login/"]


def test_a_form_from_a_second_tab_after_signing_out_and_in_again_is_refused_and_nothing_is_saved(
    alice, hsc331
):
    evidence = submitted(alice, hsc331)
    browser = Client(enforce_csrf_checks=True)
    sign_in = browser.get(reverse("login"))
    browser.post(
        reverse("login"),
        {"username": alice.email, "password": PASSWORD, "csrfmiddlewaretoken": _token(sign_in)},
    )
    evidence_page = reverse("assessments:evidence_detail", args=[evidence.pk])
    second_tab = _token(browser.get(evidence_page))  # the evidence page, left open in another tab
    # Signing out and in again in the first tab gives the session a new token.
    browser.post(reverse("logout"), {"csrfmiddlewaretoken": _token(browser.get(reverse("home")))})
    browser.post(
        reverse("login"),
        {
            "username": alice.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": _token(browser.get(reverse("login"))),
        },
    )

    response = browser.post(
        reverse("assessments:evidence_comment", args=[evidence.pk]),
        {"text": "Is the date right?", "csrfmiddlewaretoken": second_tab},
        headers={"Referer": f"http://testserver{evidence_page}"},
    )

    text = _says_so_and_nothing_technical(response)
    assert "Alice Adams" in text  # still signed in, in the site's navigation
    assert not EvidenceComment.objects.exists()
    assert f'<a href="http://testserver{evidence_page}">Open the page again</a>' in response.content.decode()


def test_open_the_page_again_leads_only_to_this_site(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    response = browser.post(
        reverse("portfolio:account"), {}, headers={"Referer": "https://elsewhere.example/form/"}
    )

    _says_so_and_nothing_technical(response)
    assert "elsewhere.example" not in response.content.decode() and "Open the page again" not in _text(
        response
    )


def test_the_same_form_with_its_token_is_accepted(alice, hsc331):
    evidence = submitted(alice, hsc331)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    evidence_page = reverse("assessments:evidence_detail", args=[evidence.pk])

    response = browser.post(
        reverse("assessments:evidence_comment", args=[evidence.pk]),
        {"text": "Is the date right?", "csrfmiddlewaretoken": _token(browser.get(evidence_page))},
    )

    assert response.status_code == 302
    assert EvidenceComment.objects.get().text == "Is the date right?"
