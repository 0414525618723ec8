"""Writing a backup: both dumps and the list of files read in one snapshot of the database, then
every member copied into the ZIP with its digest, the manifest last, then its signature by the
backup key (signing.py)."""

import contextlib
import datetime
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.utils import timezone

from . import signing
from .archive import (
    ARCHIVE_FORMAT,
    FILES,
    MANIFEST,
    RECORDS_DATA,
    SIGNATURE,
    STANDARDS_APP,
    STANDARDS_DATA,
    BackupError,
    Say,
    applied_migrations,
    backed_up_models,
    copy_counted,
    row_counts,
    stored_file_names,
)


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


def _member(name: str, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16  # personal data: readable by its owner only when unpacked
    return info


@dataclass
class BackupSummary:
    path: Path
    rows: int
    files: int
    file_bytes: int
    key_fingerprint: str
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
            migrations = applied_migrations(using)
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
            "key_fingerprint": signing.key_fingerprint(),
        }
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw:
                _write_archive(raw, manifest, [(STANDARDS_DATA, standards_dump), (RECORDS_DATA, records_dump)], names)
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
        key_fingerprint=manifest["key_fingerprint"],
        missing=manifest["missing_files"],
    )


def _write_archive(raw: IO[bytes], manifest: dict[str, Any], dumps: list[tuple[str, Path]], names: list[str]) -> None:
    """Every member with its digest in the manifest; then the manifest, and its signature last."""
    with zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
        for member, dump in dumps:
            with dump.open("rb") as source, archive.open(_member(member, True), "w", force_zip64=True) as entry:
                sha256, size = copy_counted(source, entry)
            manifest["data"].append({"path": member, "sha256": sha256, "size": size})
        for name in names:
            try:
                stored = default_storage.open(name, "rb")
            except FileNotFoundError:
                manifest["missing_files"].append(name)
                continue
            with stored, archive.open(_member(FILES + name, False), "w", force_zip64=True) as entry:
                sha256, size = copy_counted(stored, entry)
            manifest["files"].append({"name": name, "path": FILES + name, "sha256": sha256, "size": size})
        manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
        archive.writestr(_member(MANIFEST, True), manifest_bytes)
        archive.writestr(_member(SIGNATURE, True), signing.signature_member(manifest_bytes))


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


