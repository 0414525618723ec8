"""What a restore accepts, checked before it reads anything it would load: member names that stay
inside the archive, each once; a signature by this installation's backup key over the manifest; a
manifest of the shape `manage.py backup` writes; and exactly the members that manifest lists.

Every refusal is a BackupError of one line that ends "nothing was restored": by then nothing has
been written to the database or the storage.
"""

import datetime
import json
import re
import zipfile
import zlib
from collections import Counter
from typing import Any

from . import signing
from .archive import (
    ARCHIVE_FORMAT,
    FILES,
    MANIFEST,
    RECORDS_DATA,
    SIGNATURE,
    STANDARDS_DATA,
    UNSIGNED_FORMAT,
    BackupError,
    in_one_line,
)

SIGNATURE_MOST_BYTES = 4096
# A manifest lists every stored file; a quarter of a gigabyte is millions of them. More is not a
# backup, and reading it whole into memory before it is verified would be the attack.
MANIFEST_MOST_BYTES = 256 * 1024 * 1024
# What reading a member can raise on a damaged or hand-made archive: an encrypted member
# (RuntimeError) or an unknown compression method (NotImplementedError) too.
READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DRIVE = re.compile(r"[A-Za-z]:")

UNSIGNED_RISK = (
    "nothing proves its records and files are the ones backed up: anyone who could change the "
    "archive could have moved an enrolment to another assessor or rewritten the audit trail"
)


def safe_name(name: str) -> bool:
    """A relative name that stays where it is unpacked: no absolute path, drive, `..` or `.` part,
    empty part or backslash (a folder separator on Windows), and nothing unprintable (a name is
    quoted in a refusal, which stays one line)."""
    parts = name.split("/")
    return (
        bool(name) and name.isprintable() and "\\" not in name and not _DRIVE.match(name)
        and all(part not in ("", ".", "..") for part in parts)
    )


def member_files(archive: zipfile.ZipFile) -> list[str]:
    """The archive's members but its folder entries, which a ZIP tool may add when the archive is
    copied or re-packed (an outside trial: they were refused as named outside the archive)."""
    return [name for name in archive.namelist() if not name.endswith("/")]


def check_member_names(names: list[str]) -> None:
    """Every member named safely; a folder entry ("records/") is named by its folder."""
    unsafe = [repr(name) for name in names if not safe_name(name.removesuffix("/"))]
    if unsafe:
        raise BackupError(in_one_line(
            "The archive has members named outside the archive (an absolute path or `..`), which "
            "manage.py backup never writes; nothing was restored", unsafe,
        ))
    twice = [name for name, count in Counter(names).items() if count > 1]
    if twice:
        raise BackupError(in_one_line(
            "The archive has members under one name more than once, which manage.py backup never "
            "writes; nothing was restored", twice,
        ))


def verified_manifest(archive: zipfile.ZipFile, *, accept_unsigned: bool) -> tuple[dict, bool]:
    """The manifest, once its signature by this installation's backup key is checked, and whether
    it was signed at all (an unsigned one only with accept_unsigned)."""
    check_member_names(archive.namelist())
    if SIGNATURE not in member_files(archive):
        return _unsigned_manifest(archive, accept_unsigned), False
    try:
        signature = json.loads(_read(archive, SIGNATURE, SIGNATURE_MOST_BYTES))
        algorithm, fingerprint, mac = signature["algorithm"], signature["key_fingerprint"], signature["manifest_hmac"]
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"The archive's {SIGNATURE} is damaged; nothing was restored.") from None
    if algorithm != signing.ALGORITHM:
        raise BackupError(f"The archive is signed with {algorithm!r}; this version checks {signing.ALGORITHM}. Nothing was restored.")
    ours = signing.key_fingerprint()
    if fingerprint != ours:
        raise BackupError(
            f"This backup was made with another backup key (fingerprint {fingerprint}; this installation's "
            f"PORTFOLIO_BACKUP_KEY is {ours}): restore it with the key it was made with; nothing was restored."
        )
    manifest_bytes = _read(archive, MANIFEST, MANIFEST_MOST_BYTES)
    if not isinstance(mac, str) or not signing.signature_matches(manifest_bytes, mac):
        raise BackupError(
            f"The archive's {MANIFEST} does not match its signature: it was changed after the backup was "
            "made; nothing was restored."
        )
    manifest = _parsed(manifest_bytes)
    if manifest.get("format") != ARCHIVE_FORMAT or manifest.get("key_fingerprint") != fingerprint:
        raise BackupError(f"The archive's {MANIFEST} is not one this version writes; nothing was restored.")
    return manifest, True


# Every migration there was when backups began to be signed: an unsigned archive can only have been
# made by a version that had no others. One that lists a later migration was made by a version that
# signs every backup, so its signature was removed (and its format perhaps set back to 1).
BEFORE_SIGNED_BACKUPS = frozenset({
    "assessments.0001_decisions", "assessments.0002_signoff_qualityreview_witness_testimonyrequest_and_more",
    "assessments.0003_decision_date_and_countersignature", "assessments.0004_bulk_exports",
    "assessments.0005_bulkexport_moved_to_exports", "exports.0001_initial", "portfolio.0001_initial",
    "portfolio.0002_centres_people_evidence", "portfolio.0003_notification", "portfolio.0004_audit_events_are_append_only",
    "portfolio.0005_audit_events_unchangeable_in_sqlite", "portfolio.0006_indexes_for_a_large_centre",
    "portfolio.0007_evidence_candidate_method", "standards.0001_initial",
})


