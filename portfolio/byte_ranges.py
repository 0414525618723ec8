"""Part of a stored file: what a `Range: bytes=a-b` header asks for, and its bytes read from storage
in pieces. A video player seeks with these (a phone's will not play a video without them), and a
download that broke off goes on from where it stopped.

One range per request: a header asking for several is answered with the whole file, as HTTP lets a
server do (no browser's player asks for several). As RFC 9110 (section 14) has it, a header that
is not a valid range (`bytes=abc`, `bytes=10-5`) is ignored and the whole file sent; a last byte
past the end means "to the end"; only a first byte at or past the end (or an empty suffix) cannot
be satisfied: 416. Reading never holds the part in memory: from the
local folder it seeks and reads 64 KiB at a time; from object storage it asks the store for just
those bytes and passes its answer on as it arrives."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models.fields.files import FieldFile

CHUNK = 64 * 1024
_SPEC = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")
# Past any file's size: a position of more digits than this is read as this, never parsed whole.
_BEYOND_ANY_FILE = 10**19


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # the last byte, included, as Content-Range counts

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class RangeNotSatisfiable(Exception):
    """The range starts at or past the end of the file (or asks for its last 0 bytes): answered 416."""


def _position(digits: str) -> int:
    return int(digits) if len(digits) <= 19 else _BEYOND_ANY_FILE


def requested_range(header: str | None, size: int, *, if_range: str | None = None) -> ByteRange | None:
    """The part of a file of `size` bytes that the Range header asks for, or None for the whole file
    (no header, another unit, several ranges, an If-Range, or a header that is not a valid range).
    Raises RangeNotSatisfiable for a range that starts past the end."""
    if not header:
        return None
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    if if_range is not None:
        # "The part only if the file is still the version I have": we send no ETag or Last-Modified
        # to compare with (the SHA-256 from the upload would be a promise a changed file in storage
        # breaks, and a part of one version spliced onto another is worse than starting again).
        return None
    if "," in specs:
        return None
    match = _SPEC.match(specs)
    if match is None or match.group(1) == match.group(2) == "":
        return None  # not a range at all: ignored
    first, last = match.group(1), match.group(2)
    if first == "":  # "-500": the last 500 bytes
        suffix = _position(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return ByteRange(max(0, size - suffix), size - 1)
    start = _position(first)
    if last and _position(last) < start:
        return None  # invalid ("bytes=10-5"): ignored
    if start >= size:
        raise RangeNotSatisfiable(header)
    end = _position(last) if last else size - 1
    return ByteRange(start, min(end, size - 1))


def read_range(file_field: FieldFile, wanted: ByteRange) -> Iterator[bytes]:
    """The bytes of that part of the stored file, in pieces. Nothing is opened until the first
    piece is asked for, and whatever was opened is closed when the response is."""
    # Only django-storages' S3Storage, which ships no types, has a bucket; Storage's stub has none.
    storage: Any = file_field.storage
    if hasattr(storage, "bucket") and hasattr(storage, "_normalize_name"):
        yield from _object_range(storage, file_field.name or "", wanted)
        return
    with storage.open(file_field.name, "rb") as stored:
        stored.seek(wanted.start)
        left = wanted.length
        while left > 0:
            piece = stored.read(min(CHUNK, left))
            if not piece:
                return
            left -= len(piece)
            yield piece


def _object_range(storage: Any, name: str, wanted: ByteRange) -> Iterator[bytes]:
    """The object store's own ranged GET: S3File would first copy the whole object to this machine."""
    key = storage._normalize_name(name)
    body = storage.bucket.Object(key).get(Range=f"bytes={wanted.start}-{wanted.end}")["Body"]
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()
