"""The tables of candidates' units (outside trials' findings): an assessor at two centres sees each
row's centre named, on their home and on the full list (deactivated candidates' units too), and an
assessor at one centre sees the table as before; the unit reads the same in every table (code,
version and validity, title), from one include."""

import html
import re

import pytest
from django.urls import reverse

from portfolio.models import DeactivatedMembership, Membership, Role
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

LIST = reverse("assessments:candidate_units")


def words(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def table_of(client, person, url: str) -> str:
    client.force_login(person)
    page = client.get(url).content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", table)).split())


@pytest.fixture
def at_two_centres(centre, other_centre, alice, bob, carol, hsc331):
    """Bob assesses Alice on HSC331 at Riverside and Dora on HSC331 at Hillside."""
    dora = member(other_centre, Role.CANDIDATE, first_name="Dora", last_name="Dunn")
    iqa = member(other_centre, Role.IQA, first_name="Ivy", last_name="Ince")
    return enrol(dora, "HSC331", assessor=bob, iqa=iqa, centre=other_centre)


@pytest.mark.parametrize("url", [LIST, reverse("home")])
def test_an_assessor_at_two_centres_sees_each_rows_centre(client, bob, at_two_centres, url):
    table = table_of(client, bob, url)

    assert "Candidate Unit Centre Target date" in table
    assert re.search(r"Alice Adams HSC331 v\S+ · \w+ Support individuals .*? Riverside Training ", table)
    assert re.search(r"Dora Dunn HSC331 v\S+ · \w+ Support individuals .*? Hillside College ", table)


@pytest.mark.parametrize("url", [LIST, reverse("home")])
def test_an_assessor_at_one_centre_sees_no_centre_column(client, bob, hsc331, url):
    table = table_of(client, bob, url)

    assert "Candidate Unit Target date" in table
    assert "Riverside Training" not in table


def test_the_deactivated_candidates_units_name_the_centre_for_an_assessor_at_two(
    client, bob, grace, alice, centre, at_two_centres
):
    DeactivatedMembership.objects.create(
        person=alice, centre=centre, roles=[Role.CANDIDATE], deactivated_by=grace
    )
    Membership.objects.filter(person=alice, centre=centre, role=Role.CANDIDATE).delete()

    table = table_of(client, bob, f"{LIST}?show=deactivated")

    assert "Candidate Unit Centre Target date Where it stands" in table
    assert "Riverside Training" in table and "Dora Dunn" not in table


def test_the_unit_reads_the_same_in_the_assessors_table_and_the_centres_portfolios(
    client, bob, grace, hsc331
):
    assessors = table_of(client, bob, LIST)
    centres = table_of(client, grace, reverse("assessments:centre_portfolios", args=[hsc331.centre_id]))
    unit = (
        f"HSC331 v{hsc331.unit.version} · {hsc331.unit.get_validity_display()} Support individuals to develop"
    )

    assert unit in assessors
    assert unit in centres
