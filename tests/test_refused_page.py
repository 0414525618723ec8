"""A request refused to someone on the case (`portfolio.access.require`, 403) answers a page in the
product's layout saying why, with a way on (an outside trial: a refused POST showed a bare
"403 Forbidden" and nothing else). The tests run with DEBUG off, as production does."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.assessments.judging_people import submitted

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_refused_post_says_why_in_the_sites_layout_with_a_way_home(client, alice, carol, hsc331):
    assert not settings.DEBUG
    evidence = submitted(alice, hsc331)
    client.force_login(carol)  # the IQA reads the conversation and writes nothing in it
    response = client.post(
        reverse("assessments:evidence_comment", args=[evidence.pk]), {"text": "Well done."}
    )
    assert response.status_code == 403
    page = response.content.decode()
    text = _text(response)
    assert "<title>You cannot do that here · Evidence portfolio</title>" in page
    assert "You cannot do that here" in text
    assert "Only the candidate and their assessor write in the conversation about evidence." in text
    assert "Nothing was changed." in text
    assert f'href="{reverse("home")}"' in page and "Go to your home page" in text
    assert "Carol Clark" in text and 'id="main"' in page  # signed in, in the base layout
    assert "403 Forbidden" not in text


def test_a_page_not_found_says_so_in_the_sites_layout_and_tells_a_stranger_nothing(client, alice, bob, hsc331):
    """Another candidate's evidence and an id nobody has answer the same page: a stranger cannot
    tell them apart (an outside trial saw Django's own 404, and with DEBUG on its list of every URL)."""
    evidence = submitted(alice, hsc331)
    stranger = type(bob).objects.create_user(email="stranger@example.org", password="x" * 16, first_name="Sid", last_name="Stone")
    client.force_login(stranger)
    pages = [client.get(reverse("assessments:evidence_detail", args=[pk])) for pk in (evidence.pk, evidence.pk + 999)]
    assert [page.status_code for page in pages] == [404, 404]
    texts = [_text(page) for page in pages]
    assert texts[0] == texts[1]
    assert "Page not found" in texts[0] and "not open to you" in texts[0]
    assert "Sid Stone" in texts[0] and 'id="main"' in pages[0].content.decode()
    assert f'href="{reverse("home")}"' in pages[0].content.decode()
    assert evidence.reference not in texts[0] and "Alice" not in texts[0]


def test_a_server_error_page_stands_alone_and_says_work_may_not_be_saved(client):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = _text(response)
    assert "Something went wrong" in text and "may not have been saved" in text
