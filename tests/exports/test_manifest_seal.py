"""The seal on a ZIP's list of files (manifest.json.p7s, beside manifest.json in a visit pack and
in a bulk export): an insider who changes a file inside the ZIP and recomputes the manifests, or
takes a unit out, is caught by `verify_export`, as an awarding body runs it (offline, with the
centre's root).

The people are the shared cast: Alice on HSC331 and H3 25 (Bob her assessor, Carol her IQA);
Grace administers Riverside."""

import csv
import hashlib
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.services.iqa import review_record
from assessments.services.signoff import unit_countersign
from exports import bulk, manifest_seal, visit_pack
from exports.models import BulkExport, VisitPack
from exports.seal_keys import installation_seal
from tests.exports import test_bulk_export
from tests.exports.signed_case import SignedCase, signed_case

pytestmark = pytest.mark.django_db
CSV_NAME = "iqa/iqa-reviews.csv"


@pytest.fixture
def signed() -> SignedCase:
    signed = signed_case()
    unit_countersign(enrolment=signed.case.hsc331, candidate=signed.case.alice, declared=True)
    review_record(review_or_enrolment=signed.case.hsc331, iqa=signed.case.carol, outcome="countersigned",
                  comments="Sound decisions.")
    return signed


def _root(tmp_path: Path, who: str = "--installation") -> Path:
    out = io.StringIO()
    call_command("centre_seal_root", who, stdout=out)
    path = tmp_path / f"root-{who.strip('-')}.pem"
    path.write_text(out.getvalue())
    return path


def _verify(path: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_export", str(path), *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def _pack_zip(signed: SignedCase, tmp_path: Path) -> Path:
    case = signed.case
    pack = VisitPack.objects.create(centre=case.centre, requested_by=case.grace)
    pack.enrolments.set([case.hsc331, case.h3_25])
    visit_pack.build(pack)
    pack.refresh_from_db()
    path = tmp_path / "pack.zip"
    with pack.file.open("rb") as source:
        path.write_bytes(source.read())
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _csv_edited_and_both_manifests_recomputed(members: dict[str, bytes]) -> None:
    """What the insider in the outside trial did: one word of the IQA's record changed, and both
    lists of files made to agree with it again."""
    members[CSV_NAME] = members[CSV_NAME].replace(b"Sound decisions.", b"Weak decisions.")
    rows = list(csv.DictReader(io.StringIO(members["manifest.csv"].decode())))
    for row in rows:
        if row["path"] == CSV_NAME:
            row["sha256"] = hashlib.sha256(members[CSV_NAME]).hexdigest()
            row["size"] = str(len(members[CSV_NAME]))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    members["manifest.csv"] = text.getvalue().encode()
    manifest = json.loads(members["manifest.json"])
    for row in manifest["files"]:
        if row["path"] in (CSV_NAME, "manifest.csv"):
            row["sha256"] = hashlib.sha256(members[row["path"]]).hexdigest()
            row["size"] = len(members[row["path"]])
    members["manifest.json"] = json.dumps(manifest, indent=2, ensure_ascii=False).encode()


def test_a_pack_verifies_offline_with_its_manifest_sealed(signed, tmp_path):
    path = _pack_zip(signed, tmp_path)
    assert "manifest.json.p7s" in _members(path)
    status, output = _verify(path, "--offline", "--root", str(_root(tmp_path)))
    assert status == 0, output
    assert "VALID      manifest.json: the list of every file in the ZIP; sealed by" in output


def test_a_csv_changed_and_both_manifests_recomputed_is_not_valid(signed, tmp_path):
    members = _members(_pack_zip(signed, tmp_path))
    _csv_edited_and_both_manifests_recomputed(members)
    altered = _zip(members, tmp_path / "altered.zip")
    status, output = _verify(altered, "--offline", "--root", str(_root(tmp_path)))
    assert status == 1, output
    assert ("NOT VALID  manifest.json is not the list of files the centre sealed: it has been changed or "
            "recomputed since the ZIP was built (its seal, manifest.json.p7s, no longer matches it)") in output
    status, output = _verify(altered)  # with the database, against the centre's roots: the same
    assert status == 1 and "manifest.json is not the list of files the centre sealed" in output


def test_a_pack_whose_manifest_seal_was_taken_out_is_not_valid(signed, tmp_path):
    members = _members(_pack_zip(signed, tmp_path))
    _csv_edited_and_both_manifests_recomputed(members)
    del members["manifest.json.p7s"]
    status, output = _verify(_zip(members, tmp_path / "unsealed.zip"), "--offline", "--root", str(_root(tmp_path)))
    assert status == 1, output
    assert "NOT VALID  manifest.json carries no seal (manifest.json.p7s is not in the ZIP)" in output


def test_a_manifest_sealed_again_with_another_key_is_not_the_centres(signed, tmp_path):
    """An insider who can seal with the installation's key (or another centre's) re-seals the
    recomputed manifest: checked against the centre's own root, it is refused."""
    call_command("make_centre_seal", "riverside", stdout=io.StringIO(), stderr=io.StringIO())
    members = _members(_pack_zip(signed, tmp_path))
    _csv_edited_and_both_manifests_recomputed(members)
    members["manifest.json.p7s"] = manifest_seal.seal_manifest(members["manifest.json"], installation_seal())
    altered = _zip(members, tmp_path / "resealed.zip")
    status, output = _verify(altered, "--offline", "--root", str(_root(tmp_path, "riverside")))
    assert status == 1, output
    assert "NOT VALID  manifest.json's seal was not made by a certificate under the root given (--root)" in output
    # With the database, the installation's root is trusted too (for centres without a seal of their
    # own): the list is still not sealed by whoever sealed the pack's unit PDFs, the centre.
    status, output = _verify(altered)
    assert status == 1, output
    # The candidate's folder carries her id, which differs between databases.
    assert re.search(r"NOT VALID  manifest\.json was not sealed by the certificate that sealed units/alice-adams-\d+/"
                     r"h3-25-portfolio\.pdf: manifest\.json's certificate is ", output), output
    assert "(Evidence portfolio at http://127.0.0.1:8000), the PDF's is " in output
    assert "(Riverside Training)" in output


def test_a_damaged_seal_is_named(signed, tmp_path):
    members = _members(_pack_zip(signed, tmp_path))
    members["manifest.json.p7s"] = members["manifest.json.p7s"][:40]
    status, output = _verify(_zip(members, tmp_path / "damaged.zip"), "--offline", "--root", str(_root(tmp_path)))
    assert status == 1 and "NOT VALID  manifest.json's seal (manifest.json.p7s) could not be read: it is damaged" in output


def test_the_seal_checks_by_hand_with_openssl(signed, tmp_path):
    """docs/exports.md tells an EQA how to check the seal without the product."""
    members = _members(_pack_zip(signed, tmp_path))
    for name in ("manifest.json", "manifest.json.p7s"):
        (tmp_path / name).write_bytes(members[name])
    command = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.json.p7s",
               "-content", "manifest.json", "-CAfile", str(_root(tmp_path)), "-purpose", "any", "-out", "/dev/null"]
    ran = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0 and "Verification successful" in ran.stderr, ran.stderr
    (tmp_path / "manifest.json").write_bytes(members["manifest.json"].replace(b"Alice", b"Alise", 1))
    ran = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert ran.returncode != 0 and "Verification failure" in ran.stderr


