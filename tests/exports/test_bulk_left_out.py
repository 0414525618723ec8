"""A bulk export never carries a record that has changed since sign-off: the unit is left out and
the export says why, in the ZIP, on its page and in the audit trail; the other units still go, and
every digest in the manifest is the signed one. A file changed while it is being copied is caught
too, and so is a file of a unit not signed off that is no longer the one uploaded."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import SignOff
from exports import bulk
from exports.audit_actions import ExportAction
from exports.models import BulkExport
from portfolio.models import AuditEvent
from tests.assessments.unit_case import submitted_evidence
from tests.exports.signed_case import TAMPERING, SignedCase, change_a_byte, rewrite, signed_case, stored_bytes
from tests.factories import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed():
    return signed_case()


def export_everything(client, signed: SignedCase, on_commit, enrolments=None) -> BulkExport:
    """Grace asks for the export on its page; the worker's task runs when the request commits."""
    client.force_login(signed.case.grace)
    chosen = enrolments or signed.units
    with on_commit(execute=True):
        response = client.post(
            f"/exports/centres/{signed.case.centre.pk}/", {"choice": "chosen", "enrolments": [e.pk for e in chosen]}
        )
    assert response.status_code == 302
    export = BulkExport.objects.get()
    assert export.status == BulkExport.Status.DONE, export.error
    return export


