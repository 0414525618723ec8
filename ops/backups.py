"""One consistent backup of an installation in one ZIP, and its restore onto an empty installation.

The archive holds:

- `data/standards.json`: the standards, by natural key (as `dumpdata --natural-foreign
  --natural-primary` writes them), so they load the same onto an installation that already has them;
- `data/records.json`: everything else, with natural foreign keys but its own primary keys. Those
  must survive: a sign-off's signature is an HMAC over the ids of its enrolment, assessor,
  decisions, evidence and files, so records loaded under new ids would no longer verify. For the
  same reason times keep their microseconds, which dumpdata's JSON drops (see `_dump`);
- `files/<name>`: every file a record names in the default storage (evidence files, exports), under
  its storage name;
- `manifest.json`, written last: the SHA-256 and size of every member, the rows of every model and
  the migrations the data was taken at.

Both dumps and the list of files are read in one transaction (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite), so they agree with each other even while people work. Files are never
changed once stored, so copying them after that transaction still gives the bytes the rows name.

Not backed up: content types and permissions (every migrated installation makes its own), sessions
(everyone signs in again), the admin's log and sign-in lock-outs.
"""

import contextlib
import datetime
import hashlib
import hmac
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField, Model
from django.utils import timezone

from assessments import integrity
from assessments.models import SignOff

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, SupportsRead, SupportsWrite

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
STANDARDS_DATA = "data/standards.json"
RECORDS_DATA = "data/records.json"
FILES = "files/"
CHUNK = 1024 * 1024

NOT_BACKED_UP_APPS = {"contenttypes", "sessions", "axes"}
NOT_BACKED_UP_MODELS = {"auth.permission", "admin.logentry"}
STANDARDS_APP = "standards"

Say = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why in words an operator can act on."""


# What is backed up.


def backed_up_models() -> list[type[Model]]:
    """Every model whose rows go in the archive, with the tables behind many-to-many fields."""
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.swapped or not meta.managed:
            continue
        if meta.app_label in NOT_BACKED_UP_APPS or meta.label_lower in NOT_BACKED_UP_MODELS:
            continue
        chosen.append(model)
    return chosen


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.using(using).count() for model in backed_up_models()}


def stored_file_names(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every name a record gives to a file in the default storage."""
    names: set[str] = set()
    for model in backed_up_models():
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, FileField):
                continue
            if model_field.storage is not default_storage:
                raise BackupError(f"{model._meta.label}.{model_field.name} keeps its files outside the default storage.")
            column = model_field.attname
            rows = model._default_manager.using(using).exclude(**{column: ""}).exclude(**{f"{column}__isnull": True})
            names.update(rows.values_list(column, flat=True))
    return sorted(names)


