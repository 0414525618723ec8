"""A centre's bulk export: one ZIP with a folder per candidate holding each unit's PDF and the
original evidence files, and a manifest (CSV and JSON) of every file with its SHA-256, so the
awarding body can check nothing was altered.

It is built by a background worker, one unit at a time: each PDF is written straight into the
ZIP on disk and each evidence file is copied across in chunks, so memory stays flat however many
units there are.

It never carries a record that has changed since sign-off: each unit is checked before it is
written (exports/checks.py) and each file hashed as it is read (exports/bulk_staging.py); a unit
that fails either is left out, and the ZIP (`left-out.txt`, `left-out.json`), the export's page and
the audit trail say why. The manifest's digests for a signed-off unit are the signed ones.
"""

import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from django.db.models import Q, QuerySet
from django.template.defaultfilters import pluralize
from django.utils.text import get_valid_filename, slugify

from assessments.models import SignOff
from portfolio import audit, spreadsheets
from portfolio.access import shown_to
from portfolio.case_evidence import of_enrolment
from portfolio.models import Centre, Enrolment, Evidence, EvidenceFile

from . import zip_builds
from .audit_actions import ExportAction
from .bulk_staging import (
    CHANGED_SINCE_SIGN_OFF,
    CHANGED_SINCE_UPLOAD,
    LEFT_OUT_JSON,
    LEFT_OUT_TEXT,
    LeftOut,
    RecordFile,
    Staged,
    signed_files,
    stage,
)
from .checks import Boundary, RecordCheck, record_check, sign_off_of_record
from .manifest_seal import MANIFEST_JSON, MANIFEST_SEAL, seal_manifest
from .models import BulkExport
from .seal_keys import seal_for
from .unit_pdf import render_unit_pdf
from .zip_builds import Superseded as Superseded  # what a try given up for stalled raises

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

CHUNK = 1024 * 1024
OWN_ACCOUNT = "the export's own account"  # the kind of manifest.csv, left-out.txt and left-out.json


@dataclass
class ManifestEntry:
    path: str
    sha256: str
    size: int
    kind: str  # "unit portfolio", "evidence" or OWN_ACCOUNT
    candidate: str
    unit: str = ""
    evidence: str = ""


class HashingWriter(io.RawIOBase):
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


def candidate_folder(enrolment: Enrolment) -> str:
    name = slugify(enrolment.candidate.get_full_name()) or "candidate"
    return f"{name}-{enrolment.candidate_id}"


def _evidence_files(enrolment: Enrolment) -> QuerySet[EvidenceFile]:
    unit = enrolment.unit
    evidence = Evidence.objects.filter(
        Q(criteria__unit=unit) | Q(knowledge_items__unit=unit) | Q(scope_items__category__unit=unit)
        | Q(decisions__enrolment=enrolment),
        of_enrolment(enrolment),
    ).filter(shown_to(None)).distinct()
    return (
        EvidenceFile.objects.filter(evidence__in=evidence, removed_in_version__isnull=True)
        .select_related("evidence")
        .order_by("evidence__number", "id")
    )


def _record_files(enrolment: Enrolment, standing: SignOff | None) -> list[RecordFile]:
    if standing is not None:
        return signed_files(standing)
    return [RecordFile(f, f.sha256, signed=False) for f in _evidence_files(enrolment)]


class ExportError(Exception):
    """The export cannot go on without letting out a file it cannot vouch for: this try stops
    (exports/tasks.py tries again, then fails the export with these words)."""


def write_archive(
    export: BulkExport, enrolments: list[Enrolment], archive: zipfile.ZipFile, progress: Callable[[], object],
    beat: Callable[[], object] = lambda: None,
) -> tuple[list[ManifestEntry], list[LeftOut]]:
    """Writes each unit's PDF and files; `progress` after every unit, `beat` after every file, so
    a long video copied from object storage does not look like a killed worker.

    Each signed-off unit's record is checked first (every signed file read and hashed): a unit
    whose record has changed since sign-off is left out, with the check's words, never exported
    with a digest other than the signed one. Its files are then copied out of storage and hashed
    as they are read (bulk_staging.py), and a file that differs leaves the unit out too."""
    manifest: list[ManifestEntry] = []
    left_out: list[LeftOut] = []
    copied: set[int] = set()  # holistic evidence appears once per candidate, not once per unit
    for enrolment in enrolments:
        standing = sign_off_of_record(enrolment)
        record = record_check(standing, boundary=Boundary.BULK_EXPORT)
        if record.changed:
            left_out.append(LeftOut.of(enrolment, CHANGED_SINCE_SIGN_OFF, record.changes, record))
        else:
            files = [f for f in _record_files(enrolment, standing) if f.evidence_file.pk not in copied]
            with tempfile.TemporaryDirectory(prefix="export-unit-") as folder:
                staged = stage(files, Path(folder), beat)
                if staged.problems:
                    # MERGE (issue #12, branch fixity): a signed file that changed between the check and
                    # the copy is a failed check too; record it with fixity.record as checks.checked does.
                    reason = CHANGED_SINCE_SIGN_OFF if standing is not None else CHANGED_SINCE_UPLOAD
                    left_out.append(LeftOut.of(enrolment, reason, staged.problems, record))
                else:
                    manifest += _write_unit(archive, enrolment, record, staged)
                    copied.update(f.evidence_file.pk for f in files)
        progress()
    return manifest, left_out


