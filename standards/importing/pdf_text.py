"""The text of a standard's PDF, as pypdf reads it, with the pages' headers and footers taken out.

Every layout's parser reads what `extract_text` gives. The checks here refuse, with words a centre
administrator can act on, what cannot be a published standard's text: a file that is not a PDF, a
password-protected one, one longer than any standard, one whose pages are pictures.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from pathlib import Path
from typing import BinaryIO

import pypdf
from pypdf.errors import PdfReadError

MAX_PAGES = 100
# Lines this far from the top or the bottom of a page are where headers and footers are.
_FURNITURE_ZONE = 3
_NUMBER = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)


class UnreadablePdf(Exception):
    """The file cannot give a standard's text; the message says why, for the person who uploaded it."""


def extract_text(source: str | Path | BinaryIO) -> str:
    """The PDF's text, page after page, without the lines repeated at the top or bottom of most pages."""
    content = _read_bytes(source)
    if b"%PDF-" not in content[:1024]:
        raise UnreadablePdf("This file is not a PDF. Upload the standard's PDF, or paste its text.")
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        _check_open(reader)
        if len(reader.pages) > MAX_PAGES:
            raise UnreadablePdf(
                f"This PDF has {len(reader.pages)} pages; a standard has at most {MAX_PAGES}. "
                "Check that it is the standard itself and not a whole suite or handbook."
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise UnreadablePdf(
            "This PDF could not be read: it may be damaged. Download it again, or paste its text."
        ) from error
    if not any(page.strip() for page in pages):
        raise UnreadablePdf(
            "This PDF has no text in it: its pages are pictures (a scan, perhaps), which cannot be "
            "read word for word. Upload the published PDF, whose words can be selected, or paste the text."
        )
    return strip_page_furniture(pages)


def _read_bytes(source: str | Path | BinaryIO) -> bytes:
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def _check_open(reader: pypdf.PdfReader) -> None:
    """A PDF that opens without a password (restrictions on printing or copying only) is read as any other."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except (NotImplementedError, PdfReadError, ValueError):
        opened = pypdf.PasswordType.NOT_DECRYPTED
    if opened == pypdf.PasswordType.NOT_DECRYPTED:
        raise UnreadablePdf(
            "This PDF is protected by a password, so its text cannot be read. "
            "Upload a copy without a password, or paste the text."
        )


def strip_page_furniture(pages: list[str]) -> str:
    """The pages' text as one, without the headers and footers repeated on most pages.

    A line near the top or bottom of a page (the unit's code, its title, "Page 3 of 7") is furniture
    when the same line, its numbers aside, is near the top or bottom of more than half the pages.
    Lines that are the same on every page (code, title) stay at the top of the first page, where
    they are the unit's own title block; numbered ones (page numbers) go everywhere.
    """
    lines = [[line.rstrip() for line in page.splitlines() if line.strip()] for page in pages]
    seen = Counter(key for page in lines for key in {_shape(line) for line in _zone(page)})
    needed = max(2, math.floor(len(lines) / 2) + 1)
    furniture = {key for key, count in seen.items() if count >= needed}
    kept: list[str] = []
    for number, page in enumerate(lines):
        top = set(range(min(_FURNITURE_ZONE, len(page))))
        bottom = set(range(max(0, len(page) - _FURNITURE_ZONE), len(page)))
        for index, line in enumerate(page):
            in_zone = index in top or index in bottom
            drop = in_zone and (_shape(line) in furniture or _PAGE_NUMBER.match(line.strip()) is not None)
            if drop and number == 0 and index in top and not _PAGE_NUMBER.match(line.strip()):
                drop = not _same_everywhere(line, lines)
            if not drop:
                kept.append(line)
    return "\n".join(kept)


def _zone(page: list[str]) -> list[str]:
    if len(page) <= 2 * _FURNITURE_ZONE:
        return page
    return page[:_FURNITURE_ZONE] + page[-_FURNITURE_ZONE:]


def _shape(line: str) -> str:
    """The line with its numbers blanked, so "Page 3 of 7" and "Page 4 of 7" are the same line."""
    return " ".join(_NUMBER.sub("#", line).split()).casefold()


def _same_everywhere(line: str, pages: list[list[str]]) -> bool:
    """The line, exactly as it is, in the header or footer of other pages too (not a page number)."""
    return sum(line in _zone(page) for page in pages[1:]) >= max(1, len(pages[1:]) // 2)
