"""Importing a unit from its published text through the pages (issue 14 items 1, 2 and 9): the
PDF or a text file (checked as every upload is) or the text pasted; the parsed unit shown beside
its source with every warning; nothing written until confirmed, then all of it at once. Only the
site administrator and centre administrators granted the right find the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.models import Membership, Role
from standards.models import Criterion, Suite, Unit
from tests.factories import may_import
from tests.standards.current_pdf import image_only_pdf, standard_pdf
from tests.standards.current_texts import CLEAN
from tests.standards.import_texts.care import SQA

pytestmark = pytest.mark.django_db

IMPORT = reverse("portfolio:unit_import")
NO_KNOWLEDGE = SQA.split("Knowledge Specification")[0]


@pytest.fixture
def importer(grace):
    may_import(Membership.objects.filter(person=grace, role=Role.ADMINISTRATOR))
    return grace


def _read(client, person, **fields):
    client.force_login(person)
    data = {"suite": Suite.objects.get(code="HSC").pk, **fields}
    return client.post(IMPORT, data)


def _preview(client, person, **fields):
    response = _read(client, person, **fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"], client.get(response["Location"]).content.decode()


def test_pasted_text_is_shown_beside_its_source_and_nothing_is_written_before_confirming(client, importer):
    url, page = _preview(client, importer, source_text=SQA)

    assert "HSC41.1.2" in page and "you report signs of danger" in page  # parsed, with references
    assert "The source" in page and "F5BE 04 (HSC41)" in page
    assert "the 2004 care layout as badged by SQA" in page
    assert not Unit.objects.filter(code="HSC41").exists()

    response = client.post(url)

    unit = Unit.objects.get(code="HSC41")
    assert response.status_code == 302 and response["Location"] == reverse("standards:unit_detail", args=[unit.slug])
    assert list(Criterion.objects.filter(unit=unit).values_list("reference", flat=True)) == [
        "HSC41.1.1", "HSC41.1.2", "HSC41.2.1",
    ]
    assert unit.suite.code == "HSC"
    # The draft is gone with the import: its address finds nothing now.
    assert client.get(url).status_code == 404


def test_a_pdf_of_a_current_layout_unit_is_read_and_imported_into_a_new_suite(client, importer):
    pdf = SimpleUploadedFile("SCDHSC0041.pdf", standard_pdf(CLEAN), content_type="application/pdf")
    url, page = _preview(client, importer, source_file=pdf, suite="", suite_code="SCD", suite_title="Social care")

    assert "SCDHSC0041 P1" in page and "SCDHSC0041 K1" in page
    assert "the current Skills for Care and Skills for Health layout" in page
    client.post(url)

    unit = Unit.objects.get(code="SCDHSC0041")
    assert unit.suite.title == "Social care" and unit.criteria.exists() and unit.knowledge_items.exists()


def test_an_incomplete_unit_is_imported_only_when_the_person_says_so(client, importer):
    url, page = _preview(client, importer, source_text=NO_KNOWLEDGE)

    assert "This unit is incomplete" in page and "No knowledge and understanding found" in page
    refused = client.post(url).content.decode()
    assert "tick the box to import it as an incomplete unit" in refused
    assert not Unit.objects.filter(code="HSC41").exists()

    client.post(url, {"accept_incomplete": "on"})
    unit = Unit.objects.get(code="HSC41")
    assert unit.incomplete
    assert "Incomplete unit" in client.get(reverse("standards:unit_detail", args=[unit.slug])).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source_text": "   "}, "Paste the unit&#x27;s text, or choose its PDF or text file: nothing was given."),
        ({"source_text": "A shopping list\neggs\nmilk"}, "not"),
        (
            {"source_file": SimpleUploadedFile("unit.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)},
            "can be imported",
        ),
        ({"source_file": SimpleUploadedFile("scan.pdf", image_only_pdf())}, "scan"),
        ({"source_text": SQA, "suite": "", "suite_code": "", "suite_title": ""}, "Give the new suite&#x27;s code"),
    ],
    ids=["empty", "not-a-unit", "a-picture", "image-only-pdf", "no-suite"],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(client, importer, fields, message):
    units = Unit.objects.count()

    response = _read(client, importer, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Unit.objects.count() == units


def test_a_unit_already_in_the_catalogue_is_refused_with_nothing_half_written(client, importer):
    url, _ = _preview(client, importer, source_text=SQA)
    client.post(url)
    url, page = _preview(client, importer, source_text=SQA)

    assert "The catalogue already has" in page
    response = client.post(url)

    assert "already in the catalogue" in response.content.decode()
    assert Unit.objects.filter(code="HSC41").count() == 1


@pytest.mark.parametrize("persona", ["grace", "bob", "carol", "alice", "heidi"])
def test_nobody_else_finds_the_pages(client, people, persona):
    client.force_login(people[persona])

    assert client.get(IMPORT).status_code == 404
    assert client.post(IMPORT, {"source_text": SQA}).status_code == 404


# A newer version of a unit already in the catalogue (issue 14 item 5).

VERSION_4 = CLEAN.replace("Version Number 3", "Version Number 4")


def _imported(client, importer, text, **confirm):
    url, _ = _preview(client, importer, source_text=text)
    response = client.post(url, confirm)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_newer_version_is_shown_beside_the_old_one_which_may_be_marked_legacy(client, importer):
    _imported(client, importer, CLEAN)
    url, page = _preview(client, importer, source_text=VERSION_4)

    assert "SCDHSC0041 version 3</a>; this is version 4: it will sit beside it; candidates stay on version 3 until moved." in page
    assert "Mark version 3 Legacy" in page
    client.post(url, {"supersede": "on"})

    validity = dict(Unit.objects.filter(code="SCDHSC0041").values_list("version", "validity"))
    assert validity == {"3": "legacy", "4": "current"}
    listed = client.get(reverse("standards:unit_list")).content.decode()
    assert "v3 · Legacy" in listed and "v4 · Current" in listed


def test_left_unticked_the_older_version_stays_current(client, importer):
    _imported(client, importer, CLEAN)
    _imported(client, importer, VERSION_4)

    validity = dict(Unit.objects.filter(code="SCDHSC0041").values_list("version", "validity"))
    assert validity == {"3": "current", "4": "current"}


def test_an_older_version_sits_beside_the_newer_and_nothing_is_offered_to_mark(client, importer):
    _imported(client, importer, VERSION_4)
    url, page = _preview(client, importer, source_text=CLEAN)

    assert "this is version 3, older than the newest there: it will sit beside it, and no candidate is moved to it." in page
    assert "Legacy" not in page.split("<form", 1)[1].split("</form>")[0]
    client.post(url, {"supersede": "on"})
    assert set(Unit.objects.filter(code="SCDHSC0041").values_list("validity", flat=True)) == {"current"}


def test_marking_legacy_is_undone_with_an_import_that_fails(client, importer, monkeypatch):
    from standards.importing import writer

    _imported(client, importer, CLEAN)
    url, _ = _preview(client, importer, source_text=VERSION_4)

    def broken(unit, parsed):
        raise writer.UnitExists("The database refused the knowledge items.")

    monkeypatch.setattr(writer, "_knowledge", broken)
    response = client.post(url, {"supersede": "on"})

    assert "The database refused the knowledge items." in response.content.decode()
    assert list(Unit.objects.filter(code="SCDHSC0041").values_list("version", "validity")) == [("3", "current")]
def test_a_unit_whose_words_may_be_missing_needs_the_tick_box_too(client, importer):
    """Numbering jumps from P4 to P6: every section is there, but a criterion's words are not."""
    from tests.standards.unseen import unit_file

    text = unit_file("SCDHSC0024_gapP5.txt").read_text(encoding="utf-8")
    url, page = _preview(client, importer, source_text=text)

    assert "This unit is incomplete" in page and "Published words may be missing from this text" in page
    assert "numbering jumps from P4 to P6" in page
    refused = client.post(url).content.decode()
    assert "gaps where published words may be missing (numbering jumps from P4 to P6)" in refused
    assert not Unit.objects.filter(code="SCDHSC0024").exists()
    client.post(url, {"accept_incomplete": "on"})
    assert Unit.objects.get(code="SCDHSC0024").incomplete is True


def test_a_new_suite_may_not_take_an_existing_suites_title(client, importer):
    existing = Suite.objects.get(code="HSC")
    url, _ = _preview(client, importer, source_text=SQA, suite="", suite_code="HSC2", suite_title=existing.title.upper())

    response = client.post(url)

    assert "The suite HSC has that title: choose it instead." in response.content.decode()
    assert not Unit.objects.filter(code="HSC41").exists() and not Suite.objects.filter(code="HSC2").exists()
