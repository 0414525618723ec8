"""`manage.py backup` writes one consistent archive and `manage.py restore` puts it back on an empty
installation: every record, every file's bytes and every sign-off's signature come back intact, and
an archive altered in any file is refused before anything is loaded.

Alice is the candidate on HSC331, signed off by Bob and countersigned; Dave has a draft with a file;
Grace has exported Alice's unit (tests/assessments/unit_case.py).
"""

import io
import json
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments import integrity, record_seals
from assessments.models import FixityCheck, SignOff
from assessments.services import signoff
from exports import services as exports
from exports.models import BulkExport
from ops import backups
from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent, EvidenceUnit, Notification, Person
from tests.assessments.unit_case import accepted_evidence, build_case, meet, photo
from tests.ops.conftest import use_object_storage

# Restoring means emptying the database first, which a test's own transaction cannot hold.
pytestmark = pytest.mark.django_db(transaction=True)


def build_portfolio(*, with_export: bool = False) -> None:
    case = build_case()
    evidence = [
        accepted_evidence(case, title="Supporting a family visit", uploads=[photo("visit.png"), photo("plan.png", (40, 30))]),
        accepted_evidence(case, title="Reflecting on a friendship group", uploads=[photo("group.png")]),
    ]
    meet(case, case.hsc331, evidence)
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    signoff.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    services.evidence_create(
        candidate=case.dave, centre=case.centre, author=case.dave, title="A draft",
        method=AssessmentMethod.PRODUCT, activity_date=timezone.localdate(), uploads=[photo("draft.png")],
    )
    if with_export:  # drawing the unit's PDF takes a few seconds, so only where it matters
        # The worker's task runs at once in the tests, when the request's transaction commits.
        exports.bulk_export_request(
            centre=case.centre, administrator=case.grace, enrolments=[case.hsc331], description="Alice's HSC331"
        )
        assert BulkExport.objects.get().status == BulkExport.Status.DONE
    # Work still queued for the worker (the tests run tasks at once, so one is made by hand).
    DBTaskResult.objects.create(
        task_path="exports.tasks.build_bulk_export", args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default", run_after=timezone.now(), exception_class_path="", traceback="",
    )


def records_dump() -> tuple[str, str]:
    """Every record as dumpdata writes it, to compare whole. Standards are named by their references,
    not their ids, which a restore does not keep (it may find them already loaded)."""
    records, standards = io.StringIO(), io.StringIO()
    call_command(
        "dumpdata", exclude=[
            "contenttypes", "auth.permission", "sessions", "admin.logentry", "axes", "standards",
            "assessments.fixitycheck",  # compared on their own (`fixity_checks`): a restore adds its own
            "portfolio.evidenceunit",  # derived, not backed up: compared without ids (`evidence_units`)
        ],
        use_natural_foreign_keys=True, stdout=records, verbosity=0,
    )
    call_command(
        "dumpdata", "standards", use_natural_foreign_keys=True, use_natural_primary_keys=True, stdout=standards,
        verbosity=0,
    )
    return _without_the_count_of_checks(records.getvalue()), standards.getvalue()


def _without_the_count_of_checks(dump: str) -> str:
    """A sign-off counts its checks, under what came after it (`SignOff.checks_made`): the check a
    restore records adds one, and signs again. Compared apart (every restored sign-off verifies)."""
    rows = json.loads(dump)
    for row in rows:
        if row["model"] == "assessments.signoff":
            row["fields"].pop("checks_made")
            row["fields"].pop("after_signature")
    return json.dumps(rows)


def stored_bytes() -> dict[str, bytes]:
    files = {}
    for name in backups.stored_file_names():
        with default_storage.open(name, "rb") as handle:
            files[name] = handle.read()
    return files


def sign_off_records() -> Sequence[Mapping[str, object]]:
    return list(SignOff.objects.order_by("pk").values(
        "pk", "manifest", "decisions_digest", "signature", "candidate_signature", "assessor_signed_at",
        "candidate_signed_at",
    ))


def evidence_units() -> set[tuple]:
    """Which units each item bears on (`portfolio.EvidenceUnit`), which the database writes itself as
    the evidence and its mappings go back in: the same rows, under new ids."""
    fields = [f.attname for f in EvidenceUnit._meta.concrete_fields if not f.primary_key and f.name != "unit"]
    # The unit by its reference: a restore gives the standards new ids (`records_dump`).
    return set(EvidenceUnit.objects.values_list("unit__code", "unit__version", *fields))


