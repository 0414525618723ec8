"""Checking files before they become evidence.

Evidence is personal data that assessors and IQAs open on their own computers, so a file is judged
by what it holds, never by its name or by the type the browser claims: libmagic reads its first
bytes, Office and OpenDocument packages are asked what they are from their own manifest, images
are opened with Pillow under a pixel limit. Nothing reads a whole file into memory: the checks use
the first few KiB, the zip directory or a streamed pass over `chunks()`.
"""

import hashlib
import os
import struct
import tempfile
import threading
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import IO, cast

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageFile

from .errors import UploadRejected

HEAD_BYTES = 8 * 1024
LABEL_MAX_LENGTH = 200
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000

ACCEPTED = (
    "only PDF, images, Office and OpenDocument documents, plain text, audio and video can be evidence."
)


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    label: str
    content_type: str
    size: int
    sha256: str


class TooLargeUpload(UploadedFile):
    """Stands in for a file that `upload_handlers.EvidenceUploadLimitHandler` stopped keeping once it
    passed a size limit. It holds none of the file's bytes, only its name and the size that was
    sent, so `check_uploads` can tell the candidate which file was too big."""

    def __init__(self, *, name: str, size: int, whole_upload: bool, field_name: str | None = None):
        super().__init__(file=BytesIO(), name=name, content_type="application/octet-stream", size=size)
        self.field_name = field_name
        # True when the file fitted on its own but the files before it had used up the upload.
        self.whole_upload = whole_upload


@dataclass(frozen=True)
class _Kind:
    described: str  # how a care worker would name it: "a Word document"
    extensions: tuple[str, ...]  # name endings that open it in the right program; the first is usual


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_ODT = "application/vnd.oasis.opendocument.text"
_ODS = "application/vnd.oasis.opendocument.spreadsheet"
_ODP = "application/vnd.oasis.opendocument.presentation"

# The allow-list: every type evidence may be stored as. Anything else is refused.
EVIDENCE_TYPES: dict[str, _Kind] = {
    "application/pdf": _Kind("a PDF", ("pdf",)),
    "image/jpeg": _Kind("a JPEG photo", ("jpg", "jpeg", "jpe", "jfif")),
    "image/png": _Kind("a PNG image", ("png",)),
    "image/gif": _Kind("a GIF image", ("gif",)),
    "image/webp": _Kind("a WebP image", ("webp",)),
    "image/heic": _Kind("a HEIC photo", ("heic", "heif")),
    "image/heif": _Kind("a HEIF photo", ("heif", "heic")),
    "application/msword": _Kind("a Word document", ("doc", "dot")),
    _DOCX: _Kind("a Word document", ("docx",)),
    "application/vnd.ms-excel": _Kind("an Excel spreadsheet", ("xls", "xlt")),
    _XLSX: _Kind("an Excel spreadsheet", ("xlsx",)),
    "application/vnd.ms-powerpoint": _Kind("a PowerPoint presentation", ("ppt", "pps", "pot")),
    _PPTX: _Kind("a PowerPoint presentation", ("pptx",)),
    _ODT: _Kind("an OpenDocument text", ("odt",)),
    _ODS: _Kind("an OpenDocument spreadsheet", ("ods",)),
    _ODP: _Kind("an OpenDocument presentation", ("odp",)),
    # No .csv: a spreadsheet program opening it would run any formula the file holds.
    "text/plain": _Kind("a text file", ("txt", "text", "log", "md")),
    "audio/mpeg": _Kind("an MP3 recording", ("mp3", "mpga")),
    "audio/x-wav": _Kind("a WAV recording", ("wav",)),
    "audio/wav": _Kind("a WAV recording", ("wav",)),
    "audio/ogg": _Kind("an Ogg recording", ("ogg", "oga", "opus")),
    "audio/mp4": _Kind("an M4A recording", ("m4a", "mp4")),
    "audio/x-m4a": _Kind("an M4A recording", ("m4a", "mp4")),
    "audio/aac": _Kind("an AAC recording", ("aac",)),
    "audio/webm": _Kind("a WebM recording", ("webm", "weba")),
    # Phones save MPEG-4 and QuickTime in one container family under either ending.
    "video/mp4": _Kind("an MP4 video", ("mp4", "m4v", "mov")),
    "video/quicktime": _Kind("a QuickTime video", ("mov", "qt", "mp4")),
    "video/webm": _Kind("a WebM video", ("webm",)),
    "video/x-msvideo": _Kind("an AVI video", ("avi",)),
    "video/ogg": _Kind("an Ogg video", ("ogv", "ogg")),
}

