"""Stopping an oversized upload while it arrives, before it fills memory or the disk.

`EvidenceUploadLimitHandler` goes first in FILE_UPLOAD_HANDLERS, ahead of Django's memory and
temporary-file handlers, and passes each chunk on to them. When a file passes
EVIDENCE_MAX_FILE_BYTES, or the files so far pass EVIDENCE_MAX_REQUEST_BYTES, it stops passing
chunks on, closes the partial copy the next handler was writing (a temporary file is deleted on
close) and reads the rest of that file off the network without keeping it. In its place the file
list gets a `uploads.TooLargeUpload`: a stand-in with the name and size but no content.

Django's own ways out do less for the candidate: `SkipFile` drops the file from request.FILES
without a trace, so the evidence would be saved without it, and `StopUpload` also drops every
form field after it. With the stand-in, the file stays in the list the view passes to the
service, `check_uploads` refuses it by name ("“visit.mp4” is 120 MB, larger than the 100 MB
limit for one file"), and nothing of the evidence is saved, even if a view forgets to look.
A view that wants to say so before doing anything else can call `too_large_files(request)`.
"""

from typing import Any, cast

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest

from .uploads import TooLargeUpload, safe_label


class EvidenceUploadLimitHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.file_limit = settings.EVIDENCE_MAX_FILE_BYTES
        self.upload_limit = settings.EVIDENCE_MAX_REQUEST_BYTES
        self.kept_bytes = 0  # of the files passed on whole so far in this request
        self.received = 0
        self.stopped_for: str | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.stopped_for = None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.stopped_for is not None:
            return None  # read off the network and let go: no later handler sees it
        self.received += len(raw_data)
        if self.received > self.file_limit:
            self._stop("file")
            return None
        if self.kept_bytes + self.received > self.upload_limit:
            self._stop("upload")
            return None
        return raw_data

    def file_complete(self, file_size: int) -> TooLargeUpload | None:
        if self.stopped_for is None:
            self.kept_bytes += file_size
            return None  # a later handler returns the file it wrote
        # Returning a file ends the round: the later handlers' file_complete is not called for
        # the partial copy that _stop has already closed.
        return TooLargeUpload(
            name=cast(str, self.file_name),  # new_file named it
            size=file_size,
            whole_upload=self.stopped_for == "upload",
            field_name=self.field_name,
        )

    def _stop(self, reason: str) -> None:
        self.stopped_for = reason
        handlers = list(getattr(self.request, "upload_handlers", ()))
        later = handlers[handlers.index(self) + 1 :] if self in handlers else []
        for handler in later:
            # The convention Django's parser relies on to free a skipped file: the handler's
            # partial file is `handler.file`. Closing Django's temporary file deletes it.
            partial = getattr(handler, "file", None)
            if partial is not None:
                partial.close()


def too_large_files(request: HttpRequest) -> list[str]:
    """Labels of the files in this request that EvidenceUploadLimitHandler stopped at a size
    limit. They are also in request.FILES as TooLargeUpload stand-ins, which check_uploads
    refuses with a message naming each."""
    return [
        safe_label(upload.name)
        for _, uploads in request.FILES.lists()
        for upload in uploads
        if isinstance(upload, TooLargeUpload)
    ]