def download(client, export: BulkExport) -> zipfile.ZipFile:
    response = client.get(f"/exports/{export.pk}/download/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def signed_digests() -> dict[int, str]:
    """Every signed file's SHA-256 as its sign-off's manifest has it, by file id."""
    return {
        entry["file_id"]: entry["sha256"]
        for sign_off in SignOff.objects.standing() for entry in sign_off.manifest["files"]
    }


def assert_the_zip_holds_only_signed_bytes(archive: zipfile.ZipFile) -> list[dict]:
    """Every file manifest.json lists is its bytes; the units' files (PDFs and evidence), returned,
    carry the signed digests. The export's own files (manifest.csv, left-out.*) are listed too."""
    manifest = json.loads(archive.read("manifest.json"))
    signed = signed_digests()
    for entry in manifest:
        data = archive.read(entry["path"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        if entry["kind"] == "evidence":
            file_id = int(entry["path"].rsplit("/", 1)[1].split("-")[1])
            assert entry["sha256"] == signed[file_id], entry["path"]
    return [entry for entry in manifest if entry["kind"] != "the export's own account"]


def unit_paths(archive: zipfile.ZipFile, signed: SignedCase, enrolment) -> list[str]:
    """The ZIP entries of one unit: its PDF and its evidence item's files."""
    evidence = signed.evidence[enrolment.pk]
    file_ids = {f.pk for f in evidence.files.all()}
    return [
        name for name in archive.namelist()
        if (name.endswith(f"/{enrolment.unit.slug}-portfolio.pdf") and f"-{enrolment.candidate_id}/" in name)
        or ("/evidence/" in name and int(name.rsplit("/", 1)[1].split("-")[1]) in file_ids)
    ]


def verify_offline(archive_bytes: bytes, tmp_path) -> tuple[int, str]:
    root = io.StringIO()
    call_command("centre_seal_root", "--installation", stdout=root)
    (tmp_path / "root.pem").write_text(root.getvalue())
    (tmp_path / "export.zip").write_bytes(archive_bytes)
    out = io.StringIO()
    try:
        call_command("verify_export", str(tmp_path / "export.zip"), "--offline", "--root", str(tmp_path / "root.pem"),
                     stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.mark.parametrize("tampering", list(TAMPERING))
def test_a_changed_unit_is_left_out_and_reported_and_the_others_go(
    client, signed, tampering, django_capture_on_commit_callbacks, tmp_path
):
    changed = signed.case.h3_25
    change = TAMPERING[tampering](signed, changed)
    export = export_everything(client, signed, django_capture_on_commit_callbacks)
    assert export.units_done == export.units_total == 3

    archive = download(client, export)
    assert unit_paths(archive, signed, changed) == []
    for enrolment in (signed.case.hsc331, signed.case.dave_hsc331):
        assert len(unit_paths(archive, signed, enrolment)) == 2, enrolment  # its PDF and its photo
    manifest = assert_the_zip_holds_only_signed_bytes(archive)
    assert len(manifest) == 4
    text = archive.read("left-out.txt").decode()
    assert "Alice Adams, H3 25: its record has changed since sign-off (checked " in text
    assert f"  - {change}" in text
    [left_out] = json.loads(archive.read("left-out.json"))
    assert left_out["enrolment"] == changed.pk and left_out["problems"][0].startswith(change)

    page = " ".join(client.get(f"/exports/{export.pk}/").content.decode().split())
    unit_url = reverse("assessments:enrolment_detail", args=[changed.pk])
    assert "1 unit left out of this export" in page and "This unit is not in the ZIP" in page
    assert f'<a href="{unit_url}">Alice Adams, <span class="ref">H3 25</span></a>: its record has changed since sign-off.' in page
    assert change.replace("'", "&#x27;") in page
    assert client.get(unit_url).status_code == 200  # the link goes somewhere Grace may look

    built = AuditEvent.objects.get(action=ExportAction.EXPORT_BUILT)
    assert "3 units asked for, 4 files; 1 left out (Alice Adams, H3 25)" in built.summary
    left = AuditEvent.objects.get(action=ExportAction.UNIT_LEFT_OUT)
    assert left.enrolment_id == changed.pk
    assert left.summary == f"H3 25 of Alice Adams left out of bulk export {export.pk}: its record has changed since sign-off"

    with export.file.open("rb") as stored:
        status, output = verify_offline(stored.read(), tmp_path)
    assert status == 0, output
    assert output.count("VALID      ") == 3  # the two units, and manifest.json's seal
    assert "VALID      manifest.json: the list of every file in the ZIP" in output
    assert f"LEFT OUT   Alice Adams, H3 25: its record has changed since sign-off: {change}" in output


def test_the_altered_bytes_digest_never_reaches_the_manifest(client, signed, django_capture_on_commit_callbacks):
    changed = signed.case.h3_25
    change_a_byte(signed, changed)
    altered = hashlib.sha256(stored_bytes(signed.evidence[changed.pk].files.get())).hexdigest()
    archive = download(client, export_everything(client, signed, django_capture_on_commit_callbacks))
    assert altered not in archive.read("manifest.json").decode() + archive.read("manifest.csv").decode()


def test_a_file_changed_between_the_check_and_the_copy_is_caught(
    client, signed, monkeypatch, django_capture_on_commit_callbacks
):
    """The record was intact when checked; its photo changed before the export read it."""
    changed = signed.case.h3_25
    check = bulk.record_check

    def check_then_change(standing, **kwargs):
        result = check(standing, **kwargs)
        if standing is not None and standing.enrolment_id == changed.pk:
            assert not result.changed
            change_a_byte(signed, changed)
        return result

    monkeypatch.setattr(bulk, "record_check", check_then_change)
    export = export_everything(client, signed, django_capture_on_commit_callbacks)
    archive = download(client, export)
    assert unit_paths(archive, signed, changed) == []
    assert len(assert_the_zip_holds_only_signed_bytes(archive)) == 4
    [left_out] = export.left_out
    assert left_out["reason"] == "its record has changed since sign-off"
    assert left_out["problems"][0].startswith("E2 tenancy.png changed as it was copied into the export: its SHA-256 is now")
    assert "was signed." in left_out["problems"][0]
    assert "E2 tenancy.png changed as it was copied into the export" in archive.read("left-out.txt").decode()


def test_a_unit_not_signed_off_whose_file_is_not_the_one_uploaded_is_left_out(
    client, signed, django_capture_on_commit_callbacks
):
    case = signed.case
    unsigned = enrol(case.dave, "H3 25", assessor=case.erin, iqa=case.carol, centre=case.centre)
    evidence = submitted_evidence(case, candidate=case.dave, enrolment=unsigned, title="A tenant's visit")
    stored = evidence.files.get()
    data = bytearray(stored_bytes(stored))
    data[-1] ^= 1
    rewrite(stored, bytes(data))
    export = export_everything(client, signed, django_capture_on_commit_callbacks, [case.hsc331, unsigned])
    archive = download(client, export)
    assert [n for n in archive.namelist() if n.endswith("-portfolio.pdf")] == [
        f"alice-adams-{case.alice.pk}/hsc331-portfolio.pdf"
    ]
    [left_out] = export.left_out
    assert left_out["reason"] == "an evidence file is no longer the file that was uploaded"
    assert left_out["problems"][0].startswith(f"{evidence.reference} visit-photo.png is not the file that was uploaded")


def test_an_export_with_nothing_left_out_says_nothing_of_it(client, signed, django_capture_on_commit_callbacks):
    export = export_everything(client, signed, django_capture_on_commit_callbacks)
    archive = download(client, export)
    assert "left-out.txt" not in archive.namelist() and export.left_out == []
    assert len(assert_the_zip_holds_only_signed_bytes(archive)) == 6
    assert "left out" not in client.get(f"/exports/{export.pk}/").content.decode()
