"""The memory a large upload adds while it streams through the upload handlers."""

import datetime
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .memory import MB, peak_mb, reset_peak, resident_mb
from .personas import personas


def _multipart_body(path: Path, boundary: str, fields: dict, files: list[tuple[str, int]]) -> int:
    """Writes a multipart/form-data body to `path` a megabyte at a time; returns its length. Each
    file starts like an MP4 video, so the upload checks take it for one."""
    head = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00\x00\x00\x08free"
    chunk = bytes(MB)
    with open(path, "wb") as body:
        for name, value in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for label, size in files:
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{label}"\r\n'
                f"Content-Type: video/mp4\r\n\r\n".encode()
            )
            body.write(head)
            left = size - len(head)
            while left > 0:
                body.write(chunk[: min(MB, left)])
                left -= MB
            body.write(b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        return body.tell()


BOUNDARY = "portfolio-benchmark-boundary"


def _video_files(total_mb: int) -> list[tuple[str, int]]:
    """As few files as the limit for one file allows, of equal size (the limit itself is allowed)."""
    from django.conf import settings

    count = -(-total_mb * MB // settings.EVIDENCE_MAX_FILE_BYTES)
    sizes = [total_mb * MB // count] * (count - 1)
    sizes.append(total_mb * MB - sum(sizes))
    return [(f"visit-{n + 1}.mp4", size) for n, size in enumerate(sizes)]


def _sender(client: Client) -> Callable[[BinaryIO, int], HttpResponseBase]:
    """Posts a multipart body read from a stream to the evidence form, as the client's signed-in user."""
    from django.test.client import ClientHandler

    handler = ClientHandler(enforce_csrf_checks=False)

    def send(stream: BinaryIO, size: int) -> HttpResponseBase:
        # The client's own WSGI environ, with its session cookie: a private method, so not in the stubs.
        environ = client._base_environ(  # type: ignore[attr-defined]
            PATH_INFO=reverse("portfolio:evidence_create"), REQUEST_METHOD="POST",
            CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}", CONTENT_LENGTH=str(size),
        )
        environ["wsgi.input"] = stream
        return handler(environ)

    return send


def upload(sign_in: dict, total_mb: int) -> dict:
    """A `total_mb` upload of video files (as many as the per-file limit needs) sent through the whole
    stack: the upload handlers, the checks, the storage. The body is read from a file on disk, the way
    a WSGI server hands it over, so the only memory counted is the application's own."""
    from portfolio.models import AssessmentMethod, Evidence

    people = personas(sign_in)
    files = _video_files(total_mb)
    client = Client()
    client.force_login(people["candidate"])
    send = _sender(client)
    fields = {
        "title": "Video of the residents' meeting", "method": AssessmentMethod.PRODUCT,
        "activity_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "location": "Day centre", "account": "The meeting I chaired, filmed with everyone's agreement.",
    }
    with tempfile.TemporaryDirectory(prefix="portfolio-upload-") as folder:
        path = Path(folder) / "body"
        length = _multipart_body(path, BOUNDARY, fields, files)
        # A small upload first, so libraries loaded on first use are not counted as the upload's.
        small = Path(folder) / "small"
        small_length = _multipart_body(small, BOUNDARY, fields, [("small.mp4", 64 * 1024)])
        with open(small, "rb") as stream:
            send(stream, small_length)
        before = resident_mb()
        reset_peak()
        started = time.perf_counter()
        with open(path, "rb") as stream:
            response = send(stream, length)
        seconds = time.perf_counter() - started
        peak = peak_mb()
    if response.status_code != 302:
        raise RuntimeError(f"The {total_mb} MB upload answered {response.status_code}")
    evidence = Evidence.objects.filter(candidate=people["candidate"]).order_by("-number").first()
    assert evidence is not None  # the upload answered with a redirect: it was saved
    stored = [f.size for f in evidence.files.all()]
    if stored != [size for _, size in files]:
        raise RuntimeError(f"The upload stored {stored}, not {files}")
    return {
        "upload": {
            "total_mb": round(length / MB, 1), "files": len(files), "seconds": round(seconds, 1),
            "mb_per_s": round(length / MB / seconds, 1), "resident_before_mb": round(before, 1),
            "peak_mb": round(peak, 1), "added_mb": round(peak - before, 1),
        }
    }
