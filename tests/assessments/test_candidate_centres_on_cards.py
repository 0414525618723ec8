"""A candidate at two centres, on the same unit at each, saw two identical unit cards (tester's
finding): the cards name the centre when the candidate is at more than one, and only then."""

import pytest

from portfolio.models import Role
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


def test_the_unit_cards_name_the_centre_only_for_a_candidate_at_two(client, centre, other_centre, alice, bob, carol, frank):
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    client.force_login(alice)
    one = client.get("/").content.decode()
    assert "unit-centre" not in one

    assessor = member(other_centre, Role.ASSESSOR, first_name="Hal", last_name="Hill", email="hal@example.org")
    iqa = member(other_centre, Role.IQA, first_name="Iris", last_name="Hill", email="iris@example.org")
    enrol(alice, "HSC331", assessor=assessor, iqa=iqa, centre=other_centre)
    two = client.get("/").content.decode()

    assert two.count('class="small fw-semibold mb-1 unit-centre"') == 2
    assert f"At {centre.name}" in two and f"At {other_centre.name}" in two