def state() -> tuple:
    """What a restore must bring back as it was: every record, row count, stored file and signature,
    leaving out the checks of the sign-offs' files that the restore records itself."""
    counts = backups.row_counts()
    counts["assessments.fixitycheck"] -= FixityCheck.objects.filter(boundary=FixityCheck.Boundary.RESTORE).count()
    checks = list(FixityCheck.objects.exclude(boundary=FixityCheck.Boundary.RESTORE).order_by("pk").values())
    return records_dump(), counts, stored_bytes(), sign_off_records(), checks, evidence_units()


def wipe(evidence_root: Path) -> None:
    """An empty installation: the database flushed (as a fresh, migrated one), the storage emptied."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(evidence_root)
    evidence_root.mkdir()


def restore(path: Path) -> str:
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    return out.getvalue()


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def portfolio():
    build_portfolio()
    assert AuditEvent.objects.count() > 10


@pytest.fixture
def portfolio_with_export():
    build_portfolio(with_export=True)


def test_it_restores_every_record_file_and_signature_onto_an_empty_installation(
    portfolio_with_export, evidence_root, tmp_path
):
    before = state()
    assert before[-1], "the portfolio's evidence bears on its units"
    audit_events = list(AuditEvent.objects.order_by("pk").values())
    archive = tmp_path / "portfolio-backup.zip"

    printed = backup(archive)
    wipe(evidence_root)
    assert Person.objects.count() == AuditEvent.objects.count() == 0
    printed += restore(archive)

    [sign_off] = SignOff.objects.all()
    # Every standing sign-off's files are checked after the restore, and the check recorded.
    restored = FixityCheck.objects.filter(boundary=FixityCheck.Boundary.RESTORE)
    assert [(c.sign_off_id, c.intact, c.files_checked, c.requested_by) for c in restored] == [(sign_off.pk, True, 3, None)]
    assert state() == before
    assert list(AuditEvent.objects.order_by("pk").values()) == audit_events
    assert integrity.verify(sign_off) == []
    # The checks restored still verify (their signatures name the times to the microsecond).
    assert all(record_seals.check_is_believed(c) for c in FixityCheck.objects.all())
    assert "Every row count and file digest matches the backup, and every sign-off is intact." in printed


def test_it_writes_one_archive_with_the_data_every_stored_file_and_a_manifest(portfolio_with_export, tmp_path):
    archive_path = tmp_path / "portfolio-backup.zip"
    backup(archive_path)

    with zipfile.ZipFile(archive_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    stored = backups.stored_file_names()
    assert len(stored) == 5  # four evidence photos and the export's ZIP
    assert any(name.startswith("exports/") for name in stored)
    assert [entry["name"] for entry in manifest["files"]] == stored
    assert names == {
        "manifest.json", "signature.json", "data/standards.json", "data/records.json",
        *(f"files/{name}" for name in stored),
    }
    assert manifest["counts"] == backups.row_counts()
    assert manifest["counts"]["portfolio.auditevent"] == AuditEvent.objects.count()
    assert manifest["counts"]["django_tasks_database.dbtaskresult"] == 1
    for entry in manifest["files"]:
        with default_storage.open(entry["name"], "rb") as handle:
            assert entry["size"] == len(handle.read())
    assert archive_path.stat().st_mode & 0o077 == 0, "a backup holds personal data: owner-only"


def test_it_never_replaces_an_existing_backup(tmp_path):
    archive = tmp_path / "portfolio-backup.zip"
    archive.write_bytes(b"last night's backup")

    with pytest.raises(CommandError, match="already exists"):
        backup(archive)

    assert archive.read_bytes() == b"last night's backup"


def rewrite(archive_path: Path, member: str, new_bytes) -> None:
    """Copies the archive with one member's bytes replaced, the manifest left as it was."""
    altered = archive_path.with_suffix(".altered")
    with zipfile.ZipFile(archive_path) as source, zipfile.ZipFile(altered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, new_bytes(data) if info.filename == member else data)
    altered.replace(archive_path)


def flip_a_stored_byte(archive_path: Path, member: str) -> None:
    """Damages the archive on disk: one byte of a member's data changed, as a failing disk would."""
    with zipfile.ZipFile(archive_path) as archive:
        info = archive.getinfo(member)
    with archive_path.open("r+b") as raw:
        raw.seek(info.header_offset + 26)
        name_length, extra_length = int.from_bytes(raw.read(2), "little"), int.from_bytes(raw.read(2), "little")
        raw.seek(info.header_offset + 30 + name_length + extra_length + 40)
        byte = raw.read(1)
        raw.seek(-1, 1)
        raw.write(bytes([byte[0] ^ 0xFF]))


