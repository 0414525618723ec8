"""Restoring a backup onto an empty installation: its signature, its member names and every member
against its digest checked (checking.py) before anything is written, the data and the files loaded
together, and everything read back."""

import datetime
import hashlib
import hmac
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from django.core.exceptions import SuspiciousOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.utils import timezone

from assessments import fixity, integrity, sign_off_seals, testimony_seals
from assessments.models import SignOff
from exports import zip_seals
from ops.audit_trail import findings as audit_findings
from ops.audit_trail import heads as audit_heads
from portfolio import (
    audit_chain,
    case_seals,
    dates,
    grant_seals,
    membership_seals,
    pending_seals,
    person_seals,
    registration_seals,
    row_seals,
)
from portfolio.models import Membership

from . import checking, older_versions, signing
from .archive import (
    STANDARDS_APP,
    BackupError,
    Say,
    applied_migrations,
    copy_counted,
    in_one_line,
    row_counts,
)

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


@dataclass
class RestoreSummary:
    rows: int
    files: int
    file_bytes: int
    sign_offs: int
    problems: list[str] = field(default_factory=list)  # where the restored data does not match the backup
    # Signed records the checks after the restore found changed since sign-off: in the backup as they
    # are, when they were changed before it was made (said apart: the restore did not change them).
    changed_records: list[str] = field(default_factory=list)


