"""The fingerprint a page offering "all N matching" carries: the database's count of the rows and
Python's of the ids read agree, and a set changed while keeping its size is told apart."""

import pytest

from portfolio.ids import fingerprint_counted, fingerprint_of_ids
from portfolio.models import Centre
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_the_database_and_python_fingerprint_the_same_rows_alike():
    made = [CentreFactory(code=f"c{n}") for n in range(6)]
    rows = Centre.objects.filter(pk__in=[c.pk for c in made[1:5]])
    assert fingerprint_counted(rows).fingerprint == fingerprint_of_ids(c.pk for c in made[1:5])
    assert fingerprint_counted(Centre.objects.none()).fingerprint == fingerprint_of_ids([])


def test_the_rows_taken_are_counted_and_fingerprinted_and_those_left_counted_in_one_query(django_assert_num_queries):
    made = [CentreFactory(code=f"c{n}") for n in range(6)]
    rows = Centre.objects.filter(pk__in=[c.pk for c in made[:5]])
    with django_assert_num_queries(1):
        figures = fingerprint_counted(rows, by="code", taken=["c1", "c3"])
    assert (figures.count, figures.others) == (2, 3)
    assert figures.fingerprint == fingerprint_of_ids([made[1].pk, made[3].pk])


def test_a_set_of_the_same_size_or_sum_with_other_ids_differs():
    assert fingerprint_of_ids([1, 2, 3]) == fingerprint_of_ids([3, 1, 2])  # order is not a change
    assert fingerprint_of_ids([1, 4]) != fingerprint_of_ids([2, 3])  # same size and sum
    assert fingerprint_of_ids([1, 2]) != fingerprint_of_ids([1, 3])
    assert fingerprint_of_ids([10**12, 7]) != fingerprint_of_ids([10**12 + 1, 6])
