"""The centre generator: the sizes asked for, the same centre from the same seed, real files with
their true digests, signed sign-offs that verify, and never a run on a database in use."""

import hashlib
import importlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assessments import integrity
from assessments.models import Decision, JudgedEnrolment, Judgement, SignOff
from ops.generated_centre import CentreGenerator, CentreSize, ensure_standards
from portfolio.models import (
    Centre,
    Declaration,
    Enrolment,
    Evidence,
    EvidenceFile,
    EvidenceState,
    Membership,
    Person,
    Role,
)
from standards.models import Unit
from tests.factories import CentreFactory, PersonFactory

pytestmark = pytest.mark.django_db

TINY = {"assessors": 2, "candidates": 6, "enrolments": 2, "evidence": 5, "seed": 7}


def _generate(**options) -> None:
    call_command("generate_centre", **{**TINY, **options}, stdout=_Quiet())


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


def _planned(seed: int) -> list[tuple[str, str, str]]:
    """The evidence a generator would write for TINY, without writing anything."""
    ensure_standards()
    size = CentreSize(assessors=2, candidates=6, enrolments=2, evidence=5)
    generator = CentreGenerator(size, seed)
    generator.plan_people()
    return [(e.title, e.state, e.method) for batch in generator.plan_batches() for e in batch.evidence]


