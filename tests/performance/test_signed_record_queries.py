"""Checking a signed record against the database (what every unit page, countersign page and IQA
review shows) reads in a fixed number of queries, however many evidence items the record holds: it
read each item's declarations and judgements one item at a time, two queries an item, until the
benchmark's unit page at 1,000 candidates showed 101 queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import integrity
from assessments.models import SignOff
from ops.generated_centre import CentreGenerator, CentreSize, ensure_standards

pytestmark = pytest.mark.django_db


def test_checking_a_signed_record_reads_the_same_queries_for_few_items_or_many():
    ensure_standards()
    generator = CentreGenerator(CentreSize(assessors=2, candidates=8, evidence=20, signed_off_percent=70), 11)
    generator.plan_people()
    generator.write()
    sign_offs = sorted(SignOff.objects.all(), key=lambda s: len(s.manifest["evidence"]))
    fewest, most = sign_offs[0], sign_offs[-1]
    assert len(most.manifest["evidence"]) >= len(fewest.manifest["evidence"]) + 3

    counts = []
    for sign_off in (fewest, most):
        with CaptureQueriesContext(connection) as queries:
            report = integrity.check(sign_off, read_files=False)
        assert report.intact, report.problems
        counts.append(len(queries))

    # At most one more: the scope items are read only for a record that covered some scope. Two
    # queries an item would add six or more.
    assert counts[1] <= counts[0] + 1
