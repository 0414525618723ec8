"""What moving a candidate's enrolment to another version of its unit would carry over.

Items are matched by reference, as published (`HSC331a.1` in both versions). Where an item's words
(its text and sub-points) are the same in the new version, the candidate's mappings and the
assessor's standing decision carry over; where the words changed, the mappings carry over but the
decision does not (the assessor decides again on the new words); where the new version has no item
of that reference, both are left behind with the old version. The preview page and the move itself
(`services.versions`) read the same plan, so what is shown is what is done.
"""

from dataclasses import dataclass, field
from typing import Literal

from portfolio.models import Enrolment, Evidence
from standards.models import Criterion, KnowledgeItem, ScopeItem, Unit

from .models import Decision

Fate = Literal["carried", "changed", "gone"]
Kind = Literal["criterion", "knowledge", "scope"]
Item = Criterion | KnowledgeItem | ScopeItem


@dataclass
class ItemMove:
    """One item of the old version that the candidate mapped evidence to or the assessor decided."""

    kind: Kind
    reference: str
    fate: Fate
    old: Item
    new: Item | None
    evidence: list[Evidence] = field(default_factory=list)  # the candidate's evidence mapped to it
    decision: Decision | None = None  # the standing decision on it

    @property
    def flagged(self) -> bool:
        return self.fate != "carried"


@dataclass
class VersionMove:
    enrolment: Enrolment
    to_unit: Unit
    items: list[ItemMove]

    @property
    def carried(self) -> list[ItemMove]:
        return [i for i in self.items if i.fate == "carried"]

    @property
    def changed(self) -> list[ItemMove]:
        return [i for i in self.items if i.fate == "changed"]

    @property
    def gone(self) -> list[ItemMove]:
        return [i for i in self.items if i.fate == "gone"]


def other_versions(enrolment: Enrolment) -> list[Unit]:
    """The versions of the enrolment's unit it could move to."""
    return list(Unit.objects.filter(code=enrolment.unit.code).exclude(pk=enrolment.unit_id).order_by("pk"))


def _words(item: Item) -> tuple:
    points = tuple(p.text for p in item.points.all()) if not isinstance(item, ScopeItem) else ()
    return (item.text, points)


def _fate(old: Item, new: Item | None) -> Fate:
    if new is None:
        return "gone"
    return "carried" if _words(old) == _words(new) else "changed"


def _items(unit: Unit) -> dict[Kind, dict[str, Item]]:
    return {
        "criterion": {c.reference: c for c in Criterion.objects.filter(unit=unit).prefetch_related("points")},
        "knowledge": {k.reference: k for k in KnowledgeItem.objects.filter(unit=unit).prefetch_related("points")},
        "scope": {s.reference: s for s in ScopeItem.objects.filter(category__unit=unit)},
    }


def plan(enrolment: Enrolment, to_unit: Unit) -> VersionMove:
    """Every item of the enrolment's version that holds a mapping or a standing decision, with what
    the move to `to_unit` would do with it."""
    old_items, new_items = _items(enrolment.unit), _items(to_unit)
    evidence = list(
        Evidence.objects.filter(candidate_id=enrolment.candidate_id, centre_id=enrolment.centre_id)
        .prefetch_related("criteria", "knowledge_items", "scope_items").order_by("number")
    )
    decisions = Decision.objects.standing().filter(enrolment=enrolment)
    decided = {(("criterion", d.criterion_id) if d.criterion_id else ("knowledge", d.knowledge_item_id)): d for d in decisions}
    moves = []
    for kind, by_reference in old_items.items():
        for reference, old in by_reference.items():
            mapped = [e for e in evidence if old.pk in {i.pk for i in _mapped(e, kind)}]
            decision = decided.get((kind, old.pk))
            if not mapped and decision is None:
                continue
            new = new_items[kind].get(reference)
            moves.append(ItemMove(kind, reference, _fate(old, new), old, new, mapped, decision))
    return VersionMove(enrolment=enrolment, to_unit=to_unit, items=moves)


def _mapped(evidence: Evidence, kind: Kind) -> list[Item]:
    if kind == "criterion":
        return list(evidence.criteria.all())
    if kind == "knowledge":
        return list(evidence.knowledge_items.all())
    return list(evidence.scope_items.all())
