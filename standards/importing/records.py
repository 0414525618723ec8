"""A parsed unit as the records of `fixtures/standards.json` (natural keys, no primary keys).

The fidelity test compares these with the shipped fixture, record by record, so the importer
and the fixture cannot drift apart. The suite is the caller's: the text does not carry its code.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from .parsed import ParsedUnit

Record = dict[str, Any]

UNIT_TEXTS = (
    "title", "about_heading", "about", "scope_intro", "scope_note", "values_heading",
    "values_statement", "key_words_intro", "criteria_lead", "knowledge_heading",
    "knowledge_intro", "knowledge_lead",
)  # fmt: skip


def current_parts(unit: ParsedUnit) -> dict[str, Any]:
    """The current layout's parts that the older layouts do not have (values, behaviours, links,
    the words before the scope related to knowledge); empty for the older layouts."""
    parts = {
        "knowledge_scope_intro": unit.knowledge_scope_intro,
        "values": list(unit.values),
        "behaviours": list(unit.behaviours),
        "links": list(unit.links),
    }
    return parts


def record(model: str, **fields: Any) -> Record:
    return {"model": f"standards.{model}", "fields": fields}


def unit_records(unit: ParsedUnit, suite: str) -> list[Record]:
    """Every record of the unit, grouped by model in the fixture's order."""
    texts = {name: getattr(unit, name) for name in UNIT_TEXTS}
    fields = {
        "suite": [suite], "code": unit.code, "version": unit.version, "validity": unit.validity,
        "incomplete": not unit.complete, "metadata": dict(unit.metadata), "slug": slugify(unit.code), **texts,
        **current_parts(unit),
    }  # fmt: skip
    key = [unit.code, unit.version]
    return [
        record("unit", **fields),
        *(
            record("awardingbodycode", unit=key, awarding_body=body, code=code)
            for body, code in unit.awarding_body_codes.items()
        ),
        *(
            record("element", unit=key, code=element.ref, title=element.title, position=position)
            for position, element in enumerate(unit.elements, start=1)
        ),
        *_criteria(unit, key),
        *_knowledge(unit, key),
        *_scope(unit, key),
        *_key_words(unit, key),
        *(
            record("footnote", unit=key, number=note.number, part=note.part, anchor=note.anchor, text=note.text)
            for note in unit.footnotes
        ),
    ]


def _criteria(unit: ParsedUnit, key: list[str]) -> list[Record]:
    criteria = [
        record(
            "criterion",
            unit=key,
            element=[*key, c.element] if c.element else None,
            reference=c.ref,
            number=c.number,
            text=c.text,
            position=position,
            group=c.group,
        )
        for position, c in enumerate(unit.criteria, start=1)
    ]
    points = [
        record("criterionpoint", criterion=[*key, c.ref], text=text, position=position)
        for c in unit.criteria
        for position, text in enumerate(c.sub_points, start=1)
    ]
    return criteria + points


def _knowledge(unit: ParsedUnit, key: list[str]) -> list[Record]:
    sections = {title: position for position, title in enumerate(unit.knowledge_sections, start=1)}
    return [
        *(
            record("knowledgesection", unit=key, title=title, position=position)
            for title, position in sections.items()
        ),
        *(
            record(
                "knowledgeitem",
                unit=key,
                section=[*key, sections[k.section]] if k.section else None,
                reference=k.ref,
                label=k.label,
                text=k.text,
                position=position,
            )
            for position, k in enumerate(unit.knowledge, start=1)
        ),
        *(
            record("knowledgepoint", item=[*key, k.ref], text=text, position=position)
            for k in unit.knowledge
            for position, text in enumerate(k.sub_points, start=1)
        ),
    ]


def _scope(unit: ParsedUnit, key: list[str]) -> list[Record]:
    categories = [
        record(
            "scopecategory", unit=key, name=s.category, lead=s.lead, position=position,
            related_to=s.related_to,
        )
        for position, s in enumerate(unit.scope, start=1)
    ]
    items = [
        record("scopeitem", category=[*key, number], reference=item.ref, text=item.text, position=position)
        for number, s in enumerate(unit.scope, start=1)
        for position, item in enumerate(s.items, start=1)
    ]
    return categories + items


def _key_words(unit: ParsedUnit, key: list[str]) -> list[Record]:
    terms = [
        record("keyterm", unit=key, term=t.term, definition=t.definition, position=position)
        for position, t in enumerate(unit.key_words, start=1)
    ]
    points = [
        record("keytermpoint", key_term=[*key, t.term], text=text, position=position)
        for t in unit.key_words
        for position, text in enumerate(t.points, start=1)
    ]
    return terms + points
