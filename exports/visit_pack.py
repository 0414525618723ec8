"""An EQA's visit pack: the records an external quality assurer's visit asks for, for a sample of
units, in one ZIP built on the worker, with a manifest of every file in it.

The build: each unit's record is checked first (every signed file read and hashed, as the bulk
export does); a unit whose record has changed since sign-off is left out of every section, and the
ZIP (`left-out.txt`, `left-out.json`), the pack's page and the unit's audit trail say why. Then each
registered section (exports/pack_sections.py) writes its files, in the order they were registered;
every file is hashed as it goes into the ZIP. Last, `manifest.csv` and `manifest.json` list every
file with its SHA-256 and size (`manifest.json` lists `manifest.csv` too; it cannot list itself),
and `manifest.json.p7s` seals `manifest.json` with the centre's seal (exports/manifest_seal.py), so
a file changed and the manifests recomputed no longer pass. `manage.py verify_export` checks a pack
(exports/pack_verification.py).

The pack carries records, not evidence files: the EQA reads the evidence online, where each file's
reading is logged; the unit PDFs list every file of the record with its SHA-256."""

import io
import json
import zipfile
from dataclasses import asdict, dataclass
from typing import IO

from django.db.models import QuerySet
from django.template.defaultfilters import pluralize
from django.utils import timezone

from assessments.integrity import utc_iso
from portfolio import audit, spreadsheets
from portfolio.models import Enrolment

from . import zip_builds
from .access import pack_units_for_user
from .audit_actions import ExportAction
from .bulk import HashingWriter, left_out_text
from .bulk_staging import CHANGED_SINCE_SIGN_OFF, LEFT_OUT_JSON, LEFT_OUT_TEXT, LeftOut
from .checks import Boundary, record_check, sign_off_of_record
from .manifest_seal import MANIFEST_JSON, MANIFEST_SEAL, seal_manifest
from .models import VisitPack
from .pack_sections import PackSection, Sample, sections
from .seal_keys import seal_for

CHUNK = 1024 * 1024
FORMAT = "visit-pack/1"  # what manifest.json says it is, for verify_export
MANIFEST_CSV = "manifest.csv"
OWN_FILES = (MANIFEST_JSON, MANIFEST_SEAL, MANIFEST_CSV, LEFT_OUT_TEXT, LEFT_OUT_JSON)
PACK_FILES = "The pack's own account"
NOT_READABLE = "the person who asked for the pack may not read it"  # the section of left-out.txt, left-out.json and manifest.csv


@dataclass
class PackEntry:
    path: str
    sha256: str
    size: int
    content_type: str
    section: str


class PackError(Exception):
    """A section offered a file the pack cannot take (a path that is not a plain relative one, or
    one used already): a fault in the section, so this try stops."""


class _Progress:
    """Steps: each unit's check, then each section's files, up to a unit's worth per unit (most
    sections write a file or two per unit), so the bar moves as the slow parts go."""

    def __init__(self, pack: VisitPack, attempt: int, per_part: int) -> None:
        self.pack, self.attempt, self.per_part = pack, attempt, per_part

    def step(self, **fields: object) -> None:
        self.pack.units_done = min(self.pack.units_done + 1, self.pack.units_total)
        zip_builds.beat(self.pack, self.attempt, units_done=self.pack.units_done, **fields)

    def part_done(self, started_at: int) -> None:
        self.pack.units_done = min(started_at + self.per_part, self.pack.units_total)
        zip_builds.beat(self.pack, self.attempt, units_done=self.pack.units_done)


def pack_enrolments(pack: VisitPack) -> QuerySet[Enrolment]:
    return pack.enrolments.select_related("candidate", "unit", "unit__suite", "centre", "assessor", "iqa").order_by(
        "candidate__last_name", "candidate__first_name", "candidate_id", "unit__code"
    )


def check_sample(enrolments: list[Enrolment], progress: _Progress) -> tuple[Sample, list[LeftOut]]:
    """The units whose record holds, each with its check; the others left out, with the check's words."""
    kept, left_out = [], []
    for enrolment in enrolments:
        standing = sign_off_of_record(enrolment)
        record = record_check(standing, boundary=Boundary.VISIT_PACK)
        if record.changed:
            left_out.append(LeftOut.of(enrolment, CHANGED_SINCE_SIGN_OFF, record.changes, record))
        else:
            kept.append((enrolment, record))
        progress.step()
    records = {enrolment.pk: record for enrolment, record in kept}
    return Sample([enrolment for enrolment, _ in kept], records, reader=progress.pack.requested_by), left_out


def readable_by_requester(pack: VisitPack, enrolments: list[Enrolment]) -> tuple[list[Enrolment], list[LeftOut]]:
    """The units the person who asked for the pack may still read now (`access.pack_units_for_user`,
    whatever the pack's row says), and the others left out, saying so: an EQA's grant narrowed or
    ended since the request, or a unit put in the pack outside the portfolio."""
    readable = set(pack_units_for_user(pack.requested_by, pack.centre).filter(pk__in=[e.pk for e in enrolments])
                   .values_list("pk", flat=True))
    left_out = [LeftOut.of(e, NOT_READABLE, [f"{pack.requested_by.get_full_name()}, who asked for the pack, may not read "
                                             "this unit now."]) for e in enrolments if e.pk not in readable]
    return [e for e in enrolments if e.pk in readable], left_out


