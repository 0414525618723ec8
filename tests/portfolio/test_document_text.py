"""An Office or OpenDocument file's text is read once on the worker when the upload commits, in a
child process with memory, processor and time limits, and shown on the evidence page to everyone
who may read the evidence. A zip bomb, a lying zip header or an entity bomb costs the worker seconds
and no memory of its own; the page then says the text cannot be shown.

Alice is the candidate, Bob her assessor, Carol her IQA, Grace the administrator, Heidi the EQA."""

import datetime
import io
import json
import resource
import subprocess
import tempfile
import time
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio import document_text, office_text, services
from portfolio.models import AssessmentMethod, DocumentText
from portfolio.tasks import read_evidence_document_text
from standards.models import Criterion
from tests.portfolio import office_documents
from tests.portfolio.evidence_files import upload

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _read(content: bytes, content_type: str, limit: int = 10_000):
    with tempfile.NamedTemporaryFile() as copy:
        copy.write(content)
        copy.flush()
        return office_text.read_text(copy.name, content_type, limit)


# What is read out of each kind.


@pytest.mark.parametrize(
    ("document", "content_type", "text"),
    [
        (office_documents.docx, DOCX,
         "Witness testimony\nAlice supported Mrs B to phone her sister.\nSigned:\tWendy Walsh\n\n"
         "Date\t14 May\nPlace\tRiverside House"),
        (office_documents.xlsx, office_text.XLSX,
         "Sheet: Visits\nPerson\tVisits\nMrs B\t3\tTRUE\n\nSheet: Notes\nPhoned her sister"),
        (office_documents.pptx, office_text.PPTX,
         "Slide 1\nSupporting a family visit\n\nSlide 2\nWhat I learned\nAsk before helping"),
        (office_documents.odt, office_text.ODT, "Reflective account\nI helped Mrs B  plan\ta visit.\nDate\t14 May"),
        (office_documents.ods, office_text.ODS, "Sheet: Rota\nMonday\tEarly"),
        (office_documents.odp, office_text.ODP, "Slide 1\nBoundaries at work\n\nSlide 2\nSaying no kindly"),
    ],
)
def test_it_reads_the_words_of_each_kind_of_document(document, content_type, text):
    assert _read(document(), content_type) == (text, False)


def test_it_stops_at_the_limit_and_says_there_is_more():
    text, cut_short = _read(office_documents.long_docx(5_000), DOCX, limit=1_000)

    assert cut_short
    assert text.startswith("Paragraph 0 of the account.\nParagraph 1 of the account.")
    assert len(text) <= 1_000


def test_it_stops_decompressing_at_the_budget_for_all_parts_together(monkeypatch):
    workbook = office_documents.xlsx()
    with zipfile.ZipFile(io.BytesIO(workbook)) as package:
        first = package.getinfo("_rels/.rels").file_size
        second = package.getinfo("xl/_rels/workbook.xml.rels").file_size
    # Every part is under the limit for one part; the workbook's relationships pass what is left.
    monkeypatch.setattr(office_text, "PARTS_LIMIT", first + second - 1)

    with pytest.raises(office_text.Unreadable, match=r"^xl/_rels/workbook\.xml\.rels would decompress"):
        _read(workbook, office_text.XLSX)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (lambda: office_documents.zip_bomb_docx(200), "would decompress to"),
        (office_documents.lying_docx, "Bad CRC-32"),
        (lambda: office_documents.docx(office_documents.ENTITY_BOMB), "declares a document type"),
        (lambda: b"PK\x03\x04 not really a zip", "BadZipFile"),
    ],
)
def test_a_hostile_document_is_refused_before_it_costs_anything(document, problem):
    with pytest.raises(office_text.Unreadable, match=problem):
        _read(document(), DOCX)


# On the worker, in a child process with limits.


@pytest.fixture
def add(centre, alice, hsc331, django_capture_on_commit_callbacks):
    """add(name, content, run_worker=True): Alice's submitted evidence with one file."""

    def add(name: str, content: bytes, run_worker: bool = True):
        with django_capture_on_commit_callbacks(execute=run_worker):
            evidence = services.evidence_create(
                candidate=alice, centre=centre, author=alice, title="Witness testimony",
                method=AssessmentMethod.WITNESS_TESTIMONY,
                activity_date=timezone.localdate() - datetime.timedelta(days=1),
                uploads=[upload(name, content)],
            )
        services.evidence_map(
            evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
            knowledge_items=[], scope_items=[],
        )
        services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
        return evidence.files.get()

    return add


def test_the_worker_reads_a_documents_text_once_the_upload_commits(add):
    testimony = add("testimony.docx", office_documents.docx())

    kept = DocumentText.objects.get(evidence_file=testimony)
    assert kept.readable and not kept.cut_short
    assert kept.text.startswith("Witness testimony\nAlice supported Mrs B to phone her sister.")


def test_reading_again_changes_nothing(add, monkeypatch):
    testimony = add("testimony.docx", office_documents.docx())
    monkeypatch.setattr(document_text, "_read_in_child", lambda *a: pytest.fail("read a second time"))

    read_evidence_document_text.call(testimony.pk)

    assert DocumentText.objects.filter(evidence_file=testimony).count() == 1


def test_a_zip_bomb_costs_the_worker_seconds_and_none_of_its_memory(add):
    bomb = office_documents.zip_bomb_docx(400)  # 400 MB of text in under half a megabyte
    assert len(bomb) < 512 * 1024
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()

    testimony = add("testimony.docx", bomb)

    assert time.monotonic() - started < 10
    kept = DocumentText.objects.get(evidence_file=testimony)
    assert not kept.readable and kept.text == ""
    assert "would decompress to 419430" in kept.problem
    # Read in a child: the worker's own peak did not grow by the bomb.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - own_peak < 50 * 1024  # KiB


