"""Uploads are judged by what they hold: a bad file is refused by name and nothing of the evidence
is saved; a good one is stored with the type found in it, its size and its SHA-256."""

import datetime
import hashlib
import io
import json
import random
import tracemalloc
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from portfolio import services
from portfolio.errors import UploadRejected
from portfolio.models import AssessmentMethod, Evidence, EvidenceFile
from portfolio.upload_handlers import too_large_files
from portfolio.uploads import TooLargeUpload, check_uploads, safe_label
from tests.factories import enrol, load_standards
from tests.portfolio import hostile_files
from tests.portfolio.evidence_files import upload

KB = 1024
MB = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def standards(db):
    load_standards()


@pytest.fixture
def alice(alice, bob, carol, centre, standards):
    """Alice, registered on HSC331 so that she may add evidence."""
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return alice


def add_evidence(alice, centre, *uploads) -> Evidence:
    return services.evidence_create(
        candidate=alice,
        centre=centre,
        author=alice,
        title="Planning a visit with Mrs B",
        method=AssessmentMethod.PRODUCT,
        activity_date=timezone.localdate() - datetime.timedelta(days=1),
        uploads=list(uploads),
    )


def stored_files(evidence_root: Path) -> list[Path]:
    return [p for p in evidence_root.rglob("*") if p.is_file()]


def refused(alice, centre, evidence_root, *uploads) -> list[tuple[str, str]]:
    """The problems raised for these uploads, after checking that nothing at all was saved."""
    with pytest.raises(UploadRejected) as rejection:
        add_evidence(alice, centre, *uploads)
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files(evidence_root) == []
    return rejection.value.problems


ACCEPTED_SENTENCE = (
    "only PDF, images, Office and OpenDocument documents, plain text, audio and video can be evidence."
)


# Bad files, each refused by name with nothing saved.


def test_it_refuses_an_html_page_named_pdf(alice, centre, evidence_root):
    problems = refused(alice, centre, evidence_root, upload("visit.pdf", hostile_files.HTML_PAGE))

    assert problems == [("visit.pdf", f"“visit.pdf” is an HTML page, not a PDF: {ACCEPTED_SENTENCE}")]


def test_it_refuses_an_svg_with_a_script_named_png(alice, centre, evidence_root):
    problems = refused(
        alice, centre, evidence_root, upload("photo.png", hostile_files.SVG_WITH_SCRIPT, "image/png")
    )

    assert problems == [("photo.png", f"“photo.png” is an SVG drawing, not a PNG image: {ACCEPTED_SENTENCE}")]


def test_it_refuses_xml(alice, centre, evidence_root):
    problems = refused(alice, centre, evidence_root, upload("notes.txt", hostile_files.XML_FILE))

    assert problems == [("notes.txt", f"“notes.txt” is an XML file, not a text file: {ACCEPTED_SENTENCE}")]


def test_it_refuses_a_program(alice, centre, evidence_root):
    problems = refused(alice, centre, evidence_root, upload("timesheet.pdf", hostile_files.ELF_PROGRAM))

    assert problems == [("timesheet.pdf", f"“timesheet.pdf” is a program, not a PDF: {ACCEPTED_SENTENCE}")]


def test_it_refuses_an_empty_file(alice, centre, evidence_root):
    problems = refused(alice, centre, evidence_root, upload("account.docx", b""))

    assert problems == [
        ("account.docx", "“account.docx” is empty: open it to check it saved properly, then upload it again.")
    ]


