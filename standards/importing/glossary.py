"""Key words and concepts: a two-column table of terms and their definitions.

With tabs, a tab ends the term. Without them (text from a PDF), a row starts with a term the
unit itself marks as defined (bold in its text, or a scope category), a term on its own short
line, a word repeated ("Abuse Abuse is ..."), or a term on its definition's first line: a line
after a definition ended, starting with a few words (the first a capital) that the unit uses
elsewhere, then a capital starting the definition ("Key people Are those people ...",
"Individuals The actual people ..."). Two repairs, both unambiguous:
- two terms run together on one row ("Danger Harm") whose two definitions run together too
  ("... happening The effects ..."): two terms, two definitions;
- an HTML list left inside a definition ("<ul ...>• be respected• ..."): its items are points.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .listing import BULLET
from .paragraphs import TERMINAL, ends_dangling, join_lines, paragraphs
from .parsed import ParsedTerm

BOLD = re.compile(r"\*\*(.+?)\*\*")
TAG = re.compile(r"<[^>]*>")
RUN_ON = re.compile(r"(?<=[a-z]) (?=[A-Z][a-z])")  # "happening The": a sentence with no full stop
HTML_ITEM = re.compile(r"</?li[^>]*>|[•\uf0b7]")
SHORTEST_ROW_GAP = 4  # words: a term on its own line is at most this long
TERM_WORDS = re.compile(r"^[A-Z][\w'’/-]*(?: [\w'’/-]+)*$")  # words only: no full stop, comma, colon


def known_terms(text: str, scope_names: list[str]) -> list[str]:
    """Phrases the unit marks as defined, lower case, longest first."""
    found = {phrase.lower() for phrase in BOLD.findall(text) if len(phrase.split()) <= SHORTEST_ROW_GAP}
    found |= {name.lower() for name in scope_names}
    return sorted(found, key=len, reverse=True)


class GlossaryReader:
    def __init__(self, known: list[str], text: str = "") -> None:
        self.known = known
        self.text = text.lower()  # the unit's whole text: a term is a word the unit uses
        self.intro: list[str] = []
        self.rows: list[ParsedTerm] = []

    def read(self, lines: list[str]) -> tuple[list[str], list[ParsedTerm]]:
        tabbed = any("\t" in line for line in lines)
        stripped = [line.strip() for line in lines]
        previous = ""
        for i, line in enumerate(stripped):
            if not line:
                if not self.rows:
                    self.intro.append("")
                continue
            following = next((other for other in stripped[i + 1 :] if other), "")
            row = self._row(line, following, tabbed, previous)
            if row is None and not tabbed and self._definition_ended(previous):
                row = self._term_first(line)
            previous = line
            if row:
                self.rows.append(ParsedTerm(*row))
            elif self.rows and (bullet := BULLET.match(line)):
                self.rows[-1].points.append(bullet["text"].strip())
            elif self.rows:
                self._carry_on(line)
            else:
                self.intro.append(line)
        return paragraphs(self.intro), [term for row in self.rows for term in repaired(row, self.known)]

    def _row(self, line: str, following: str, tabbed: bool, previous: str) -> tuple[str, str] | None:
        if tabbed:
            term, _, definition = line.partition("\t")
            return (term.strip(), definition.strip()) if "\t" in line else None
        lowered = line.lower()
        for term in self.known:
            if lowered.startswith(f"{term} ") and line[len(term) + 1 : len(term) + 2].isupper():
                return self._run_on_terms(line[: len(term)], line[len(term) + 1 :])
        words = line.split()
        if len(words) > 1 and words[0] == words[1] and words[0][0].isupper():
            return words[0], line[len(words[0]) + 1 :]
        if (
            len(words) <= SHORTEST_ROW_GAP
            and line[0].isupper()
            and not line.endswith(TERMINAL)
            and following[:1].isupper()
            and (not self.rows or (self.rows[-1].definition and not _carries_on(previous)))
        ):
            return line, ""
        return None

    def _definition_ended(self, previous: str) -> bool:
        """A row may start here: after a definition's last line, or after the introduction's last sentence."""
        if self.rows:
            return not _carries_on(previous)
        return not previous or previous.endswith(TERMINAL)

    def _term_first(self, line: str) -> tuple[str, str] | None:
        """"Key people Are those people ...": the longest run of at most four words, the first a
        capital, that the unit uses elsewhere, before a capital that starts the definition."""
        words = line.split(" ")
        if not words[0][:1].isupper():
            return None
        for size in range(min(SHORTEST_ROW_GAP, len(words) - 1), 0, -1):
            term = " ".join(words[:size])
            if words[size][:1].isupper() and TERM_WORDS.match(term) and self._used(term):
                return term, " ".join(words[size:])
        return None

    def _used(self, term: str) -> bool:
        """The term is in the unit's text once more than on its own row (a key word is one the unit uses)."""
        return len(re.findall(rf"(?<![a-z]){re.escape(term.lower())}", self.text)) >= 2

    def _run_on_terms(self, term: str, definition: str) -> tuple[str, str]:
        """"Danger Harm The possibility ...": a second term run on after the first."""
        words = definition.split(" ")
        while len(words) > 2 and words[0][:1].isupper() and words[1][:1].isupper() and _starts_known(words[0], self.known):
            term, words = f"{term} {words[0]}", words[1:]
        return term, " ".join(words)

    def _carry_on(self, line: str) -> None:
        row = self.rows[-1]
        if row.points:
            row.points[-1] = join_lines(row.points[-1], line)
        else:
            row.definition = join_lines(row.definition, line)


def _carries_on(line: str) -> bool:
    """The line stops where a definition cannot end (on "and", a comma, a slash): the next line carries on."""
    return ends_dangling(line) or line.endswith((",", "/", ";", ":"))


def repaired(row: ParsedTerm, known: list[str]) -> list[ParsedTerm]:
    """The row as one or more terms, with any HTML list made points."""
    term = ParsedTerm(row.term, row.definition, list(row.points))
    if "<" in term.definition and TAG.search(term.definition):
        words, _, listed = term.definition.partition("<")
        items = [TAG.sub("", item).strip() for item in HTML_ITEM.split(TAG.sub(_li, "<" + listed))]
        term.definition = words.strip()
        term.points = [item for item in items if item] + term.points
    return run_together(term, known)


def _li(match: re.Match[str]) -> str:
    return "•" if match[0].lower().startswith("<li") else ""


def run_together(term: ParsedTerm, known: list[str]) -> list[ParsedTerm]:
    """"Danger Harm" / "The possibility ... happening The effects ...": two terms."""
    names = term.term.split()
    if len(names) < 2 or term.points or term.term.lower() in known:
        return [term]
    if not all(name[0].isupper() and _starts_known(name, known) for name in names):
        return [term]
    cuts = [match.start() for match in RUN_ON.finditer(term.definition)]
    if len(cuts) != len(names) - 1:
        return [term]
    bounds = [0, *cuts, len(term.definition)]
    pieces = [term.definition[a:b].strip() for a, b in pairwise(bounds)]
    return [ParsedTerm(name, piece) for name, piece in zip(names, pieces, strict=True)]


def _starts_known(name: str, known: list[str]) -> bool:
    return any(term.split()[0] == name.lower() for term in known)
