"""Checking an exported unit PDF or bulk-export ZIP: `manage.py verify_export` and the checking page.
A visit pack's ZIP is told apart by its manifest and checked by exports/pack_verification.py.

Offline (no database) it rests on the seals alone and the centre's root certificate. For each unit
PDF: the seal holds and was made under the root; the embedded manifest is consistent (its decisions
digest, and the file digests the signed record lists); in a ZIP, every evidence file in the
candidate's folder is one a unit's manifest lists, with the same SHA-256, and the ZIP's own
`manifest.json` carries the centre's seal (exports/manifest_seal.py) and lists every file in the ZIP
with its SHA-256, so a unit taken out, or the account of the units left out rewritten, is caught
too. With the database (`live`), each unit is also compared with the live record: its sign-off is
still the standing one and still intact."""

import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from asn1crypto import x509 as asn1_x509

from assessments.integrity import sha256_of

from .bulk_staging import LEFT_OUT_JSON, LEFT_OUT_TEXT
from .checks import RecordState
from .manifest_seal import MANIFEST_JSON, MANIFEST_SEAL, check_manifest_seal
from .seal import Roots, SealReport, read_sealed_pdf, roots_words, short

CHUNK = 1024 * 1024
# The ZIP's list of its files, and its seal: neither lists itself.
ZIP_LIST = (MANIFEST_JSON, MANIFEST_SEAL)
# The export's own files, vouched for by the sealed manifest.json alone (no unit's PDF lists them).
ZIP_OWN_FILES = ("manifest.csv", LEFT_OUT_TEXT, LEFT_OUT_JSON)


@dataclass
class UnitCheck:
    """One unit PDF's result: what it is and every way it fails."""

    path: str
    title: str = ""
    sealed_by: str = ""
    sealed_at: str = ""
    certificate: str = ""  # the SHA-256 fingerprints of the seal's certificate and of its trusted root
    root: str = ""
    problems: list[str] = field(default_factory=list)
    # What the sealed PDF itself says changed in the record since sign-off, as it was produced:
    # the seal may hold, but the signatures it shows are on a record that had changed.
    changes: list[str] = field(default_factory=list)
    checked_at: str = ""
    notes: list[str] = field(default_factory=list)
    manifest: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return not self.problems and not self.changes


