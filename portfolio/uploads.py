"""Checking files before they become evidence.

Evidence is personal data that assessors and IQAs open on their own computers, so a file is judged
by what it holds, never by its name or by the type the browser claims: libmagic reads its first
bytes, Office and OpenDocument packages are asked what they are from their own manifest, images
are opened with Pillow under a pixel limit. Nothing reads a whole file into memory: the checks use
the first few KiB, the zip directory or a streamed pass over `chunks()`.
"""

import hashlib
import threading
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageFile

from .errors import UploadRejected
from .file_types import (
    EVIDENCE_TYPES,
    MACRO_DOCUMENT,
    PILLOW_FORMATS,
    REFUSED_DESCRIBED,
    FileKind,
    detected_type,
)
from .photo_details import NO_DETAILS, PhotoDetails, photo_details

HEAD_BYTES = 8 * 1024
LABEL_MAX_LENGTH = 200
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000

ACCEPTED = (
    "only PDF, images, Office and OpenDocument documents, plain text, audio and video can be evidence."
)


@dataclass(frozen=True)
class UploadPolicy:
    """What an upload may be: its allowed types and the sentence that says so when one is refused.
    Every upload goes through the same checks; only this differs between evidence and a standard."""

    types: dict[str, FileKind]
    accepted: str


EVIDENCE_UPLOADS = UploadPolicy(EVIDENCE_TYPES, ACCEPTED)
# A unit's published text, to be imported into the catalogue (issue 14).
STANDARD_UPLOADS = UploadPolicy(
    {kind: EVIDENCE_TYPES[kind] for kind in ("application/pdf", "text/plain")},
    "only the unit's PDF or its text as a plain text file (.txt) can be imported.",
)
# An assessor's or IQA's certificate, or a file of their CPD (issue 15): documents and pictures of
# documents, no recordings.
COMPETENCE_UPLOADS = UploadPolicy(
    {kind: found for kind, found in EVIDENCE_TYPES.items() if not kind.startswith(("audio/", "video/"))},
    "only PDF, images, Office and OpenDocument documents and plain text can be kept as a certificate or a CPD file.",
)
# A centre's list of candidates, saved from a spreadsheet as CSV or tab-separated text (issue 16):
# plain text, never opened by anyone's spreadsheet program from here, only read by
# portfolio/people_import.py.
PEOPLE_CSV_UPLOADS = UploadPolicy(
    {"text/plain": FileKind("a CSV file", ("csv", "txt", "tsv"))},
    "only a CSV file can be imported: in your spreadsheet choose Save As, then “CSV UTF-8”, “CSV (Comma delimited)” "
    "or “Unicode Text”.",
)


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    label: str
    content_type: str
    size: int
    sha256: str
    details: PhotoDetails = NO_DETAILS  # a photo's location or description, from its EXIF


class TooLargeUpload(UploadedFile):
    """Stands in for a file that `upload_handlers.EvidenceUploadLimitHandler` stopped keeping once it
    passed a size limit. It holds none of the file's bytes, only its name and the size that was
    sent, so `check_uploads` can tell the candidate which file was too big."""

    def __init__(self, *, name: str, size: int, whole_upload: bool, field_name: str | None = None):
        super().__init__(file=BytesIO(), name=name, content_type="application/octet-stream", size=size)
        self.field_name = field_name
        # True when the file fitted on its own but the files before it had used up the upload.
        self.whole_upload = whole_upload




def check_uploads(
    uploads: Sequence[UploadedFile], policy: UploadPolicy = EVIDENCE_UPLOADS
) -> list[CheckedUpload]:
    """Every upload checked, or `UploadRejected` naming each file that may not be evidence (or
    whatever else `policy` says the files are for)."""
    checked: list[CheckedUpload] = []
    problems: list[tuple[str, str]] = []
    total = 0
    for upload in uploads:
        label = safe_label(upload.name)
        try:
            result = _check_one(upload, label, policy)
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


def _check_one(upload: UploadedFile, label: str, policy: UploadPolicy) -> CheckedUpload:
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
    content_type = detected_type(upload, head)
    if content_type not in policy.types:
        raise _Refused(_type_message(label, content_type, policy))
    details = _check_image(upload, label, content_type) if content_type in PILLOW_FORMATS else NO_DETAILS
    sha256, size = _digest(upload)
    if size > file_limit:  # the size an upload reports is only a claim
        raise _Refused(_too_large_message(label, size))
    return CheckedUpload(
        file=upload,
        label=_label_for_type(label, content_type, policy),
        content_type=content_type,
        size=size,
        sha256=sha256,
        details=details,
    )


def _digest(upload: UploadedFile) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


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


def _check_image(upload: UploadedFile, label: str, content_type: str) -> PhotoDetails:
    limit = getattr(settings, "EVIDENCE_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    too_many_pixels = (
        f"“{label}” has more than {limit / 1_000_000:g} million pixels, too many to open safely: "
        "save a smaller copy of the picture and upload that."
    )
    upload.seek(0)
    try:
        with _strict_pillow(), Image.open(upload, formats=[PILLOW_FORMATS[content_type]]) as image:
            width, height = image.size
            if width * height > limit:
                raise _Refused(too_many_pixels)
            details = photo_details(image)  # from the header, before anything is decoded
            if content_type == "image/jpeg":
                # verify() checks nothing in a JPEG; decoding at an eighth of the size finds
                # cut-off or damaged picture data for a sixty-fourth of the memory.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
            else:
                image.verify()
        return details
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


def _claimed_kind(label: str, policy: UploadPolicy) -> str | None:
    ending = _extension(label)
    if not ending:
        return None
    for kind in policy.types.values():
        if kind.extensions[0] == ending:
            return kind.described
    for kind in policy.types.values():
        if ending in kind.extensions:
            return kind.described
    return None


def _type_message(label: str, content_type: str, policy: UploadPolicy) -> str:
    accepted = policy.accepted
    if content_type == MACRO_DOCUMENT:
        return (
            f"“{label}” is an Office document with macros, which can run programs: save it as an "
            "ordinary document (.docx, .xlsx or .pptx) and upload that."
        )
    if content_type in ("text/rtf", "application/rtf"):
        return (
            f"“{label}” is a rich text (RTF) document: save it as a Word (.docx) or OpenDocument "
            "(.odt) document, or as a PDF, and upload that."
        )
    described = REFUSED_DESCRIBED.get(content_type) or _described(content_type)
    claimed = _claimed_kind(label, policy)
    if described and claimed:
        return f"“{label}” is {described}, not {claimed}: {accepted}"
    if described:
        return f"“{label}” is {described}: {accepted}"
    if claimed:
        return f"“{label}” is not really {claimed}: {accepted}"
    return f"“{label}” is a kind of file that cannot be used: {accepted}"


def _described(content_type: str) -> str | None:
    """A type some other upload accepts (a photo offered as a standard) is named as what it is."""
    kind = EVIDENCE_TYPES.get(content_type)
    return kind.described if kind else None


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


def _label_for_type(label: str, content_type: str, policy: UploadPolicy) -> str:
    """The label with an ending that suits what the file holds, so a text file called "notes.bat"
    opens as "notes.bat.txt" in a text editor, not as a program, on the assessor's computer."""
    kind = policy.types[content_type]
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
