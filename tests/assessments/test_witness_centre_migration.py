"""The migration that gives each witness a centre (issue 16: centres are walled): a witness who
testified for a candidate at two centres becomes one row at each, holding that centre's testimony
and what the witness said of themselves there (from that centre's audit trail)."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import TestimonyRequest, Witness
from portfolio.models import AuditEvent, Role
from tests import cast
from tests.factories import enrol, load_standards, member
from tests.migrating import latest, migrate_to

BEFORE = [("assessments", "0015_fixity_visit_pack")]


def _testimony(old, witness, enrolment, asker, n: int, job_role: str):
    now = timezone.now() + datetime.timedelta(minutes=n)
    request = old.get_model("assessments", "TestimonyRequest").objects.create(
        enrolment_id=enrolment.pk, witness_name="Wendy Walsh", witness_email="wendy@care.example.org",
        token_digest=f"{n}" * 64, requested_by_id=asker.pk, requested_at=now,
        expires_at=now + datetime.timedelta(days=14), used_at=now, witness_id=witness.pk,
    )
    AuditEvent.objects.create(
        action="assessments.testimony.given", centre_id=enrolment.centre_id, enrolment=enrolment,
        candidate=enrolment.candidate, summary="Wendy Walsh gave witness testimony",
        after={"request": request.pk, "witness": {
            "name": "Wendy Walsh", "job_role": job_role, "relationship": "Line manager",
            "email": "wendy@care.example.org", "expert": False, "expertise": "",
        }},
    )


@pytest.mark.django_db(transaction=True)
def test_a_witness_at_two_centres_becomes_one_at_each_with_what_they_said_there():
    newest = latest()
    try:
        old = migrate_to(BEFORE)
        load_standards()
        riverside, hillside = cast.riverside(), cast.hillside()
        alice = member(riverside, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
        bob = member(riverside, Role.ASSESSOR, email="bob@example.org")
        carol = member(riverside, Role.IQA, email="carol@example.org")
        hal = member(hillside, Role.ASSESSOR, email="hal@example.org")
        iris = member(hillside, Role.IQA, email="iris@example.org")
        here = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=riverside)
        there = enrol(alice, "HSC331", assessor=hal, iqa=iris, centre=hillside)
        witness = old.get_model("assessments", "Witness").objects.create(
            candidate_id=alice.pk, name="Wendy Walsh", job_role="Hillside night carer", relationship="Line manager",
            email="wendy@care.example.org",
        )
        _testimony(old, witness, here, bob, 1, "Riverside team leader")
        _testimony(old, witness, there, hal, 2, "Hillside night carer")
    finally:
        migrate_to(newest)

    rows = {w.centre.code: w for w in Witness.objects.select_related("centre")}
    assert set(rows) == {"riverside", "hillside"}
    assert rows["riverside"].job_role == "Riverside team leader"
    assert rows["hillside"].job_role == "Hillside night carer"
    for code, witness in rows.items():
        centres = set(TestimonyRequest.objects.filter(witness=witness).values_list("enrolment__centre__code", flat=True))
        assert centres == {code}
