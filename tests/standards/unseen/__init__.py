"""Units the project had not seen, checked by an outside tester (issue 14 "how it will be checked").

`units/` holds each unit as clean text (`X.txt`), as a PDF at several font sizes (`X.pdf`,
`X_fs8.5.pdf`, `X_fs11.pdf`, `X_fs12.5.pdf`), as `pdftotext` gives it (`X_pdftotext.txt`) and cut
short in several ways (`X_cut_midword.txt`, `X_first2pages.pdf`, ...); `expected/X.json` is what
`import_standard --json` should print for it, written by the tester from the published words.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from standards.importing.detect import parse
from standards.importing.parsed import ParsedUnit

HERE = Path(__file__).parent
UNITS = HERE / "units"
FIELDS = {
    "elements": ("ref", "title"),
    "criteria": ("ref", "element", "text", "sub_points"),
    "knowledge": ("ref", "section", "text", "sub_points"),
    "scope": ("category", "items"),
    "key_words": ("term", "definition"),
}


def unit_file(name: str) -> Path:
    return UNITS / name


def parsed(name: str) -> ParsedUnit:
    """The unit in `units/<name>`, read as import_standard reads it (a PDF through its text layer)."""
    from standards.management.commands.import_standard import read_source

    return parse(read_source(unit_file(name)))


def expected(stem: str) -> dict[str, Any]:
    return json.loads((HERE / "expected" / f"{stem}.json").read_text(encoding="utf-8"))


def differences(stem: str, unit: ParsedUnit) -> list[str]:
    """Every field, item and metadata entry where the unit differs from the tester's expected JSON.

    A current-layout criterion's `element` is not compared (the tester's file names the sub-heading
    there); extra keys the importer adds are not differences.
    """
    want, got = expected(stem), unit.as_json()
    found = [f"{key}: {got[key]!r} != {want[key]!r}" for key in ("code", "title", "layout") if got[key] != want[key]]
    for part, keys in FIELDS.items():
        wanted, have = want[part], got[part]
        for at in range(max(len(wanted), len(have))):
            one = {k: wanted[at][k] for k in keys} if at < len(wanted) else None
            other = {k: have[at].get(k) for k in keys} if at < len(have) else None
            if part == "criteria" and want["layout"] == "current" and one and other:
                other["element"] = one["element"]
            if one != other:
                found.append(f"{part}[{at}]: {other!r} != {one!r}")
    for key in sorted(set(want["metadata"]) | set(got["metadata"])):
        if want["metadata"].get(key) != got["metadata"].get(key):
            found.append(f"metadata[{key}]: {got['metadata'].get(key)!r} != {want['metadata'].get(key)!r}")
    return found
