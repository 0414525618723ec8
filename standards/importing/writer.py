"""Writing a parsed unit into the catalogue: all of it in one transaction, or nothing.

Positions run from 1 in published order, as in the shipped fixture. A unit whose code and version
are already in the catalogue is refused before anything is written; another version of a code sits
beside the ones there, and may mark the older ones Legacy.
"""

from __future__ import annotations

from django.db import transaction

from standards import versions
from standards.models import (
    AwardingBodyCode,
    Criterion,
    CriterionPoint,
    Element,
    Footnote,
    KeyTerm,
    KeyTermPoint,
    KnowledgeItem,
    KnowledgePoint,
    KnowledgeSection,
    ScopeCategory,
    ScopeItem,
    Suite,
    Unit,
    Validity,
)
from standards.selectors import unit_slug

from .parsed import ParsedUnit
from .records import UNIT_TEXTS, current_parts


class UnitExists(ValueError):
    """The catalogue already has this version of the unit."""


def write_unit(parsed: ParsedUnit, suite: Suite, *, supersede: bool = False) -> Unit:
    """The unit and everything it holds, created in one transaction. With `supersede`, the older
    Current versions of its code (`versions.superseded_by`) are marked Legacy in the same one, as
    the UK Standards site marks a superseded standard; candidates stay on them until moved."""
    with transaction.atomic():
        if Unit.objects.filter(code=parsed.code, version=parsed.version).exists():
            raise UnitExists(
                f"{parsed.code} version {parsed.version} is already in the catalogue; nothing was imported."
            )
        if supersede:
            older = [unit.pk for unit in versions.superseded_by(parsed.code, parsed.version)]
            Unit.objects.filter(pk__in=older).update(validity=Validity.LEGACY)
        texts = {name: getattr(parsed, name) for name in UNIT_TEXTS}
        # A newer version of a unit already held sits beside it (issue 14 item 5): enrolments stay
        # on the version they started on until a centre moves them.
        unit = Unit.objects.create(
            suite=suite, code=parsed.code, version=parsed.version, validity=parsed.validity,
            incomplete=not parsed.complete, metadata=dict(parsed.metadata),
            slug=unit_slug(parsed.code, parsed.version), **texts, **current_parts(parsed),
        )
        AwardingBodyCode.objects.bulk_create(
            AwardingBodyCode(unit=unit, awarding_body=body, code=code)
            for body, code in parsed.awarding_body_codes.items()
        )
        _criteria(unit, parsed)
        _knowledge(unit, parsed)
        _scope(unit, parsed)
        _key_words(unit, parsed)
        Footnote.objects.bulk_create(
            Footnote(unit=unit, number=n.number, part=n.part, anchor=n.anchor, text=n.text)
            for n in parsed.footnotes
        )
    return unit


def _criteria(unit: Unit, parsed: ParsedUnit) -> None:
    elements = {
        e.ref: Element.objects.create(unit=unit, code=e.ref, title=e.title, position=position)
        for position, e in enumerate(parsed.elements, start=1)
    }
    for position, c in enumerate(parsed.criteria, start=1):
        element = elements[c.element] if c.element else None
        criterion = Criterion.objects.create(
            unit=unit, element=element, reference=c.ref, number=c.number, text=c.text, position=position,
            group=c.group,
        )
        CriterionPoint.objects.bulk_create(
            CriterionPoint(criterion=criterion, text=text, position=at)
            for at, text in enumerate(c.sub_points, start=1)
        )


def _knowledge(unit: Unit, parsed: ParsedUnit) -> None:
    sections = {
        title: KnowledgeSection.objects.create(unit=unit, title=title, position=position)
        for position, title in enumerate(parsed.knowledge_sections, start=1)
    }
    for position, k in enumerate(parsed.knowledge, start=1):
        item = KnowledgeItem.objects.create(
            unit=unit, section=sections.get(k.section), reference=k.ref, label=k.label, text=k.text,
            position=position,
        )  # fmt: skip
        KnowledgePoint.objects.bulk_create(
            KnowledgePoint(item=item, text=text, position=at) for at, text in enumerate(k.sub_points, start=1)
        )


def _scope(unit: Unit, parsed: ParsedUnit) -> None:
    for position, s in enumerate(parsed.scope, start=1):
        category = ScopeCategory.objects.create(
            unit=unit, name=s.category, lead=s.lead, position=position, related_to=s.related_to
        )
        ScopeItem.objects.bulk_create(
            ScopeItem(category=category, reference=i.ref, text=i.text, position=at)
            for at, i in enumerate(s.items, start=1)
        )


def _key_words(unit: Unit, parsed: ParsedUnit) -> None:
    for position, t in enumerate(parsed.key_words, start=1):
        term = KeyTerm.objects.create(unit=unit, term=t.term, definition=t.definition, position=position)
        KeyTermPoint.objects.bulk_create(
            KeyTermPoint(key_term=term, text=text, position=at) for at, text in enumerate(t.points, start=1)
        )
