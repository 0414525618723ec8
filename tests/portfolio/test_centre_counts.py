"""The centre page's people counts agree (issue 16, an outside trial's finding): the role filter said
"All roles (8)" while the list under it said "11 people", the 3 deactivated counted in one and not
the other. Each choice now gives the number of people it lists, the deactivated are a choice of
their own, and the list's count says how many of those shown are deactivated."""

import re

import pytest
from django.urls import reverse

from portfolio.models import Role
from portfolio.services_people import membership_deactivate
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_with_leavers(centre, grace, alice, bob, carol):
    """Grace, Alice, Bob and Carol active; three candidates deactivated, one of them on a unit."""
    leavers = [member(centre, Role.CANDIDATE, first_name=name, last_name="Leaver") for name in ("Lee", "Lou", "Lyn")]
    enrol(leavers[0], "HSC331", assessor=bob, iqa=carol, centre=centre)
    for leaver in leavers:
        membership_deactivate(centre=centre, person=leaver, deactivated_by=grace, reason="Left the centre.")
    return centre


def _page(client, centre, **query) -> str:
    response = client.get(reverse("assessments:centre_detail", args=[centre.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def _choices(page: str) -> dict[str, tuple[str, int]]:
    """The role filter's choices: value -> (words, number)."""
    select = page[page.index('id="centre-role"') : page.index("</select>")]
    return {
        value: (label, int(count))
        for value, label, count in re.findall(r'<option value="([^"]*)"[^>]*>(.*?) \((\d+)\)</option>', select)
    }


def _people_said(page: str) -> str:
    """The sentence under the People heading."""
    after = page[page.index('id="people-heading"') :]
    return " ".join(re.search(r"<p[^>]*>(.*?)</p>", after, re.S).group(1).split())


def _people_listed(page: str) -> list[str]:
    people = page[page.index('id="people-heading"') : page.index('id="enrolments-heading"')]
    return re.findall(r'<th scope="row" class="fw-normal">([^<]+?)(?: <span|</th>)', people)


def test_every_choice_counts_the_people_it_lists(client, grace, centre_with_leavers):
    client.force_login(grace)
    choices = _choices(_page(client, centre_with_leavers))

    assert choices[""] == ("Everyone, deactivated too", 7)
    assert choices["deactivated"] == ("Deactivated", 3)
    for value, (label, count) in choices.items():
        page = _page(client, centre_with_leavers, role=value)
        assert _people_said(page).startswith(f"{count} "), (label, _people_said(page))
        assert len(_people_listed(page)) == count, label


def test_the_list_says_how_many_it_shows_are_deactivated(client, grace, centre_with_leavers):
    client.force_login(grace)

    assert _people_said(_page(client, centre_with_leavers)) == "7 people: 4 active, 3 deactivated"
    assert _people_said(_page(client, centre_with_leavers, q="leaver")) == (
        "3 people matching “leaver”: 0 active, 3 deactivated"
    )
    assert _people_said(_page(client, centre_with_leavers, role=Role.CANDIDATE)) == (
        "1 candidate, not counting those deactivated (listed apart under “Deactivated”)"
    )


def test_the_deactivated_choice_lists_them_and_the_units_of_theirs(client, grace, centre_with_leavers):
    client.force_login(grace)

    page = _page(client, centre_with_leavers, role="deactivated")

    assert _people_said(page) == "3 deactivated people"
    assert _people_listed(page) == ["Lee Leaver", "Lou Leaver", "Lyn Leaver"]
    enrolments = page[page.index('id="enrolments-heading"') :]
    assert "1 enrolment" in enrolments
    assert "Lee Leaver</a> (deactivated)" in enrolments
    assert "Alice Adams" not in enrolments


def test_with_nobody_deactivated_there_is_no_deactivated_choice(client, grace, alice, bob, carol, centre):
    client.force_login(grace)
    page = _page(client, centre)

    assert "deactivated" not in _choices(page)
    assert _people_said(page) == "4 people"
    assert _people_said(_page(client, centre, role=Role.ASSESSOR)) == "1 assessor"