@pytest.mark.parametrize(
    "bomb", [lambda: office_documents.zip_bomb_docx(400), lambda: office_documents.lying_docx(100 * 1024 * 1024)]
)
def test_the_child_reading_a_zip_bomb_stays_within_a_few_megabytes(bomb, tmp_path):
    document = tmp_path / "testimony.docx"
    document.write_bytes(bomb())

    finished = subprocess.run(document_text.reader_command(document, DOCX), capture_output=True, check=True)

    answer = json.loads(finished.stdout)
    assert "unreadable" in answer
    # KiB: the interpreter and a 64 KiB piece at a time, not the bomb.
    assert 0 < answer["peak_kib"] < 32 * 1024


def test_a_reader_out_of_memory_leaves_the_text_unreadable_and_the_worker_going(add, monkeypatch):
    # The child limits itself once started: with 4 MB of address space, opening the file fails.
    monkeypatch.setattr(document_text, "MEMORY_LIMIT", 4 * 1024 * 1024)

    testimony = add("testimony.docx", office_documents.docx())

    kept = DocumentText.objects.get(evidence_file=testimony)
    assert not kept.readable
    assert kept.problem == "reading it needed more memory than allowed"
    assert add("again.docx", office_documents.docx()).pk  # the worker itself carries on


def test_a_reader_that_takes_too_long_is_stopped(add, monkeypatch):
    monkeypatch.setattr(document_text, "WALL_SECONDS", 0.001)

    testimony = add("testimony.docx", office_documents.docx())

    assert DocumentText.objects.get(evidence_file=testimony).problem == "reading took longer than 0.001 seconds"


def test_a_deleted_drafts_text_goes_with_it(centre, alice, hsc331, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_create(
            candidate=alice, centre=centre, author=alice, title="Unfinished", method=AssessmentMethod.PRODUCT,
            activity_date=timezone.localdate(), uploads=[upload("notes.docx", office_documents.docx())],
        )
    assert DocumentText.objects.count() == 1

    services.evidence_delete_draft(evidence=evidence, candidate=alice)

    assert DocumentText.objects.count() == 0


# On the evidence page.


def _page(client, person, evidence_file) -> str:
    client.force_login(person)
    response = client.get(reverse("assessments:evidence_detail", args=[evidence_file.evidence_id]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "grace", "heidi"])
def test_everyone_who_may_read_the_evidence_reads_the_documents_text(client, people, add, persona):
    testimony = add("testimony.docx", office_documents.docx())

    page = _page(client, people[persona], testimony)

    assert "Text of the document" in page
    assert "Alice supported Mrs B to phone her sister." in page
    assert "Riverside House" in page


def test_the_page_says_the_text_is_being_prepared_until_the_worker_has_read_it(client, bob, add):
    testimony = add("testimony.docx", office_documents.docx(), run_worker=False)

    page = _page(client, bob, testimony)

    assert "The text of this document is being prepared." in page
    assert "Alice supported Mrs B" not in page


def test_the_page_says_when_the_text_cannot_be_shown(client, bob, add):
    testimony = add("testimony.docx", office_documents.lying_docx())

    page = _page(client, bob, testimony)

    assert "The text of this document cannot be shown here. Download it to open it." in page


def test_the_page_says_when_the_text_stops_short(client, bob, add, monkeypatch):
    monkeypatch.setattr(document_text, "TEXT_LIMIT", 500)
    testimony = add("account.docx", office_documents.long_docx(100))

    page = _page(client, bob, testimony)

    assert "Paragraph 0 of the account." in page and "Paragraph 99 of the account." not in page
    assert "The text stops here, but the document goes on: download it to read the rest." in page


def test_a_document_from_before_texts_were_read_is_queued_again_from_its_page(
    client, bob, add, django_capture_on_commit_callbacks
):
    testimony = add("testimony.docx", office_documents.docx(), run_worker=False)
    assert not DocumentText.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert "being prepared" in _page(client, bob, testimony)
    assert not DocumentText.objects.exists(), "a document just uploaded waits for its own task"

    type(testimony).objects.filter(pk=testimony.pk).update(uploaded_at=timezone.now() - datetime.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        _page(client, bob, testimony)

    assert "Alice supported Mrs B" in _page(client, bob, testimony)


# A plain text file is shown as an Office document's text is: read on the worker, bounded, escaped.


def test_a_text_files_words_are_shown_on_the_evidence_page_escaped(client, bob, add):
    notes = add("notes.txt", b"Visit notes\r\nMrs B chose the day & phoned her sister. The sign said <b>no</b> visits before 10.\n")

    page = _page(client, bob, notes)

    assert "Text of the document" in page
    assert "Mrs B chose the day &amp; phoned her sister. The sign said &lt;b&gt;no&lt;/b&gt; visits before 10." in page
    assert "<b>no</b>" not in page
    assert f'href="{reverse("portfolio:evidence_file", args=[notes.pk])}"' in page  # the download stays


def test_a_long_text_file_stops_at_the_limit_and_says_so(client, bob, add, monkeypatch):
    monkeypatch.setattr(document_text, "TEXT_LIMIT", 500)
    notes = add("long.txt", "".join(f"Line {n} of my notes.\n" for n in range(200)).encode())

    page = _page(client, bob, notes)

    assert "Line 0 of my notes." in page and "Line 199 of my notes." not in page
    assert "The text stops here, but the document goes on: download it to read the rest." in page


def test_a_text_file_written_in_windows_western_european_reads_as_written(add):
    notes = add("notes.txt", "Café visit, £5 for tea".encode("cp1252"))

    assert DocumentText.objects.get(evidence_file=notes).text == "Café visit, £5 for tea"
