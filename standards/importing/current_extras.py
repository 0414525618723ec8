"""The parts of a current-layout standard after its criteria and knowledge: scope/range, the
glossary and the details table (developed by, version number, date approved, ...).
"""

from __future__ import annotations

import re

from .current_lines import BULLET, LineJoiner, width_of
from .parsed import ParsedScope, ParsedScopeItem, ParsedTerm

DETAIL_LABELS = [
    "Developed by",
    "Version Number",
    "Date Approved",
    "Indicative Review Date",
    "Validity",
    "Status",
    "Originating Organisation",
    "Original URN",
    "Relevant Occupations",
    "Suite",
    "Keywords",
    "SOC Code",
]
_LABEL = re.compile(
    r"^(" + "|".join(r"\s+".join(label.split()) for label in DETAIL_LABELS) + r")(?=\s|:|$):?",
    re.IGNORECASE | re.MULTILINE,
)
# "Key people include:", "Hazards may be:": the words after the category's name.
_LEAD_VERB = re.compile(
    r"\s+(?:(?:may|might|could|can|will|should|must)\s+)?"
    r"(?:include|includes|including|be|cover|covers|mean|means|are|is)\b.*$",
    re.IGNORECASE,
)
_INLINE = re.compile(r"^(?P<lead>[^:;]{2,120}:)\s*(?P<items>[^;]+(?:;[^;]*)+)$")


def details(lines: list[str]) -> dict[str, str]:
    """The details table as labelled: {"Developed by": "Skills for Care", "Version Number": "3", ...}.

    A label may be split over lines ("Version" / "Number"); its value runs to the next label.
    """
    text = "\n".join(line for line in lines if line)
    labels = list(_LABEL.finditer(text))
    table = {}
    for position, label in enumerate(labels):
        end = labels[position + 1].start() if position + 1 < len(labels) else len(text)
        name = " ".join(label.group(1).split())
        table[name] = " ".join(text[label.end() : end].split())
    return table


def scope(
    lines: list[str], related_to: str, code: str, first: int, joiner: LineJoiner
) -> tuple[list[str], list[ParsedScope]]:
    """The paragraphs that are not categories (the standard's note on scope), and the categories.

    A category is a line followed by its listed items ("Hazards" / "• ..."), or a sentence listing
    them after a colon ("Accidents may be due to: falls; illness."). Categories are numbered from
    `first` across both scope sections, so their references stay unique ("SCDHSC0041 S3.2").
    """
    blocks = _blocks(lines, joiner.width or width_of(lines))
    notes: list[str] = []
    found: list[ParsedScope] = []
    index = 0
    while index < len(blocks):
        kind, block = blocks[index]
        lead = joiner.join(block)
        items: list[str] = []
        while index + 1 < len(blocks) and blocks[index + 1][0] == "item" and kind == "text":
            index += 1
            items.append(joiner.join(blocks[index][1]))
        inline = _INLINE.match(lead)
        if not items and inline:
            lead = inline.group("lead")
            items = [item.strip() for item in inline.group("items").split(";") if item.strip()]
            items[-1] = items[-1].removesuffix(".")
        if items:
            number = first + len(found)
            category = _LEAD_VERB.sub("", lead.rstrip(":").strip()) or lead
            scope_items = [ParsedScopeItem(f"{code} S{number}.{n}", text) for n, text in enumerate(items, 1)]
            found.append(ParsedScope(category, lead, scope_items, related_to))
        else:
            notes.append(lead)
        index += 1
    return notes, found


def _blocks(lines: list[str], width: int) -> list[tuple[str, list[str]]]:
    """Lines as paragraphs ("text") and list items ("item"), each with its wrapped lines."""
    blocks: list[tuple[str, list[str]]] = []
    previous = ""
    for line in lines:
        if not line:
            previous = ""
            continue
        marker = BULLET.match(line)
        if marker:
            blocks.append(("item", [line[marker.end() :]]))
        elif previous and blocks and not _new_paragraph(blocks[-1], previous, line, width):
            blocks[-1][1].append(line)
        else:
            blocks.append(("text", [line]))
        previous = line
    return blocks


def _new_paragraph(block: tuple[str, list[str]], previous: str, line: str, width: int) -> bool:
    if not line[:1].isupper():
        return False
    if block[0] == "item":
        return True
    return previous.endswith((".", ":", "!", "?")) or len(previous) < 0.8 * width


def glossary(lines: list[str], joiner: LineJoiner) -> tuple[str, list[ParsedTerm]]:
    """Any words before the first term, and the terms with their definitions.

    A term shares its line with its definition after a tab, a colon or a dash, or stands on a
    short line of its own that starts with a capital, the definition on the lines after it.
    """
    width = joiner.width or width_of(lines)
    intro: list[str] = []
    terms: list[tuple[str, list[str]]] = []
    text = [line for line in lines if line]
    for index, line in enumerate(text):
        split = re.match(r"^([^\t]{1,60})\t+(.+)$", line) or re.match(
            r"^([A-Z][^:;.,]{0,60}?)(?::|\s[–—-])\s+(.+)$", line
        )
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if split:
            terms.append((split.group(1).strip(), [split.group(2).strip()]))
        elif terms and not terms[-1][1]:
            terms[-1][1].append(line)
        elif _term_line(line, before, after, width) or (not terms and _term_line(line, "", after, width)):
            terms.append((line, []))
        elif terms:
            terms[-1][1].append(line)
        else:
            intro.append(line)
    return joiner.join(intro), [ParsedTerm(term, joiner.join(words)) for term, words in terms]


def _term_line(line: str, before: str, after: str, width: int) -> bool:
    """A short line starting with a capital, after a definition that ended (with a full stop, or
    with room on its line for this one's first word) or before one that starts ("is a way of ...")."""
    if not after or not line[:1].isupper() or len(line.split()) > 6 or line.endswith((".", ",", ";", ":")):
        return False
    ended = not before or before.endswith((".", ";", ")")) or len(before) + 1 + len(line.split()[0]) <= width
    return ended or after[:1].islower()