def changed_photo(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


@pytest.mark.parametrize(
    ("alter", "message"),
    [
        pytest.param(lambda path, member: rewrite(path, member, changed_photo), "does not match the backup's manifest", id="file-replaced"),
        pytest.param(flip_a_stored_byte, "is damaged in the archive", id="file-damaged-on-disk"),
    ],
)
def test_it_refuses_an_altered_archive_before_loading_anything(portfolio, evidence_root, tmp_path, alter, message):
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    photo_member = next(f"files/{name}" for name in backups.stored_file_names() if name.startswith("evidence/"))
    wipe(evidence_root)
    alter(archive, photo_member)

    with pytest.raises(CommandError, match=message) as refused:
        restore(archive)

    assert photo_member in str(refused.value) and "nothing was restored" in str(refused.value)
    assert Person.objects.count() == AuditEvent.objects.count() == SignOff.objects.count() == 0
    assert [path for path in evidence_root.rglob("*") if path.is_file()] == []


def test_it_refuses_to_restore_over_an_installation_that_has_data(portfolio, tmp_path):
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    before = (records_dump(), stored_bytes())

    with pytest.raises(CommandError, match="already holds portfolio data") as refused:
        restore(archive)

    assert "9 portfolio.person" in str(refused.value)  # the cast's nine people
    assert (records_dump(), stored_bytes()) == before


def test_it_refuses_when_the_storage_already_has_the_backups_files(portfolio, evidence_root, tmp_path):
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="storage already holds files"):
        restore(archive)

    assert Person.objects.count() == 0


def test_it_backs_up_from_and_restores_to_object_storage(settings, s3_server, tmp_path):
    first = use_object_storage(settings, s3_server)
    build_portfolio()
    before = state()
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)

    call_command("flush", interactive=False, verbosity=0)
    second = use_object_storage(settings, s3_server)  # an empty folder of the bucket
    printed = restore(archive)

    assert state() == before
    assert FixityCheck.objects.filter(boundary=FixityCheck.Boundary.RESTORE, intact=True).count() == 1
    # Thumbnails are not backed up: the worker makes them again when a PDF asks (docs/performance.md).
    stored = first.keys()  # the first bucket folder's names, thumbnails included
    originals = [name for name in stored if ".thumbnail-" not in name]
    assert len(second.keys()) == len(originals) == 4
    assert "every sign-off is intact" in printed


def test_it_reads_the_database_in_one_snapshot():
    with backups.consistent_snapshot():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW transaction_isolation")
                isolation = cursor.fetchone()[0]
                cursor.execute("SHOW transaction_read_only")
                read_only = cursor.fetchone()[0]
            assert (isolation, read_only) == ("repeatable read", "on")
        else:
            assert connection.connection.in_transaction
    assert not connection.in_atomic_block


def test_it_says_when_the_signing_key_is_not_the_one_the_backup_was_made_with(portfolio, evidence_root, tmp_path, settings):
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    wipe(evidence_root)
    settings.PORTFOLIO_SIGNING_KEY = "the key of some other installation"

    with pytest.raises(CommandError, match="The data is restored, but it does not all match") as refused:
        restore(archive)

    assert "PORTFOLIO_SIGNING_KEY" in str(refused.value)
    assert Person.objects.count() == 9  # the cast's nine people, restored
    # The check after the restore is recorded, and the people on the case are told what it found.
    [check] = FixityCheck.objects.filter(boundary=FixityCheck.Boundary.RESTORE)
    assert not check.intact and "The signed record itself has been altered" in check.problems[0]
    told = Notification.objects.filter(message__contains="found by the check after a restore")
    assert sorted(n.recipient.first_name for n in told) == ["Bob", "Carol", "Grace"]