FIRST_MIGRATIONS = frozenset({"standards.0001_initial", "portfolio.0001_initial", "assessments.0001_decisions"})


def _unsigned_manifest(archive: zipfile.ZipFile, accept_unsigned: bool) -> dict:
    if not accept_unsigned:
        raise BackupError(
            f"The archive has no {SIGNATURE}: it was made before backups were signed, or its signature was "
            f"removed, and {UNSIGNED_RISK}. Restore it only if you know where it has been, with "
            "--accept-unsigned; nothing was restored."
        )
    manifest = _parsed(_read(archive, MANIFEST, MANIFEST_MOST_BYTES))
    if manifest.get("format") != UNSIGNED_FORMAT:
        raise BackupError(
            f"The archive's {MANIFEST} says it was signed (format {manifest.get('format')!r}) but its "
            f"{SIGNATURE} is missing: the signature was removed; nothing was restored."
        )
    listed = manifest.get("migrations")
    migrations: dict = listed if isinstance(listed, dict) else {}
    later = sorted(
        f"{app}.{name}" for app, names in migrations.items() if isinstance(names, list) for name in names
        if f"{app}.{name}" not in BEFORE_SIGNED_BACKUPS
    )
    if later:
        raise BackupError(
            f"The archive has no {SIGNATURE}, but it was made by a version that signs every backup (it "
            f"lists the migration {later[0]}): the signature was removed; nothing was restored."
        )
    listed_names = {f"{app}.{name}" for app, names in migrations.items() if isinstance(names, list) for name in names}
    if not FIRST_MIGRATIONS.issubset(listed_names):
        # Every backup lists the migrations of the database it was made from: one listing none (an
        # outside trial emptied the list to pass a signed archive off as an old unsigned one) was edited.
        raise BackupError(
            f"The archive has no {SIGNATURE}, and its {MANIFEST} does not list the migrations every backup lists: "
            "it was edited; nothing was restored."
        )
    return manifest


def _read(archive: zipfile.ZipFile, name: str, most: int) -> bytes:
    try:
        info = archive.getinfo(name)
        if info.file_size > most:
            raise BackupError(f"The archive's {name} is {info.file_size} bytes, more than a backup writes; nothing was restored.")
        with archive.open(info) as member:
            content = member.read(most + 1)  # the header's size is the archive's word, not proof
    except KeyError:
        raise BackupError(f"The archive has no {name}: it is not a complete portfolio backup; nothing was restored.") from None
    except READ_ERRORS as error:
        raise BackupError(f"The archive's {name} is damaged ({error}); nothing was restored.") from None
    if len(content) > most:
        raise BackupError(f"The archive's {name} is more than a backup writes; nothing was restored.")
    return content


def _parsed(manifest_bytes: bytes) -> dict:
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BackupError(f"The archive's {MANIFEST} is damaged ({error}); nothing was restored.") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"The archive's {MANIFEST} is not a backup's manifest; nothing was restored.")
    return manifest


def check_manifest(manifest: dict) -> None:
    """The manifest has the shape manage.py backup writes, every file named safely under files/, so
    nothing later trips over a value it did not expect (or writes outside the storage)."""
    try:
        fine = (
            datetime.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
            and isinstance(manifest["database"], str)
            and [entry["path"] for entry in manifest["data"]] == [STANDARDS_DATA, RECORDS_DATA]
            and all(_entry_fine(entry) for entry in manifest["data"])
            and all(_entry_fine(entry) and entry["path"] == FILES + entry["name"] and safe_name(entry["name"])
                    for entry in manifest["files"])
            and all(isinstance(name, str) for name in manifest.get("missing_files", []))
            and all(isinstance(label, str) and type(count) is int for label, count in manifest["counts"].items())
            and all(isinstance(names, list) for names in manifest["migrations"].values())
        )
    except (KeyError, TypeError, AttributeError, ValueError):
        fine = False
    if not fine:
        raise BackupError(f"The archive's {MANIFEST} is not one manage.py backup writes; nothing was restored.")


def _entry_fine(entry: Any) -> bool:
    return (
        isinstance(entry["path"], str) and isinstance(entry["sha256"], str) and bool(_SHA256.fullmatch(entry["sha256"]))
        and type(entry["size"]) is int and entry["size"] >= 0
    )


def check_members(names: list[str], manifest: dict, *, signed: bool) -> None:
    """Exactly the members the manifest lists (and the manifest and its signature), each once."""
    listed = [entry["path"] for entry in manifest["data"]] + [entry["path"] for entry in manifest["files"]]
    twice = [path for path, count in Counter(listed).items() if count > 1]
    if twice:
        raise BackupError(in_one_line(f"The archive's {MANIFEST} lists a member more than once; nothing was restored", twice))
    expected = {*listed, MANIFEST, *([SIGNATURE] if signed else [])}
    missing = sorted(expected.difference(names))
    if missing:
        raise BackupError(in_one_line(
            f"The archive lacks members its {MANIFEST} lists; nothing was restored", missing,
        ))
    unexpected = sorted(set(names).difference(expected))
    if unexpected:
        raise BackupError(in_one_line(
            f"The archive holds members its {MANIFEST} does not list; nothing was restored", unexpected,
        ))