@contextlib.contextmanager
def consistent_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Every query inside sees the database as it was at one moment."""
    connection = connections[using]
    if connection.in_atomic_block:
        # Already inside a transaction (a caller's, or a test's): that is the snapshot.
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # A plain (deferred) transaction, not the IMMEDIATE one Django's atomic() opens here, which
        # would take the write lock: a backup only reads.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic(using=using):
            yield


# Streams that count and hash what passes through them.


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


def _copy(source: "SupportsRead[bytes]", target: "SupportsWrite[bytes]") -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return digest.hexdigest(), size


def _member(name: str, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16  # personal data: readable by its owner only when unpacked
    return info


# Backing up.


@dataclass
class BackupSummary:
    path: Path
    rows: int
    files: int
    file_bytes: int
    missing: list[str] = field(default_factory=list)


def backup(path: Path, *, using: str = DEFAULT_DB_ALIAS, say: Say = lambda line: None) -> BackupSummary:
    """Writes the archive to `path`, which must not exist yet. It appears there only when complete."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; a backup never replaces another.")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder; make it first.")
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="portfolio-backup-") as work:
        standards_dump, records_dump = Path(work) / "standards.json", Path(work) / "records.json"
        with consistent_snapshot(using):
            models = backed_up_models()
            standards = [model for model in models if model._meta.app_label == STANDARDS_APP]
            _dump(standards_dump, standards, natural_primary=True, using=using)
            _dump(records_dump, [m for m in models if m not in standards], natural_primary=False, using=using)
            counts = row_counts(using)
            names = stored_file_names(using)
            migrations = _applied_migrations(using)
        say(f"Database read: {sum(counts.values())} rows; copying {len(names)} stored files.")
        manifest: dict[str, Any] = {
            "format": ARCHIVE_FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connections[using].vendor,
            "migrations": migrations,
            "counts": counts,
            "data": [],
            "files": [],
            "missing_files": [],
        }
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
                for member, dump in ((STANDARDS_DATA, standards_dump), (RECORDS_DATA, records_dump)):
                    with dump.open("rb") as source, archive.open(_member(member, True), "w", force_zip64=True) as entry:
                        sha256, size = _copy(source, entry)
                    manifest["data"].append({"path": member, "sha256": sha256, "size": size})
                for name in names:
                    try:
                        stored = default_storage.open(name, "rb")
                    except FileNotFoundError:
                        manifest["missing_files"].append(name)
                        continue
                    with stored, archive.open(_member(FILES + name, False), "w", force_zip64=True) as entry:
                        sha256, size = _copy(stored, entry)
                    manifest["files"].append({"name": name, "path": FILES + name, "sha256": sha256, "size": size})
                archive.writestr(_member(MANIFEST, True), json.dumps(manifest, indent=1, sort_keys=True))
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise
    return BackupSummary(
        path=path,
        rows=sum(counts.values()),
        files=len(manifest["files"]),
        file_bytes=sum(entry["size"] for entry in manifest["files"]),
        missing=manifest["missing_files"],
    )


class _PreciseJSONEncoder(DjangoJSONEncoder):
    """Django's encoder with times to the microsecond. DjangoJSONEncoder rounds them to the
    millisecond (as JavaScript does), which would move every decision's recorded time and so break
    every sign-off signature over it."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _dump(target: Path, models: list[type[Model]], *, natural_primary: bool, using: str) -> None:
    """What `dumpdata --natural-foreign [--natural-primary]` writes, in the same JSON fixture format
    that `loaddata` reads, but without losing the microseconds of a time."""
    by_app: dict = {}
    for model in models:
        if not model._meta.auto_created:  # many-to-many rows go with the objects that hold them
            by_app.setdefault(model._meta.app_config, []).append(model)
    ordered = serializers.sort_dependencies(by_app.items(), allow_cycles=True)

    def objects() -> Iterator[Model]:
        for model in ordered:
            yield from model._default_manager.using(using).order_by(model._meta.pk.name).iterator(chunk_size=500)

    with target.open("w", encoding="utf-8") as stream:
        serializers.serialize(
            "json", objects(), stream=stream, cls=_PreciseJSONEncoder,
            use_natural_foreign_keys=True, use_natural_primary_keys=natural_primary,
        )


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


# Restoring.


@dataclass
class RestoreSummary:
    rows: int
    files: int
    file_bytes: int
    sign_offs: int
    problems: list[str] = field(default_factory=list)


def restore(path: Path, *, using: str = DEFAULT_DB_ALIAS, say: Say = lambda line: None) -> RestoreSummary:
    """Checks every member of the archive against its digest, then (and only then) migrates the
    database, makes sure it and the storage are empty, and loads the data and the files in one
    transaction. Finally reads everything back: row counts, every file's digest, every standing
    sign-off's integrity."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path} cannot be read as a backup: {error}") from None
    with archive, tempfile.TemporaryDirectory(prefix="portfolio-restore-") as work:
        manifest = _read_manifest(archive)
        made = datetime.datetime.fromisoformat(manifest["created_at"])
        say(
            f"Backup made {timezone.localtime(made):%d %b %Y %H:%M %Z} of a {manifest['database']} database: "
            f"{sum(manifest['counts'].values())} rows, {len(manifest['files'])} files."
        )
        dumps = _verify_archive(archive, manifest, Path(work))
        say("Every member of the archive matches its SHA-256.")
        call_command("migrate", interactive=False, verbosity=0, database=using)
        _check_migrations(manifest, using)
        _require_empty(manifest, using)
        _load(archive, manifest, dumps, using)
        say("Data loaded and files written back to storage.")
    return _check_restored(manifest, using)


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"The archive has no {MANIFEST}: it is not a complete portfolio backup.") from None
    except (zipfile.BadZipFile, ValueError) as error:
        raise BackupError(f"The archive's {MANIFEST} is damaged: {error}") from None
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"The archive is in backup format {manifest.get('format')!r}; this version reads {ARCHIVE_FORMAT}.")
    return manifest


