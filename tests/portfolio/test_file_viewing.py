"""Evidence files shown where they are judged: a picture's preview and the picture itself, a PDF in
a frame of the evidence page, recordings and videos in a player. Only kinds a browser draws or plays
are ever shown inline; the rest leave as downloads. Viewing is on the audit trail as viewed,
downloading as downloaded, each at most once an hour for each person and file.

Alice is the candidate, Bob her assessor, Carol her IQA; Dave is another candidate at her centre."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from portfolio import services
from portfolio.models import AssessmentMethod, AuditEvent
from portfolio.views.files import FILE_RESPONSE_HEADERS
from standards.models import Criterion
from tests.portfolio import hostile_files
from tests.portfolio.evidence_files import download, upload

pytestmark = pytest.mark.django_db

VIEW, PREVIEW = "portfolio:evidence_file_view", "portfolio:evidence_file_preview"
CONTENTS = {
    "visit.jpg": hostile_files.jpeg_photo((960, 720)),
    "record.pdf": hostile_files.pdf_document(),
    "interview.wav": hostile_files.wav_recording(),
    "visit.mp4": hostile_files.mp4_header(),
    "testimony.docx": hostile_files.docx_document(),
    "notes.txt": hostile_files.PLAIN_TEXT,
}


@pytest.fixture
def files(centre, alice, hsc331, daves_unit, django_capture_on_commit_callbacks):
    """Alice's submitted evidence's files by name, with the worker's thumbnails made."""
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_create(
            candidate=alice, centre=centre, author=alice, title="Supporting a family visit",
            method=AssessmentMethod.PRODUCT, activity_date=timezone.localdate() - datetime.timedelta(days=1),
            uploads=[upload(name, content) for name, content in CONTENTS.items()],
        )
    services.evidence_map(
        evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )
    services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
    return {f.original_name: f for f in evidence.files.all()}


def events(action: str, person=None):
    found = AuditEvent.objects.filter(action=action)
    return found.filter(actor=person) if person is not None else found


# What is shown, and how.


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("visit.jpg", "image/jpeg"), ("record.pdf", "application/pdf"), ("interview.wav", "audio/x-wav"),
     ("visit.mp4", "video/mp4")],
)
def test_it_shows_pictures_pdfs_recordings_and_videos_in_the_browser(client, bob, files, name, content_type):
    response = download(client, bob, files[name], url_name=VIEW)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    assert response["Accept-Ranges"] == "bytes"
    assert response.content_bytes == CONTENTS[name]


@pytest.mark.parametrize("name", ["testimony.docx", "notes.txt"])
def test_it_never_shows_documents_or_text_inline_even_at_the_view_address(client, bob, files, name):
    response = download(client, bob, files[name], url_name=VIEW)

    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


@pytest.mark.parametrize("name", ["visit.jpg", "interview.wav", "testimony.docx"])
def test_shown_files_keep_every_protective_header_and_may_not_be_framed(client, bob, files, name):
    response = download(client, bob, files[name], url_name=VIEW)

    for header, value in FILE_RESPONSE_HEADERS.items():
        assert response[header] == value
    assert response["X-Frame-Options"] == "DENY"


def test_a_pdf_shown_inline_may_be_framed_by_the_sites_own_pages_only(client, bob, files):
    response = download(client, bob, files["record.pdf"], url_name=VIEW)

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox; "
        "frame-ancestors 'self'"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_downloaded_pdf_may_not_be_framed(client, bob, files):
    response = download(client, bob, files["record.pdf"])

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors" not in response["Content-Security-Policy"]


def test_a_pictures_preview_is_its_small_thumbnail(client, bob, files):
    response = download(client, bob, files["visit.jpg"], url_name=PREVIEW)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(response.content)) as preview:
        assert preview.size == (480, 360)


def test_before_the_worker_has_made_the_thumbnail_the_preview_is_the_picture(client, bob, files):
    photo = files["visit.jpg"]
    photo.file.storage.delete(f"{photo.file.name}.thumbnail-480.jpg")

    response = download(client, bob, photo, url_name=PREVIEW)

    assert response["Content-Disposition"] == 'inline; filename="visit.jpg"'
    assert response.content_bytes == CONTENTS["visit.jpg"]


@pytest.mark.parametrize("name", ["record.pdf", "testimony.docx"])
def test_only_a_picture_has_a_preview(client, bob, files, name):
    assert download(client, bob, files[name], url_name=PREVIEW).status_code == 404


@pytest.mark.parametrize("url_name", [VIEW, PREVIEW])
def test_strangers_find_neither_the_view_nor_the_preview(client, dave, files, url_name):
    assert download(client, dave, files["visit.jpg"], url_name=url_name).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="portfolio.file.").exists()


# The audit trail: viewed and downloaded apart, each once an hour.


def test_a_photo_shown_on_the_page_is_recorded_as_viewed_not_downloaded(client, bob, files):
    photo = files["visit.jpg"]

    download(client, bob, photo, url_name=PREVIEW)
    download(client, bob, photo, url_name=VIEW)

    event = events("portfolio.file.viewed", bob).get()
    assert event.summary == f"{photo.evidence.reference} file “visit.jpg” viewed by {bob}"
    assert event.after == {"file": "visit.jpg", "sha256": photo.sha256, "file_id": photo.pk}
    assert event.evidence == photo.evidence and event.candidate == photo.evidence.candidate
    assert not events("portfolio.file.downloaded").exists()


def test_viewing_and_downloading_the_same_file_are_two_events(client, bob, files):
    download(client, bob, files["record.pdf"], url_name=VIEW)
    download(client, bob, files["record.pdf"])

    assert events("portfolio.file.viewed", bob).count() == 1
    assert events("portfolio.file.downloaded", bob).count() == 1


def test_a_player_fetching_a_recording_in_parts_is_one_view(client, bob, files):
    recording = files["interview.wav"]

    for part in ("bytes=0-", "bytes=0-99", "bytes=2000-", "bytes=-100"):
        assert download(client, bob, recording, url_name=VIEW, Range=part).status_code == 206

    assert events("portfolio.file.viewed", bob).count() == 1


def test_each_person_and_each_file_is_recorded_once_an_hour(client, bob, carol, files):
    for _ in range(3):
        download(client, bob, files["visit.jpg"], url_name=VIEW)
        download(client, bob, files["record.pdf"], url_name=VIEW)
        download(client, carol, files["visit.jpg"], url_name=VIEW)

    assert events("portfolio.file.viewed", bob).count() == 2
    assert events("portfolio.file.viewed", carol).count() == 1


def test_an_hour_later_viewing_is_recorded_again(client, bob, files, monkeypatch):
    download(client, bob, files["visit.jpg"], url_name=VIEW)
    later = timezone.now() + datetime.timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: later)

    download(client, bob, files["visit.jpg"], url_name=VIEW)

    assert events("portfolio.file.viewed", bob).count() == 2


def test_nothing_is_recorded_when_the_candidate_views_her_own_file(client, alice, files):
    download(client, alice, files["visit.jpg"], url_name=VIEW)
    download(client, alice, files["visit.jpg"], url_name=PREVIEW)

    assert not AuditEvent.objects.filter(action__startswith="portfolio.file.").exists()


def test_a_head_request_or_a_refused_range_records_nothing(client, bob, files):
    client.force_login(bob)
    recording = files["interview.wav"]
    url = f"/portfolio/files/{recording.pk}/view/"

    assert client.head(url).status_code == 200
    assert client.get(url, headers={"Range": "bytes=99999999-"}).status_code == 416

    assert not AuditEvent.objects.filter(action__startswith="portfolio.file.").exists()
