"""File answers honour HTTP Range requests, so a player can seek in a recording or a video (a phone's
will not play one without them) and a broken download can go on: one range is answered 206 with
Content-Range, a range past the end 416, and the part is read from storage, never the whole file.

Bob is Alice's assessor (tests/conftest.py)."""

import datetime

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from portfolio import services
from portfolio.byte_ranges import ByteRange, RangeNotSatisfiable, requested_range
from portfolio.models import AssessmentMethod
from standards.models import Criterion
from tests.portfolio import hostile_files
from tests.portfolio.evidence_files import download, upload

pytestmark = pytest.mark.django_db  # the folder's standards are loaded for every test

VIEW = "portfolio:evidence_file_view"
RECORDING = hostile_files.wav_recording(seconds=2.0)  # 32,044 bytes
SIZE = len(RECORDING)


# What a Range header asks for.


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=100-", ByteRange(100, SIZE - 1)),
        ("bytes=-500", ByteRange(SIZE - 500, SIZE - 1)),
        ("bytes=0-", ByteRange(0, SIZE - 1)),
        ("bytes=5-5", ByteRange(5, 5)),
        (f"bytes=100-{SIZE * 2}", ByteRange(100, SIZE - 1)),  # past the end: to the end
        (f"bytes=-{SIZE * 2}", ByteRange(0, SIZE - 1)),  # more than there is: all of it
        ("Bytes = 10 - 19", ByteRange(10, 19)),
        ("bytes=0-99999999999999999999999", ByteRange(0, SIZE - 1)),  # far past the end: to the end
        ("bytes=-99999999999999999999999", ByteRange(0, SIZE - 1)),
    ],
)
def test_it_reads_the_range_asked_for(header, expected):
    assert requested_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header",
    [None, "", "items=0-10", "bytes=0-10, 20-30", "bytes=0-1,-5",
     # Not a valid range, which RFC 9110 says to ignore.
     "bytes=", "bytes=-", "bytes=abc", "bytes=x-y", "bytes=10-5", "bytes=1-2-3", "bytes=0x10-"],
)
def test_it_sends_the_whole_file_for_no_range_another_unit_several_ranges_or_an_invalid_one(header):
    assert requested_range(header, SIZE) is None


def test_it_sends_the_whole_file_when_the_part_is_wanted_only_of_a_version_it_cannot_confirm():
    assert requested_range("bytes=0-99", SIZE, if_range='"an-old-version"') is None


@pytest.mark.parametrize(
    "header",
    [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0", "bytes=" + "9" * 30 + "-",
     "bytes=" + "9" * 30 + "-" + "9" * 31],
)
def test_it_refuses_a_range_that_starts_past_the_end(header):
    with pytest.raises(RangeNotSatisfiable):
        requested_range(header, SIZE)


def test_nothing_of_an_empty_file_can_be_asked_for():
    with pytest.raises(RangeNotSatisfiable):
        requested_range("bytes=-10", 0)
    with pytest.raises(RangeNotSatisfiable):
        requested_range("bytes=0-", 0)


# Through the file's addresses.


@pytest.fixture
def recording(centre, alice, hsc331):
    evidence = services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="Talking with Mrs B about her sister",
        method=AssessmentMethod.PROFESSIONAL_DISCUSSION,
        activity_date=timezone.localdate() - datetime.timedelta(days=1),
        uploads=[upload("discussion.wav", RECORDING)],
    )
    services.evidence_map(
        evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )
    services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
    return evidence.files.get()


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-", 0, SIZE - 1), ("bytes=1000-1999", 1000, 1999), ("bytes=-44", SIZE - 44, SIZE - 1),
     ("bytes=30000-", 30000, SIZE - 1)],
)
def test_a_range_is_answered_with_that_part_of_the_file(client, bob, recording, header, start, end):
    response = download(client, bob, recording, url_name=VIEW, Range=header)

    assert response.status_code == 206
    assert response.content_bytes == RECORDING[start:end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/x-wav"
    assert response["Content-Disposition"] == 'inline; filename="discussion.wav"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_download_answers_ranges_too_so_a_broken_one_can_go_on(client, bob, recording):
    response = download(client, bob, recording, Range="bytes=16000-")

    assert response.status_code == 206
    assert response.content_bytes == RECORDING[16000:]
    assert response["Content-Disposition"] == 'attachment; filename="discussion.wav"'


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 1}-99999999999999999999999"])
def test_a_range_that_cannot_be_served_is_answered_416_with_the_size(client, bob, recording, header):
    response = download(client, bob, recording, url_name=VIEW, Range=header)

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert RECORDING[:4] not in response.content


@pytest.mark.parametrize("header", ["bytes=abc", "bytes=500-100", "bytes=x-y", "bytes=0-10,20-30"])
def test_a_header_that_is_not_one_valid_range_is_ignored_and_the_whole_file_sent(client, bob, recording, header):
    response = download(client, bob, recording, url_name=VIEW, Range=header)

    assert response.status_code == 200
    assert response.content_bytes == RECORDING
    assert "Content-Range" not in response


def test_a_last_byte_far_past_the_end_is_read_as_the_end(client, bob, recording):
    response = download(client, bob, recording, url_name=VIEW, Range="bytes=0-99999999999999999999999")

    assert response.status_code == 206
    assert response.content_bytes == RECORDING
    assert response["Content-Range"] == f"bytes 0-{SIZE - 1}/{SIZE}"


def test_without_a_range_the_whole_file_says_ranges_are_welcome(client, bob, recording):
    response = download(client, bob, recording, url_name=VIEW)

    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response.content_bytes == RECORDING


def test_only_the_part_asked_for_is_read_from_storage(client, bob, recording, monkeypatch):
    """A phone seeking to the end of an hour-long video must not make the server read the hour."""
    read: list[int] = []
    real_open = FileSystemStorage._open

    class Counted:
        def __init__(self, handle):
            self.handle = handle

        def read(self, size=-1):
            piece = self.handle.read(size)
            read.append(len(piece))
            return piece

        def seek(self, *position):
            return self.handle.seek(*position)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def counting_open(storage, name, mode="rb"):
        return Counted(real_open(storage, name, mode))

    monkeypatch.setattr(FileSystemStorage, "_open", counting_open)

    response = download(client, bob, recording, url_name=VIEW, Range="bytes=30000-30099")

    assert response.content_bytes == RECORDING[30000:30100]
    assert sum(read) == 100