# The bulk export: its files were vouched for by the units' sealed PDFs already; what was not, was
# that no unit had been taken out, and its own account of the units left out.


@pytest.fixture
def centre(db):
    return test_bulk_export.centre.__wrapped__(db)


def _bulk_zip(centre, tmp_path: Path) -> Path:
    export = BulkExport.objects.create(centre=centre["centre"], requested_by=centre["grace"], description="all")
    export.enrolments.set(centre["enrolments"])
    bulk.build(export)
    export.refresh_from_db()
    path = tmp_path / "export.zip"
    with export.file.open("rb") as source:
        path.write_bytes(source.read())
    return path


def test_a_bulk_export_verifies_with_its_manifest_sealed(centre, tmp_path):
    path = _bulk_zip(centre, tmp_path)
    status, output = _verify(path, "--offline", "--root", str(_root(tmp_path)))
    assert status == 0, output
    assert "VALID      manifest.json: the list of every file in the ZIP; sealed by" in output


def test_a_candidate_taken_out_of_a_bulk_export_is_named(centre, tmp_path):
    members = _members(_bulk_zip(centre, tmp_path))
    folder = next(name.split("/")[0] for name in members if name.startswith("dan-morgan"))
    for name in [name for name in members if name.startswith(f"{folder}/")]:
        del members[name]
    status, output = _verify(_zip(members, tmp_path / "fewer.zip"), "--offline", "--root", str(_root(tmp_path)))
    assert status == 1, output
    assert f"NOT VALID  manifest.json lists {folder}/h3-25-portfolio.pdf but the ZIP does not hold it" in output
    manifest = [row for row in json.loads(members["manifest.json"]) if not row["path"].startswith(f"{folder}/")]
    members["manifest.json"] = json.dumps(manifest, indent=2).encode()
    status, output = _verify(_zip(members, tmp_path / "fewer.zip"), "--offline", "--root", str(_root(tmp_path)))
    assert status == 1, output
    assert "NOT VALID  manifest.json is not the list of files the centre sealed" in output


def test_a_bulk_exports_own_account_of_units_left_out_is_sealed_too(centre, tmp_path):
    members = _members(_bulk_zip(centre, tmp_path))
    members["left-out.txt"] = b"Units left out of this export\n\nNone.\n"
    status, output = _verify(_zip(members, tmp_path / "forged.zip"), "--offline", "--root", str(_root(tmp_path)))
    assert status == 1, output
    assert "NOT VALID  “left-out.txt” is in the ZIP but manifest.json does not list it" in output
