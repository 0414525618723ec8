"""Importing the two published texts gives exactly the shipped fixture (issue 14 item 3).

Each published text (the copies in `published/`, byte for byte as extracted) is parsed and turned
into fixture records (`standards.importing.records`); they are compared with
`fixtures/standards.json` record by record, by natural key, so a changed word, a lost `**`
marking, a missing or an extra item fails a test of its own. Fix the parser, never the fixture.
"""

import hashlib
import json
from pathlib import Path

import pytest

from standards.importing.detect import parse
from standards.importing.parsed import CARE_2004, HOUSING
from standards.importing.records import unit_records

HERE = Path(__file__).resolve().parent
FIXTURE = json.loads((HERE.parents[1] / "fixtures" / "standards.json").read_text(encoding="utf-8"))
UNITS = {  # code: (published text, suite, layout)
    "HSC331": ("HSC331.txt", "HSC", CARE_2004),
    "H3 25": ("H3-25.txt", "HOUSING", HOUSING),
}
NATURAL_KEY = {
    "unit": ("code",),
    "awardingbodycode": ("unit", "awarding_body"),
    "element": ("code",),
    "criterion": ("reference",),
    "criterionpoint": ("criterion", "position"),
    "knowledgesection": ("unit", "position"),
    "knowledgeitem": ("reference",),
    "knowledgepoint": ("item", "position"),
    "scopecategory": ("unit", "position"),
    "scopeitem": ("reference",),
    "keyterm": ("unit", "term"),
    "keytermpoint": ("key_term", "position"),
    "footnote": ("unit", "number"),
}


def key(record: dict) -> str:
    model = record["model"].removeprefix("standards.")
    return f"{model} " + " ".join(str(record["fields"][name]) for name in NATURAL_KEY[model])


def belongs_to(record: dict, code: str, refs: set[str]) -> bool:
    fields = record["fields"]
    if record["model"] == "standards.unit":
        return fields["code"] == code
    firsts = [value[0] for value in fields.values() if isinstance(value, list) and value]
    return code in firsts or bool(refs & set(firsts))


def fixture_records(code: str) -> list[dict]:
    refs = {
        r["fields"]["reference"]
        for r in FIXTURE
        if r["model"] in ("standards.criterion", "standards.knowledgeitem") and r["fields"]["unit"] == [code]
    }
    return [r for r in FIXTURE if r["model"] != "standards.suite" and belongs_to(r, code, refs)]


def parsed_records(code: str) -> list[dict]:
    filename, suite, _ = UNITS[code]
    return unit_records(parse((HERE / "published" / filename).read_text(encoding="utf-8")), suite)


EXPECTED = [pytest.param(code, record, id=key(record)) for code in UNITS for record in fixture_records(code)]


@pytest.mark.parametrize(("code", "expected"), EXPECTED)
def test_each_fixture_record_is_imported_exactly(code, expected):
    imported = {key(record): record for record in parsed_records(code)}
    assert imported.get(key(expected)) == expected


@pytest.mark.parametrize("code", list(UNITS))
def test_the_import_holds_the_fixture_records_and_nothing_else_in_the_same_order(code):
    assert [key(r) for r in parsed_records(code)] == [key(r) for r in fixture_records(code)]
    assert parsed_records(code) == fixture_records(code)


@pytest.mark.parametrize("code", list(UNITS))
def test_the_published_units_are_complete_without_warnings(code):
    filename, _, layout = UNITS[code]
    unit = parse((HERE / "published" / filename).read_text(encoding="utf-8"))
    assert (unit.code, unit.layout, unit.complete, unit.warnings) == (code, layout, True, [])


# The SHA-256 of the two published texts in ../shared/standards/ (the project's reference), so the
# copies the fidelity test reads are checked to be those texts on any checkout, CI's clean clone too.
PUBLISHED_SHA256 = {
    "HSC331.txt": "6060a3f081c92c32484de8244d4b36638a68025335b60303e190fc7682835656",
    "H3-25.txt": "04faffc0a204f1a80a5c747dab91d95f882cf5bdb11771c5f7d045e3feefc3ed",
}


def test_the_fixtures_published_copies_are_the_shipped_texts():
    for filename, _, _ in UNITS.values():
        copy = (HERE / "published" / filename).read_bytes()
        assert hashlib.sha256(copy).hexdigest() == PUBLISHED_SHA256[filename], filename
