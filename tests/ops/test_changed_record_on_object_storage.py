"""The exports' promise (tests/exports/test_changed_record.py, test_bulk_left_out.py) with the
evidence in S3-compatible object storage (moto's server on loopback, set up as production sets it):
a signed photo overwritten in the bucket is named on the PDF's cover and every page, and a bulk
export leaves its unit out while the others go with their signed bytes. It lives here, beside the
other object-storage tests, to share their one moto server."""

import hashlib
import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from assessments.models import SignOff
from exports import bulk
from exports.models import BulkExport
from exports.unit_pdf import render_unit_pdf
from tests.exports.signed_case import change_a_byte, signed_case

pytestmark = pytest.mark.django_db


def test_a_file_changed_in_the_bucket_is_named_in_the_pdf_and_left_out_of_the_export(object_store):
    signed = signed_case()  # its uploads go to the bucket
    changed = signed.case.h3_25
    stored = signed.evidence[changed.pk].files.get()
    in_the_bucket = object_store.keys()
    assert object_store.key(stored.file.name) in in_the_bucket
    change = change_a_byte(signed, changed)

    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_unit_pdf(changed))).pages]
    assert all("CHANGED SINCE SIGN-OFF: 1 change, see the cover" in page for page in pages)
    assert change in pages[0]

    export = BulkExport.objects.create(centre=signed.case.centre, requested_by=signed.case.grace, description="all")
    export.enrolments.set(signed.units)
    bulk.build(export)
    export.refresh_from_db()
    in_the_bucket = object_store.keys()
    assert export.status == BulkExport.Status.DONE and object_store.key(export.file.name) in in_the_bucket
    with export.file.open("rb") as source:
        archive = zipfile.ZipFile(io.BytesIO(source.read()))
    pdfs = sorted(name for name in archive.namelist() if name.endswith("-portfolio.pdf"))
    assert [name.rsplit("/", 1)[1] for name in pdfs] == ["hsc331-portfolio.pdf", "hsc331-portfolio.pdf"]
    assert f"-{stored.pk}-" not in " ".join(archive.namelist())
    signed_digests = {e["sha256"] for s in SignOff.objects.standing() for e in s.manifest["files"]}
    evidence = [entry for entry in json.loads(archive.read("manifest.json")) if entry["kind"] == "evidence"]
    assert len(evidence) == 2
    for entry in evidence:
        assert entry["sha256"] in signed_digests
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert change in archive.read("left-out.txt").decode()