# libmagic's names for types on the allow-list under another name.
_SAME_TYPE = {
    "audio/x-hx-aac-adts": "audio/aac",
    "video/x-m4v": "video/mp4",
}

# Text a browser would run or render as a page if it were ever shown as what it is.
_MARKUP = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml"}

_REFUSED_DESCRIBED = {
    "text/html": "an HTML page",
    "application/xhtml+xml": "an HTML page",
    "image/svg+xml": "an SVG drawing",
    "text/xml": "an XML file",
    "application/xml": "an XML file",
    "text/rtf": "a rich text (RTF) document",
    "application/rtf": "a rich text (RTF) document",
    "application/zip": "a zip archive",
    "application/x-executable": "a program",
    "application/x-pie-executable": "a program",
    "application/x-sharedlib": "a program",
    "application/x-mach-binary": "a program",
    "application/x-dosexec": "a Windows program",
    "application/encrypted": "a password-protected document",
}

# libmagic names an Office 97-2003 file only after reading its directory, which can lie anywhere
# in the file; from the first 8 KiB alone it often says just "a compound document".
_NEEDS_WHOLE_FILE = {
    "application/x-ole-storage",
    "application/CDFV2",
    "application/CDFV2-corrupt",
    "application/vnd.ms-office",
    "application/octet-stream",
}

_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": _DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": _XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": _PPTX,
}
_MACRO_DOCUMENT = "application/vnd.ms-office.macroenabled"
_ZIP_MAX_ENTRIES = 10_000
_ZIP_MAX_DIRECTORY_BYTES = 8 * 1024 * 1024
_ZIP_MAX_MANIFEST_BYTES = 1024 * 1024

_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


def check_uploads(uploads: Sequence[UploadedFile]) -> list[CheckedUpload]:
    """Every upload checked, or `UploadRejected` naming each file that may not be evidence."""
    checked: list[CheckedUpload] = []
    problems: list[tuple[str, str]] = []
    total = 0
    for upload in uploads:
        label = safe_label(upload.name)
        try:
            result = _check_one(upload, label)
        except _Refused as refused:
            problems.append((label, str(refused)))
            continue
        total += result.size
        if total > settings.EVIDENCE_MAX_REQUEST_BYTES:
            limit = _size_words(settings.EVIDENCE_MAX_REQUEST_BYTES)
            problems.append((label, _past_upload_limit_message(label, limit)))
            total -= result.size
            continue
        checked.append(result)
    if problems:
        raise UploadRejected(problems)
    return checked


def safe_label(name: str | None) -> str:
    """The uploader's file name as a label to show: its last path part only, without control or
    formatting characters (a right-to-left override can make "gpj.exe" read "exe.jpg"), at most
    200 characters with its ending kept, never empty. It never becomes a storage path."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in ("", ".", ".."):
        return "file"
    return _shortened(name)


class _Refused(Exception):
    """One file's problem, worded for the person who uploaded it."""


def _check_one(upload: UploadedFile, label: str) -> CheckedUpload:
    file_limit = settings.EVIDENCE_MAX_FILE_BYTES
    if isinstance(upload, TooLargeUpload):
        if upload.whole_upload:
            limit = _size_words(settings.EVIDENCE_MAX_REQUEST_BYTES)
            raise _Refused(_past_upload_limit_message(label, limit))
        raise _Refused(_too_large_message(label, upload.size))
    if upload.size is not None and upload.size > file_limit:
        raise _Refused(_too_large_message(label, upload.size))
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not head:
        raise _Refused(f"“{label}” is empty: open it to check it saved properly, then upload it again.")
    content_type = _detected_type(upload, head)
    if content_type not in EVIDENCE_TYPES:
        raise _Refused(_type_message(label, content_type))
    if content_type in _PILLOW_FORMATS:
        _check_image(upload, label, content_type)
    sha256, size = _digest(upload)
    if size > file_limit:  # the size an upload reports is only a claim
        raise _Refused(_too_large_message(label, size))
    return CheckedUpload(
        file=upload,
        label=_label_for_type(label, content_type),
        content_type=content_type,
        size=size,
        sha256=sha256,
    )


