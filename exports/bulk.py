"""A centre's bulk export: one ZIP with a folder per candidate holding each unit's PDF and the
original evidence files, and a manifest (CSV and JSON) of every file with its SHA-256, so the
awarding body can check nothing was altered.

It is built by a background worker, one unit at a time: each PDF is written straight into the
ZIP on disk and each evidence file is copied across in chunks, so memory stays flat however many
units there are.
"""

import csv
import hashlib
import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import IO, TYPE_CHECKING, cast

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify

from portfolio import audit
from portfolio.access import shown_to
from portfolio.models import Enrolment, Evidence, EvidenceFile

from .audit_actions import ExportAction
from .models import BulkExport
from .unit_pdf import render_unit_pdf

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

CHUNK = 1024 * 1024


@dataclass
class ManifestEntry:
    path: str
    sha256: str
    size: int
    kind: str  # "unit portfolio" or "evidence"
    candidate: str
    unit: str = ""
    evidence: str = ""


class _HashingWriter(io.RawIOBase):
    """Passes bytes to the ZIP entry while counting and hashing them."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: "ReadableBuffer") -> int:
        written = memoryview(data).nbytes
        self.digest.update(data)
        self.size += written
        self.target.write(data)
        return written


def _candidate_folder(enrolment: Enrolment) -> str:
    name = slugify(enrolment.candidate.get_full_name()) or "candidate"
    return f"{name}-{enrolment.candidate_id}"


def _evidence_files(enrolment: Enrolment) -> QuerySet[EvidenceFile]:
    unit = enrolment.unit
    evidence = Evidence.objects.filter(
        Q(criteria__unit=unit) | Q(knowledge_items__unit=unit) | Q(scope_items__category__unit=unit)
        | Q(decisions__enrolment=enrolment),
        candidate=enrolment.candidate,
        centre=enrolment.centre,
    ).filter(shown_to(None)).distinct()
    return (
        EvidenceFile.objects.filter(evidence__in=evidence, removed_in_version__isnull=True)
        .select_related("evidence")
        .order_by("evidence__number", "id")
    )


def write_archive(
    export: BulkExport, enrolments: list[Enrolment], archive: zipfile.ZipFile, progress: Callable[[], object],
    beat: Callable[[], object] = lambda: None,
) -> list[ManifestEntry]:
    """Writes each unit's PDF and files; `progress` after every unit, `beat` after every file, so
    a long video copied from object storage does not look like a killed worker."""
    manifest: list[ManifestEntry] = []
    copied: set[int] = set()  # holistic evidence appears once per candidate, not once per unit
    for enrolment in enrolments:
        folder = _candidate_folder(enrolment)
        candidate = enrolment.candidate.get_full_name()
        pdf_path = f"{folder}/{enrolment.unit.slug}-portfolio.pdf"
        with archive.open(pdf_path, "w", force_zip64=True) as entry:
            writer = _HashingWriter(entry)
            render_unit_pdf(enrolment, target=cast(IO[bytes], writer))  # a writable binary stream
        manifest.append(ManifestEntry(pdf_path, writer.digest.hexdigest(), writer.size, "unit portfolio",
                                      candidate, enrolment.unit.code))
        for evidence_file in _evidence_files(enrolment):
            if evidence_file.pk in copied:
                continue
            copied.add(evidence_file.pk)
            label = get_valid_filename(evidence_file.original_name) or "file"
            path = f"{folder}/evidence/{evidence_file.evidence.reference}-{evidence_file.pk}-{label}"
            with evidence_file.file.open("rb") as source, archive.open(path, "w", force_zip64=True) as entry:
                writer = _HashingWriter(entry)
                while chunk := source.read(CHUNK):
                    writer.write(chunk)
            manifest.append(ManifestEntry(path, writer.digest.hexdigest(), writer.size, "evidence", candidate,
                                          enrolment.unit.code, evidence_file.evidence.reference))
            beat()
        progress()
    return manifest


def _write_manifests(archive: zipfile.ZipFile, manifest: list[ManifestEntry]) -> None:
    text = io.StringIO()
    fields = list(ManifestEntry.__dataclass_fields__)
    writer = csv.DictWriter(text, fieldnames=fields)
    writer.writeheader()
    for entry in manifest:
        writer.writerow(asdict(entry))
    archive.writestr("manifest.csv", text.getvalue())
    archive.writestr("manifest.json", json.dumps([asdict(e) for e in manifest], indent=2))


class Superseded(Exception):
    """`manage.py exports_watch` took this try for a killed worker's and started another (or gave
    the export up): this one stops, so two builders never race to finish one export."""


def _beat(export: BulkExport, attempt: int, **fields: object) -> None:
    """Records that this try is alive (with any progress), if the export is still this try's."""
    mine = BulkExport.objects.filter(pk=export.pk, status=BulkExport.Status.RUNNING, attempts=attempt)
    if not mine.update(heartbeat_at=timezone.now(), **fields):
        raise Superseded(f"Bulk export {export.pk}: attempt {attempt} was given up as stalled")


def build(export: BulkExport) -> None:
    """Builds the ZIP for an export and stores it privately; records progress as it goes."""
    enrolments = list(
        export.enrolments.select_related("candidate", "unit", "centre", "assessor", "iqa")
        .order_by("candidate__last_name", "candidate__first_name", "candidate_id", "unit__code")
    )
    export.status = BulkExport.Status.RUNNING
    export.units_total = len(enrolments)
    export.units_done = 0
    export.attempts += 1
    export.heartbeat_at = timezone.now()
    export.save(update_fields=["status", "units_total", "units_done", "attempts", "heartbeat_at"])
    attempt = export.attempts

    def progress() -> None:
        export.units_done += 1
        _beat(export, attempt, units_done=export.units_done)

    with tempfile.TemporaryFile(suffix=".zip") as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            manifest = write_archive(export, enrolments, archive, progress, lambda: _beat(export, attempt))
            _write_manifests(archive, manifest)
        spool.seek(0)
        digest, size = hashlib.sha256(), 0
        while chunk := spool.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        spool.seek(0)
        name = default_storage.save(f"exports/{export.centre_id}/{uuid.uuid4().hex}.zip", File(spool))
    export.file.name = name
    export.size = size
    export.sha256 = digest.hexdigest()
    export.status = BulkExport.Status.DONE
    export.finished_at = timezone.now()
    try:
        _beat(export, attempt, file=name, size=size, sha256=export.sha256, status=export.status,
              finished_at=export.finished_at, error="")
    except Superseded:
        default_storage.delete(name)
        raise
    audit.record(
        ExportAction.EXPORT_BUILT,
        actor=None,
        centre=export.centre,
        summary=f"Bulk export {export.pk} built: {len(enrolments)} unit{pluralize(len(enrolments))}, "
        f"{len(manifest)} file{pluralize(len(manifest))}",
        after={"export": export.pk, "sha256": export.sha256, "size": size},
    )
