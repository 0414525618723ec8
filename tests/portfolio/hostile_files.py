"""Builders of real files for upload tests: the hostile ones a careless or malicious upload could
bring (an HTML page renamed .pdf, an SVG carrying a script, a decompression bomb, a damaged
photo, an Office file with macros) and the genuine ones they are told apart from.

Everything is made here, in memory, with the standard library, Pillow and WeasyPrint, so the
tests need no sample files and say exactly what each file holds.
"""

import functools
import io
import random
import struct
import wave
import zipfile
import zlib

import weasyprint
from PIL import Image

# Pages, drawings and markup a browser would run.

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Visit</title></head>"
    b"<body><script>fetch('/portfolio/evidence/').then(r => r.text()).then(alert)</script></body></html>\n"
)

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>\n"
)

XML_FILE = b'<?xml version="1.0"?>\n<note><to>Assessor</to><body>See attached</body></note>\n'

# A Linux program's first bytes: enough for libmagic to call it an executable.
ELF_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + struct.pack("<HHI", 2, 0x3E, 1) + b"\x00" * 200

PLAIN_TEXT = (
    "Reflective account: I supported Mrs B to phone her sister and plan a visit. "
    "We used her address book – she chose the date herself.\n"
).encode()


def jpeg_photo(size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real photo-like JPEG (noise compresses badly, like a photo)."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def png_image(size: tuple[int, int] = (32, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


SCAN_SIZE = (7300, 5470)  # 39.9 million pixels, just inside the 40-million upload limit


@functools.cache
def scan_png() -> bytes:
    """A 40-megapixel PNG that weighs little (under 200 KB): a scanned form, mostly blank. Cheap
    to upload, 120 MB to decode."""
    image = Image.new("RGB", SCAN_SIZE, "#f4f1ea")
    image.paste((40, 40, 120), (300, 300, 7000, 420))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def corrupt_jpeg() -> bytes:
    """A JPEG start-of-image and JFIF header, then garbage (the same garbage every run)."""
    header = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return header + random.Random(1).randbytes(4000)


def cut_off_jpeg() -> bytes:
    """A photo cut off halfway, as an interrupted copy leaves it: every header is sound, so it
    opens, and only decoding the picture finds that half of it is missing."""
    photo = jpeg_photo((400, 300))
    return photo[: len(photo) // 2]


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def single_colour_png(width: int, height: int) -> bytes:
    """A valid one-bit black PNG of any size, written row by row so even 20000 x 20000 (a
    decompression bomb: 400 million pixels, 1.2 GB once decoded as RGB) takes a few hundred KB
    of disk and no more memory to make."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then the row's bits
    compressor = zlib.compressobj(9)
    picture = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", picture)
        + _png_chunk(b"IEND", b"")
    )


def pdf_document(text: str = "Observation record: supported Mrs B with her phone call.") -> bytes:
    return weasyprint.HTML(string=f"<p>{text}</p>").write_pdf()


# Office Open XML: a zip holding [Content_Types].xml, the package relationships and one part.

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
)
_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{part}" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_WORD_BODY = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)


def _zip(entries: list[tuple[str, str | bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in entries:
            # OpenDocument wants its `mimetype` first and stored, so it can be read at a fixed place.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def _ooxml(part: str, content_type: str, body: str, extra: tuple = ()) -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", _CONTENT_TYPES.format(part=part, content_type=content_type)),
            ("_rels/.rels", _RELATIONSHIPS.format(part=part)),
            (part, body),
            *extra,
        ]
    )


def docx_document(text: str = "Witness testimony from my line manager.") -> bytes:
    """The smallest Word document Word itself opens: content types, relationships, one paragraph."""
    return _ooxml(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        _WORD_BODY.format(text=text),
    )


def xlsx_workbook() -> bytes:
    return _ooxml(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    )


def docm_with_macros() -> bytes:
    """A macro-enabled Word document (what Word saves as .docm), with its VBA project."""
    return _ooxml(
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        _WORD_BODY.format(text="Enable content to see the evidence."),
        extra=(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),),
    )


def odt_document() -> bytes:
    return _zip(
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            (
                "META-INF/manifest.xml",
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            ),
            (
                "content.xml",
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
            ),
        ]
    )


def zip_archive() -> bytes:
    return _zip([("notes.txt", "not a document"), ("photo.jpg", b"\xff\xd8\xff")])


def zip_with_many_entries(count: int) -> bytes:
    """A zip whose directory alone is large: the kind of file that makes a zip reader hold
    millions of entries in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", "")
        for n in range(count):
            package.writestr(f"{n}", b"")
    return buffer.getvalue()


# Office 97-2003: a Compound File Binary (OLE2) container. libmagic names the program from the
# names of the streams in the container's directory.

_FREE, _END_OF_CHAIN, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(
    name: str, kind: int, *, child: int = _NO_STREAM, start: int = _END_OF_CHAIN, size: int = 0
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        kind,
        1,
        _NO_STREAM,
        _NO_STREAM,
        child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        size,
    )


def word_97_document(content_bytes: int = 40_000) -> bytes:
    """A Word 97-2003 .doc container: header, one allocation-table sector, a WordDocument stream
    of `content_bytes`, then the directory. With more than about 8 KB of content the directory,
    and with it the only clue that this is Word, lies beyond the file's first 8 KiB."""
    content = b"W" * content_bytes
    content = content.ljust(max(4096, -(-len(content) // 512) * 512), b"\0")
    sectors = len(content) // 512
    if sectors + 2 > 128:
        raise ValueError("one allocation-table sector addresses at most 126 content sectors")
    table = [_FAT_SECTOR, *range(2, sectors + 1), _END_OF_CHAIN, _END_OF_CHAIN]
    table += [_FREE] * (128 - len(table))
    directory = (
        _directory_entry("Root Entry", 5, child=1)
        + _directory_entry("WordDocument", 2, start=1, size=len(content))
        + _directory_entry("", 0) * 2
    )
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        sectors + 1,
        0,
        4096,
        _END_OF_CHAIN,
        0,
        _END_OF_CHAIN,
        0,
    )
    header += struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108
    return header + struct.pack("<128I", *table) + content + directory


# Audio and video.


def wav_recording(seconds: float = 0.5) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buffer.getvalue()


def mp3_frames(count: int = 20) -> bytes:
    """MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz) of silence, with an ID3v2 tag in front."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * count


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_header(brand: bytes = b"isom") -> bytes:
    """An MP4 file's ftyp box and an empty media box: what libmagic reads to name MP4, QuickTime
    (brand "qt  ") or M4A (brand "M4A "). Not playable: no encoder is installed to make one."""
    return _box(b"ftyp", brand + b"\0\0\2\0" + brand + b"mp41") + _box(b"mdat", b"\0" * 256)
