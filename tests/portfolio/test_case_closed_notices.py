"""A candidate whose unit's people were changed in the database (`portfolio.case_seals`) is told on
their home that the unit is closed for now, in place of its card: named, never opened, and nobody
on it named. The person a changed row names as its candidate is believed only where the seal says
another column changed: a unit moved to Dave in SQL tells Dave nothing, and tells Alice, whose it is.

Alice is on HSC331 and H3 25 (Bob assesses, Carol quality-assures); Dave is another candidate, Erin
another assessor."""

import pytest
from django.urls import reverse

from portfolio import case_seals
from portfolio.case_closed_notices import closed_units_of
from portfolio.models import Enrolment
from tests.assessments.judging_people import submitted

pytestmark = pytest.mark.django_db

NOTICE = ("H3 25 Work within appropriate boundaries with customers is closed for now: the people on it were changed "
          "outside the portfolio. Your centre’s administrators have been told; your evidence is kept.")


def _moved_in_sql(enrolment: Enrolment, **columns) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(**columns)


def _home(client, person) -> str:
    client.force_login(person)
    return " ".join(client.get(reverse("home")).content.decode().split())


def test_the_candidate_is_told_their_unit_is_closed_without_a_link_or_a_name(client, alice, erin, hsc331, h3_25):
    submitted(alice, h3_25, title="Agreeing contact", criteria=("H3 25.1",))
    _moved_in_sql(h3_25, assessor=erin)

    home = _home(client, alice)  # her own request finds the case changed and marks it

    assert Enrolment.objects.get(pk=h3_25.pk).case_seal_broken_at is not None
    assert NOTICE in home
    assert reverse("assessments:enrolment_detail", args=[h3_25.pk]) not in home
    assert "Erin" not in home  # who the row now names is not said
    assert reverse("assessments:enrolment_detail", args=[hsc331.pk]) in home  # her other unit as before
    assert "You are not registered on any unit yet" not in home


def test_with_only_a_closed_unit_she_is_not_told_she_has_none(client, alice, erin, h3_25):
    _moved_in_sql(h3_25, iqa=erin)
    home = _home(client, alice)
    assert NOTICE in home
    assert "You are not registered on any unit yet" not in home


def test_a_unit_moved_to_another_candidate_tells_the_new_name_nothing(client, alice, dave, daves_unit, h3_25):
    _moved_in_sql(h3_25, candidate=dave)

    home = _home(client, dave)  # Dave's request marks it: the row names him

    assert Enrolment.objects.get(pk=h3_25.pk).case_seal_broken_at is not None
    assert "closed for now" not in home and "H3 25" not in home
    assert closed_units_of(dave) == []


def test_the_real_candidate_of_a_unit_moved_to_another_name_is_told_by_the_seal(client, alice, dave, hsc331, h3_25):
    _moved_in_sql(h3_25, candidate=dave)
    case_seals.check_every_enrolment()
    assert NOTICE in _home(client, alice)
    assert "Dave" not in _home(client, alice)


def test_a_case_put_back_is_a_card_again_and_the_notice_goes(client, alice, bob, erin, h3_25):
    _moved_in_sql(h3_25, assessor=erin)
    assert NOTICE in _home(client, alice)
    _moved_in_sql(h3_25, assessor=bob)
    home = _home(client, alice)
    assert "closed for now" not in home
    assert reverse("assessments:enrolment_detail", args=[h3_25.pk]) in home


def test_another_candidates_changed_unit_is_not_told_to_her(alice, bob, dave, daves_unit, hsc331):
    _moved_in_sql(daves_unit, assessor=bob)
    case_seals.check_every_enrolment()
    assert closed_units_of(alice) == []
    assert [closed.code for closed in closed_units_of(dave)] == ["HSC331"]


def test_the_candidates_part_is_read_in_one_query(django_assert_num_queries, alice, hsc331, h3_25):
    with django_assert_num_queries(1):
        assert closed_units_of(alice) == []
