"""A unit built from its sections, for the layouts that head their parts with words (the 2004
care layouts and housing): each section's lines go to the reader for that part.

What cannot be placed is not dropped silently: each such line becomes a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import import_warnings as say
from . import sections as kinds
from .checks import check
from .footnotes import attach_footnotes, take_footnotes
from .furniture import drop_own_furniture
from .glossary import GlossaryReader, known_terms
from .items import criteria_of, knowledge_of
from .listing import ListReader
from .paragraphs import paragraphs
from .parsed import ParsedElement, ParsedUnit
from .scope import parsed_scope, read_scope
from .sections import Section, cut, element_code, element_heading, merge_split_headings
from .title import read_title


@dataclass
class Rules:
    layout: str
    title: re.Pattern[str]  # the unit's title line: groups code, title (and sqa)
    elements: bool  # the layout has elements


@dataclass
class Pending:
    """Lines gathered per element (or for the unit, under ""), read once all are seen."""

    criteria: dict[str, list[str]] = field(default_factory=dict)
    knowledge: list[Section] = field(default_factory=list)
    element: str = ""


def build(text: str, rules: Rules) -> ParsedUnit:
    lines, notes = take_footnotes(merge_split_headings(text.split("\n")))
    unit, rest = read_title(lines, rules)
    rest = drop_own_furniture(rest, unit)
    pending = Pending()
    sections = cut(rest, element_heading(unit.code) if rules.elements else None)
    for section in sections:
        _section(unit, section, pending, text)
    for element, criteria_lines in pending.criteria.items():
        criteria_of(unit, element or None, criteria_lines)
    for section in pending.knowledge:
        knowledge_of(unit, section)
    _missing(unit, pending)
    if sections[-1].kind == kinds.KNOWLEDGE:
        _cut_inside_list(unit)
    attach_footnotes(unit, notes)
    check(unit, text)
    return unit


def _missing(unit: ParsedUnit, pending: Pending) -> None:
    for element in unit.elements:
        if element.ref not in pending.criteria:
            unit.warnings.append(say.listed_element_missing(element.ref))
    if not pending.knowledge:
        unit.warnings.append(say.NO_KNOWLEDGE)
    elif not unit.knowledge:
        unit.warnings.append(say.no_knowledge_items(pending.knowledge[0].heading))


def _cut_inside_list(unit: ParsedUnit) -> None:
    """A text ending in its knowledge specification ends on its last item (HSC331 K17, H3 25
    K(s)), not inside an item's list of points: one that does (K9 "including:" and three of its
    five points, K10 and K11 gone) was cut short there. A unit whose last item has points is
    warned about too; the person importing confirms it against the published text."""
    last = unit.knowledge[-1] if unit.knowledge else None
    if last and last.sub_points:
        unit.warnings.append(say.cut_inside_list(last.ref))


def _section(unit: ParsedUnit, section: Section, pending: Pending, text: str) -> None:
    prose = "\n\n".join(paragraphs(section.lines))
    if section.kind == kinds.START:
        _unplaced(unit, section.lines)
    elif section.kind == kinds.ABOUT:
        unit.about_heading, unit.about = section.heading, prose
    elif section.kind == kinds.VALUES:
        unit.values_heading, unit.values_statement = section.heading, prose
    elif section.kind == kinds.ELEMENTS:
        _element_list(unit, section.lines)
    elif section.kind == kinds.SCOPE:
        _scope(unit, section.lines)
    elif section.kind == kinds.KEY_WORDS:
        names = [category.category for category in unit.scope]
        intro, terms = GlossaryReader(known_terms(text, names), text).read(section.lines)
        unit.key_words_intro = "\n\n".join(intro)
        unit.key_words.extend(terms)
    elif section.kind == kinds.ELEMENT:
        _element(unit, section, pending)
    elif section.kind == kinds.CRITERIA:
        pending.criteria.setdefault(pending.element, []).extend(section.lines)
    elif section.kind == kinds.KNOWLEDGE:
        pending.knowledge.append(section)


def _unplaced(unit: ParsedUnit, lines: list[str]) -> None:
    for line in lines:
        if line.strip():
            unit.warnings.append(say.not_placed(line.strip()))


def _element_list(unit: ParsedUnit, lines: list[str]) -> None:
    """The list of elements; a two-column table copied from a PDF may give each code on a line of
    its own and its title on the next ("HSC24a" / "Relate to and support ...")."""
    pattern, alone = element_heading(unit.code), element_code(unit.code)
    for line in (line.strip() for line in lines):
        if match := pattern.match(line):
            unit.elements.append(ParsedElement(match["code"], match["title"].strip()))
        elif match := alone.match(line):
            unit.elements.append(ParsedElement(match["code"], ""))
        elif line and unit.elements and (line[0].islower() or not unit.elements[-1].title):
            unit.elements[-1].title = f"{unit.elements[-1].title} {line}".strip()
        elif line:
            _unplaced(unit, [line])
    for element in unit.elements:
        if not element.title:
            unit.warnings.append(f"{element.ref} has no title in the list of elements")


def _element(unit: ParsedUnit, section: Section, pending: Pending) -> None:
    """An element's heading, its title wrapped over lines that start in lower case."""
    title, lines = section.title.strip(), list(section.lines)
    while lines and lines[0].strip() and lines[0].strip()[0].islower() and not ListReader().item(lines[0].strip()):
        title = f"{title} {lines.pop(0).strip()}"
    known = next((element for element in unit.elements if element.ref == section.code), None)
    if known is None:
        unit.elements.append(ParsedElement(section.code, title))
    elif known.title != title:
        unit.warnings.append(f"{section.code} is titled differently in the list of elements: {known.title}")
    pending.element = section.code
    pending.criteria.setdefault(section.code, []).extend(lines)


def _scope(unit: ParsedUnit, lines: list[str]) -> None:
    intro, categories, note = read_scope(lines)
    unit.scope_intro = "\n\n".join(filter(None, [unit.scope_intro, *intro]))
    unit.scope.extend(parsed_scope(unit.code, categories, first=len(unit.scope) + 1))
    unit.scope_note = "\n\n".join(filter(None, [unit.scope_note, *note]))

