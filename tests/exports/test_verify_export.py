"""manage.py verify_export on good and altered unit PDFs and bulk-export ZIPs: what an awarding
body runs, without the product's database, given the centre's root certificate."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from assessments.services.signoff import unit_sign_off
from exports import bulk
from exports.models import BulkExport
from exports.unit_pdf import render_unit_pdf
from tests.exports import test_bulk_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    """Two candidates on two units each, with holistic evidence."""
    return test_bulk_export.centre.__wrapped__(db)


def _root(tmp_path, *args) -> Path:
    out = io.StringIO()
    call_command("centre_seal_root", *args, stdout=out)
    path = tmp_path / "root.pem"
    path.write_text(out.getvalue())
    return path


def _verify(path, *args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_export", str(path), *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_a_sealed_pdf_verifies_offline_with_the_root_and_no_database(unit, tmp_path, django_assert_num_queries):
    unit_sign_off(enrolment=unit["enrolment"], assessor=unit["bob"], declared=True)
    pdf = tmp_path / "unit.pdf"
    pdf.write_bytes(render_unit_pdf(unit["enrolment"]))
    root = _root(tmp_path, "--installation")
    with django_assert_num_queries(0):
        status, output = _verify(pdf, "--root", str(root), "--offline")
    assert status == 0, output
    assert "VALID      unit.pdf: H3 25 of Alice Morgan, signed off; sealed by" in output
    assert "Everything holds: 1 unit PDF(s)" in output


def test_one_changed_byte_in_the_pdf_is_not_valid(unit, tmp_path):
    pdf = bytearray(render_unit_pdf(unit["enrolment"]))
    at = pdf.index(b"Alice Morgan")  # in the document information, covered by the seal
    pdf[at] = ord("E")
    path = tmp_path / "unit.pdf"
    path.write_bytes(bytes(pdf))
    status, output = _verify(path, "--root", str(_root(tmp_path, "--installation")), "--offline")
    assert status == 1
    assert "NOT VALID  unit.pdf" in output and "its seal is broken: the PDF has changed since it was sealed" in output


def test_a_seal_under_another_root_or_none_is_not_valid(unit, tmp_path):
    path = tmp_path / "unit.pdf"
    path.write_bytes(render_unit_pdf(unit["enrolment"]))
    call_command("make_centre_seal", unit["enrolment"].centre.code, stdout=io.StringIO(), stderr=io.StringIO())
    status, output = _verify(path, "--root", str(_root(tmp_path, unit["enrolment"].centre.code)), "--offline")
    assert status == 1 and "not made by a certificate under the root given" in output
    status, output = _verify(path, "--offline")
    assert status == 1 and "no root certificate was given" in output


def test_with_the_database_a_file_changed_since_sign_off_is_named(unit, tmp_path):
    """The PDF still holds (it was sealed before the change); the live record does not."""
    unit_sign_off(enrolment=unit["enrolment"], assessor=unit["bob"], declared=True)
    path = tmp_path / "unit.pdf"
    path.write_bytes(render_unit_pdf(unit["enrolment"]))
    assert _verify(path)[0] == 0
    stored = unit["evidence"][0].files.get()
    with stored.file.storage.open(stored.file.name, "ab") as handle:
        handle.write(b"!")
    status, output = _verify(path)
    assert status == 1
    assert "- the live record: E1 photo.jpg has changed since the unit was signed off" in output
    assert _verify(path, "--offline", "--root", str(_root(tmp_path, "--installation")))[0] == 0


def _bulk_zip(centre, tmp_path) -> Path:
    export = BulkExport.objects.create(centre=centre["centre"], requested_by=centre["grace"], description="all")
    export.enrolments.set(centre["enrolments"])
    bulk.build(export)
    export.refresh_from_db()
    path = tmp_path / "export.zip"
    with export.file.open("rb") as source:
        path.write_bytes(source.read())
    return path


def _rewrite(path: Path, change) -> Path:
    with zipfile.ZipFile(path) as original:
        members = {name: original.read(name) for name in original.namelist()}
    change(members)
    altered = path.with_name("altered.zip")
    with zipfile.ZipFile(altered, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return altered


def test_a_bulk_zip_verifies_unit_by_unit(centre, tmp_path):
    path = _bulk_zip(centre, tmp_path)
    status, output = _verify(path, "--offline", "--root", str(_root(tmp_path, "--installation")))
    assert status == 0, output
    assert output.count("VALID      ") == 5 and "4 unit PDF(s), 4 evidence file(s) checked" in output
    assert "VALID      manifest.json: the list of every file in the ZIP; sealed by" in output


def test_a_changed_evidence_file_in_the_zip_is_named(centre, tmp_path):
    path = _bulk_zip(centre, tmp_path)
    root = str(_root(tmp_path, "--installation"))
    with zipfile.ZipFile(path) as archive:
        evidence = next(name for name in archive.namelist() if "/evidence/" in name)

    def one_byte(members):
        data = bytearray(members[evidence])
        data[-1] ^= 1
        members[evidence] = bytes(data)

    status, output = _verify(_rewrite(path, one_byte), "--offline", "--root", root)
    assert status == 1
    assert f"{evidence} is not the file the sealed manifest lists: its bytes have changed" in output


def test_a_file_added_to_or_left_out_of_the_zip_is_named(centre, tmp_path):
    path = _bulk_zip(centre, tmp_path)
    root = str(_root(tmp_path, "--installation"))
    with zipfile.ZipFile(path) as archive:
        folder, evidence = next(name.split("/", 1) for name in archive.namelist() if "/evidence/" in name)

    def added(members):
        members[f"{folder}/evidence/E9-999-extra.png"] = b"not from the product"

    status, output = _verify(_rewrite(path, added), "--offline", "--root", root)
    assert status == 1 and f"“{folder}/evidence/E9-999-extra.png” is in the ZIP but no unit's sealed manifest lists it" in output

    def removed(members):
        del members[f"{folder}/{evidence}"]

    status, output = _verify(_rewrite(path, removed), "--offline", "--root", root)
    assert status == 1 and "is listed in the PDF but missing from the ZIP" in output


def test_a_pdf_changed_inside_the_zip_is_named(centre, tmp_path):
    path = _bulk_zip(centre, tmp_path)
    with zipfile.ZipFile(path) as archive:
        pdf_name = next(name for name in archive.namelist() if name.endswith("-portfolio.pdf"))

    def edited(members):
        members[pdf_name] = members[pdf_name].replace(b"Morgan", b"Morgen", 1)

    status, output = _verify(_rewrite(path, edited), "--offline", "--root", str(_root(tmp_path, "--installation")))
    assert status == 1 and f"NOT VALID  {pdf_name}" in output


def test_not_a_pdf_nor_a_zip_is_one_clear_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    status, output = _verify(path, "--offline")
    assert status == 1 and "“notes.txt” is neither a PDF nor a ZIP" in output
    # There is a database here: the report says it was left unused, not that there is none.
    assert "Not compared with the live record (--offline: the database was not used)." in output


def test_the_command_runs_where_there_is_no_database_at_all(unit, tmp_path):
    """As an awarding body runs it: a fresh checkout, no database made, only the file and the root."""
    path = tmp_path / "unit.pdf"
    path.write_bytes(render_unit_pdf(unit["enrolment"]))
    root = _root(tmp_path, "--installation")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PORTFOLIO_VAR_DIR": str(tmp_path / "var")}
    ran = subprocess.run(
        [sys.executable, "manage.py", "verify_export", str(path), "--root", str(root)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Not compared with the live record (no database)." in ran.stdout
    path.write_bytes(path.read_bytes().replace(b"Alice Morgan", b"Alice Morgen", 1))
    ran = subprocess.run(
        [sys.executable, "manage.py", "verify_export", str(path), "--root", str(root)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert ran.returncode == 1 and "NOT VALID" in ran.stdout