@dataclass
class ExportCheck:
    units: list[UnitCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the ZIP's own: files no unit vouches for
    files_checked: int = 0
    left_out: list[str] = field(default_factory=list)  # units the export says it left out, and why
    # What files_checked counts: a bulk export's evidence files; a visit pack's files of every kind.
    files_word: str = "evidence file"
    list_seal: SealReport | None = None  # the seal of manifest.json, the ZIP's list of its files

    @property
    def valid(self) -> bool:
        return bool(self.units) and not self.problems and all(unit.valid for unit in self.units)

    @property
    def failing(self) -> int:
        """How many things failed, as the report names them: each unit that fails, and each of the ZIP's own problems."""
        return sum(not unit.valid for unit in self.units) + len(self.problems)


LiveCheck = Callable[[UnitCheck], None]


def check_pdf(pdf: bytes, path: str, roots: Roots, live: LiveCheck | None = None) -> UnitCheck:
    seal = read_sealed_pdf(pdf, roots)
    unit = UnitCheck(path=path, sealed_by=seal.sealed_by, sealed_at=seal.sealed_at, certificate=seal.certificate,
                     root=seal.root, problems=list(seal.problems))
    unit.manifest = seal.manifest
    if seal.manifest is not None:
        unit.title = _title(seal.manifest)
        unit.problems += _manifest_problems(seal.manifest)
        _record_changes(seal.manifest, unit)
        if live is not None and seal.valid:
            live(unit)
    return unit


def _title(manifest: dict[str, Any]) -> str:
    state = "signed off" if manifest.get("signed_off") else "not signed off"
    if _record(manifest).get("state") == RecordState.CHANGED:
        state = "signed off, CHANGED SINCE SIGN-OFF"
    return f"{manifest.get('unit', '?')} of {manifest.get('candidate', '?')}, {state}"


def _record(manifest: dict[str, Any]) -> dict[str, Any]:
    record = manifest.get("record")
    return record if isinstance(record, dict) else {}


def _record_changes(manifest: dict[str, Any], unit: UnitCheck) -> None:
    """A PDF produced from a record that had changed since sign-off says so in its sealed manifest
    (exports/checks.py): the seal vouches for that, not for the record."""
    record = _record(manifest)
    if record.get("state") != RecordState.CHANGED:
        return
    changes = [str(change) for change in record.get("changes") or []]
    unit.changes = changes or ["the record had changed since sign-off (the PDF names no change)"]
    unit.checked_at = str(record.get("checked_at") or "")


def _manifest_problems(manifest: dict[str, Any]) -> list[str]:
    """A sealed manifest can only be inconsistent if it was sealed so; checked all the same, since
    a centre's seal is only as good as the software that made what it sealed."""
    if not manifest.get("signed_off"):
        return []
    sign_off = manifest.get("sign_off") or {}
    signed = sign_off.get("manifest") or {}
    problems = []
    if sha256_of(signed.get("decisions") or []) != sign_off.get("decisions_digest"):
        problems.append("the decisions digest does not match the signed decisions")
    listed = {entry.get("file_id"): entry for entry in manifest.get("files") or []}
    for entry in signed.get("files") or []:
        now = listed.get(entry.get("file_id"))
        label = f"{entry.get('evidence')} {entry.get('name')}"
        if now is None:
            problems.append(f"{label} was signed off but is not among the PDF's files")
        elif now.get("sha256") != entry.get("sha256"):
            problems.append(f"{label} has changed since sign-off")
    return problems


def check_zip(source: IO[bytes], roots: Roots, live: LiveCheck | None = None) -> ExportCheck:
    from .pack_verification import check_visit_pack, pack_manifest  # it builds on this module

    result = ExportCheck()
    with zipfile.ZipFile(source) as archive:
        twice = names_twice(archive)
        if twice:  # which copy is "the" file depends on the tool that opens it: nothing in it can be vouched for
            return ExportCheck(problems=[f"{name} is in the ZIP twice" for name in twice])
        pack = pack_manifest(archive)
        if pack is not None:
            return check_visit_pack(archive, pack, roots, live)
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        vouched: dict[str, dict] = {}  # ZIP path -> the manifest entry of the file
        digests = {}
        read = _members_read(archive, names, result)
        for name in names:
            if _is_unit_pdf(name) and name in read:
                digests[name], pdf = read[name]
                unit = check_pdf(pdf, name, roots, live)
                result.units.append(unit)
                vouched.update(_claim_files(unit, names))
        for name in names:
            if name in ZIP_LIST or _is_unit_pdf(name) or name not in read:
                continue
            digests[name] = read[name][0]
            if name in ZIP_OWN_FILES:
                continue
            result.files_checked += 1
            entry = vouched.get(name)
            if entry is None:
                result.problems.append(f"“{name}” is in the ZIP but no unit's sealed manifest lists it")
            elif entry.get("sha256") != digests[name]:
                result.problems.append(f"{name} is not the file the sealed manifest lists: its bytes have changed")
        centre = next((unit.manifest for unit in result.units if unit.manifest), None)
        check_list_seal(archive, roots(centre) if callable(roots) else roots, result, roots_words(roots))
        check_list_sealer(result)
        result.problems += _zip_manifest_problems(archive, names, digests)
        result.left_out = _left_out(archive, names)
    if not result.units:
        result.problems.append("the ZIP holds no unit PDF")
    return result


def names_twice(archive: zipfile.ZipFile) -> list[str]:
    """The names that more than one entry of the ZIP carries, exactly or as an unzip tool may read them
    (case folded, backslashes as slashes, "./" and doubled slashes dropped): the tool takes one copy,
    this check would read another, so a ZIP with any is refused whole."""
    seen: dict[str, str] = {}
    twice: list[str] = []
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        parts = [part for part in name.split("/") if part not in ("", ".")]
        key = "/".join(parts).casefold()
        if key in seen and seen[key] not in twice:
            twice.append(seen[key])
        seen.setdefault(key, info.filename)
    return twice


def check_list_seal(archive: zipfile.ZipFile, roots: list[asn1_x509.Certificate], result: ExportCheck,
                    words: str = "the root given") -> None:
    """The seal of the ZIP's manifest.json, as `result.list_seal`; each way it fails, in `result.problems`."""
    names = set(archive.namelist())
    if MANIFEST_JSON not in names:
        result.problems.append(f"the ZIP holds no {MANIFEST_JSON}, the list of its files")
        return
    try:
        listing = archive.read(MANIFEST_JSON)
        sealed = archive.read(MANIFEST_SEAL) if MANIFEST_SEAL in names else None
    except UNREADABLE as error:
        result.problems.append(f"{MANIFEST_JSON} or its seal cannot be read back from the ZIP: its bytes have changed ({error})")
        return
    result.list_seal = check_manifest_seal(listing, sealed, roots, words)
    result.problems += result.list_seal.problems


def check_list_sealer(result: ExportCheck) -> None:
    """The list of files is sealed by the very certificate that sealed the unit PDFs beside it, under
    the same trusted root: one build, one seal. Names can be copied onto a certificate of one's own,
    and several roots are trusted at once (the centre's old and new, the installation's), so the
    certificates themselves are compared, by their fingerprints."""
    seal = result.list_seal
    if seal is None or not seal.valid:
        return
    for unit in result.units:
        what = "certificate" if unit.certificate != seal.certificate else "root" if unit.root != seal.root else ""
        if not unit.certificate or not what or (what == "root" and not unit.root):
            continue  # a PDF with no seal, or none under the roots given, fails on its own line
        result.problems.append(
            f"{MANIFEST_JSON} was not sealed by the certificate that sealed {unit.path}: "
            f"{MANIFEST_JSON}'s {what} is {short(getattr(seal, what))} ({seal.sealed_by}), "
            f"the PDF's is {short(getattr(unit, what))} ({unit.sealed_by})"
        )


def _is_unit_pdf(name: str) -> bool:
    return name.lower().endswith(".pdf") and "/evidence/" not in name


def _claim_files(unit: UnitCheck, names: list[str]) -> dict[str, dict]:
    """The ZIP paths of the files the unit's manifest lists, found in the PDF's folder as the bulk
    export names them (`evidence/<reference>-<file id>-<name>`); a listed file not there is a problem."""
    if unit.manifest is None:
        return {}
    folder = PurePosixPath(unit.path).parent
    claimed = {}
    for entry in unit.manifest.get("files") or []:
        prefix = f"{folder}/evidence/{entry.get('evidence')}-{entry.get('file_id')}-"
        found = next((name for name in names if name.startswith(prefix)), None)
        if found is None:
            unit.problems.append(f"{entry.get('evidence')} {entry.get('name')} is listed in the PDF but missing from the ZIP")
        else:
            claimed[found] = entry
    return claimed


UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError)  # a member whose stored bytes changed