def test_a_record_changed_before_the_backup_is_named_by_the_backup_and_its_restore_says_the_backup_holds_it(
    portfolio, evidence_root, tmp_path
):
    """An outside trial: the backup said nothing of a unit whose sign-off had been voided by hand, and
    its restore said the data "does not all match the backup", when the backup itself carried it."""
    from django.utils import timezone

    sign_off = SignOff.objects.get()
    SignOff.objects.update(voided_at=timezone.now(), voided_by=sign_off.assessor, void_reason="By hand.")
    archive = tmp_path / "portfolio-backup.zip"

    printed = backup(archive)

    unit = sign_off.enrolment.unit.code
    assert "1 signed-off unit(s) were already known changed since sign-off" in printed
    assert f"  - {unit} of {sign_off.enrolment.candidate} (signed off " in printed
    wipe(evidence_root)
    with pytest.raises(CommandError) as refused:
        restore(archive)
    said = str(refused.value)
    assert "every row count and file digest matches the backup" in said
    assert "The backup holds them so" in said and "does not all match" not in said
    assert "was marked void in the database, not by an unlock" in said


def test_a_backup_from_before_reviews_and_seals_were_signed_restores_with_them_signed(
    portfolio, evidence_root, tmp_path, monkeypatch
):
    """A backup made by a version that did not sign the IQA's reviews nor centre seals holds them
    unsigned; restored, they are signed as the migrations that began signing them signed the rows
    already there, and nothing reads as altered or forged."""
    from assessments import fixity
    from assessments.models import QualityReview
    from assessments.services import iqa
    from exports.models import CentreSeal
    from exports.seal_keys import believed_seals
    from ops.backups import older_versions

    sign_off = SignOff.objects.get()
    enrolment = sign_off.enrolment
    iqa.sample_add(iqa=enrolment.iqa, enrolments=[enrolment])
    iqa.review_record(review_or_enrolment=enrolment, iqa=enrolment.iqa, outcome="countersigned", comments="Sound.")
    call_command("make_centre_seal", enrolment.centre.code, stdout=io.StringIO())
    # The rows as the older version wrote them, and its migrations as its backup listed them.
    QualityReview.objects.update(signature="")
    CentreSeal.objects.update(signature="")
    archive = _backed_up_before(
        [older_versions.REVIEWS_SIGNED_FROM, older_versions.SEALS_SIGNED_FROM], tmp_path, monkeypatch, evidence_root
    )

    printed = restore(archive)

    assert "every sign-off is intact" in printed
    assert all(review.signature for review in QualityReview.objects.filter(reviewed_at__isnull=False))
    assert fixity.page_report(SignOff.objects.get()).intact
    assert len(believed_seals(CentreSeal.objects.all())) == 1


def test_a_backup_from_before_voids_were_signed_restores_its_unlocks_as_unlocks(
    portfolio, evidence_root, tmp_path, monkeypatch
):
    """An unlock made before voids were signed is kept unsigned in that version's backup; restored,
    it is signed as assessments 0024 signs it (its unlock is in the audit trail), so the unit reads as
    unlocked, not as a sign-off voided by hand that still stands."""
    from assessments.services import signoff as sign_off_services
    from ops.backups import older_versions

    sign_off = SignOff.objects.get()
    sign_off_services.unit_unlock(enrolment=sign_off.enrolment, person=sign_off.enrolment.iqa, reason="Witness withdrew.")
    SignOff.objects.update(void_signature="")
    assert SignOff.objects.standing().count() == 1  # unsigned, it would stand
    archive = _backed_up_before([older_versions.VOIDS_SIGNED_FROM], tmp_path, monkeypatch, evidence_root)

    restore(archive)

    assert SignOff.objects.standing().count() == 0 and SignOff.objects.get().void_signature


def test_a_backup_from_before_sign_offs_and_checks_were_counted_restores_them_counted_and_sealed(
    portfolio, evidence_root, tmp_path, monkeypatch
):
    """A backup made before enrolments sealed their sign-offs (assessments 0027) and sign-offs counted
    their checks (0028) holds neither; restored, both are made as those migrations made them, and
    nothing reads as a sign-off deleted or a check missing."""
    from assessments import fixity, sign_off_seals
    from ops.backups import older_versions
    from portfolio.models import Enrolment

    Enrolment.objects.update(sign_off_seal="", sign_offs_made=0)
    SignOff.objects.update(checks_made=0)
    archive = _backed_up_before(
        [older_versions.SIGN_OFFS_SEALED_FROM, older_versions.CHECKS_COUNTED_FROM], tmp_path, monkeypatch, evidence_root
    )

    printed = restore(archive)

    assert "every sign-off is intact" in printed
    assert sign_off_seals.check_every_enrolment() == []
    sign_off = SignOff.objects.get()
    assert sign_off.checks_made >= 1 and fixity.page_report(sign_off).intact


