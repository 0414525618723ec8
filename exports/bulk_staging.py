"""A unit's evidence files on their way into a bulk export: which files its record vouches for,
with the digest it vouches for each, and each copied out of storage and hashed as it is read,
before any of them enters the ZIP.

Why a staging folder rather than copying straight into the ZIP: a ZIP entry cannot be taken back
once written (Python's zipfile has no way to drop one, short of reaching into its internals to
truncate the archive), and a file can change between the check of the record and its copy. So each
unit's files are first copied to a temporary folder, hashed as they are read; only when every one
is the file its record vouches for do the unit's PDF and files go into the ZIP. A file that differs
leaves the unit out, as the check would have. The ZIP therefore never holds a file whose digest
differs from the manifest's, and the manifest lists the signed digests. The cost is one local
write and read of one unit's files at a time; memory stays flat (files go in chunks)."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assessments.models import SignOff
from portfolio.models import Enrolment, EvidenceFile

from .checks import RecordCheck

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class RecordFile:
    """A file a unit's record vouches for, with the SHA-256 it vouches for: the signed one for a
    signed-off unit, the one taken at upload for a unit not signed off."""

    evidence_file: EvidenceFile
    sha256: str
    signed: bool

    @property
    def label(self) -> str:
        return f"{self.evidence_file.evidence.reference} {self.evidence_file.original_name}"


def signed_files(standing: SignOff) -> list[RecordFile]:
    """The files the sign-off's manifest names, with their signed digests: exactly what was
    signed, nothing mapped or uploaded since."""
    entries = (standing.manifest.get("files") if isinstance(standing.manifest, dict) else None) or []
    found = EvidenceFile.objects.select_related("evidence").in_bulk([e.get("file_id") for e in entries])
    return [
        RecordFile(found[entry["file_id"]], str(entry.get("sha256")), signed=True)
        for entry in entries if entry.get("file_id") in found
    ]


@dataclass
class LeftOut:
    """A unit a bulk export left out, and why, in the words the check used."""

    enrolment: int
    candidate: str
    unit: str
    reason: str
    problems: list[str]
    checked_at: str | None = None

    @classmethod
    def of(cls, enrolment: Enrolment, reason: str, problems: list[str], record: RecordCheck | None = None) -> "LeftOut":
        checked_at = record.as_manifest()["checked_at"] if record is not None else None
        return cls(enrolment.pk, enrolment.candidate.get_full_name(), enrolment.unit.code, reason, problems, checked_at)

    @property
    def title(self) -> str:
        return f"{self.candidate}, {self.unit}"


# The ZIP's own account of the units it left out, for people and for verify_export.
LEFT_OUT_TEXT = "left-out.txt"
LEFT_OUT_JSON = "left-out.json"
CHANGED_SINCE_SIGN_OFF = "its record has changed since sign-off"
CHANGED_SINCE_UPLOAD = "an evidence file is no longer the file that was uploaded"


@dataclass
class Staged:
    """A unit's files copied out of storage: where each is, and every way one was not the file
    its record vouches for."""

    paths: list[tuple[RecordFile, Path]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def stage(files: list[RecordFile], folder: Path, beat: Callable[[], object] = lambda: None) -> Staged:
    """Copies each file into `folder`, hashing the bytes as they are read."""
    staged = Staged()
    for number, record_file in enumerate(files):
        path = folder / str(number)
        digest = hashlib.sha256()
        try:
            with record_file.evidence_file.file.open("rb") as source, path.open("wb") as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    target.write(chunk)
        except OSError:  # missing, or storage that cannot be read
            staged.problems.append(f"{record_file.label} could not be read from storage.")
            continue
        finally:
            beat()  # a long video copied from object storage must not look like a killed worker
        found = digest.hexdigest()
        if found != record_file.sha256:
            staged.problems.append(_differs(record_file, found))
        staged.paths.append((record_file, path))
    return staged


def _differs(record_file: RecordFile, found: str) -> str:
    now, vouched = f"its SHA-256 is now {found[:12]}…", f"{record_file.sha256[:12]}…"
    if record_file.signed:
        return f"{record_file.label} changed as it was copied into the export: {now}, {vouched} was signed."
    return f"{record_file.label} is not the file that was uploaded: {now}, {vouched} was recorded at upload."
