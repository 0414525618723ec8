"""Performance criteria and knowledge items from their lists, with the unit's references.

References as the shipped units write them: `HSC331a.1` (an element's criterion), `HSC41.2.1`
(an element numbered HSC41.2), `H3 25.7` (a unit without elements), `HSC331 K11`, `H3 25 K(c)`.
The words before the first item are the lead ("You need to show that,") and, for knowledge,
the introduction before it.
"""

from __future__ import annotations

from collections.abc import Callable

from . import import_warnings as say
from .listing import Listed, Listing, ListReader, display
from .paragraphs import STARTS_SENTENCE, TERMINAL, paragraphs
from .parsed import ParsedCriterion, ParsedKnowledge, ParsedUnit
from .sections import Section


def criterion_ref(unit: ParsedUnit, element: str | None, label: str) -> str:
    return f"{element or unit.code}.{label}"


def knowledge_ref(unit: ParsedUnit, label: str) -> str:
    return f"{unit.code} K{display(label)}"


def lead_and_intro(lines: list[str]) -> tuple[str, list[str]]:
    """The last sentence before a list, on lines of its own, is its lead ("You need to show
    that,"); the paragraphs before it are its introduction."""
    lines = [line.strip() for line in lines]
    starts = [
        i for i, line in enumerate(lines)
        if line and (i == 0 or not lines[i - 1] or lines[i - 1].endswith(TERMINAL)) and sentence_start(line)
    ]  # fmt: skip
    if not starts:
        found = paragraphs(lines)
        return (found[-1], found[:-1]) if found else ("", [])
    return " ".join(line for line in lines[starts[-1] :] if line), paragraphs(lines[: starts[-1]])


def sentence_start(line: str) -> bool:
    return bool(STARTS_SENTENCE.match(line))


def criteria_of(unit: ParsedUnit, element: str | None, lines: list[str]) -> None:
    listing = ListReader().read(lines)
    lead, before = lead_and_intro(listing.before)
    if lead and not unit.criteria_lead:
        unit.criteria_lead = lead
    for paragraph in before:
        unit.warnings.append(say.left_out(paragraph))
    where = f" of {element}" if element else ""
    _checked(unit, listing, lambda label: criterion_ref(unit, element, label), f"performance criteria{where}")
    for item in _kept(listing):
        unit.criteria.append(
            ParsedCriterion(
                ref=criterion_ref(unit, element, item.label),
                element=element,
                number=int(item.label) if item.label.isdigit() else len(unit.criteria) + 1,
                text=item.text,
                sub_points=list(item.points),
            )
        )
    if element and not listing.items:
        unit.warnings.append(say.element_without_criteria(element))


def knowledge_of(unit: ParsedUnit, section: Section) -> None:
    unit.knowledge_heading = section.heading
    listing = ListReader(sections=True).read(section.lines)
    unit.knowledge_lead, intro = lead_and_intro(listing.before)
    unit.knowledge_intro = "\n\n".join(intro)
    unit.knowledge_sections.extend(title for title in listing.sections if title not in unit.knowledge_sections)
    _checked(unit, listing, lambda label: knowledge_ref(unit, label), "knowledge and understanding")
    for item in _kept(listing):
        unit.knowledge.append(
            ParsedKnowledge(knowledge_ref(unit, item.label), item.label, item.section, item.text, list(item.points))
        )


def _kept(listing: Listing) -> list[Listed]:
    return [item for item in listing.items if not item.duplicate]


def _checked(unit: ParsedUnit, listing: Listing, ref: Callable[[str], str], where: str) -> None:
    for last, following in listing.jumps:
        unit.warnings.append(say.jump(last, following, where))
    for item in listing.items:
        if item.duplicate:
            unit.warnings.append(say.duplicate(ref(item.label), item.text))
        elif not item.text:
            unit.warnings.append(say.no_text(ref(item.label)))
        elif item.text.rstrip("*").endswith(":") and not item.points:
            unit.warnings.append(say.no_points(ref(item.label)))
