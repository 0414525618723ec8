"""The scope (range): an introduction, categories ("Key people include: family; friends; ..."),
and sometimes a note after them.

A category starts with a short lead ending in a colon; its options follow, separated by
semicolons on one line (wrapped or not) or one per bullet line. The category's name is the lead's
first words, before the verb ("Harm and abuse within this unit will cover:" is "Harm and abuse").
"""

from __future__ import annotations

import re

from .listing import BULLET
from .paragraphs import join_lines, paragraphs
from .parsed import ParsedScope, ParsedScopeItem

LEAD = re.compile(r"^(?P<lead>[A-Z*][^:.;]{0,150}?:)(?:\s+(?P<options>.*))?$")
LONGEST_LEAD = 12  # words
VERBS = frozenset(
    ["using", "could", "can", "may", "might", "will", "would", "within", "include", "includes", "including", "are", "is", "should", "must", "cover", "covers", "covering", "such", "means", "refers", "refer", "for", "in", "to", "that", "which", "where", "when", "involve", "involves", "relate", "relates", "as"]
)


def category_name(lead: str) -> str:
    words = lead.rstrip(":").split()
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in VERBS:
            return " ".join(words[:i])
    return " ".join(words)


def _starts_category(line: str) -> re.Match[str] | None:
    match = LEAD.match(line)
    if match and len(match["lead"].split()) <= LONGEST_LEAD:
        return match
    return None


def read_scope(lines: list[str]) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """(introduction paragraphs, (lead, options text) per category, note paragraphs)."""
    intro: list[str] = []
    categories: list[tuple[str, str]] = []
    note: list[str] = []
    open_category = False
    for raw in lines:
        line = raw.strip()
        if not line:
            (note if categories else intro).append("")
        elif match := _starts_category(line):
            categories.append((match["lead"], match["options"] or ""))
            open_category = not (match["options"] or "").endswith(".")
        elif open_category and (bullet := BULLET.match(line)):
            lead, text = categories[-1]
            categories[-1] = (lead, f"{text}\n{bullet['text']}" if text else f"\n{bullet['text']}")
        elif open_category and not ("\n" in categories[-1][1] and line[0].isupper()):
            lead, text = categories[-1]
            categories[-1] = (lead, join_lines(text, line) if "\n" not in text else text + " " + line)
            open_category = not line.endswith(".")
        else:
            open_category = False
            (note if categories else intro).append(line)
    return paragraphs(intro), categories, paragraphs(note)


def options(text: str) -> list[str]:
    """The options of a category as published, without the full stop closing the list."""
    parts = text.split("\n") if "\n" in text else text.split(";")
    cleaned = [part.strip() for part in parts]
    if cleaned:
        cleaned[-1] = cleaned[-1].removesuffix(".").strip()
        cleaned = [part.removesuffix(";").strip() for part in cleaned]
    return [part for part in cleaned if part]


def parsed_scope(unit_code: str, categories: list[tuple[str, str]], first: int = 1) -> list[ParsedScope]:
    found = []
    for number, (lead, text) in enumerate(categories, start=first):
        items = [
            ParsedScopeItem(f"{unit_code} S{number}.{position}", option)
            for position, option in enumerate(options(text), start=1)
        ]
        found.append(ParsedScope(category_name(lead), lead, items))
    return found
