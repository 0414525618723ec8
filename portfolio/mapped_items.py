"""What an evidence item is mapped to, unit by unit, in the standard's order: each unit by code (and
version), and under it its performance criteria, then its knowledge items, then its scope, each as
the unit lists them. The one order for every page that lists an item's whole mapping: the evidence
page's "What it proves" and the candidate's evidence list (an outside trial: with two units, the
page listed both units' criteria first and then both units' knowledge)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from standards.models import Criterion, KnowledgeItem, ScopeItem, Unit

from .models import Evidence


@dataclass
class MappedUnit:
    unit: Unit
    criteria: list[Criterion] = field(default_factory=list)
    knowledge_items: list[KnowledgeItem] = field(default_factory=list)
    scope_items: list[ScopeItem] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        return [
            *(item.reference for item in self.criteria),
            *(item.reference for item in self.knowledge_items),
            *(item.reference for item in self.scope_items),
        ]


def by_unit(evidence: Evidence) -> list[MappedUnit]:
    """The units `evidence` is mapped to (by a criterion, a knowledge item or a scope item), each with
    what of it the evidence is mapped to, the text's points read too. Five queries."""
    return grouped(
        evidence.criteria.select_related("unit").prefetch_related("points"),
        evidence.knowledge_items.select_related("unit").prefetch_related("points"),
        evidence.scope_items.select_related("category__unit"),
    )


def references(evidence: Evidence) -> list[str]:
    """The references of the criteria and knowledge items `evidence` is mapped to, in `grouped`'s
    order, from its prefetched `criteria` and `knowledge_items` (each with its unit): no query."""
    return [
        ref
        for unit in grouped(evidence.criteria.all(), evidence.knowledge_items.all(), [])
        for ref in unit.references
    ]


def grouped(
    criteria: Iterable[Criterion], knowledge: Iterable[KnowledgeItem], scope: Iterable[ScopeItem]
) -> list[MappedUnit]:
    units: dict[int, MappedUnit] = {}

    def of(unit: Unit) -> MappedUnit:
        return units.setdefault(unit.pk, MappedUnit(unit=unit))

    for criterion in sorted(criteria, key=lambda item: item.position):
        of(criterion.unit).criteria.append(criterion)
    for item in sorted(knowledge, key=lambda item: item.position):
        of(item.unit).knowledge_items.append(item)
    for scope_item in sorted(scope, key=lambda item: (item.category.position, item.position)):
        of(scope_item.category.unit).scope_items.append(scope_item)
    return sorted(units.values(), key=lambda mapped: (mapped.unit.code, mapped.unit.version, mapped.unit.pk))


def audit_facts(evidence: Evidence) -> dict[str, list[str]]:
    """What `evidence` is mapped to, as its mapping events keep it (before and after): each kind's
    references, and `in_order`, all of them unit by unit in the standard's order, which the History
    sentence lists ("mapped E3 to H3 25.2, H3 25.10, H3 25 K(c), HSC331a.1 and HSC331 K3", not both
    units' criteria and then both units' knowledge, nor H3 25.10 before H3 25.2). Three queries."""
    units = grouped(
        evidence.criteria.select_related("unit"),
        evidence.knowledge_items.select_related("unit"),
        evidence.scope_items.select_related("category__unit"),
    )
    return {
        "criteria": [item.reference for unit in units for item in unit.criteria],
        "knowledge_items": [item.reference for unit in units for item in unit.knowledge_items],
        "scope_items": [item.reference for unit in units for item in unit.scope_items],
        "in_order": [reference for unit in units for reference in unit.references],
    }
