"""What a file is, decided from its content: libmagic reads its first bytes, Office and OpenDocument
packages are asked from their own manifest (the zip directory and one small entry, nothing
extracted), and the kinds of file the product accepts as evidence, in a care worker's words."""

import os
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum

import magic
from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class FileKind:
    described: str  # how a care worker would name it: "a Word document"
    extensions: tuple[str, ...]  # name endings that open it in the right program; the first is usual


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_ODT = "application/vnd.oasis.opendocument.text"
_ODS = "application/vnd.oasis.opendocument.spreadsheet"
_ODP = "application/vnd.oasis.opendocument.presentation"

# The allow-list: every type evidence may be stored as. Anything else is refused.
EVIDENCE_TYPES: dict[str, FileKind] = {
    "application/pdf": FileKind("a PDF", ("pdf",)),
    "image/jpeg": FileKind("a JPEG photo", ("jpg", "jpeg", "jpe", "jfif")),
    "image/png": FileKind("a PNG image", ("png",)),
    "image/gif": FileKind("a GIF image", ("gif",)),
    "image/webp": FileKind("a WebP image", ("webp",)),
    "image/heic": FileKind("a HEIC photo", ("heic", "heif")),
    "image/heif": FileKind("a HEIF photo", ("heif", "heic")),
    "application/msword": FileKind("a Word document", ("doc", "dot")),
    _DOCX: FileKind("a Word document", ("docx",)),
    "application/vnd.ms-excel": FileKind("an Excel spreadsheet", ("xls", "xlt")),
    _XLSX: FileKind("an Excel spreadsheet", ("xlsx",)),
    "application/vnd.ms-powerpoint": FileKind("a PowerPoint presentation", ("ppt", "pps", "pot")),
    _PPTX: FileKind("a PowerPoint presentation", ("pptx",)),
    _ODT: FileKind("an OpenDocument text", ("odt",)),
    _ODS: FileKind("an OpenDocument spreadsheet", ("ods",)),
    _ODP: FileKind("an OpenDocument presentation", ("odp",)),
    # No .csv: a spreadsheet program opening it would run any formula the file holds.
    "text/plain": FileKind("a text file", ("txt", "text", "log", "md")),
    "audio/mpeg": FileKind("an MP3 recording", ("mp3", "mpga")),
    "audio/x-wav": FileKind("a WAV recording", ("wav",)),
    "audio/wav": FileKind("a WAV recording", ("wav",)),
    "audio/ogg": FileKind("an Ogg recording", ("ogg", "oga", "opus")),
    "audio/mp4": FileKind("an M4A recording", ("m4a", "mp4")),
    "audio/x-m4a": FileKind("an M4A recording", ("m4a", "mp4")),
    "audio/aac": FileKind("an AAC recording", ("aac",)),
    "audio/webm": FileKind("a WebM recording", ("webm", "weba")),
    # Phones save MPEG-4 and QuickTime in one container family under either ending.
    "video/mp4": FileKind("an MP4 video", ("mp4", "m4v", "mov")),
    "video/quicktime": FileKind("a QuickTime video", ("mov", "qt", "mp4")),
    "video/webm": FileKind("a WebM video", ("webm",)),
    "video/x-msvideo": FileKind("an AVI video", ("avi",)),
    "video/ogg": FileKind("an Ogg video", ("ogv", "ogg")),
}

# libmagic's names for types on the allow-list under another name.
_SAME_TYPE = {
    "audio/x-hx-aac-adts": "audio/aac",
    "video/x-m4v": "video/mp4",
}

# Text a browser would run or render as a page if it were ever shown as what it is.
_MARKUP = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml"}

REFUSED_DESCRIBED = {
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
MACRO_DOCUMENT = "application/vnd.ms-office.macroenabled"
_ZIP_MAX_ENTRIES = 10_000
_ZIP_MAX_DIRECTORY_BYTES = 8 * 1024 * 1024
_ZIP_MAX_MANIFEST_BYTES = 1024 * 1024

PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


class Display(StrEnum):
    """How a file of each kind is shown on the evidence page, beside its download link."""

    PICTURE = "picture"  # its thumbnail, which opens the picture itself
    PDF = "pdf"  # in a frame of the page
    AUDIO = "audio"  # a player
    VIDEO = "video"  # a player
    DOCUMENT_TEXT = "document_text"  # its text, read on the worker (portfolio/document_text.py)
    NONE = "none"  # only the download


# Office and OpenDocument packages whose words the worker reads out (portfolio/office_text.py).
# The 97-2003 formats are not zip packages of XML, and no library reads them without an office suite.
TEXT_DOCUMENT_TYPES = frozenset({_DOCX, _XLSX, _PPTX, _ODT, _ODS, _ODP})
# Plain text is read on the worker too (portfolio/document_text.py), with no reader process: its
# text is its bytes, read up to a bound. Still served only as a download, never inline.
PLAIN_TEXT = "text/plain"
TEXT_SHOWN_TYPES = TEXT_DOCUMENT_TYPES | {PLAIN_TEXT}


def display_of(content_type: str) -> Display:
    if content_type in PILLOW_FORMATS:  # the kinds every browser draws (not HEIC)
        return Display.PICTURE
    if content_type == "application/pdf":
        return Display.PDF
    if content_type in EVIDENCE_TYPES and content_type.startswith("audio/"):
        return Display.AUDIO
    if content_type in EVIDENCE_TYPES and content_type.startswith("video/"):
        return Display.VIDEO
    if content_type in TEXT_SHOWN_TYPES:
        return Display.DOCUMENT_TEXT
    return Display.NONE


def shown_inline(content_type: str) -> bool:
    """Whether the browser may be told to show the file itself (Content-Disposition: inline): only
    pictures, PDFs, recordings and videos on the allow-list, which a browser draws or plays and
    never runs. Markup (HTML, SVG) is never on the allow-list, and text, Office files and anything
    else always leave as a download."""
    return display_of(content_type) in (Display.PICTURE, Display.PDF, Display.AUDIO, Display.VIDEO)


def detected_type(upload: UploadedFile, head: bytes) -> str:
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
        with zipfile.ZipFile(upload) as package:  # the upload is a file object itself
            names = set(package.namelist())
            if "mimetype" in names:
                return _small_entry(package, "mimetype", 200).decode("ascii").strip()
            if "[Content_Types].xml" in names:
                manifest = _small_entry(package, "[Content_Types].xml", _ZIP_MAX_MANIFEST_BYTES)
                manifest_text = manifest.decode("utf-8", errors="replace")
                if "macroEnabled" in manifest_text or any(
                    name.lower().endswith("vbaproject.bin") for name in names
                ):
                    return MACRO_DOCUMENT
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
