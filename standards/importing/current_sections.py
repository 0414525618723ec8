"""The title block and the sections of a current-layout standard, found by their headings.

The headings come in a fixed order (Overview, Performance criteria, Knowledge and understanding,
the two scope/range sections, Values, Behaviours, Glossary, Links to other NOS, the details
table), so a heading is looked for only after the one before it: a knowledge sub-heading called
"Values" is not the Values section. A heading may be split over lines ("Performance" /
"criteria"), and a PDF's left column may run into its right one ("criteria Maintaining safety").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CODE = re.compile(r"\b([A-Z]{3,}[A-Z0-9]*\d+[A-Z]?)\b")
CRITERIA_LEAD = re.compile(r"^You\s+must\s+be\s+able\s+to\s*:?", re.IGNORECASE)
# "URN: SFHGEN96", "Developed by: Skills for Health": the web page's lines under the title.
LABELLED = re.compile(r"^([A-Z][A-Za-z ()/]{1,40}):\s+(\S.*)$")
KNOWLEDGE_LEAD = re.compile(r"^You\s+need\s+to\s+know\s+and\s+understand\s*:?", re.IGNORECASE)


def _heading(first: str, rest: str) -> re.Pattern[str]:
    """A heading as published: its first letter as printed, the rest in any case, spaces or line breaks."""
    words = r"\s+".join(rest.split())
    return re.compile(rf"{first}(?i:{words})(?=\s|$)")


# (section, heading); in the order the sections come. The details table starts at "Developed by",
# which belongs to it, so that line stays in the section.
HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    ("overview", _heading("O", "verview")),
    ("criteria", _heading("P", "erformance criteria")),
    ("knowledge", _heading("K", "nowledge and understanding")),
    ("additional", _heading("A", "dditional information")),
    ("scope_criteria", _heading("S", r"cope\s*/\s*range related to performance criteria")),
    ("scope_knowledge", _heading("S", r"cope\s*/\s*range related to knowledge and understanding")),
    ("values", _heading("V", "alues")),
    ("behaviours", _heading("B", "ehaviours")),
    ("glossary", _heading("G", "lossary")),
    ("links", _heading("L", r"inks to other (?:NOS|standards)")),
    ("external_links", _heading("E", "xternal links")),
    ("details", _heading("D", "eveloped by")),
]
_KEEPS_LINE = {"details"}
_LOOKAHEAD = 6  # lines a split heading may run over


@dataclass
class CurrentSections:
    code: str = ""
    title: str = ""
    found: dict[str, list[str]] = field(default_factory=dict)  # section -> its lines, in order
    headings: dict[str, str] = field(default_factory=dict)  # section -> its heading as printed

    def lines(self, name: str) -> list[str]:
        return self.found.get(name, [])


def title_block(lines: list[str]) -> tuple[str, str, int]:
    """The unit's code and title, and the index of the first line after them."""
    end = len(lines)
    for index in range(len(lines)):
        if _match_heading(lines, index, 0)[0] is not None:
            end = index
            break
    block = [line for line in lines[:end] if line]
    code = ""
    title_lines = []
    for line in block:
        found = CODE.search(line)
        if code and line == code:
            continue  # the page header's code above the title block's
        if not code and found and (found.start() == 0 or line.lower().startswith(("urn", "unit code"))):
            code = found.group(1)
            rest = line[found.end() :].strip(" :-–")
            if rest and found.start() == 0:
                title_lines.append(rest)
        elif not LABELLED.match(line):
            title_lines.append(line)
    return code, " ".join(title_lines), end


def page_details(lines: list[str]) -> dict[str, str]:
    """The labelled lines of a title block copied from the standard's web page ("Developed by: Skills for Health")."""
    return {found.group(1): found.group(2) for found in map(LABELLED.match, lines) if found}


def split_sections(lines: list[str]) -> CurrentSections:
    sections = CurrentSections()
    current = ""
    rank = -1
    index = 0
    while index < len(lines):
        name, taken, remainder, printed = _match_heading(lines, index, rank + 1)
        if name is not None and not _is_sub_heading(name, lines, index + taken, remainder):
            current, rank = name, [n for n, _ in HEADINGS].index(name)
            sections.headings[name] = printed
            body = sections.found.setdefault(name, [])
            if name in _KEEPS_LINE:
                body.extend(lines[index : index + taken])
            elif remainder:
                body.append(remainder)
            index += taken
            continue
        sections.found.setdefault(current, []).append(lines[index])
        index += 1
    return sections


def _match_heading(lines: list[str], index: int, from_rank: int) -> tuple[str | None, int, str, str]:
    """The heading starting at `lines[index]`, if any: its section, lines taken, what follows it on its last line."""
    if not lines[index]:
        return None, 0, "", ""
    window = lines[index : index + _LOOKAHEAD]
    cut = window.index("") if "" in window else len(window)
    joined = "\n".join(window[:cut])
    for name, pattern in HEADINGS[from_rank:]:
        found = pattern.match(joined)
        if not found:
            continue
        taken = joined.count("\n", 0, found.end()) + 1
        remainder = joined[found.end() :].split("\n", 1)[0].strip()
        if (
            remainder
            and not (remainder[0].isupper() or remainder[0] in "0123456789•▪●")
            and name not in _KEEPS_LINE
        ):
            continue  # "Values such as ..." is a sentence that starts with the word
        return name, taken, remainder, " ".join(found.group().split())
    return None, 0, "", ""


def _is_sub_heading(name: str, lines: list[str], after: int, remainder: str) -> bool:
    """A heading followed by "You must be able to:" or "You need to know and understand:" is a group's sub-heading."""
    if name in ("criteria", "knowledge", "details"):
        return False
    following = remainder or next((line for line in lines[after:] if line), "")
    return bool(CRITERIA_LEAD.match(following) or KNOWLEDGE_LEAD.match(following))
