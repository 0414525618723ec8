"""A unit's own page headers and footers, found by what they say rather than by repetition.

A PDF of one page repeats nothing, and text copied from a PDF (`pdftotext`, a paste) keeps every
page's header and footer between the items: "... their own needs" / "HSC24 Final version approved
April 2004" / "Page 3 of 6" / "HSC24 Ensure your own actions ...". A line is furniture only when
it is wholly the unit's own: a page number, the unit's code and title (wrapped over up to three
lines, a page number before or after), its awarding body's code line ("SQA Unit Code F7E6 04"),
or its version line ("HSC24 Final version approved April 2004"). Nothing else is touched.
"""

from __future__ import annotations

import re

from .parsed import ParsedUnit

PAGE = r"page\s+\d+(?:\s*(?:of|/)\s*\d+)?"
PAGE_ONLY = re.compile(rf"^(?:{PAGE}|\d+\s*(?:of|/)\s*\d+)$", re.IGNORECASE)
PAGE_AROUND = re.compile(rf"^(?:{PAGE}\s+)|(?:\s+{PAGE})$", re.IGNORECASE)
MONTH_YEAR = r"(?:[a-z]+\s+)?\d{4}"
MOST_LINES = 3  # a header's title wrapped over at most this many lines


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def own_lines(unit: ParsedUnit) -> set[str]:
    """The unit's code and title, as a header prints them, in the form `_words` gives."""
    titled = {f"{unit.code} {unit.title}"}
    for body, code in unit.awarding_body_codes.items():
        titled |= {f"{unit.code} {unit.title} ({body} Unit Code {code})", f"{code} ({unit.code}) {unit.title}"}
    return {_words(line) for line in titled}


def is_furniture(line: str, unit: ParsedUnit) -> bool:
    """The line (or lines joined) is a page number, or the unit's own title, code or version line."""
    words = _words(line)
    if not words:
        return False
    if PAGE_ONLY.match(words):
        return True
    bare = _words(PAGE_AROUND.sub("", words))
    if bare in own_lines(unit):
        return True
    code = re.escape(_words(unit.code))
    if re.fullmatch(rf"{code}\s+(?:final\s+|draft\s+)?(?:version|approved)\b[^.;:]{{0,40}}\b{MONTH_YEAR}", bare):
        return True
    return any(
        re.fullmatch(rf"{re.escape(body.casefold())}\s+unit\s+code:?\s+{re.escape(_words(number))}", bare)
        for body, number in unit.awarding_body_codes.items()
    )


def drop_own_furniture(lines: list[str], unit: ParsedUnit) -> list[str]:
    """The lines without the unit's own headers and footers; blank lines stay where they were."""
    kept: list[str] = []
    index = 0
    while index < len(lines):
        taken = _furniture_at(lines, index, unit)
        if taken:
            index += taken
            continue
        kept.append(lines[index])
        index += 1
    return kept


def _furniture_at(lines: list[str], index: int, unit: ParsedUnit) -> int:
    """How many lines from `index` are one header or footer (0 when none)."""
    joined = ""
    for count in range(1, MOST_LINES + 1):
        if index + count > len(lines) or not lines[index + count - 1].strip():
            return 0
        joined = f"{joined} {lines[index + count - 1].strip()}"
        if is_furniture(joined, unit):
            return count
    return 0