def build(pack: VisitPack) -> None:
    """Builds the pack's ZIP and stores it privately; records progress as it goes."""
    enrolments, unreadable = readable_by_requester(pack, list(pack_enrolments(pack)))
    parts = sections()
    attempt = zip_builds.start(pack, total=len(enrolments) * (1 + len(parts)), stage="Checking each unit’s record")
    progress = _Progress(pack, attempt, per_part=len(enrolments))
    sample, left_out = check_sample(enrolments, progress)
    left_out = unreadable + left_out
    found: dict[str, list[PackEntry]] = {}

    def write(spool: IO[bytes]) -> dict[str, object]:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            files: list[PackEntry] = []
            for section in parts:
                zip_builds.beat(pack, attempt, stage=section.name)
                started_at = pack.units_done
                files += _write_section(archive, section, sample, files, progress)
                progress.part_done(started_at)
            if left_out:
                files.append(_write(archive, LEFT_OUT_TEXT, left_out_text(left_out).encode(), "text/plain", PACK_FILES))
                left_out_json = json.dumps([asdict(unit) for unit in left_out], indent=2, ensure_ascii=False)
                files.append(_write(archive, LEFT_OUT_JSON, left_out_json.encode(), "application/json", PACK_FILES))
            _write_manifests(archive, pack, files, sample, left_out)
        found["files"] = files
        return {"left_out": [asdict(unit) for unit in left_out], "stage": ""}

    zip_builds.spool_and_store(pack, attempt, write)
    _record_built(pack, len(enrolments) + len(unreadable), found["files"], left_out)


def _write_section(
    archive: zipfile.ZipFile, section: PackSection, sample: Sample, written: list[PackEntry], progress: _Progress
) -> list[PackEntry]:
    taken = {entry.path for entry in written}
    entries = []
    for path, content, content_type in section.builder(progress.pack.centre, sample):
        if not _plain_path(path) or path in taken or path in OWN_FILES:
            raise PackError(f"The section “{section.name}” offered a file the pack cannot take: {path!r}")
        taken.add(path)
        entries.append(_write(archive, path, content, content_type, section.name))
        progress.step()
    return entries


def _plain_path(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\\" not in path and all(p not in ("", ".", "..") for p in parts)


def _write(archive: zipfile.ZipFile, path: str, content: bytes | IO[bytes], content_type: str, section: str) -> PackEntry:
    """One file into the ZIP, hashed and counted as it is written."""
    with archive.open(path, "w", force_zip64=True) as entry:
        writer = HashingWriter(entry)
        if isinstance(content, bytes | bytearray):
            writer.write(content)
        else:
            while chunk := content.read(CHUNK):
                writer.write(chunk)
    return PackEntry(path, writer.digest.hexdigest(), writer.size, content_type, section)


def _write_manifests(
    archive: zipfile.ZipFile, pack: VisitPack, files: list[PackEntry], sample: Sample, left_out: list[LeftOut]
) -> None:
    text = io.StringIO()
    writer = spreadsheets.dict_writer(text, fieldnames=list(PackEntry.__dataclass_fields__))
    writer.writeheader()
    for entry in files:
        writer.writerow(asdict(entry))
    listed = [*files, _write(archive, MANIFEST_CSV, text.getvalue().encode("utf-8"), "text/csv", PACK_FILES)]
    manifest = {
        "format": FORMAT,
        "pack": pack.pk,
        "centre": {"code": pack.centre.code, "name": pack.centre.name},
        "requested_by": pack.requested_by.get_full_name(),
        "built_at": utc_iso(timezone.now()),
        "sections": [section.name for section in sections()],
        "units": [
            {"enrolment": e.pk, "candidate": e.candidate.get_full_name(), "unit": e.unit.code,
             "record": (sample.record_of(e) or record_check(None, boundary=Boundary.VISIT_PACK)).as_manifest()}
            for e in sample
        ],
        "left_out": [asdict(unit) for unit in left_out],
        "files": [asdict(entry) for entry in listed],
    }
    listing = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    archive.writestr(MANIFEST_JSON, listing)
    archive.writestr(MANIFEST_SEAL, seal_manifest(listing, seal_for(pack.centre)))


def _record_built(pack: VisitPack, asked: int, files: list[PackEntry], left_out: list[LeftOut]) -> None:
    """The pack in the centre's audit trail; each unit left out in its own unit's trail too."""
    leaving = f"; {len(left_out)} left out ({', '.join(unit.title for unit in left_out)})" if left_out else ""
    audit.record(
        ExportAction.VISIT_PACK_BUILT,
        actor=None,
        centre=pack.centre,
        summary=f"Visit pack {pack.pk} built: {asked} unit{pluralize(asked)} asked for, "
        f"{len(files)} file{pluralize(len(files))}{leaving}"[:300],
        after={"pack": pack.pk, "sha256": pack.sha256, "size": pack.size, "left_out": pack.left_out},
    )
    zip_builds.record_units_left_out(
        pack.centre, left_out, ExportAction.UNIT_LEFT_OUT_OF_PACK, f"visit pack {pack.pk}", "pack", pack.pk
    )
