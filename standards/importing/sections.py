"""A unit's text cut at its headings ("Scope", "Performance Criteria", an element's code...).

Headings are recognised by their words, whatever their case, with any footnote marker after
them; a heading the PDF split over two lines ("Performance" / "Criteria") is put together again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .source_text import SUPERSCRIPT_DIGITS

ABOUT, ELEMENTS, SCOPE, VALUES, KEY_WORDS = "about", "elements", "scope", "values", "key_words"
CRITERIA, KNOWLEDGE, ELEMENT, START = "criteria", "knowledge", "element", "start"

HEADINGS = {
    ABOUT: r"about this unit|unit summary|summary|overview",
    ELEMENTS: r"elements of competence|elements",
    SCOPE: r"scope|range|scope/range|scope and range",
    VALUES: r"values underpinning the whole of (the|this) unit",
    KEY_WORDS: r"key words and concepts|glossary",
    CRITERIA: r"performance criteria",
    KNOWLEDGE: r"knowledge specification for the whole of (the|this) unit|knowledge and understanding"
    r"|knowledge specification",
}
HEADING = {kind: re.compile(rf"^(?:{words})[{SUPERSCRIPT_DIGITS}]*$", re.I) for kind, words in HEADINGS.items()}


@dataclass
class Section:
    kind: str  # one of the kinds above
    heading: str  # as published, with any footnote marker
    lines: list[str] = field(default_factory=list)
    code: str = ""  # an element's code
    title: str = ""  # an element's title, as on its heading line


def heading_kind(line: str) -> str | None:
    words = " ".join(line.split())
    for kind, pattern in HEADING.items():
        if pattern.match(words):
            return kind
    return None


def merge_split_headings(lines: list[str]) -> list[str]:
    """Put a heading split over two lines ("Performance" / "Criteria") on one line again."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line and following and not heading_kind(line) and heading_kind(f"{line} {following}"):
            out.append(f"{line} {following}")
            i += 2
            continue
        out.append(lines[i])
        i += 1
    return out


def element_heading(unit_code: str) -> re.Pattern[str]:
    """An element's heading: the unit's code with a letter (HSC331a) or a number (HSC41.2)."""
    code = re.escape(unit_code).replace(r"\ ", r"\s?")
    return re.compile(rf"^(?P<code>{code}(?:[a-z]|\.\d{{1,2}}))[\t ]+(?P<title>\S.*)$")


def element_code(unit_code: str) -> re.Pattern[str]:
    """An element's code alone on its line, its title on the next (a table copied from a PDF)."""
    code = re.escape(unit_code).replace(r"\ ", r"\s?")
    return re.compile(rf"^(?P<code>{code}(?:[a-z]|\.\d{{1,2}}))$")


def cut(lines: list[str], element: re.Pattern[str] | None = None) -> list[Section]:
    """The sections in published order; the lines before the first heading are a START section.

    Element codes listed under "Elements of Competence" are that list, not headings.
    """
    sections = [Section(START, "")]
    for line in merge_split_headings(lines):
        kind = heading_kind(line.strip())
        match = element.match(line.strip()) if element else None
        if kind:
            sections.append(Section(kind, line.strip()))
        elif match and sections[-1].kind != ELEMENTS:
            sections.append(Section(ELEMENT, line.strip(), code=match["code"], title=match["title"]))
        else:
            sections[-1].lines.append(line)
    return sections


def heading_text(section: Section) -> str:
    """The heading without its footnote marker."""
    return section.heading.rstrip(SUPERSCRIPT_DIGITS)
