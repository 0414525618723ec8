"""manage.py import_standard: exit statuses, the JSON object, dry runs, one transaction, and
HSC331 imported into an empty catalogue giving the shipped fixture's records."""

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from standards.models import Criterion, Suite, Unit
from tests.standards.import_texts.housing import HOUSING
from tests.standards.test_import_fidelity import fixture_records

pytestmark = pytest.mark.django_db

PUBLISHED = Path(__file__).resolve().parent / "published"
ROOT = Path(__file__).resolve().parents[2]
JSON_KEYS = ["code", "title", "layout", "complete", "warnings", "elements", "criteria", "knowledge", "scope",
             "key_words", "metadata"]  # fmt: skip


@pytest.fixture(autouse=True)
def empty_catalogue(db):
    """The test database holds the shipped units; these tests start from an empty catalogue
    (the test's transaction puts them back)."""
    Unit.objects.all().delete()
    Suite.objects.all().delete()


def run(*args: str) -> tuple[int, str, str]:
    """The command's exit status, output and errors as call_command gives them."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_standard", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


def written(tmp_path: Path, text: str, name: str = "unit.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def standards_rows() -> int:
    return sum(model._default_manager.count() for model in apps.get_app_config("standards").get_models())


def test_json_object_of_a_complete_unit_and_exit_0():
    status, out, _ = run(str(PUBLISHED / "H3-25.txt"), "--json", "--dry-run")
    found = json.loads(out)
    assert status == 0
    assert list(found)[: len(JSON_KEYS)] == JSON_KEYS  # the keys, then the importer's own
    assert list(found)[len(JSON_KEYS) :] == ["awarding_body_codes", "values", "behaviours", "links"]
    assert (found["code"], found["layout"], found["complete"], found["warnings"]) == ("H3 25", "housing", True, [])
    assert found["criteria"][6] == {
        "ref": "H3 25.7",
        "element": None,
        "text": "you negotiate the frequency and method of your contact with customers consistent with the your "
        "role, organisation and legislative requirements, with customers who are free to make such agreements",
        "sub_points": [],
        "group": "",
    }
    assert found["knowledge"][2]["ref"] == "H3 25 K(c)"
    assert found["metadata"] == {}
    assert found["awarding_body_codes"] == {"SQA": "F7E5 04"}  # SQA's code for the unit, from its title line


def test_json_gives_the_words_without_the_defined_term_marking():
    _, out, _ = run(str(PUBLISHED / "HSC331.txt"), "--json", "--dry-run")
    found = json.loads(out)
    assert found["criteria"][0]["text"] == "you support individuals to identify and communicate:"
    assert found["elements"][0] == {"ref": "HSC331a", "title": "Support individuals to identify their needs for, "
                                    "and from, contacts, social networks and relationships"}  # fmt: skip
    assert found["scope"][3] == {"category": "Key people", "items": ["family", "friends", "carers",
                                 "others with whom the individual has a supportive relationship"]}  # fmt: skip
    assert found["key_words"][3] == {"term": "Harm", "definition": "The effects of an individual being "
                                     "physically, emotionally or sexually injured or abused", "points": []}  # fmt: skip
    rights = next(term for term in found["key_words"] if term["term"] == "Rights")
    assert rights["definition"] == "The rights that individuals have to:"
    assert len(rights["points"]) == 9 and rights["points"][0] == "be respected"


def test_dry_run_writes_nothing():
    status, out, _ = run(str(PUBLISHED / "HSC331.txt"), "--dry-run", "--suite", "HSC", "--suite-title", "Care")
    assert status == 0
    assert "Dry run: nothing was imported." in out
    assert standards_rows() == 0


def test_importing_hsc331_into_an_empty_catalogue_gives_the_fixture():
    status, out, _ = run(str(PUBLISHED / "HSC331.txt"), "--suite", "HSC", "--suite-title", "Health and Social Care")
    assert status == 0
    assert "Imported HSC331 Support individuals" in out
    rows = []
    for model in apps.get_app_config("standards").get_models():
        if model is not Suite:
            dumped = serializers.serialize("json", model.objects.order_by("pk"), use_natural_foreign_keys=True,
                                           use_natural_primary_keys=True)  # fmt: skip
            rows += json.loads(dumped)
    imported = [{"model": row["model"], "fields": row["fields"]} for row in rows]
    expected = fixture_records("HSC331")
    def by_content(row: dict) -> str:
        return json.dumps(row, sort_keys=True)

    assert sorted(imported, key=by_content) == sorted(expected, key=by_content)


def test_an_incomplete_unit_is_not_imported_without_confirmation_and_exits_3(tmp_path):
    path = written(tmp_path, HOUSING[: HOUSING.index("Knowledge and understanding")])
    status, out, _ = run(path, "--suite", "HOUSING", "--suite-title", "Housing")
    assert status == 3
    assert "Incomplete: no knowledge and understanding." in out
    assert "Warning: no knowledge and understanding section found" in out
    assert "Nothing was imported: the unit is incomplete." in out
    assert standards_rows() == 0
    status, out, _ = run(path, "--suite", "HOUSING", "--suite-title", "Housing", "--accept-incomplete")
    assert status == 3
    assert "Imported H3 26 Support customers to sustain their tenancy into Housing." in out
    assert list(Criterion.objects.values_list("reference", flat=True)) == ["H3 26.1", "H3 26.2"]


def test_incomplete_json_says_so_and_exits_3(tmp_path):
    status, out, err = run(written(tmp_path, HOUSING[: HOUSING.index("Knowledge and")]), "--json")
    assert status == 3
    assert json.loads(out)["complete"] is False
    assert "Nothing was imported" in err


def test_not_a_unit_exits_4(tmp_path):
    status, out, err = run(written(tmp_path, "Minutes of the staff meeting\n\nPresent: all.\n"))
    assert (status, out) == (4, "")
    assert "does not look like a National Occupational Standard" in err
    assert run(written(tmp_path, ""), "--json")[0] == 4
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff\xfe")
    status, _, err = run(str(tmp_path / "photo.jpg"))
    assert status == 4
    assert "neither a PDF nor text" in err


def test_a_unit_already_in_the_catalogue_is_refused(tmp_path):
    path = written(tmp_path, HOUSING)
    assert run(path, "--suite", "HOUSING")[0] == 0  # the suite is named by the text
    assert Suite.objects.get(code="HOUSING").title == "Housing National Occupational Standards"
    with pytest.raises(CommandError, match=re.escape("H3 26 version 1 is already in the catalogue; nothing was imported.")):
        run(path, "--suite", "HOUSING")
    assert Unit.objects.count() == 1


def test_a_suite_must_be_named(tmp_path):
    with pytest.raises(CommandError, match="--suite CODE"):
        run(str(PUBLISHED / "HSC331.txt"))
    with pytest.raises(CommandError, match="There is no suite HSC yet"):
        run(str(PUBLISHED / "HSC331.txt"), "--suite", "HSC")
    assert standards_rows() == 0


def test_a_failure_half_way_leaves_nothing(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("standards.importing.writer.KeyTerm.objects.create", broken)
    with pytest.raises(RuntimeError):
        run(str(PUBLISHED / "HSC331.txt"), "--suite", "HSC", "--suite-title", "Health and Social Care")
    assert standards_rows() == 0  # not the suite, the unit, its elements or its criteria


def test_a_pdf_is_read_through_its_text(tmp_path):
    from weasyprint import HTML

    text = (PUBLISHED / "HSC331.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    HTML(string=f"<body style='width: 12cm'>{body}</body>").write_pdf(tmp_path / "HSC331.pdf")
    _, from_text, _ = run(str(PUBLISHED / "HSC331.txt"), "--json", "--dry-run")
    status, from_pdf, _ = run(str(tmp_path / "HSC331.pdf"), "--json", "--dry-run")
    assert status == 0
    assert json.loads(from_pdf) == json.loads(from_text)


def test_exit_statuses_from_the_shell(tmp_path):
    def shell(*args: str) -> int:
        return subprocess.run([sys.executable, "manage.py", "import_standard", *args], cwd=ROOT,
                              capture_output=True, check=False).returncode  # fmt: skip

    assert shell() == 2
    # A unit the shell's catalogue cannot hold (a dry run of one it holds exits 1, as the import would).
    assert shell(written(tmp_path, HOUSING.replace("H3 26", "H9 99"), "h999.txt"), "--dry-run") == 0
    assert shell(written(tmp_path, HOUSING[: HOUSING.index("Knowledge and")]), "--dry-run") == 3
    assert shell(written(tmp_path, "not a unit", "other.txt"), "--dry-run") == 4


def test_a_newer_version_sits_beside_the_old_one_and_supersede_marks_the_old_one_legacy(tmp_path):
    from tests.standards.current_texts import CLEAN

    suite = ("--suite", "SCD", "--suite-title", "Health and Social Care")
    assert run(written(tmp_path, CLEAN, "v3.txt"), *suite)[0] == 0
    status, out, _ = run(written(tmp_path, CLEAN.replace("Version Number 3", "Version Number 4"), "v4.txt"), *suite)
    assert status == 0
    assert "Version 4 sits beside version 3, still marked Current; --supersede marks it Legacy." in out

    status, out, _ = run(
        written(tmp_path, CLEAN.replace("Version Number 3", "Version Number 5"), "v5.txt"), *suite, "--supersede"
    )

    assert status == 0
    assert "Version 5 supersedes version 3 and version 4, now marked Legacy" in out
    validity = dict(Unit.objects.filter(code="SCDHSC0041").values_list("version", "validity"))
    assert validity == {"3": "legacy", "4": "legacy", "5": "current"}
def shell_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", "import_standard", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("image_only", "its pages are pictures"),
        ("empty", "This file is not a PDF"),
        ("text_named", "This file is not a PDF"),
    ],
)
def test_a_pdf_that_cannot_be_read_exits_4_with_its_message_and_no_traceback(tmp_path, name, words):
    from tests.standards.current_pdf import image_only_pdf
    from tests.standards.unseen import unit_file

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(image_only_pdf() if name == "image_only" else unit_file(f"{name}.pdf").read_bytes())
    done = shell_run(str(path), "--dry-run")
    assert done.returncode == 4
    assert words in done.stderr and "Traceback" not in done.stderr


def test_usage_errors_exit_2_with_their_message(tmp_path):
    missing = shell_run(str(tmp_path / "nothing-here.txt"))
    assert (missing.returncode, "Traceback" in missing.stderr) == (2, False)
    assert "There is no file" in missing.stderr
    assert run(str(PUBLISHED / "H3-25.txt"), "--dry-run")[0] == 0  # a dry run needs no suite
    for args, words in [((), "--suite CODE"), (("--suite", "HSC"), "There is no suite HSC yet")]:
        with pytest.raises(CommandError, match=re.escape(words)) as refused:
            run(str(PUBLISHED / "HSC331.txt"), *args)
        assert refused.value.returncode == 2


def test_a_new_suite_may_not_take_an_existing_suites_title(tmp_path):
    Suite.objects.create(code="HOUSING", title="Housing National Occupational Standards")
    with pytest.raises(CommandError, match="HOUSING has that title: use --suite HOUSING") as refused:
        run(written(tmp_path, HOUSING), "--suite", "H3")
    assert refused.value.returncode == 2
    assert Suite.objects.count() == 1 and not Unit.objects.exists()


def test_accepting_an_incomplete_unit_imports_it_and_still_exits_3_saying_so(tmp_path):
    from tests.standards.unseen import unit_file

    status, out, _ = run(str(unit_file("SCDHSC0024_gapP5.txt")), "--suite", "SCD", "--suite-title", "Care",
                         "--accept-incomplete")  # fmt: skip
    assert status == 3
    assert "Incomplete: gaps where published words may be missing (numbering jumps from P4 to P6)." in out
    assert "SCDHSC0024 was imported as incomplete" in out
    assert Unit.objects.get(code="SCDHSC0024").incomplete is True


def test_a_dry_run_of_a_unit_already_held_says_it_would_be_refused_and_exits_1(tmp_path):
    path = written(tmp_path, HOUSING)
    assert run(path, "--suite", "HOUSING")[0] == 0
    with pytest.raises(CommandError, match="H3 26 version 1 is already in the catalogue: importing it would be refused"):
        run(path, "--dry-run")
    assert Unit.objects.count() == 1