def _digest(upload: UploadedFile) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _detected_type(upload: UploadedFile, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return _package_type(upload)
    detected = magic.from_buffer(head, mime=True)
    if detected in _NEEDS_WHOLE_FILE:
        detected = _whole_file_type(upload)
    detected = _SAME_TYPE.get(detected, detected)
    if detected in ("text/rtf", "application/rtf"):
        return detected
    # libmagic guesses a programming language from a word or two ("C and I went out" is FORTRAN
    # to it), so a care worker's notes come back as text/x-fortran or text/x-Algol68. Text that
    # is not markup is kept as plain text: it is only ever served as a text/plain download.
    if (detected.startswith("text/") or detected == "message/rfc822") and detected not in _MARKUP:
        return "text/plain"
    return detected


def _whole_file_type(upload: UploadedFile) -> str:
    """libmagic's answer with the whole file to read from, not only its first bytes."""
    path = getattr(upload, "temporary_file_path", None)
    try:
        if path is not None:
            return magic.from_file(path(), mime=True)
        with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            return magic.from_file(copy.name, mime=True)
    finally:
        upload.seek(0)


def _package_type(upload: UploadedFile) -> str:
    """The type an Office Open XML or OpenDocument file declares in its own manifest. Only the zip
    directory and one small manifest entry are read; nothing is extracted."""
    try:
        if not _zip_directory_is_modest(upload):
            return "application/zip"
        with zipfile.ZipFile(cast(IO[bytes], upload.file)) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                return _small_entry(package, "mimetype", 200).decode("ascii").strip()
            if "[Content_Types].xml" in names:
                manifest = _small_entry(package, "[Content_Types].xml", _ZIP_MAX_MANIFEST_BYTES)
                manifest_text = manifest.decode("utf-8", errors="replace")
                if "macroEnabled" in manifest_text or any(
                    name.lower().endswith("vbaproject.bin") for name in names
                ):
                    return _MACRO_DOCUMENT
                for part_type, document_type in _OOXML_MAIN_PARTS.items():
                    if part_type in manifest_text:
                        return document_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError,
            NotImplementedError, ValueError, KeyError, zlib.error):
        # A damaged, encrypted or unusual zip is not a document anyone can open.
        pass
    finally:
        upload.seek(0)
    return "application/zip"


def _zip_directory_is_modest(upload: UploadedFile) -> bool:
    """Whether the zip's own end record promises a directory small enough to read: zipfile holds
    the whole directory in memory, and a crafted one can list millions of entries."""
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    tail_start = max(0, size - (65535 + 22))
    upload.seek(tail_start)
    tail = upload.read(size - tail_start)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return False
    _, _, _, _, entries, directory_bytes, _, _ = struct.unpack_from("<4s4H2LH", tail, at)
    # 0xFFFF entries means a ZIP64 archive; no document needs one.
    return entries < min(_ZIP_MAX_ENTRIES, 0xFFFF) and directory_bytes <= _ZIP_MAX_DIRECTORY_BYTES