def _write_unit(archive: zipfile.ZipFile, enrolment: Enrolment, record: RecordCheck, staged: Staged) -> list[ManifestEntry]:
    """The unit's PDF and its staged files, into the ZIP; each file hashed again as it goes in."""
    folder = candidate_folder(enrolment)
    candidate = enrolment.candidate.get_full_name()
    pdf_path = f"{folder}/{enrolment.unit.slug}-portfolio.pdf"
    with archive.open(pdf_path, "w", force_zip64=True) as entry:
        writer = HashingWriter(entry)
        render_unit_pdf(enrolment, target=cast(IO[bytes], writer), record=record)  # a writable binary stream
    entries = [ManifestEntry(pdf_path, writer.digest.hexdigest(), writer.size, "unit portfolio", candidate,
                             enrolment.unit.code)]
    for record_file, staged_path in staged.paths:
        evidence_file = record_file.evidence_file
        label = get_valid_filename(evidence_file.original_name) or "file"
        path = f"{folder}/evidence/{evidence_file.evidence.reference}-{evidence_file.pk}-{label}"
        with staged_path.open("rb") as source, archive.open(path, "w", force_zip64=True) as entry:
            writer = HashingWriter(entry)
            while chunk := source.read(CHUNK):
                writer.write(chunk)
        if writer.digest.hexdigest() != record_file.sha256:
            # Our own temporary copy changed under us (a failing disk): the entry cannot be taken
            # back out of the ZIP, so the whole try stops rather than let it out.
            raise ExportError(f"{record_file.label} changed on this machine's disk while the export was being built")
        entries.append(ManifestEntry(path, record_file.sha256, writer.size, "evidence", candidate,
                                     enrolment.unit.code, evidence_file.evidence.reference))
    return entries


def _write_own_file(archive: zipfile.ZipFile, path: str, content: bytes) -> ManifestEntry:
    archive.writestr(path, content)
    return ManifestEntry(path, hashlib.sha256(content).hexdigest(), len(content), OWN_ACCOUNT, "")


def _write_manifests(archive: zipfile.ZipFile, centre: Centre, manifest: list[ManifestEntry],
                     left_out: list[LeftOut]) -> None:
    """The units left out, if any; manifest.csv (every file so far); manifest.json (every file but
    itself, manifest.csv too); and manifest.json's seal (exports/manifest_seal.py), which is what
    makes the list prove anything: no unit taken out, nothing added, the account of units left out
    as built."""
    listed = list(manifest)
    if left_out:
        listed.append(_write_own_file(archive, LEFT_OUT_TEXT, left_out_text(left_out).encode()))
        left_out_json = json.dumps([asdict(unit) for unit in left_out], indent=2, ensure_ascii=False)
        listed.append(_write_own_file(archive, LEFT_OUT_JSON, left_out_json.encode()))
    text = io.StringIO()
    writer = spreadsheets.dict_writer(text, fieldnames=list(ManifestEntry.__dataclass_fields__))
    writer.writeheader()
    for entry in listed:
        writer.writerow(asdict(entry))
    listed.append(_write_own_file(archive, "manifest.csv", text.getvalue().encode()))
    listing = json.dumps([asdict(e) for e in listed], indent=2, ensure_ascii=False).encode()
    archive.writestr(MANIFEST_JSON, listing)
    archive.writestr(MANIFEST_SEAL, seal_manifest(listing, seal_for(centre)))


def left_out_text(left_out: list[LeftOut]) -> str:
    lines = [
        "Units left out of this export",
        "",
        "These units were asked for but are not in this export, each for the reason below (most often: what",
        "they would carry no longer matches their record). Nothing of theirs is in the ZIP. Ask the centre",
        "before claiming them.",
    ]
    for unit in left_out:
        checked = f" (checked {unit.checked_at})" if unit.checked_at else ""
        lines += ["", f"{unit.title}: {unit.reason}{checked}"]
        lines += [f"  - {problem}" for problem in unit.problems]
    return "\n".join(lines) + "\n"


def build(export: BulkExport) -> None:
    """Builds the ZIP for an export and stores it privately; records progress as it goes."""
    enrolments = list(
        export.enrolments.select_related("candidate", "unit", "centre", "assessor", "iqa")
        .order_by("candidate__last_name", "candidate__first_name", "candidate_id", "unit__code")
    )
    attempt = zip_builds.start(export, total=len(enrolments))
    found: dict[str, list] = {}

    def progress() -> None:
        export.units_done += 1
        zip_builds.beat(export, attempt, units_done=export.units_done)

    def write(spool: IO[bytes]) -> dict[str, object]:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            manifest, left_out = write_archive(
                export, enrolments, archive, progress, lambda: zip_builds.beat(export, attempt)
            )
            _write_manifests(archive, export.centre, manifest, left_out)
        found.update(manifest=manifest, left_out=left_out)
        return {"left_out": [asdict(unit) for unit in left_out]}

    zip_builds.spool_and_store(export, attempt, write)
    _record_built(export, len(enrolments), found["manifest"], found["left_out"])


def _record_built(export: BulkExport, asked: int, manifest: list[ManifestEntry], left_out: list[LeftOut]) -> None:
    """The export in the audit trail; each unit left out in its own unit's trail too, so its
    assessor and IQA see that it did not go to the awarding body, and why."""
    leaving = f"; {len(left_out)} left out ({', '.join(unit.title for unit in left_out)})" if left_out else ""
    audit.record(
        ExportAction.EXPORT_BUILT,
        actor=None,
        centre=export.centre,
        summary=f"Bulk export {export.pk} built: {asked} unit{pluralize(asked)} asked for, "
        f"{len(manifest)} file{pluralize(len(manifest))}{leaving}"[:300],
        after={"export": export.pk, "sha256": export.sha256, "size": export.size, "left_out": export.left_out},
    )
    zip_builds.record_units_left_out(
        export.centre, left_out, ExportAction.UNIT_LEFT_OUT, f"bulk export {export.pk}", "export", export.pk
    )
