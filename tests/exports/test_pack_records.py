"""The visit pack's CSVs as an outside tester read them: every row of the IQA's records as wide as
its header, and the standardisation meetings carrying the units and evidence linked to each, in
words, within the scope of the EQA the pack is for (the others counted, not named, as the meeting's
page does).

Alice is on HSC331 and H3 25, Dave on HSC331; Carol is their IQA; Ivy is an EQA granted H3 25 only."""

import csv
import io

import pytest
from django.utils import timezone

from assessments.models import StandardisationMeeting
from exports.pack_contents import IQA_HEADER, iqa_records
from exports.pack_quality_records import standardisation
from exports.pack_sections import Sample
from tests.exports.signed_case import signed_case
from tests.factories import PersonFactory, eqa_grant

pytestmark = pytest.mark.django_db


def _rows(files) -> list[list[str]]:
    (_, content, _), = list(files)
    return list(csv.reader(io.StringIO(content.decode())))


def test_a_unit_the_iqa_has_not_sampled_has_a_full_row():
    case = signed_case().case
    rows = _rows(iqa_records(case.centre, Sample([case.dave_hsc331])))
    assert rows[0] == IQA_HEADER
    assert [len(row) for row in rows[1:]] == [len(IQA_HEADER)]
    assert rows[1][IQA_HEADER.index("outcome")] == "not sampled by the IQA"


def test_the_standardisation_records_name_the_linked_units_and_evidence_in_the_eqas_scope():
    signed = signed_case()
    case = signed.case
    ivy = PersonFactory(first_name="Ivy", last_name="Irwin")
    eqa_grant(case.centre, ivy, units=[case.h3_25.unit])
    meeting = StandardisationMeeting.objects.create(
        centre=case.centre, held_on=timezone.localdate(), looked_at="Two observations", outcome="Agreed",
        recorded_by=case.carol, recorded_at=timezone.now(),
    )
    meeting.attendees.set([case.bob, case.carol])
    meeting.units.set([case.h3_25, case.hsc331])
    meeting.evidence.set([signed.evidence[case.h3_25.pk], signed.evidence[case.hsc331.pk]])
    h3_25_evidence = signed.evidence[case.h3_25.pk]

    rows = list(csv.DictReader(io.StringIO(
        next(iter(standardisation(case.centre, Sample([case.h3_25], reader=ivy))))[1].decode()
    )))

    assert len(rows) == 1
    linked = rows[0]["units and evidence linked"]
    assert "H3 25 of Alice Adams" in linked
    assert f"{h3_25_evidence.reference} {h3_25_evidence.title} (Alice Adams)" in linked
    assert "HSC331" not in linked and "and 2 linked items outside your scope" in linked
    assert rows[0]["evidence or decisions looked at"] == "Two observations"
