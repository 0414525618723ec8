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
