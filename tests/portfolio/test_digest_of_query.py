"""The digest a page of "all N matching" carries is the same whether the database joined the keys
(PostgreSQL) or Python did: the form posted back is checked against the units read in Python."""

import pytest

from portfolio.ids import digest_of_ids, digest_of_query
from portfolio.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_digest_of_a_query_is_the_digest_of_its_keys_in_any_order():
    people = [PersonFactory() for _ in range(12)]
    chosen = Person.objects.filter(pk__in=[p.pk for p in people[::2]]).order_by("-last_name")
    assert digest_of_query(chosen) == digest_of_ids(reversed([p.pk for p in people[::2]]))
    assert digest_of_query(chosen) != digest_of_query(Person.objects.filter(pk__in=[p.pk for p in people[1::2]]))
    # Keys 9 and 10 sort as numbers, not as text ("10" < "9").
    assert digest_of_ids([10, 9]) == digest_of_ids([9, 10])


def test_nothing_matching_has_the_digest_of_no_keys():
    assert digest_of_query(Person.objects.filter(pk=-1)) == digest_of_ids([])
    assert digest_of_query(Person.objects.none()) == digest_of_ids([])