def test_it_makes_the_people_enrolments_and_evidence_asked_for():
    _generate()
    assert Centre.objects.count() == 1
    roles = {role: Membership.objects.filter(role=role).count() for role in Role.values}
    assert roles == {Role.CANDIDATE: 6, Role.ASSESSOR: 2, Role.IQA: 1, Role.ADMINISTRATOR: 2, Role.EQA: 0}
    assert Enrolment.objects.count() == 12  # two units each
    assert Evidence.objects.count() == 30
    assert EvidenceFile.objects.count() == 30
    for candidate in Person.objects.filter(memberships__role=Role.CANDIDATE):
        assert sorted(candidate.evidence.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_it_loads_the_standards_when_they_are_missing():
    Unit.objects.all().delete()
    _generate()
    assert Enrolment.objects.filter(unit__code="HSC331").count() == 6
    assert Enrolment.objects.filter(unit__code="H3 25").count() == 6


def test_the_states_carry_the_records_each_state_needs():
    _generate()
    states = set(Evidence.objects.values_list("state", flat=True))
    assert EvidenceState.ACCEPTED in states and len(states) >= 3
    for evidence in Evidence.objects.prefetch_related("judgements", "declarations", "criteria"):
        outcomes = [j.outcome for j in evidence.judgements.all()]
        assert evidence.criteria.all(), evidence
        if evidence.state == EvidenceState.ACCEPTED:
            assert outcomes[-1:] == [Judgement.Outcome.ACCEPTED]
        elif evidence.state == EvidenceState.REFERRED:
            assert outcomes == [Judgement.Outcome.REFERRED]
        else:
            assert outcomes == []
        if evidence.state == EvidenceState.DRAFT:
            assert not evidence.declarations.exists() and evidence.submitted_at is None
    for decision in Decision.objects.prefetch_related("evidence"):
        assert {e.state for e in decision.evidence.all()} == {EvidenceState.ACCEPTED}
        assert all(decision.decided_on >= e.activity_date for e in decision.evidence.all())
    assert Declaration.objects.exists()


def test_the_same_seed_makes_the_same_centre_and_another_seed_another():
    first, again, other = _planned(7), _planned(7), _planned(8)
    assert first == again
    assert first != other
    _generate()
    written = list(
        Evidence.objects.order_by("candidate_id", "number").values_list("title", "state", "method")
    )
    assert written == first


def test_every_file_is_stored_with_the_digest_of_its_bytes():
    _generate(files_per_evidence=2)
    files = list(EvidenceFile.objects.all())
    assert len(files) == 60
    assert len({f.storage_key for f in files}) == 60
    for evidence_file in files:
        with evidence_file.file.open("rb") as stored:
            content = stored.read()
        assert hashlib.sha256(content).hexdigest() == evidence_file.sha256
        assert len(content) == evidence_file.size


def test_sign_offs_are_signed_like_the_service_signs_them():
    _generate(signed_off_percent=100)
    sign_offs = list(SignOff.objects.select_related("enrolment"))
    assert sign_offs
    for sign_off in sign_offs:
        assert integrity.verify(sign_off) == []


def test_signed_off_units_have_their_scope_covered_or_said_not_to_apply():
    _generate(signed_off_percent=100, candidates=12)
    sign_offs = list(SignOff.objects.filter(enrolment__unit__code="HSC331").prefetch_related("scope_not_applicable"))
    assert sign_offs
    for sign_off in sign_offs:
        scope = {row["category"]: row for row in sign_off.manifest["scope"]}
        assert list(scope) == ["Communicate", "Danger", "Harm and abuse", "Key people", "Risks"]
        for row in scope.values():
            assert bool(row["covered_by"]) != bool(row["not_applicable"]), row
        reasons = {r.category.name: r.reason for r in sign_off.scope_not_applicable.all()}
        assert reasons == {name: row["not_applicable"] for name, row in scope.items() if row["not_applicable"]}
        assert integrity.verify(sign_off) == []
    # Both ways happen: a category covered by the assessor's record, and one that does not apply.
    rows = [row for sign_off in sign_offs for row in sign_off.manifest["scope"]]
    assert any(row["covered_by"] for row in rows) and any(row["not_applicable"] for row in rows)
    assert Judgement.scope_items.through.objects.exists()


def test_it_refuses_a_database_with_a_centre_or_people_in_it():
    CentreFactory()
    with pytest.raises(CommandError, match="empty database"):
        _generate()
    assert Evidence.objects.count() == 0


def test_it_refuses_a_database_with_people_in_it_even_without_a_centre():
    PersonFactory()
    with pytest.raises(CommandError, match="empty database"):
        _generate()
    assert Centre.objects.count() == 0


def test_it_runs_beside_superusers():
    Person.objects.create_superuser(email="admin@example.org", password="x", first_name="A", last_name="B")
    _generate()
    assert Centre.objects.count() == 1


def test_the_rows_written_in_pages_are_all_there_and_point_at_the_right_records():
    """Mappings, declarations, audit events and notifications go in without bulk_create
    (ops/generated_centre/fast_insert.py): every row counted is in the database, tied to its
    evidence, its person and its time."""
    from portfolio.models import AuditEvent, Notification

    generator = CentreGenerator(CentreSize(assessors=2, candidates=6, enrolments=2, evidence=5), 7)
    ensure_standards()
    generator.plan_people()
    counts = generator.write()

    assert AuditEvent.objects.count() == counts["audit_events"] > 0
    assert Notification.objects.count() == counts["notifications"] > 0
    assert Declaration.objects.count() == counts["declarations"] > 0
    through = (Evidence.criteria.through, Evidence.knowledge_items.through, Evidence.scope_items.through)
    assert sum(model.objects.count() for model in through) == counts["mappings"]
    assert not Evidence.objects.filter(criteria=None).exists()  # every item proves a criterion
    for declaration in Declaration.objects.select_related("evidence"):
        assert declaration.declared_by_id == declaration.evidence.candidate_id
    submitted = AuditEvent.objects.filter(action="portfolio.evidence.submitted").select_related("evidence")
    assert submitted and all(event.evidence.candidate_id == event.candidate_id == event.actor_id for event in submitted)
    assert all(event.at <= generator.now for event in AuditEvent.objects.all())
    assert not AuditEvent.objects.filter(centre=None).exists()


def test_each_judgement_bears_on_the_units_its_evidence_is_mapped_to_as_the_service_records_them():
    """The decisions report counts judgements by the units they bore on: the generator writes those
    rows itself, and they are what the migration that fills them for earlier judgements finds."""
    _generate()
    written = set(JudgedEnrolment.objects.values_list("judgement_id", "enrolment_id", "assessor_id", "judged_at", "outcome"))
    assert written and {j for j, *_ in written} == set(Judgement.objects.values_list("pk", flat=True))
    JudgedEnrolment.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(importlib.import_module("assessments.migrations.0020_judged_enrolments").RECORD_UNITS_JUDGED)
    assert set(JudgedEnrolment.objects.values_list("judgement_id", "enrolment_id", "assessor_id", "judged_at", "outcome")) == written


def test_its_decisions_are_counted_as_the_services_keep_them():
    from assessments import met_counts

    _generate()
    centre = Centre.objects.get()
    kept = met_counts.kept_counts(centre)
    assert kept == met_counts.live_counts(centre) and kept.by_enrolment and kept.by_criterion


def test_its_audit_trail_is_chained_and_sealed_across_batches_as_the_portfolio_writes_one(monkeypatch):
    from ops.generated_centre import generator as generating
    from portfolio import audit, audit_chain
    from portfolio.audit import PortfolioAction
    from portfolio.models import AuditEvent

    monkeypatch.setattr(generating, "CANDIDATES_PER_BATCH", 2)  # three batches, each following the last
    _generate()
    centre = Centre.objects.get()
    audit.record(PortfolioAction.CENTRE_RENAMED, actor=None, centre=centre, summary="Renamed after it was made")

    events = AuditEvent.objects.filter(centre=centre)
    assert events.count() > 20 and not events.filter(seal=None).exists()
    assert events.filter(previous=None).count() == 1
    assert list(audit_chain.centre_problems(centre)) == []