def _verify_archive(archive: zipfile.ZipFile, manifest: dict, work: Path) -> list[Path]:
    """Reads every member through, comparing its SHA-256 and size with the manifest, and unpacks the
    two dumps into `work` as it goes, so what is loaded is exactly what was checked."""
    problems: list[str] = []
    dumps: list[Path] = []
    entries = [(entry, True) for entry in manifest["data"]] + [(entry, False) for entry in manifest["files"]]
    for entry, is_dump in entries:
        target = work / Path(entry["path"]).name if is_dump else None
        try:
            with archive.open(entry["path"]) as member, (target.open("wb") if target else _Discard()) as sink:
                sha256, size = _copy(member, sink)
        except KeyError:
            problems.append(f"{entry['path']} is listed in the manifest but missing from the archive.")
            continue
        except (zipfile.BadZipFile, OSError, EOFError) as error:
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
        raise BackupError(_listed("The archive is damaged or altered; nothing was restored.", problems))
    return dumps


class _Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: "ReadableBuffer") -> int:
        return memoryview(data).nbytes


def _check_migrations(manifest: dict, using: str) -> None:
    here = _applied_migrations(using)
    unknown = [
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
        if app in here and name not in here[app]
    ]
    if unknown:
        raise BackupError(_listed(
            "The backup was made by a newer version of the portfolio, with migrations this one does "
            "not have; install that version first. Nothing was restored.", unknown,
        ))


def _require_empty(manifest: dict, using: str) -> None:
    held = [
        f"{count} {label}" for label, count in row_counts(using).items()
        if count and not label.startswith(f"{STANDARDS_APP}.")
    ]
    if held:
        raise BackupError(_listed(
            "This installation already holds portfolio data; a backup is restored only onto an empty "
            "one (a new database, migrated, with nothing else in it). Nothing was restored.", held,
        ))
    taken = [entry["name"] for entry in manifest["files"] if default_storage.exists(entry["name"])]
    if taken:
        raise BackupError(_listed(
            "The storage already holds files under names the backup needs; restore into empty "
            "storage. Nothing was restored.", taken,
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
    except BaseException:
        for name in written:
            default_storage.delete(name)
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
                found = _copy(stored, _Discard())
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
    unsigned = 0
    for sign_off in sign_offs:
        problems += [f"{sign_off}: {problem}" for problem in integrity.verify(sign_off)]
        unsigned += not _signature_matches(sign_off)
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
    )


def _signature_matches(sign_off: SignOff) -> bool:
    expected = integrity.assessor_signature(
        manifest=sign_off.manifest, enrolment_id=sign_off.enrolment_id, assessor_id=sign_off.assessor_id,
        signed_at=sign_off.assessor_signed_at,
    )
    return hmac.compare_digest(expected, sign_off.signature)


def _listed(heading: str, lines: list[str], most: int = 20) -> str:
    shown = [f"  - {line}" for line in lines[:most]]
    if len(lines) > most:
        shown.append(f"  … and {len(lines) - most} more")
    return "\n".join([heading, *shown])
