"""A photo whose details (EXIF) say where it was taken or describe it ("Resident John Smith"): the
candidate is told on the evidence page, staff see it too, the preview is the thumbnail made without
any details, and the stored original stays as uploaded (it is what a sign-off signs).

Alice is the candidate, Bob her assessor (tests/conftest.py)."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from portfolio import services
from portfolio.models import AssessmentMethod
from portfolio.photo_details import PhotoDetails, photo_details
from standards.models import Criterion

pytestmark = pytest.mark.django_db

WHERE = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
DESCRIPTION = "Resident John Smith"
CANDIDATE_WARNING = (
    "This photo carries its location (GPS) and a description in its details: evidence must not identify "
    "the people you support. Remove them and upload it again if they do."
)


def jpeg(*, gps: dict | None = None, **tags) -> bytes:
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[{"description": 0x010E, "artist": 0x013B, "xp_comment": 0x9C9C}[tag]] = value
    if gps:
        exif[0x8825] = gps
    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _opened(data: bytes) -> PhotoDetails:
    with Image.open(io.BytesIO(data)) as image:
        return photo_details(image)


# What counts.


@pytest.mark.parametrize(("data", "expected"), [
    (lambda: jpeg(gps=WHERE, description=DESCRIPTION), PhotoDetails(location=True, description=True)),
    (lambda: jpeg(gps=WHERE), PhotoDetails(location=True)),
    (lambda: jpeg(description=DESCRIPTION), PhotoDetails(description=True)),
    (lambda: jpeg(artist="Alice Adams"), PhotoDetails(description=True)),
    (lambda: jpeg(xp_comment="Mrs B's birthday".encode("utf-16-le")), PhotoDetails(description=True)),
    # A camera's blank description and a GPS block with no position say nothing.
    (lambda: jpeg(description="          ", gps={0: b"\x02\x02\x00\x00"}), PhotoDetails()),
    (lambda: jpeg(), PhotoDetails()),
])
def test_it_finds_a_location_or_a_description_in_the_details(data, expected):
    assert _opened(data()) == expected


def test_it_finds_a_user_comment_in_the_exif_block():
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0Lives at number 4"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG", exif=exif)
    assert _opened(buffer.getvalue()) == PhotoDetails(description=True)
    empty = Image.Exif()
    empty.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0\0\0\0"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG", exif=empty)
    assert _opened(buffer.getvalue()) == PhotoDetails()


# Through the product.


def _photo_evidence(alice, centre, data: bytes, django_capture_on_commit_callbacks, *, worker_ran: bool = True):
    with django_capture_on_commit_callbacks(execute=worker_ran):
        evidence = services.evidence_create(
            candidate=alice, centre=centre, author=alice, title="The garden party",
            method=AssessmentMethod.PRODUCT, activity_date=timezone.localdate(),
            uploads=[SimpleUploadedFile("party.jpg", data, content_type="image/jpeg")],
        )
    services.evidence_map(evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
                          knowledge_items=[], scope_items=[])
    return services.evidence_submit(evidence=evidence, candidate=alice, declared=True)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_candidate_is_told_and_the_preview_carries_no_details_while_the_original_is_kept(
    client, alice, bob, centre, hsc331, django_capture_on_commit_callbacks
):
    uploaded = jpeg(gps=WHERE, description=DESCRIPTION)
    evidence = _photo_evidence(alice, centre, uploaded, django_capture_on_commit_callbacks)
    photo = evidence.files.get()
    assert (photo.carries_location, photo.carries_description) == (True, True)

    client.force_login(alice)
    page = client.get(f"/assessments/evidence/{evidence.pk}/").content.decode()
    assert CANDIDATE_WARNING in page

    preview = client.get(f"/portfolio/files/{photo.pk}/preview/")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(_body(preview))) as thumbnail:
        assert max(thumbnail.size) <= 480 and not thumbnail.getexif()
    assert DESCRIPTION.encode() not in _body(preview)

    with photo.file.open("rb") as stored:
        kept = stored.read()
    assert kept == uploaded and hashlib.sha256(kept).hexdigest() == photo.sha256

    client.force_login(bob)
    page = client.get(f"/assessments/evidence/{evidence.pk}/").content.decode()
    assert CANDIDATE_WARNING not in page
    assert (
        "This photo carries its location (GPS) and a description in its details: check they do not identify "
        "the people Alice Adams supports."
    ) in page


def test_a_photo_without_such_details_gets_no_warning(client, alice, centre, hsc331, django_capture_on_commit_callbacks):
    evidence = _photo_evidence(alice, centre, jpeg(), django_capture_on_commit_callbacks)
    client.force_login(alice)
    page = client.get(f"/assessments/evidence/{evidence.pk}/").content.decode()
    assert "in its details" not in page


def test_until_the_thumbnail_is_made_a_photo_with_details_has_no_preview(
    client, alice, centre, hsc331, django_capture_on_commit_callbacks
):
    with_details = _photo_evidence(alice, centre, jpeg(gps=WHERE), django_capture_on_commit_callbacks, worker_ran=False)
    plain = _photo_evidence(alice, centre, jpeg(), django_capture_on_commit_callbacks, worker_ran=False)
    client.force_login(alice)

    assert client.get(f"/portfolio/files/{with_details.files.get().pk}/preview/").status_code == 404
    shown = client.get(f"/portfolio/files/{plain.files.get().pk}/preview/")
    assert shown.status_code == 200 and _body(shown) == plain.files.get().file.open("rb").read()