def test_it_refuses_a_file_over_the_size_limit(alice, centre, evidence_root, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 2 * KB

    problems = refused(alice, centre, evidence_root, upload("account.txt", hostile_files.PLAIN_TEXT * 40))

    [(label, message)] = problems
    assert label == "account.txt"
    assert message.startswith("“account.txt” is 5.2 KB, larger than the 2 KB limit for one file")


def test_it_refuses_files_that_together_pass_the_upload_limit(alice, centre, evidence_root, settings):
    settings.EVIDENCE_MAX_REQUEST_BYTES = 3 * KB
    text = hostile_files.PLAIN_TEXT * 15  # 2 KB

    problems = refused(alice, centre, evidence_root, upload("one.txt", text), upload("two.txt", text))

    assert problems == [
        (
            "two.txt",
            "“two.txt” takes this upload past the 3 KB limit for all its files together: "
            "add it on its own afterwards.",
        )
    ]


def test_it_refuses_a_decompression_bomb(alice, centre, evidence_root):
    # 20000 x 20000 pixels: 1.2 GB once decoded, 49 KB on disk.
    bomb = hostile_files.single_colour_png(20_000, 20_000)
    assert len(bomb) < 100 * KB

    problems = refused(alice, centre, evidence_root, upload("chart.png", bomb, "image/png"))

    assert problems == [
        (
            "chart.png",
            "“chart.png” has more than 40 million pixels, too many to open safely: "
            "save a smaller copy of the picture and upload that.",
        )
    ]


def test_it_refuses_an_image_over_the_pixel_setting(alice, centre, evidence_root, settings):
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 1_000_000
    picture = hostile_files.single_colour_png(1001, 1000)

    problems = refused(alice, centre, evidence_root, upload("chart.png", picture, "image/png"))

    assert problems[0][1].startswith("“chart.png” has more than 1 million pixels")


def test_it_refuses_a_corrupt_jpeg(alice, centre, evidence_root):
    problems = refused(alice, centre, evidence_root, upload("photo.jpg", hostile_files.corrupt_jpeg()))

    assert problems == [
        (
            "photo.jpg",
            "“photo.jpg” looks like a JPEG photo but is damaged and cannot be opened: "
            "save or export it again, then upload the new copy.",
        )
    ]


def test_it_refuses_a_cut_off_jpeg_even_with_weasyprint_loaded(alice, centre, evidence_root):
    from PIL import ImageFile

    # WeasyPrint (imported by hostile_files, and by the portfolio export) tells Pillow to pad
    # cut-off images; the check must not inherit that, nor change it for WeasyPrint.
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True

    problems = refused(alice, centre, evidence_root, upload("photo.jpg", hostile_files.cut_off_jpeg()))

    assert "is damaged and cannot be opened" in problems[0][1]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_it_refuses_a_zip_archive_named_docx(alice, centre, evidence_root):
    problems = refused(alice, centre, evidence_root, upload("account.docx", hostile_files.zip_archive()))

    assert problems == [
        ("account.docx", f"“account.docx” is a zip archive, not a Word document: {ACCEPTED_SENTENCE}")
    ]


def test_it_refuses_an_office_document_with_macros(alice, centre, evidence_root):
    # libmagic calls this an ordinary .docx; only its own manifest says it carries macros.
    problems = refused(alice, centre, evidence_root, upload("account.docx", hostile_files.docm_with_macros()))

    assert problems[0][1].startswith("“account.docx” is an Office document with macros")


def test_it_refuses_a_zip_whose_directory_is_too_long_to_read(alice, centre, evidence_root):
    problems = refused(
        alice, centre, evidence_root, upload("account.docx", hostile_files.zip_with_many_entries(12_000))
    )

    assert problems[0][1].startswith("“account.docx” is a zip archive")


def test_a_mixed_upload_saves_nothing(alice, centre, evidence_root):
    problems = refused(
        alice,
        centre,
        evidence_root,
        upload("photo.jpg", hostile_files.jpeg_photo()),
        upload("visit.pdf", hostile_files.HTML_PAGE),
        upload("empty.txt", b""),
    )

    assert [label for label, _ in problems] == ["visit.pdf", "empty.txt"]


def test_it_refuses_a_file_the_upload_handler_stopped(alice, centre, evidence_root, settings):
    # Even a view that forgets to look at too_large_files() cannot save evidence without it.
    settings.EVIDENCE_MAX_FILE_BYTES = 100 * MB
    stand_in = TooLargeUpload(name="visit.mp4", size=150 * MB, whole_upload=False)

    problems = refused(alice, centre, evidence_root, stand_in, upload("notes.txt", hostile_files.PLAIN_TEXT))

    assert problems == [
        (
            "visit.mp4",
            "“visit.mp4” is 150 MB, larger than the 100 MB limit for one file: "
            "upload a shorter recording or a smaller copy.",
        )
    ]


# Good files.


def test_it_accepts_a_photo_a_pdf_a_docx_and_a_text_file_together(alice, centre, evidence_root):
    contents = {
        "photo.jpg": hostile_files.jpeg_photo(),
        "observation.pdf": hostile_files.pdf_document(),
        "testimony.docx": hostile_files.docx_document(),
        "account.txt": hostile_files.PLAIN_TEXT,
    }
    uploads = [upload(name, content, "application/octet-stream") for name, content in contents.items()]

    evidence = add_evidence(alice, centre, *uploads)

    files = {f.original_name: f for f in evidence.files.all()}
    assert {name: f.content_type for name, f in files.items()} == {
        "photo.jpg": "image/jpeg",
        "observation.pdf": "application/pdf",
        "testimony.docx": DOCX,
        "account.txt": "text/plain",
    }
    for name, content in contents.items():
        assert files[name].size == len(content)
        assert files[name].sha256 == hashlib.sha256(content).hexdigest()
        with files[name].file.open("rb") as stored:
            assert stored.read() == content
    assert len(stored_files(evidence_root)) == 4


def test_it_keeps_only_the_last_part_of_a_path_traversal_name(alice, centre, evidence_root, tmp_path):
    evidence = add_evidence(alice, centre, upload("../../etc/passwd.txt", hostile_files.PLAIN_TEXT))

    stored = evidence.files.get()
    assert stored.original_name == "passwd.txt"
    assert stored.content_type == "text/plain"
    stored_path = Path(stored.file.path).resolve()
    assert stored_path.is_relative_to(evidence_root.resolve())
    assert "passwd" not in stored.file.name  # stored under a name of our own making
    assert list(tmp_path.rglob("passwd*")) == []


def test_it_strips_a_windows_path_from_the_name(alice, centre, evidence_root):
    evidence = add_evidence(
        alice, centre, upload("C:\\Users\\alice\\Desktop\\account.txt", hostile_files.PLAIN_TEXT)
    )

    assert evidence.files.get().original_name == "account.txt"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("testimony.odt", hostile_files.odt_document(), "application/vnd.oasis.opendocument.text"),
        (
            "rota.xlsx",
            hostile_files.xlsx_workbook(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        # libmagic names Word 97 only from the container's directory, here beyond the first 8 KiB.
        ("account.doc", hostile_files.word_97_document(40_000), "application/msword"),
        ("discussion.wav", hostile_files.wav_recording(), "audio/x-wav"),
        ("discussion.mp3", hostile_files.mp3_frames(), "audio/mpeg"),
        ("discussion.m4a", hostile_files.mp4_header(b"M4A "), "audio/x-m4a"),
        ("observation.mp4", hostile_files.mp4_header(), "video/mp4"),
        ("observation.mov", hostile_files.mp4_header(b"qt  "), "video/quicktime"),
        # libmagic's video/x-m4v is MPEG-4 video under another name.
        ("observation.m4v", hostile_files.mp4_header(b"M4V "), "video/mp4"),
        # Pillow cannot open HEIC, so an iPhone photo is checked by its header alone.
        ("photo.heic", hostile_files.mp4_header(b"heic"), "image/heic"),
        ("chart.png", hostile_files.png_image(), "image/png"),
    ],
)
def test_it_detects_the_type_from_the_content(name, content, content_type):
    [checked] = check_uploads([upload(name, content, "text/html")])

    assert (checked.label, checked.content_type) == (name, content_type)


def test_it_keeps_notes_libmagic_mistakes_for_a_program_as_plain_text():
    # libmagic reads a line starting "C " as FORTRAN.
    notes = b"C and I went out to the shops.\nShe chose her own bread.\n"

    [checked] = check_uploads([upload("notes.txt", notes)])

    assert checked.content_type == "text/plain"


def test_it_gives_a_file_an_ending_that_matches_what_it_holds():
    # Otherwise "notes.bat" would open as a program on the assessor's Windows computer.
    checked = check_uploads(
        [
            upload("notes.bat", hostile_files.PLAIN_TEXT),
            upload("photo.png", hostile_files.jpeg_photo()),
            upload("notes", hostile_files.PLAIN_TEXT),
        ]
    )

    assert [c.label for c in checked] == ["notes.bat.txt", "photo.png.jpg", "notes.txt"]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\notes.txt", "notes.txt"),
        ("visit\x00.pdf", "visit.pdf"),
        ("line\nbreak\r.txt", "linebreak.txt"),
        ("\u202etxt.exe", "txt.exe"),  # a right-to-left override would show it as "exe.txt"
        ("  spaced out.pdf  ", "spaced out.pdf"),
        ("", "file"),
        ("..", "file"),
        ("folder/", "file"),
        ("\x00\x01", "file"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_it_makes_a_safe_label(name, label):
    assert safe_label(name) == label


def test_it_streams_the_hash_and_puts_the_file_back_at_the_start():
    content = hostile_files.PLAIN_TEXT * 2000  # more than one 64 KB chunk
    uploaded = upload("account.txt", content)
    uploaded.seek(123)

    [checked] = check_uploads([uploaded])

    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)
    assert uploaded.tell() == 0


class ReadRecorder(io.BytesIO):
    """A file that remembers the most it ever handed out in one read."""

    largest_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.largest_read = max(self.largest_read, len(data))
        return data


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("account.txt", hostile_files.PLAIN_TEXT * 25_000),  # 3 MB
        ("photo.jpg", hostile_files.jpeg_photo((1500, 1000))),
        ("testimony.docx", hostile_files.docx_document(random.Random(3).randbytes(MB).hex())),
    ],
)
def test_it_never_reads_a_whole_file_at_once(name, content):
    assert len(content) > 500 * KB
    recorder = ReadRecorder(content)

    check_uploads([UploadedFile(file=recorder, name=name, size=len(content))])

    assert recorder.largest_read <= 65 * KB + 22  # a chunk, or a zip's end record