def test_a_backup_from_before_cases_were_sealed_restores_them_sealed(portfolio, evidence_root, tmp_path, monkeypatch):
    """A backup made before each enrolment's case was sealed (portfolio 0053) holds no seal; restored,
    each case is sealed as that migration sealed it, and nobody is locked out of their units."""
    from ops.backups import older_versions
    from portfolio import case_seals
    from portfolio.models import Enrolment

    Enrolment.objects.update(case_seal="")
    archive = _backed_up_before([older_versions.CASES_SEALED_FROM], tmp_path, monkeypatch, evidence_root)

    printed = restore(archive)

    assert "every sign-off is intact" in printed
    assert case_seals.check_every_enrolment() == [] and all(Enrolment.objects.values_list("case_seal", flat=True))


def test_a_backup_from_before_roles_and_evidence_were_sealed_restores_them_sealed(
    portfolio, evidence_root, tmp_path, monkeypatch
):
    """A backup made before memberships (portfolio 0055), evidence and files (0056) and people's rights
    (0057) were sealed holds no seals; restored, each is sealed as those migrations sealed it, and
    nobody's role, item or right is taken away or moved."""
    from ops.backups import older_versions
    from portfolio import membership_seals, person_seals, row_seals
    from portfolio.models import Evidence, EvidenceFile, Membership, Person

    for model in (Membership, Evidence, EvidenceFile, Person):
        model.objects.update(access_seal=None)
    held = sorted(Membership.objects.values_list("person_id", "role"))
    archive = _backed_up_before(
        [older_versions.MEMBERSHIPS_SEALED_FROM, older_versions.EVIDENCE_SEALED_FROM, older_versions.PEOPLE_SEALED_FROM],
        tmp_path, monkeypatch, evidence_root,
    )

    printed = restore(archive)

    assert "every sign-off is intact" in printed
    assert membership_seals.settle(Membership.objects.all()) == [] and person_seals.check_everyone() == []
    assert row_seals.check_every_row() == ([], [])
    assert sorted(Membership.objects.values_list("person_id", "role")) == held


def _a_grant_over_everything():
    from portfolio.models import Centre
    from standards.demo_qualification import demo_qualification
    from tests.factories import PersonFactory, eqa_grant

    demo_qualification()
    eve = PersonFactory(first_name="Eve", last_name="Ellis", email="eve@example.org")
    return eqa_grant(Centre.objects.order_by("pk").first(), eve)


def test_a_backup_from_before_grants_were_sealed_restores_them_sealed(portfolio, evidence_root, tmp_path, monkeypatch):
    """A backup made before each EQA's grant was sealed (portfolio 0058) holds none; restored, each is
    sealed as that migration sealed it (its units and qualifications by code, which the restore
    keeps), and the EQA reads what the centre gave them."""
    from ops.backups import older_versions
    from portfolio import grant_seals
    from portfolio.models import EqaGrant

    _a_grant_over_everything()
    EqaGrant.objects.update(access_seal=None)
    archive = _backed_up_before([older_versions.GRANTS_SEALED_FROM], tmp_path, monkeypatch, evidence_root)

    printed = restore(archive)

    assert "every sign-off is intact" in printed
    assert grant_seals.check_every_grant() == [] and EqaGrant.objects.get(person__email="eve@example.org").units.exists()


def test_a_backup_holding_a_grant_widened_by_hand_restores_it_shut_and_says_so(portfolio, evidence_root, tmp_path):
    from portfolio.models import EqaGrant

    grant = _a_grant_over_everything()
    EqaGrant.objects.filter(pk=grant.pk).update(end_date=grant.end_date.replace(year=grant.end_date.year + 5))
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    wipe(evidence_root)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert "The external quality assurance access of Eve Ellis (eve@example.org)" in str(refused.value)
    assert EqaGrant.objects.get(person__email="eve@example.org").seal_broken_at is not None
    assert EqaGrant.objects.filter(seal_broken_at__isnull=True).exists()  # the centre's own grant holds


def _a_witness_link():
    import datetime

    from django.utils import timezone

    from assessments.models import TestimonyRequest
    from portfolio.models import Enrolment

    enrolment, now = Enrolment.objects.order_by("pk").first(), timezone.now()
    return TestimonyRequest.objects.create(
        enrolment=enrolment, witness_name="Wendy Walsh", witness_email="wendy@care.example.org", token_digest="0" * 64,
        requested_by=enrolment.assessor, requested_at=now, expires_at=now + datetime.timedelta(days=14),
    )