def _small_entry(package: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = package.getinfo(name)
    if info.file_size > limit:
        raise ValueError(f"{name} is larger than a manifest should be")
    with package.open(info) as entry:
        content = entry.read(limit + 1)
    if len(content) > limit:
        raise ValueError(f"{name} is larger than it says")
    return content


_PILLOW_SETTINGS = threading.Lock()


@contextmanager
def _strict_pillow() -> Iterator[None]:
    """Pillow as strict as it comes, while one image is checked. WeasyPrint sets Pillow's
    process-wide ImageFile.LOAD_TRUNCATED_IMAGES to True when it is imported, and Pillow then
    quietly pads a cut-off photo and ignores decoding errors. Nothing here is left changed."""
    with _PILLOW_SETTINGS, warnings.catch_warnings():
        # Pillow warns, then refuses, above its own pixel limit; both mean "too big" here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        load_truncated = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = load_truncated


def _check_image(upload: UploadedFile, label: str, content_type: str) -> None:
    limit = getattr(settings, "EVIDENCE_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    too_many_pixels = (
        f"“{label}” has more than {limit / 1_000_000:g} million pixels, too many to open safely: "
        "save a smaller copy of the picture and upload that."
    )
    upload.seek(0)
    try:
        with _strict_pillow(), Image.open(cast(IO[bytes], upload.file), formats=[_PILLOW_FORMATS[content_type]]) as image:
            width, height = image.size
            if width * height > limit:
                raise _Refused(too_many_pixels)
            if content_type == "image/jpeg":
                # verify() checks nothing in a JPEG; decoding at an eighth of the size finds
                # cut-off or damaged picture data for a sixty-fourth of the memory.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
            else:
                image.verify()
    except _Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _Refused(too_many_pixels) from None
    except Exception:  # Pillow raises many kinds of error for a damaged file
        kind = EVIDENCE_TYPES[content_type].described
        raise _Refused(
            f"“{label}” looks like {kind} but is damaged and cannot be opened: "
            "save or export it again, then upload the new copy."
        ) from None
    finally:
        upload.seek(0)


def _extension(label: str) -> str:
    stem, dot, ending = label.rpartition(".")
    return ending.lower() if dot and stem else ""


def _claimed_kind(label: str) -> str | None:
    ending = _extension(label)
    if not ending:
        return None
    for kind in EVIDENCE_TYPES.values():
        if kind.extensions[0] == ending:
            return kind.described
    for kind in EVIDENCE_TYPES.values():
        if ending in kind.extensions:
            return kind.described
    return None


def _type_message(label: str, content_type: str) -> str:
    if content_type == _MACRO_DOCUMENT:
        return (
            f"“{label}” is an Office document with macros, which can run programs: save it as an "
            "ordinary document (.docx, .xlsx or .pptx) and upload that."
        )
    if content_type in ("text/rtf", "application/rtf"):
        return (
            f"“{label}” is a rich text (RTF) document: save it as a Word (.docx) or OpenDocument "
            "(.odt) document, or as a PDF, and upload that."
        )
    described = _REFUSED_DESCRIBED.get(content_type)
    claimed = _claimed_kind(label)
    if described and claimed:
        return f"“{label}” is {described}, not {claimed}: {ACCEPTED}"
    if described:
        return f"“{label}” is {described}: {ACCEPTED}"
    if claimed:
        return f"“{label}” is not really {claimed}: {ACCEPTED}"
    return f"“{label}” is a kind of file that cannot be used: {ACCEPTED}"


def _too_large_message(label: str, size: int | None) -> str:
    limit = _size_words(settings.EVIDENCE_MAX_FILE_BYTES)
    what = f"is {_size_words(size)}, larger than" if size else "is larger than"
    return (
        f"“{label}” {what} the {limit} limit for one file: "
        "upload a shorter recording or a smaller copy."
    )


def _past_upload_limit_message(label: str, limit: str) -> str:
    return (
        f"“{label}” takes this upload past the {limit} limit for all its files together: "
        "add it on its own afterwards."
    )


def _label_for_type(label: str, content_type: str) -> str:
    """The label with an ending that suits what the file holds, so a text file called "notes.bat"
    opens as "notes.bat.txt" in a text editor, not as a program, on the assessor's computer."""
    kind = EVIDENCE_TYPES[content_type]
    if _extension(label) in kind.extensions:
        return label
    return _shortened(f"{label}.{kind.extensions[0]}")


def _shortened(name: str) -> str:
    if len(name) <= LABEL_MAX_LENGTH:
        return name
    stem, dot, ending = name.rpartition(".")
    if dot and stem and len(ending) <= 20:
        return stem[: LABEL_MAX_LENGTH - len(ending) - 1].rstrip() + "." + ending
    return name[:LABEL_MAX_LENGTH].rstrip()


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "MB"
    elif size >= 1024:
        value, unit = size / 1024, "KB"
    else:
        return f"{size} bytes"
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"
