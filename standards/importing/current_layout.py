"""The current Skills for Care / Skills for Health layout (issue 14 item 1): a title block with the
code and title, an Overview, performance criteria P1...Pn under unnumbered sub-headings after
"You must be able to:", knowledge K1...Kn after "You need to know and understand:", scope/range
related to the criteria and to knowledge, values, behaviours, a glossary, links to other
standards and the details table (developed by, version number, ... SOC code).

The words stay as published; only what extraction from a PDF adds is taken out (page headers
and footers, line breaks, hyphens dividing a word at a line's end), and every doubt is a warning.
"""

from __future__ import annotations

import re
from collections import Counter

from . import import_warnings as say
from .current_extras import details, glossary, scope
from .current_items import (
    CurrentItems,
    criteria_in_knowledge,
    numbered_items,
    numbering_warnings,
    text_and_points,
)
from .current_lines import (
    WORD,
    LineJoiner,
    drop_furniture,
    entries,
    mend_divided,
    normalised_lines,
    vocabulary,
    width_of,
)
from .current_sections import (
    CRITERIA_LEAD,
    KNOWLEDGE_LEAD,
    CurrentSections,
    page_details,
    split_sections,
    title_block,
)
from .parsed import CURRENT, ParsedCriterion, ParsedKnowledge, ParsedUnit
from .warning_kinds import gap

_NUMBERED = re.compile(r"(?m)^\s*([PK])\d+\b")
_DETAILS = re.compile(r"Original\s+URN|Indicative\s+Review\s+Date|Date\s+Approved", re.IGNORECASE)


def looks_current(text: str) -> bool:
    """Whether the text is a standard in the current layout: P1...Pn after "You must be able to:",
    K1...Kn, or the current layout's details table."""
    if re.search(r"You\s+must\s+be\s+able\s+to\s*:", text, re.IGNORECASE):
        return True
    letters = {found.group(1) for found in _NUMBERED.finditer(text)}
    return bool(letters & {"P", "K"} and (letters == {"P", "K"} or _DETAILS.search(text))) or bool(
        re.search(r"You\s+need\s+to\s+know\s+and\s+understand\s*:", text, re.IGNORECASE) and "K" in letters
    )


def parse_current(text: str) -> ParsedUnit:
    lines = normalised_lines(text)
    # Mended before and after the page furniture goes: the title block's words first, then the
    # words a page break divided ("organisa-" / footer / "tional").
    lines, divided = mend_divided(lines, vocabulary(lines))
    code, title, start = title_block(lines)
    body, more = mend_divided(drop_furniture(lines[start:], code, title), vocabulary(lines))
    divided += more
    joiner = LineJoiner(vocabulary(body), width_of(body))
    sections = split_sections(body)
    moved, rest = criteria_in_knowledge(sections.lines("knowledge"))
    if moved:
        sections.found["knowledge"] = rest
        sections.found.setdefault("criteria", []).extend(["", *moved])
    unit = ParsedUnit(code=code, title=joiner.join([title]), layout=CURRENT, about_heading="Overview")
    unit.about = "\n\n".join(entries(sections.lines("overview") or sections.lines(""), joiner, True))
    _read_criteria(unit, sections, joiner)
    _read_knowledge(unit, sections, joiner)
    _read_scope(unit, sections, joiner)
    unit.values_heading = sections.headings.get("values", "")
    unit.values = entries(sections.lines("values"), joiner)
    unit.behaviours = entries(sections.lines("behaviours"), joiner)
    unit.links = entries(sections.lines("links"), joiner)
    unit.key_words_intro, unit.key_words = glossary(sections.lines("glossary"), joiner)
    unit.metadata = page_details(lines[:start]) | details(sections.lines("details"))
    if sections.lines("external_links"):
        unit.metadata[sections.headings["external_links"]] = " ".join(
            " ".join(sections.lines("external_links")).split()
        )
    unit.warnings += _unit_warnings(unit, sections, body, divided)
    return unit


def _read_criteria(unit: ParsedUnit, sections: CurrentSections, joiner: LineJoiner) -> None:
    found = numbered_items(sections.lines("criteria"), "P", CRITERIA_LEAD)
    unit.criteria_lead = found.lead
    for number, text, points, group in _kept(found, "P", unit, joiner):
        ref = f"{unit.code} P{number}"
        unit.criteria.append(ParsedCriterion(ref, None, number, text, points, group))
    if not unit.criteria:
        unit.warnings.append(say.NO_CRITERIA)