# Through a real request: the upload handler stops keeping a file at the size limit.

handler_record: dict[str, dict] = {}


class RecordingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, noting how much of each file reached the disk, and where."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        handler_record[self.file_name] = {"path": self.file.temporary_file_path(), "written": 0}

    def receive_data_chunk(self, raw_data, start):
        handler_record[self.file_name]["written"] += len(raw_data)
        return super().receive_data_chunk(raw_data, start)


# The probe's own URLconf has no sign-in page to send a stranger to, and the probe shows nothing
# private: it is open, like the product's public pages.
@login_not_required
@csrf_exempt
def upload_probe(request):
    """A throwaway view: what arrived, and what check_uploads made of it."""
    uploads = request.FILES.getlist("files")
    answer = {
        "arrived_as": {u.name: type(u).__name__ for u in uploads},
        "too_large": too_large_files(request),
        "problems": [],
        "accepted": [],
    }
    try:
        answer["accepted"] = [c.label for c in check_uploads(uploads)]
    except UploadRejected as rejected:
        answer["problems"] = rejected.problems
    return JsonResponse(answer)


urlpatterns = [path("upload/", upload_probe)]


@pytest.fixture
def upload_handlers(settings):
    settings.FILE_UPLOAD_HANDLERS = [
        "portfolio.upload_handlers.EvidenceUploadLimitHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "tests.portfolio.test_uploads.RecordingTemporaryFileUploadHandler",
    ]
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * KB
    settings.EVIDENCE_MAX_FILE_BYTES = 256 * KB
    handler_record.clear()
    yield handler_record
    handler_record.clear()