def test_a_backup_from_before_exports_and_witness_links_were_sealed_restores_them_sealed(
    portfolio_with_export, evidence_root, tmp_path, monkeypatch
):
    """A backup made before bulk exports and visit packs (exports 0007) and witnesses' testimony links
    (assessments 0030) were sealed holds no seals; restored, each is sealed as those migrations sealed
    it: the export is still served and the link still opens."""
    from assessments import testimony_seals
    from assessments.models import TestimonyRequest
    from exports import zip_seals
    from exports.models import BulkExport
    from ops.backups import older_versions

    _a_witness_link()
    BulkExport.objects.update(access_seal=None)
    TestimonyRequest.objects.update(access_seal=None)
    archive = _backed_up_before(
        [older_versions.EXPORTS_SEALED_FROM, older_versions.TESTIMONY_REQUESTS_SEALED_FROM], tmp_path, monkeypatch,
        evidence_root,
    )

    printed = restore(archive)

    assert "every sign-off is intact" in printed
    assert zip_seals.check_every_row() == [] and testimony_seals.check_every_request() == []
    assert BulkExport.objects.filter(access_seal__isnull=False).exists()
    assert TestimonyRequest.objects.filter(access_seal__isnull=False).exists()


def test_a_backup_holding_an_export_and_a_witness_link_changed_by_hand_restores_them_shut_and_says_so(
    portfolio_with_export, evidence_root, tmp_path
):
    from assessments.models import TestimonyRequest
    from exports.models import BulkExport
    from portfolio.models import EvidenceFile

    link = _a_witness_link()
    TestimonyRequest.objects.filter(pk=link.pk).update(witness_email="mallory@example.org")
    BulkExport.objects.update(file=EvidenceFile.objects.first().file.name)  # it would serve a candidate's evidence
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    wipe(evidence_root)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert "It serves nothing." in str(refused.value)
    assert "A witness testimony link for" in str(refused.value) and "it opens nothing" in str(refused.value)
    assert BulkExport.objects.get().seal_broken_at is not None
    assert TestimonyRequest.objects.get().seal_broken_at is not None


def test_a_backup_holding_a_case_changed_by_hand_restores_it_shut_and_says_so(portfolio, evidence_root, tmp_path):
    """A unit moved to another assessor in the database before the backup was made is in the backup so:
    the restore says which, and nobody but the administrators is let in to it."""
    from portfolio.models import Enrolment, Person

    enrolment = Enrolment.objects.get(pk=SignOff.objects.get().enrolment_id)
    other = Person.objects.exclude(pk__in=[enrolment.assessor_id, enrolment.iqa_id, enrolment.candidate_id]).first()
    Enrolment.objects.filter(pk=enrolment.pk).update(assessor=other)
    archive = tmp_path / "portfolio-backup.zip"
    backup(archive)
    wipe(evidence_root)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert "the people on it were changed outside the portfolio: the portfolio made" in str(refused.value)
    assert Enrolment.objects.get(pk=enrolment.pk).case_seal_broken_at is not None


def test_a_backup_re_packed_with_folder_entries_restores(portfolio, evidence_root, tmp_path):
    """A ZIP tool that copies or re-packs the archive may add an entry for each folder: not a member
    named outside the archive (an outside trial was refused so)."""
    archive, repacked = tmp_path / "portfolio-backup.zip", tmp_path / "repacked.zip"
    backup(archive)
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(repacked, "w") as target:
        folders = sorted({name.rsplit("/", 1)[0] + "/" for name in source.namelist() if "/" in name})
        for folder in folders:
            target.writestr(zipfile.ZipInfo(folder), b"")
        for info in source.infolist():
            target.writestr(info, source.read(info))
    assert folders
    wipe(evidence_root)

    assert "every sign-off is intact" in restore(repacked)


def _backed_up_before(migrations, tmp_path, monkeypatch, evidence_root):
    """A backup as a version before these migrations made it: its migrations listed as that version
    had them; then the database and storage emptied for the restore."""
    from ops.backups import writing

    applied = writing.applied_migrations

    def before_signing(using: str) -> dict[str, list[str]]:
        listed = applied(using)
        for app, name in migrations:
            listed[app] = [n for n in listed[app] if n < name]
        return listed

    monkeypatch.setattr(writing, "applied_migrations", before_signing)
    archive = tmp_path / "older.zip"
    backup(archive)
    wipe(evidence_root)
    return archive