def _read_knowledge(unit: ParsedUnit, sections: CurrentSections, joiner: LineJoiner) -> None:
    if "knowledge" not in sections.found:
        unit.warnings.append(say.NO_KNOWLEDGE)
        return
    unit.knowledge_heading = sections.headings["knowledge"]
    found = numbered_items(sections.lines("knowledge"), "K", KNOWLEDGE_LEAD)
    unit.knowledge_lead = found.lead
    for number, text, points, group in _kept(found, "K", unit, joiner):
        ref = f"{unit.code} K{number}"
        unit.knowledge.append(ParsedKnowledge(ref, str(number), group, text, points))
        if group and group not in unit.knowledge_sections:
            unit.knowledge_sections.append(group)
    if not unit.knowledge:
        unit.warnings.append(gap("no knowledge and understanding items found (K1, K2, ...)"))


def _kept(
    found: CurrentItems, letter: str, unit: ParsedUnit, joiner: LineJoiner
) -> list[tuple[int, str, list[str], str]]:
    """The items in order, each number once, with the warnings about their numbers and texts."""
    unit.warnings += found.warnings
    unit.warnings += [say.not_placed(line) for line in found.unplaced]
    numbering, repeated = numbering_warnings([item.number for item in found.items], letter)
    unit.warnings += numbering
    kept = []
    for position, item in enumerate(found.items):
        if position in repeated:
            continue
        text, points = text_and_points(item.lines, joiner)
        if not text and not points:
            unit.warnings.append(gap(f"{letter}{item.number} has no text"))
        kept.append((item.number, text, points, item.group))
    return kept


def _read_scope(unit: ParsedUnit, sections: CurrentSections, joiner: LineJoiner) -> None:
    notes, unit.scope = scope(sections.lines("scope_criteria"), "performance criteria", unit.code, 1, joiner)
    extra = [line for line in sections.lines("additional") if line]
    unit.scope_intro = "\n\n".join([*([joiner.join(extra)] if extra else []), *notes])
    notes, more = scope(
        sections.lines("scope_knowledge"), "knowledge", unit.code, len(unit.scope) + 1, joiner
    )
    unit.knowledge_scope_intro = "\n\n".join(notes)
    unit.scope += more


def _unit_warnings(
    unit: ParsedUnit, sections: CurrentSections, body: list[str], divided: list[str]
) -> list[str]:
    warnings = []
    if not unit.code:
        warnings.append("no unit code found at the top of the text")
    if not unit.title:
        warnings.append("no title found at the top of the text")
    if ends_mid_word(body):
        warnings.append(say.ENDS_MID_WORD)
    for name, printed in sections.headings.items():
        if name not in ("additional", "details") and not any(sections.lines(name)):
            warnings.append(
                f"nothing is under the heading \"{printed}\": its words may have been read as part of "
                "the section after it (a PDF's columns copied as text?); check them against the published standard"
            )
    if "details" not in sections.found:
        # The table closes every current-layout standard: without it, the end of the text is lost.
        warnings.append(
            gap("no details table found (Developed by, Version Number, Date Approved, ...): the text may be cut short")
        )
    if unit.metadata.get("Validity", "").casefold() == "legacy":
        warnings.append("this standard is marked Legacy: a newer standard has replaced it")
    if divided:
        warnings.append(
            "words divided at the end of a line were read as whole words: "
            + ", ".join(divided)
            + "; check them against the published standard"
        )
    return warnings


def ends_mid_word(lines: list[str]) -> bool:
    """Whether the text's last word is cut: a hyphen at the very end, or a word used nowhere else
    that is the start of a longer word the text does use ("docume" where it says "documents")."""
    last = next((line for line in reversed(lines) if line), "")
    if len(last) > 1 and last.endswith("-") and last[-2].isalpha():
        return True
    if not last[-1:].isalpha():
        return False
    tail = WORD.findall(last)[-1].casefold()
    counts = Counter(word.casefold() for line in lines for word in WORD.findall(line))
    if counts[tail] > 1:
        return False
    if not re.search(r"[aeiouy]", tail):
        return True
    return any(word != tail and word.startswith(tail) for word in counts)