def post_files(client, *files) -> dict:
    response = client.post("/upload/", {"files": list(files)})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_project_puts_the_limit_handler_first():
    from django.conf import settings

    assert settings.FILE_UPLOAD_HANDLERS == [
        "portfolio.upload_handlers.EvidenceUploadLimitHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]


@pytest.mark.urls(__name__)
def test_the_handler_stops_a_file_at_the_limit_and_names_it(client, upload_handlers):
    big = hostile_files.mp4_header().ljust(3 * MB, b"\0")
    small = hostile_files.PLAIN_TEXT

    answer = post_files(client, upload("visit.mp4", big), upload("notes.txt", small))

    assert answer["too_large"] == ["visit.mp4"]
    assert answer["arrived_as"] == {"visit.mp4": "TooLargeUpload", "notes.txt": "TemporaryUploadedFile"}
    assert answer["problems"] == [
        [
            "visit.mp4",
            "“visit.mp4” is 3 MB, larger than the 256 KB limit for one file: "
            "upload a shorter recording or a smaller copy.",
        ]
    ]
    # No more than the limit of the big file reached the disk, and that copy is gone again.
    assert upload_handlers["visit.mp4"]["written"] <= 256 * KB
    assert not Path(upload_handlers["visit.mp4"]["path"]).exists()
    assert upload_handlers["notes.txt"]["written"] == len(small)


@pytest.mark.urls(__name__)
def test_the_handler_stops_files_past_the_upload_limit(client, upload_handlers, settings):
    settings.EVIDENCE_MAX_REQUEST_BYTES = 300 * KB
    text = hostile_files.PLAIN_TEXT * 1500  # 195 KB each: under the file limit, not both together

    answer = post_files(client, upload("one.txt", text), upload("two.txt", text))

    assert answer["too_large"] == ["two.txt"]
    assert answer["problems"] == [
        [
            "two.txt",
            "“two.txt” takes this upload past the 300 KB limit for all its files together: "
            "add it on its own afterwards.",
        ]
    ]
    assert upload_handlers["two.txt"]["written"] <= 300 * KB - len(text)


@pytest.mark.urls(__name__)
def test_a_large_file_under_the_limit_streams_to_a_temporary_file(client, upload_handlers):
    content = hostile_files.PLAIN_TEXT * 1500  # 195 KB: above the memory size, under the limit

    answer = post_files(client, upload("account.txt", content))

    assert answer == {
        "arrived_as": {"account.txt": "TemporaryUploadedFile"},
        "too_large": [],
        "problems": [],
        "accepted": ["account.txt"],
    }
    assert upload_handlers["account.txt"]["written"] == len(content)


def test_reading_a_too_large_upload_takes_no_more_memory_than_a_few_chunks(rf, upload_handlers):
    big = hostile_files.mp4_header().ljust(8 * MB, b"\0")
    # The test client holds the request body in memory; the parsing is what is measured.
    request = rf.post("/upload/", {"files": [upload("visit.mp4", big)]})
    tracemalloc.start()
    try:
        arrived = request.FILES.getlist("files")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert [type(u).__name__ for u in arrived] == ["TooLargeUpload"]
    assert peak < 1 * MB
    assert upload_handlers["visit.mp4"]["written"] <= 256 * KB
