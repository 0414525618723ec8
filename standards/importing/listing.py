"""Numbered lists as published: performance criteria and knowledge items with their sub-points.

An item starts with its number ("1.", "- 1", "12)") or letter ("(a)", "- (c)"), the number on
its own line or before the words; sub-points start with a dash, an en dash or a bullet ("-", "•").
Any other line carries on the words before it (a line wrapped by the PDF). A number is an item
only if it follows the one before (at most two missing), so a wrapped line starting "3 days"
stays words. A sub-point that carries on the one before it (a bullet split by a page break) is
joined to it: after a blank line, when the one before stopped on "and", "the", "from"...; with no
blank line (text from a PDF), only when it stopped on "and", "or", "the" or "a". Sub-headings (knowledge sections) are short lines straight
before the next item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .paragraphs import TERMINAL, ends_dangling, join_lines

MARKS = "-–—•▪●◦\uf0b7\uf0a7"
LEAD_MARK = rf"(?:(?P<mark>[{MARKS}])\s*)?"
DIGIT_ITEM = re.compile(rf"^{LEAD_MARK}(?P<label>\d{{1,3}})(?P<dot>[.)])?(?:\s+(?P<text>.*))?$")
LETTER_ITEM = re.compile(rf"^{LEAD_MARK}\((?P<label>[a-z])\)(?:\s+(?P<text>.*))?$")
BULLET = re.compile(r"^(?:[-–—]\s+|[•▪●◦\uf0b7\uf0a7]\s*)(?P<text>\S.*)$")
MOST_MISSING = 2
UNFINISHED = frozenset(["and", "or", "the", "a", "an", "nor"])


@dataclass
class Listed:
    label: str
    text: str = ""
    points: list[str] = field(default_factory=list)
    section: str = ""
    duplicate: bool = False


@dataclass
class Listing:
    items: list[Listed] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # lines before the first item
    jumps: list[tuple[str, str]] = field(default_factory=list)  # (last label, next label)


def ordinal(label: str) -> int:
    return int(label) if label.isdigit() else ord(label) - ord("a") + 1


def display(label: str) -> str:
    return label if label.isdigit() else f"({label})"


class ListReader:
    """Reads one list; `sections` lets short headings between items group them."""

    def __init__(self, sections: bool = False) -> None:
        self.allow_sections = sections
        self.found = Listing()
        self.section = ""
        self.blank = False
        self.letters: bool | None = None

    def read(self, lines: list[str]) -> Listing:
        stripped = [line.strip() for line in lines]
        for i, line in enumerate(stripped):
            if not line:
                self.blank = True
                if not self.found.items:
                    self.found.before.append("")  # paragraphs of the lead and introduction
                continue
            self._line(line, stripped[i + 1 :])
            self.blank = False
        return self.found

    def _line(self, line: str, rest: list[str]) -> None:
        items = self.found.items
        if label_text := self.item(line):
            self._start(*label_text)
        elif items and (bullet := BULLET.match(line)):
            self._point(bullet["text"])
        elif self.allow_sections and self._is_section(line, rest):
            self.section = line
            self.found.sections.append(line)
        elif items:
            self._carry_on(line)
        else:
            self.found.before.append(line)

    def item(self, line: str) -> tuple[str, str, bool] | None:
        """(label, words, duplicate) when the line starts the next item."""
        patterns = {None: (DIGIT_ITEM, LETTER_ITEM), False: (DIGIT_ITEM,), True: (LETTER_ITEM,)}
        for pattern in patterns[self.letters]:
            if match := pattern.match(line):
                label = match["label"]
                last = ordinal(self.found.items[-1].label) if self.found.items else 0
                explicit = pattern is LETTER_ITEM or bool(match["dot"] or match["mark"])
                if last < ordinal(label) <= last + 1 + MOST_MISSING:
                    return label, match["text"] or "", False
                if ordinal(label) == last and explicit:
                    return label, match["text"] or "", True
        return None

    def _start(self, label: str, text: str, duplicate: bool) -> None:
        items = self.found.items
        if self.letters is None:
            self.letters = not label.isdigit()
        last = items[-1].label if items else ""
        if not duplicate and ordinal(label) != (ordinal(last) if last else 0) + 1:
            self.found.jumps.append((last, label))
        items.append(Listed(label, text.strip(), section=self.section, duplicate=duplicate))

    def _point(self, text: str) -> None:
        current = self.found.items[-1]
        before = current.points[-1] if current.points else ""
        cut = ends_dangling(before) if self.blank else before.split(" ")[-1] in UNFINISHED
        if cut and text[0].islower():
            current.points[-1] = join_lines(current.points[-1], text)
        else:
            current.points.append(text.strip())

    def _carry_on(self, line: str) -> None:
        current = self.found.items[-1]
        if current.points:
            current.points[-1] = join_lines(current.points[-1], line)
        else:
            current.text = join_lines(current.text, line)

    def _is_section(self, line: str, rest: list[str]) -> bool:
        if not line[0].isupper() or line.endswith((*TERMINAL, ",", ";")) or len(line.split()) > 10:
            return False
        following = next((other for other in rest if other), "")
        return bool(following) and bool(self.item(following))
