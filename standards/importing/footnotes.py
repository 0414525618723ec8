"""Footnotes: their texts taken out of the body, their markers (¹ ²) out of the words.

A footnote's text sits where the PDF's page ended ("¹ The term 'unit' is used ..."), often in
the middle of a paragraph. It is lifted out, so the paragraph joins up again, and kept as a
`ParsedFootnote` attached after the words its marker followed.
"""

from __future__ import annotations

import re

from standards.models import Footnote

from .paragraphs import TERMINAL, join_lines
from .parsed import ParsedFootnote, ParsedUnit
from .source_text import SUPERSCRIPT_DIGITS

NOTE_LINE = re.compile(rf"^(?P<marker>[{SUPERSCRIPT_DIGITS}]+)\s*(?P<text>\S.*)$")
MARKER = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+")
CLAUSE_END = re.compile(r"[,;:.()]")
# Words a footnote's anchor never starts with: it names the thing, not the phrase around it.
LEADING = frozenset(
    ["the", "a", "an", "of", "from", "to", "in", "on", "for", "by", "with", "and", "or", "this", "that", "these", "those", "its", "their", "your", "our"]
)
# The parts of a unit a footnote can be attached to (standards.models.Footnote.Part).
PARTS = [str(part) for part in Footnote.Part.values]


def number(marker: str) -> int:
    return int("".join(str(SUPERSCRIPT_DIGITS.index(ch)) for ch in marker))


def take_footnotes(lines: list[str]) -> tuple[list[str], dict[int, str]]:
    """The body without its footnotes, and the footnotes' texts by number.

    A footnote runs from its marker to the next blank line, the next footnote, or (in text from a
    PDF, without blank lines) the end of its sentence.
    """
    body: list[str] = []
    notes: dict[int, str] = {}
    current: int | None = None
    for line in lines:
        match = NOTE_LINE.match(line.strip())
        if match:
            current = number(match["marker"])
            notes[current] = match["text"].strip()
        elif current is not None and line.strip() and not notes[current].endswith(TERMINAL):
            notes[current] = join_lines(notes[current], line)
        else:
            current = None
            body.append(line)
    return body, notes


def anchor_before(text: str) -> str:
    """The words a marker follows: the noun phrase before it, within its clause."""
    clause = CLAUSE_END.split(text)[-1].split()
    while len(clause) > 1 and any(word.lower() in LEADING for word in clause):
        cut = max(i for i, word in enumerate(clause) if word.lower() in LEADING)
        if cut == len(clause) - 1:
            break
        clause = clause[cut + 1 :]
    return " ".join(clause)


def attach_footnotes(unit: ParsedUnit, notes: dict[int, str]) -> None:
    """Take the markers out of the unit's own texts and record each footnote where it was."""
    attached: set[int] = set()
    for part in PARTS:
        text = getattr(unit, part)
        for match in reversed(list(MARKER.finditer(text))):
            at = number(match[0])
            before, after = text[: match.start()], text[match.end() :]
            anchor = "" if not after.strip(" .") else anchor_before(before)
            text = before + after
            if at in notes:
                unit.footnotes.append(ParsedFootnote(at, part, anchor, notes[at]))
                attached.add(at)
            else:
                unit.warnings.append(f"footnote marker {match[0]} has no footnote")
        setattr(unit, part, text)
    unit.footnotes.sort(key=lambda note: note.number)
    for at in sorted(set(notes) - attached):
        unit.warnings.append(f"footnote {at} is not attached to the unit's summary or values: {notes[at]}")
