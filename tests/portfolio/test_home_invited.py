"""The administrator's home counts each role's people invited and not yet accepted beside those who
hold it (a new centre's people are all invited first: "Candidates 0" alone misled), each linked to
the centre page's waiting invitations of that role, at the same cost however many are invited."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import Role
from portfolio.services_centre import person_add
from portfolio.services_centre_invitations import invitation_cancel

pytestmark = pytest.mark.django_db


def invite(centre, grace, role: str, n: int):
    return person_add(centre=centre, added_by=grace, email=f"{role}{n}@example.org", first_name="New",
                      last_name=f"{role.title()} {n}", role=role)


def figures(client, grace) -> str:
    client.force_login(grace)
    page = client.get(reverse("home")).content.decode()
    dl = page[page.index("<dl"):page.index("</dl>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dl)).split())


def test_it_shows_each_roles_invited_beside_its_count_linked_to_the_waiting_invitations(client, grace, centre):
    for n in range(3):
        invite(centre, grace, Role.CANDIDATE, n)
    invite(centre, grace, Role.IQA, 0)
    cancelled = invite(centre, grace, Role.ASSESSOR, 0)
    invitation_cancel(invitation=cancelled, cancelled_by=grace)

    shown = figures(client, grace)

    # Nobody has accepted yet; the withdrawn assessor is not counted.
    assert shown == "Candidates 0 3 invited candidates not yet accepted Assessors 0 IQAs 0 1 invited IQA not yet accepted Enrolments 0"
    client.force_login(grace)
    page = client.get(reverse("home")).content.decode()
    centre_page = reverse("assessments:centre_detail", args=[centre.pk])
    assert f'href="{centre_page}?role=candidate#invitations-heading">3 invited' in page
    assert f'href="{centre_page}?role=iqa#invitations-heading">1 invited' in page


def test_it_says_nothing_of_invitations_when_none_wait(client, grace, centre):
    assert "invited" not in figures(client, grace)


def test_the_invited_counts_cost_no_query_more_for_more_invited(client, grace, centre):
    client.force_login(grace)
    invite(centre, grace, Role.CANDIDATE, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(1, 30):
        invite(centre, grace, Role.CANDIDATE if n % 3 else Role.ASSESSOR, n)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))

    assert len(many) == len(few)