def _members_read(archive: zipfile.ZipFile, names: list[str], result: ExportCheck) -> dict[str, tuple[str, bytes]]:
    """Each member read once: its SHA-256, and a unit PDF's bytes for its seal to be checked. One that
    cannot be read back (its compressed bytes or its CRC changed) is named in `result.problems`
    instead, and nothing else is asked of it."""
    read = {}
    for name in names:
        try:
            read[name] = read_member(archive, name, keep=_is_unit_pdf(name))
        except UNREADABLE as error:
            result.problems.append(f"{name} cannot be read back from the ZIP: its bytes have changed ({error})")
    return read


def read_member(archive: zipfile.ZipFile, name: str, keep: bool) -> tuple[str, bytes]:
    """The member's SHA-256, and its bytes when `keep` (a PDF whose seal is to be checked)."""
    digest, kept = hashlib.sha256(), io.BytesIO()
    with archive.open(name) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            if keep:
                kept.write(chunk)
    return digest.hexdigest(), kept.getvalue()


def _zip_manifest_problems(archive: zipfile.ZipFile, names: list[str], digests: dict[str, str]) -> list[str]:
    """manifest.json lists each file with its SHA-256; where it disagrees with the ZIP, say so."""
    if MANIFEST_JSON not in names:
        return []
    try:
        listed = json.loads(archive.read(MANIFEST_JSON))
        rows = {row["path"]: row["sha256"] for row in listed}
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile, zlib.error):
        return [f"{MANIFEST_JSON} is not the list of files and digests the export writes"]
    problems = [
        f"{MANIFEST_JSON} gives {path} a SHA-256 that is not its bytes'"
        for path, digest in digests.items() if path in rows and rows[path] != digest
    ]
    problems += [f"“{path}” is in the ZIP but {MANIFEST_JSON} does not list it" for path in digests if path not in rows]
    problems += [f"{MANIFEST_JSON} lists {path} but the ZIP does not hold it" for path in rows if path not in names]
    return problems


def _left_out(archive: zipfile.ZipFile, names: list[str]) -> list[str]:
    """The units the export says it left out, in a line each, for the report."""
    if LEFT_OUT_JSON not in names:
        return []
    try:
        units = json.loads(archive.read(LEFT_OUT_JSON))
        return [
            f"{unit['candidate']}, {unit['unit']}: {unit['reason']}: " + " ".join(unit.get("problems") or [])
            for unit in units
        ]
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile, zlib.error):
        return [f"{LEFT_OUT_JSON} is not the list of units left out that the export writes"]


def check_export(source: IO[bytes], name: str, roots: Roots,
                 live: LiveCheck | None = None) -> ExportCheck:
    """A unit PDF or a bulk-export ZIP, told apart by their first bytes."""
    start = source.read(5)
    source.seek(0)
    if start.startswith(b"%PDF"):
        return ExportCheck(units=[check_pdf(source.read(), name, roots, live)])  # a PDF holds no evidence file
    if start.startswith(b"PK"):
        try:
            return check_zip(source, roots, live)
        except zipfile.BadZipFile as error:
            return ExportCheck(problems=[f"“{name}” is not a complete, readable ZIP ({error})"])
    return ExportCheck(problems=[f"“{name}” is neither a PDF nor a ZIP"])

