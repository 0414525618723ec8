"""The site speaks GET, HEAD and POST (config/methods.py): every other method is refused with 405
before any view runs, and changes nothing; every page a person may read answers HEAD as it answers
GET (a download checked by a phone, a link checker), with no body."""

import pytest
from django.urls import reverse

from tests.test_access_matrix import OK, PERSONAS, ROWS, World, _records

pytestmark = pytest.mark.django_db

OTHER_METHODS = ("PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND")


def _reader(row) -> str | None:
    """Someone who may read the row's page, to ask it with another method."""
    by = row.methods.get("GET") or {}
    return next((persona for persona in PERSONAS if by.get(persona) == OK), None)


READABLE = [pytest.param(row, id=row.name) for row in ROWS if _reader(row)]


@pytest.mark.parametrize("row", READABLE)
def test_other_methods_are_refused_before_the_view_and_change_nothing(client, row):
    world = World()
    persona = _reader(row)
    if persona != "anonymous":
        client.force_login(world[persona])
    url = reverse(row.name, kwargs=row.kwargs(world))
    before = _records()

    for method in OTHER_METHODS:
        response = client.generic(method, url)
        assert response.status_code == 405, f"{method} {url}: {response.status_code}"
        assert response["Allow"] == "GET, HEAD, POST"

    assert _records() == before


@pytest.mark.parametrize("row", READABLE)
def test_a_readable_page_answers_head_as_it_answers_get(client, row):
    world = World()
    persona = _reader(row)
    if persona != "anonymous":
        client.force_login(world[persona])
    url = reverse(row.name, kwargs=row.kwargs(world))

    got, head = client.get(url), client.head(url)

    assert head.status_code == got.status_code == 200, f"HEAD {url}: {head.status_code}"
    assert head["Content-Type"] == got["Content-Type"]
    assert b"".join(got) if got.streaming else got.content, f"GET {url} sent nothing"
    assert not b"".join(head) if head.streaming else not head.content
