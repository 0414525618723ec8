"""The centre page's people narrowed to a role: the number it says is the number it lists, page by
page. That number is the role's memberships counted for the role choices, not a second count of the
people (which walked every person at a large centre)."""

import re

import pytest
from django.urls import reverse

from portfolio.models import Membership, Role
from portfolio.services_people import membership_deactivate
from portfolio.views import centre as centre_views
from tests.factories import member

pytestmark = pytest.mark.django_db


def people_section(client, centre, **query) -> str:
    response = client.get(reverse("assessments:centre_detail", args=[centre.pk]), query)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="people-heading"') : page.index('id="enrolments-heading"')]


def test_the_candidates_listed_are_as_many_as_it_says_over_every_page(
    client, monkeypatch, grace, centre, other_centre
):
    monkeypatch.setattr(centre_views, "PAGE_SIZE", 2)
    for name in ("Ada", "Ben", "Cat"):
        member(centre, Role.CANDIDATE, first_name=name, last_name="Listed")
    gone = member(centre, Role.CANDIDATE, first_name="Dan", last_name="Gone")
    membership_deactivate(centre=centre, person=gone, deactivated_by=grace, reason="Left the centre.")
    member(other_centre, Role.CANDIDATE, first_name="Eve", last_name="Elsewhere")
    client.force_login(grace)

    first = people_section(client, centre, role=Role.CANDIDATE)
    said = int(re.search(r"(\d+) candidates?\b", first).group(1))
    pages = [
        people_section(client, centre, role=Role.CANDIDATE, people_page=n)
        for n in range(1, (said + 1) // 2 + 1)
    ]
    rows = [
        name
        for page in pages
        for name in re.findall(r'<th scope="row" class="fw-normal">([^<]+?)\s*(?:<|$)', page)
    ]

    assert len(rows) == len(set(rows)) == said  # every one listed once, and no more than it says
    assert {"Ada Listed", "Ben Listed", "Cat Listed"} <= set(rows)
    assert "Dan Gone" not in rows and "Eve Elsewhere" not in rows
    assert "Next" in pages[0] and "Next" not in pages[-1]


def test_everyone_listed_is_as_many_as_it_says_the_deactivated_included(
    client, monkeypatch, grace, centre, other_centre
):
    monkeypatch.setattr(centre_views, "PAGE_SIZE", 2)
    gone = member(centre, Role.CANDIDATE, first_name="Dan", last_name="Gone")
    membership_deactivate(centre=centre, person=gone, deactivated_by=grace, reason="Left the centre.")
    back = member(centre, Role.CANDIDATE, first_name="Bea", last_name="Back")
    membership_deactivate(centre=centre, person=back, deactivated_by=grace, reason="Left the centre.")
    Membership.objects.create(
        person=back, centre=centre, role=Role.ASSESSOR
    )  # a role again since: listed once
    member(other_centre, Role.CANDIDATE, first_name="Eve", last_name="Elsewhere")
    client.force_login(grace)

    first = people_section(client, centre)
    said = int(re.search(r"(\d+) (?:people|person)\b", first).group(1))
    pages = [people_section(client, centre, people_page=n) for n in range(1, (said + 1) // 2 + 1)]
    rows = [
        name
        for page in pages
        for name in re.findall(r'<th scope="row" class="fw-normal">([^<]+?)\s*(?:<|$)', page)
    ]

    assert len(rows) == len(set(rows)) == said
    assert {"Dan Gone", "Bea Back", grace.get_full_name()} <= set(rows)
    assert "Eve Elsewhere" not in rows
