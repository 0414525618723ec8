"""PLACEHOLDER, replaced at merge by the named extractor with page-header and footer removal
(another engineer's, issue 14): here, pypdf's text of each page joined by newlines."""

from __future__ import annotations

from pathlib import Path

from .parsed import NotAUnit


def extract_text(path: str | Path) -> str:
    from pypdf import PdfReader  # the test extra's; the real extractor chooses its own

    try:
        reader = PdfReader(str(path))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:  # pypdf raises many kinds for a file that is not a PDF
        raise NotAUnit(f"The file could not be read as a PDF: {error}") from error
