"""Evidence files sent and fetched the way a browser does, for the upload, download and serving tests."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse


def upload(name: str, content: bytes, browser_type: str = "application/pdf") -> SimpleUploadedFile:
    # The browser's claim is deliberately wrong in most tests: it must never be believed.
    return SimpleUploadedFile(name, content, content_type=browser_type)


def download(client, person, evidence_file, query: str = "", *, url_name: str = "portfolio:evidence_file", **headers):
    """GET one of a file's addresses (its download by default; `url_name` for the others), with
    any request headers (`Range="bytes=0-9"`). A streamed body is read into `content_bytes`."""
    if person is not None:
        client.force_login(person)
    response = client.get(reverse(url_name, args=[evidence_file.pk]) + query, headers=headers)
    if isinstance(response, FileResponse | StreamingHttpResponse):
        response.content_bytes = b"".join(response.streaming_content)  # type: ignore[attr-defined,arg-type]
        # Closing a response signals the end of the request, and Django then closes the database
        # connection inside the test's transaction (PostgreSQL notices); the test client itself
        # closes streamed responses the same way, with that handler disconnected.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    return response
