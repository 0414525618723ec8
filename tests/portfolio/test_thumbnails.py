"""A picture's thumbnail is made once, on the worker, when the picture is uploaded: beside it in
private storage, from any format Pillow reads, and never again (the task may run twice)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from portfolio import services, thumbnails
from portfolio.models import AssessmentMethod
from portfolio.tasks import make_evidence_thumbnail
from tests.portfolio.hostile_files import SCAN_SIZE, scan_png

pytestmark = pytest.mark.django_db

def _add(alice, centre, uploads):
    return services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="Tenancy form I filled in",
        method=AssessmentMethod.PRODUCT, activity_date=timezone.localdate(), uploads=uploads,
    )


def test_a_large_png_gets_a_small_thumbnail_once_the_upload_commits(
    alice, centre, hsc331, django_capture_on_commit_callbacks
):
    assert len(scan_png()) < 200 * 1024  # 40 megapixels in under 200 KB: the cost is in decoding
    with django_capture_on_commit_callbacks() as callbacks:
        evidence = _add(alice, centre, [SimpleUploadedFile("form.png", scan_png(), content_type="image/png")])
    scan = evidence.files.get()
    assert not scan.file.storage.exists(thumbnails.thumbnail_name(scan)), "nothing decoded in the request"

    for callback in callbacks:  # the transaction commits; the worker runs the task
        callback()
    name = thumbnails.thumbnail_name(scan)
    assert name.startswith(scan.file.name + ".")  # beside the picture, in its private storage
    with Image.open(io.BytesIO(thumbnails.stored_thumbnail(scan))) as thumbnail:
        assert thumbnail.format == "JPEG" and max(thumbnail.size) == 480
        assert thumbnail.size == (480, round(480 * SCAN_SIZE[1] / SCAN_SIZE[0]))


def test_making_a_thumbnail_again_changes_nothing(alice, centre, hsc331, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = _add(alice, centre, [SimpleUploadedFile("visit.gif", _gif(), content_type="image/gif")])
    picture = evidence.files.get()
    kept = thumbnails.stored_thumbnail(picture)
    assert kept is not None, "a GIF gets a thumbnail too"
    monkeypatch.setattr(thumbnails, "_thumbnail", lambda f: pytest.fail("decoded a second time"))
    make_evidence_thumbnail.call(picture.pk)
    assert thumbnails.stored_thumbnail(picture) == kept
    folder = Path(picture.file.path).parent  # one picture, one thumbnail: no second copy was kept
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(name).name for name in (picture.file.name, thumbnails.thumbnail_name(picture))
    )


def test_a_deleted_drafts_thumbnail_goes_with_its_picture(alice, centre, hsc331, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = _add(alice, centre, [SimpleUploadedFile("visit.gif", _gif(), content_type="image/gif")])
    picture = evidence.files.get()
    storage, names = picture.file.storage, [picture.file.name, thumbnails.thumbnail_name(picture)]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete_draft(evidence=evidence, candidate=alice)
    assert not any(storage.exists(name) for name in names)


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (900, 600), 3).save(buffer, "GIF")
    return buffer.getvalue()
