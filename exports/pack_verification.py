"""Checking a visit pack (exports/visit_pack.py), for `manage.py verify_export`.

A pack is told from a bulk export by its `manifest.json`, an object whose "format" is the pack's.
It holds when: `manifest.json` carries the centre's seal (`manifest.json.p7s`, exports/manifest_seal.py)
under the roots given; every file in the ZIP but `manifest.json` and its seal is listed there, and
every listed file is in the ZIP with the SHA-256 listed (a file whose bytes were changed in the ZIP
cannot even be read back: its CRC no longer matches; either way the file is named); `manifest.csv`
lists the same files and digests; and every sealed PDF (the unit portfolios) has a valid seal under
the roots given, with a consistent embedded manifest (and, with the database, matches the live record).

What it proves: the seals prove each unit PDF is the centre's, unaltered; the manifest's seal proves
every other file (the CSVs, the account of units left out) is the one the centre built, and that no
file was added or taken out: a manifest recomputed to match a changed file no longer matches its seal."""

import csv
import io
import json
import zipfile
import zlib
from typing import Any

from portfolio.spreadsheets import from_spreadsheet_cell

from .manifest_seal import MANIFEST_JSON, MANIFEST_SEAL
from .pack_sections import SEALED_PDF
from .seal import Roots, roots_words
from .verification import (
    UNREADABLE,
    ExportCheck,
    LiveCheck,
    check_list_seal,
    check_list_sealer,
    check_pdf,
    read_member,
)

FORMAT_PREFIX = "visit-pack/"
MANIFEST_CSV = "manifest.csv"


def pack_manifest(archive: zipfile.ZipFile) -> dict[str, Any] | None:
    """The pack's manifest, if the ZIP is a visit pack (None for a bulk export or anything else)."""
    try:
        manifest = json.loads(archive.read(MANIFEST_JSON))
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error):
        return None
    if isinstance(manifest, dict) and str(manifest.get("format", "")).startswith(FORMAT_PREFIX):
        return manifest
    return None


def _listed(manifest: dict[str, Any], result: ExportCheck) -> dict[str, dict[str, Any]]:
    rows = manifest.get("files")
    if not isinstance(rows, list) or not all(isinstance(row, dict) and "path" in row for row in rows):
        result.problems.append("manifest.json does not list the pack's files as the pack writes them")
        return {}
    return {str(row["path"]): row for row in rows}


def check_visit_pack(archive: zipfile.ZipFile, manifest: dict[str, Any], roots: Roots,
                     live: LiveCheck | None = None) -> ExportCheck:
    result = ExportCheck(files_word="file")
    check_list_seal(archive, roots(manifest) if callable(roots) else roots, result, roots_words(roots))
    listed = _listed(manifest, result)
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    digests: dict[str, str] = {}
    for name in names:
        if name in (MANIFEST_JSON, MANIFEST_SEAL):
            continue
        result.files_checked += 1
        row = listed.get(name)
        sealed = row is not None and row.get("content_type") == SEALED_PDF
        try:
            digests[name], data = read_member(archive, name, keep=sealed)
        except UNREADABLE as error:
            result.problems.append(f"{name} cannot be read back from the ZIP: its bytes have changed ({error})")
            continue
        if row is None:
            result.problems.append(f"“{name}” is in the ZIP but manifest.json does not list it")
        elif row.get("sha256") != digests[name]:
            result.problems.append(f"{name} is not the file manifest.json lists: its SHA-256 differs")
        if sealed:
            result.units.append(check_pdf(data, name, roots, live))
    result.problems += [f"manifest.json lists {path} but the ZIP does not hold it" for path in listed if path not in names]
    result.problems += _csv_problems(archive, listed, names)
    result.left_out = _left_out(manifest)
    check_list_sealer(result)
    if not result.units:
        result.problems.append("the visit pack holds no sealed unit PDF")
    return result


def _csv_problems(archive: zipfile.ZipFile, listed: dict[str, dict[str, Any]], names: list[str]) -> list[str]:
    """manifest.csv lists every file manifest.json lists, but itself, with the same digests."""
    if MANIFEST_CSV not in names:
        return [f"{MANIFEST_CSV} is missing"]
    try:
        rows = {from_spreadsheet_cell(row["path"]): row["sha256"] for row in csv.DictReader(io.StringIO(archive.read(MANIFEST_CSV).decode()))}
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error):
        return []  # named already, as a file that cannot be read or does not match its digest
    wanted = {path: row.get("sha256") for path, row in listed.items() if path != MANIFEST_CSV}
    if rows != wanted:
        return [f"{MANIFEST_CSV} does not list the same files and digests as {MANIFEST_JSON}"]
    return []


def _left_out(manifest: dict[str, Any]) -> list[str]:
    try:
        return [
            f"{unit['candidate']}, {unit['unit']}: {unit['reason']}: " + " ".join(unit.get("problems") or [])
            for unit in manifest.get("left_out") or []
        ]
    except (KeyError, TypeError):
        return ["manifest.json's list of units left out is not as the pack writes it"]