def restore(
    path: Path, *, accept_unsigned: bool = False, using: str = DEFAULT_DB_ALIAS, say: Say = lambda line: None
) -> RestoreSummary:
    """Checks the archive's member names and its signature by the backup key, then the manifest and
    every member against it, then (and only then) migrates the database, makes sure it and the
    storage are empty, and loads the data and the files in one transaction. Finally reads everything
    back: row counts, every file's digest, every standing sign-off's integrity."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path} cannot be read as a backup ({error}); nothing was restored.") from None
    with archive, tempfile.TemporaryDirectory(prefix="portfolio-restore-") as work:
        manifest, signed = checking.verified_manifest(archive, accept_unsigned=accept_unsigned)
        checking.check_manifest(manifest)
        checking.check_members(checking.member_files(archive), manifest, signed=signed)
        made = datetime.datetime.fromisoformat(manifest["created_at"])
        say(
            f"Backup made {dates.day_time(made)} {timezone.localtime(made):%Z} of a {manifest['database']} database: "
            f"{sum(manifest['counts'].values())} rows, {len(manifest['files'])} files."
        )
        if not signed:
            say(f"WARNING: restoring an unsigned backup (--accept-unsigned): {checking.UNSIGNED_RISK}.")
        dumps = _verify_archive(archive, manifest, Path(work))
        say(
            f"Signed with this installation's backup key ({signing.key_fingerprint()}); every member matches "
            "its SHA-256." if signed else "Every member matches its SHA-256 (in the unsigned manifest)."
        )
        call_command("migrate", interactive=False, verbosity=0, database=using)
        _check_migrations(manifest, using)
        _require_empty(manifest, using)
        with older_versions.audit_events_chained(manifest["migrations"], using):
            _load(archive, manifest, dumps, using)
        older_versions.sign_rows_left_unsigned(manifest["migrations"], using)
        say("Data loaded and files written back to storage.")
    return _check_restored(manifest, using)


def _verify_archive(archive: zipfile.ZipFile, manifest: dict, work: Path) -> list[Path]:
    """Reads every member through, comparing its SHA-256 and size with the manifest, and unpacks the
    two dumps into `work` as it goes, so what is loaded is exactly what was checked."""
    problems: list[str] = []
    dumps: list[Path] = []
    entries = [(entry, True) for entry in manifest["data"]] + [(entry, False) for entry in manifest["files"]]
    for entry, is_dump in entries:
        target = work / Path(entry["path"]).name if is_dump else None
        try:
            if archive.getinfo(entry["path"]).file_size != entry["size"]:
                # Checked before reading: a member reads no further than the size its header gives.
                problems.append(f"{entry['path']} is not the size the backup's manifest gives.")
                continue
            with archive.open(entry["path"]) as member, (target.open("wb") if target else _Discard()) as sink:
                sha256, size = copy_counted(member, sink)
        except KeyError:
            problems.append(f"{entry['path']} is listed in the manifest but missing from the archive.")
            continue
        except checking.READ_ERRORS as error:
            problems.append(f"{entry['path']} is damaged in the archive: {error}")
            continue
        if (sha256, size) != (entry["sha256"], entry["size"]):
            problems.append(
                f"{entry['path']} does not match the backup's manifest: SHA-256 {sha256[:12]}… and "
                f"{size} bytes, {entry['sha256'][:12]}… and {entry['size']} bytes were backed up."
            )
        if target:
            dumps.append(target)
    if problems:
        raise BackupError(in_one_line("The archive is damaged or altered; nothing was restored", problems))
    return dumps


class _Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: "ReadableBuffer") -> int:
        return memoryview(data).nbytes


class _HashingReader(io.RawIOBase):
    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # a writable buffer: memoryview or bytearray
        data = self.source.read(len(buffer))
        self.digest.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)


def _check_migrations(manifest: dict, using: str) -> None:
    here = applied_migrations(using)
    unknown = [
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
        if app in here and name not in here[app]
    ]
    if unknown:
        raise BackupError(in_one_line(
            "The backup was made by a newer version of the portfolio, with migrations this one does "
            "not have (install that version first); nothing was restored", unknown,
        ))


def _require_empty(manifest: dict, using: str) -> None:
    counts = {
        label: count for label, count in row_counts(using).items()
        if count and not label.startswith(f"{STANDARDS_APP}.")
    }
    # The refusal names only its first few tables: the centres and people first, since they say whose
    # data is there, then the fullest tables (not the order the models happen to be registered in).
    first = [label for label in ("portfolio.centre", "portfolio.person") if label in counts]
    rest = sorted((label for label in counts if label not in first), key=lambda label: -counts[label])
    held = [f"{counts[label]} {label}" for label in first + rest]
    if held:
        raise BackupError(in_one_line(
            "This installation already holds portfolio data, and a backup is restored only onto an empty "
            "one (a new database, migrated, with nothing else in it); nothing was restored", held,
        ))
    taken = [entry["name"] for entry in manifest["files"] if default_storage.exists(entry["name"])]
    if taken:
        raise BackupError(in_one_line(
            "The storage already holds files under names the backup needs (restore into empty "
            "storage); nothing was restored", taken,
        ))


def _load(archive: zipfile.ZipFile, manifest: dict, dumps: list[Path], using: str) -> None:
    """The data and the files together: if a file cannot be written, the data is rolled back and
    the files already written are removed, leaving the installation empty as it was."""
    written: list[str] = []
    try:
        with transaction.atomic(using=using):
            call_command("loaddata", *[str(dump) for dump in dumps], database=using, verbosity=0)
            for entry in manifest["files"]:
                with archive.open(entry["path"]) as member:
                    reader = _HashingReader(member)
                    content = File(cast(IO[bytes], reader), name=entry["name"])  # a readable binary stream
                    content.size = entry["size"]
                    saved = default_storage.save(entry["name"], content)
                written.append(saved)
                if saved != entry["name"]:
                    raise BackupError(f"{entry['name']} was stored as {saved}: the storage was not empty.")
                if reader.digest.hexdigest() != entry["sha256"]:
                    raise BackupError(f"{entry['path']} changed while it was being restored.")
    except BaseException as error:
        for name in written:
            default_storage.delete(name)
        if isinstance(error, DeserializationError | DatabaseError | SuspiciousOperation | ValueError):
            # Only an unsigned archive (or a bug) gets here: a signed one holds what backup wrote.
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise BackupError(f"The archive's data cannot be loaded ({first_line}); nothing was restored.") from None
        raise


def _check_restored(manifest: dict, using: str) -> RestoreSummary:
    problems = []
    counts = row_counts(using)
    for label, expected in manifest["counts"].items():
        if counts.get(label) != expected:
            problems.append(f"{label}: {counts.get(label)} rows restored, {expected} were backed up.")
    for entry in manifest["files"]:
        try:
            with default_storage.open(entry["name"], "rb") as stored:
                found = copy_counted(stored, _Discard())
        except FileNotFoundError:
            problems.append(f"{entry['name']} is missing from storage after the restore.")
            continue
        if found != (entry["sha256"], entry["size"]):
            problems.append(f"{entry['name']} reads back from storage with a different SHA-256.")
    for name in manifest.get("missing_files", []):
        problems.append(f"{name} was already missing from storage when the backup was made.")
    sign_offs = list(
        SignOff.objects.using(using).standing()
        .select_related("enrolment__unit", "enrolment__candidate").order_by("pk")
    )
    unsigned, changed = 0, []
    for sign_off in sign_offs:
        # Recorded as each sign-off's fixity check "after a restore", so its pages say when its files
        # were last verified, and a change found is told to the people on the case.
        report = fixity.check_and_record(sign_off, boundary=fixity.Boundary.RESTORE)
        changed += [f"{sign_off}: {problem}" for problem in report.problems]
        unsigned += not _signature_matches(sign_off)
    # A sign-off deleted or copied in before the backup was made is in it as it was: said too.
    changed += [f"{enrolment}: {problem}" for enrolment, found in sign_off_seals.check_every_enrolment()
                for problem in found]
    changed += _changed_by_hand() + _trails_checked(problems)
    if sign_offs and unsigned == len(sign_offs):
        problems.append(
            "No sign-off's signature verifies: PORTFOLIO_SIGNING_KEY (or, if it is unset, DJANGO_SECRET_KEY) "
            "is probably not the key of the installation the backup was made on."
        )
    return RestoreSummary(
        rows=sum(counts.get(label, 0) for label in manifest["counts"]),
        files=len(manifest["files"]),
        file_bytes=sum(entry["size"] for entry in manifest["files"]),
        sign_offs=len(sign_offs),
        problems=problems,
        changed_records=changed,
    )


def _changed_by_hand() -> list[str]:
    """What the backup holds changed in its database by hand, each put right or shut as the nightly
    check does, in words."""
    changed: list[str] = []
    # Rights and roles given by hand before the backup was made are put right, and said; so are
    # evidence items and files moved by hand.
    changed += person_seals.check_everyone() + membership_seals.settle(Membership.objects.all())
    moved, stuck = row_seals.check_every_row()
    changed += moved + stuck
    # An EQA's access given or changed by hand: it opens nothing.
    changed += [grant_seals.said(grant) for grant in grant_seals.check_every_grant()]
    # An invitation, a prepared registration or roles kept for reactivating changed by hand: not acted on.
    changed += pending_seals.check_every_row() + registration_seals.check_every_registration()
    # A case changed by hand before the backup was made: nobody but its administrators is let in.
    changed += [f"{enrolment}: the people on it were changed outside the portfolio: {case_seals.what_changed(enrolment)}"
                for enrolment in case_seals.check_every_enrolment()]
    # A bulk export or visit pack, or a witness's testimony link, put in or changed by hand: it
    # serves or opens nothing.
    return changed + zip_seals.check_every_row() + testimony_seals.check_every_request()


def _trails_checked(problems: list[str]) -> list[str]:
    """Audit events changed, put in or deleted outside the portfolio (`portfolio.audit_chain`), in
    words: the centre's administrators are told, as the nightly check tells them; those the centre
    recorded as dealt with, with nothing changed since, are known and not said again
    (`findings.acknowledge`). A restore rewinds the trails as it should: they are not compared with the
    latest events the last check recorded, but recorded as restored, for the next check to compare
    with (`ops.audit_trail.heads`); a failure to record them is added to `problems`."""
    changed = []
    for findings in (found for found in audit_chain.every_centre() if found.count and not audit_findings.acknowledged(found)):
        audit_findings.tell(findings)
        changed += [f"The audit trail of {findings.centre.name}: {line}" for line in findings.lines()]
    try:
        audit_heads.write()
    except OSError as error:
        problems.append(f"The latest audit event of each centre could not be recorded at {audit_heads.path()} "
                        f"({error}): run manage.py check_fixity once it can be, before anything else.")
    return changed


def _signature_matches(sign_off: SignOff) -> bool:
    expected = integrity.assessor_signature(
        manifest=sign_off.manifest, enrolment_id=sign_off.enrolment_id, assessor_id=sign_off.assessor_id,
        signed_at=sign_off.assessor_signed_at,
    )
    return hmac.compare_digest(expected, sign_off.signature)


