"""A centre's bulk export: one ZIP, a folder per candidate, PDFs, original files, a manifest."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exports.models import BulkExport
from portfolio import services
from portfolio.models import AssessmentMethod, Role
from standards.models import Criterion
from tests.factories import CentreFactory, enrol, load_standards, member

pytestmark = pytest.mark.django_db


def _photo(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#aa6633").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def centre(db):
    load_standards()
    centre = CentreFactory(name="Harbour Housing Academy", code="harbour")
    grace = member(centre, Role.ADMINISTRATOR, email="grace@example.org")
    bob = member(centre, Role.ASSESSOR, email="bob@example.org")
    carol = member(centre, Role.IQA, email="carol@example.org")
    enrolments = []
    for first in ("Alice", "Dan"):
        candidate = member(centre, Role.CANDIDATE, email=f"{first.lower()}@example.org", first_name=first, last_name="Morgan")
        for unit in ("HSC331", "H3 25"):
            enrolments.append(enrol(candidate, unit, assessor=bob, iqa=carol, centre=centre))
        evidence = services.evidence_create(
            candidate=candidate, centre=centre, author=candidate, title=f"{first}'s holistic evidence",
            method=AssessmentMethod.PRODUCT, activity_date=enrolments[-1].start_date,
            account="Covers both units.", uploads=[_photo("map.png"), _photo("../../notes.png")],
        )
        services.evidence_map(
            evidence=evidence, editor=candidate,
            criteria=Criterion.objects.filter(reference__in=["HSC331a.1", "H3 25.1"]),
            knowledge_items=[], scope_items=[],
        )
        # Submitted, so it is part of the record: drafts stay out of awarding-body exports.
        services.evidence_submit(evidence=evidence, candidate=candidate, declared=True)
    return {"centre": centre, "grace": grace, "enrolments": enrolments}


@pytest.fixture
def export_of(client, django_capture_on_commit_callbacks):
    """Asks for an export through the page; the worker's task runs when the request commits."""

    def ask(centre, grace, enrolments):
        return _export(client, centre, grace, enrolments, django_capture_on_commit_callbacks)

    return ask


def _export(client, centre, grace, enrolments, on_commit):
    client.force_login(grace)
    with on_commit(execute=True):
        response = client.post(
            f"/exports/centres/{centre.pk}/",
            {"choice": "chosen", "enrolments": [e.pk for e in enrolments]},
        )
    export = BulkExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{export.pk}/"
    return export


def _zip(client, export) -> zipfile.ZipFile:
    response = client.get(f"/exports/{export.pk}/download/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_has_a_folder_per_candidate_with_pdfs_files_and_a_true_manifest(client, centre, export_of):
    export = export_of(centre["centre"], centre["grace"], centre["enrolments"])
    export.refresh_from_db()
    assert export.status == "done" and export.units_done == export.units_total == 4
    archive = _zip(client, export)
    names = archive.namelist()
    folders = {name.split("/")[0] for name in names if "/" in name}
    assert len(folders) == 2
    assert sum(name.endswith("-portfolio.pdf") for name in names) == 4
    # The holistic evidence is copied once per candidate, not once per unit; names are ours.
    evidence_files = [n for n in names if "/evidence/" in n]
    assert len(evidence_files) == 4
    assert not any(".." in n for n in names)
    manifest = json.loads(archive.read("manifest.json"))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    # manifest.json lists every file but itself and its seal, manifest.csv too; manifest.csv all but itself.
    assert len(manifest) == len(rows) + 1 == len(names) - 2
    assert {entry["path"] for entry in manifest} == set(names) - {"manifest.json", "manifest.json.p7s"}
    for entry in manifest:
        data = archive.read(entry["path"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
    uploaded = {f.sha256 for e in centre["enrolments"] for f in e.candidate.evidence.get().files.all()}
    assert uploaded == {e["sha256"] for e in manifest if e["kind"] == "evidence"}


def test_the_page_shows_progress_and_the_download(client, centre, export_of):
    export = export_of(centre["centre"], centre["grace"], centre["enrolments"][:1])
    page = client.get(f"/exports/{export.pk}/").content.decode()
    assert "Ready to download" in page and "1 of 1 unit" in page and "Download the ZIP" in page
    fragment = client.get(f"/exports/{export.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="export-progress"') and "<html" not in fragment


def test_a_failing_export_is_retried_then_reported(client, centre, monkeypatch, export_of):
    from exports import bulk

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(bulk, "render_unit_pdf", broken)
    export = export_of(centre["centre"], centre["grace"], centre["enrolments"][:1])
    export.refresh_from_db()
    assert export.status == "failed" and export.attempts == 3 and "disk full" in export.error
    assert "The export failed after 3 attempts" in client.get(f"/exports/{export.pk}/").content.decode()


def test_nothing_chosen_is_refused(client, centre):
    client.force_login(centre["grace"])
    response = client.post(f"/exports/centres/{centre['centre'].pk}/", {"choice": "chosen"}, follow=True)
    assert "Choose at least one unit to export." in response.content.decode()
    assert not BulkExport.objects.exists()


@pytest.mark.parametrize("who", ["candidate", "assessor", "iqa", "other-admin"])
def test_only_the_centres_administrators_can_export(client, centre, who, export_of):
    export = export_of(centre["centre"], centre["grace"], centre["enrolments"][:1])
    client.logout()
    person = {
        "candidate": centre["enrolments"][0].candidate,
        "assessor": centre["enrolments"][0].assessor,
        "iqa": centre["enrolments"][0].iqa,
        "other-admin": member(CentreFactory(), Role.ADMINISTRATOR, email="frank@example.org"),
    }[who]
    client.force_login(person)
    for url in (
        f"/exports/centres/{centre['centre'].pk}/",
        f"/exports/{export.pk}/",
        f"/exports/{export.pk}/download/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text_in_the_manifest(client, centre, export_of):
    """Every CSV the product writes escapes a cell starting = + - @ (portfolio/spreadsheets.py)."""
    alice = centre["enrolments"][0].candidate
    alice.first_name = '=HYPERLINK("http://attacker.example","Alice")'
    alice.save(update_fields=["first_name"])
    archive = _zip(client, export_of(centre["centre"], centre["grace"], centre["enrolments"]))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    names = {row["candidate"] for row in rows}
    assert '\'=HYPERLINK("http://attacker.example","Alice") Morgan' in names
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())
