"""What moving a candidate's enrolment to another version of its unit would carry over.

Items are matched by reference, as published (`HSC331a.1` in both versions). Where an item's words
(its text and sub-points) are the same in the new version, the candidate's mappings and the
assessor's standing decision carry over; where the words changed, the mappings carry over but the
decision does not (the assessor decides again on the new words); where the new version has no item
of that reference, both are left behind with the old version. The assessor's referral notes on an
item and the witness links still waiting that name it follow the item to the new version's item of
the same reference, and are flagged where there is none. The preview page and the move itself
(`services.versions`) read the same plan, so what is shown is what is done.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Q
from django.utils import timezone

from portfolio.case_evidence import evidence_of, of_enrolment
from portfolio.models import Enrolment, Evidence
from standards import versions
from standards.models import Criterion, KnowledgeItem, ScopeItem, Unit

from .models import Decision, ReferralNote, TestimonyRequest

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
    notes: list[ReferralNote] = field(default_factory=list)  # the assessor's notes on it, given with referrals
    requests: list[TestimonyRequest] = field(default_factory=list)  # witness links still waiting that name it

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


def newer_versions(enrolment: Enrolment) -> list[Unit]:
    """The versions of the enrolment's unit it could move to: only newer ones (`standards.versions`),
    newest last. A candidate never moves back to a version the standard has left behind."""
    return versions.newer_versions(enrolment.unit)


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
    """Every item of the enrolment's version that holds a mapping, a standing decision, a referral
    note or a waiting witness link, with what the move to `to_unit` would do with it."""
    old_items, new_items = _items(enrolment.unit), _items(to_unit)
    evidence = list(
        evidence_of(enrolment)
        .prefetch_related("criteria", "knowledge_items", "scope_items").order_by("number")
    )
    decisions = Decision.objects.standing().filter(enrolment=enrolment)
    decided = {(("criterion", d.criterion_id) if d.criterion_id else ("knowledge", d.knowledge_item_id)): d for d in decisions}
    noted, requested = _notes(enrolment), _waiting_requests(enrolment)
    moves = []
    for kind, by_reference in old_items.items():
        for reference, old in by_reference.items():
            mapped = [e for e in evidence if old.pk in {i.pk for i in _mapped(e, kind)}]
            decision = decided.get((kind, old.pk))
            notes, requests = noted.get((kind, old.pk), []), requested.get((kind, old.pk), [])
            if not (mapped or decision or notes or requests):
                continue
            new = new_items[kind].get(reference)
            moves.append(ItemMove(kind, reference, _fate(old, new), old, new, mapped, decision, notes, requests))
    return VersionMove(enrolment=enrolment, to_unit=to_unit, items=moves)


def _notes(enrolment: Enrolment) -> dict[tuple[Kind, int], list[ReferralNote]]:
    """The assessor's referral notes on the items of the enrolment's version, on its candidate's
    evidence, by item."""
    notes = ReferralNote.objects.filter(
        Q(criterion__unit=enrolment.unit) | Q(knowledge_item__unit=enrolment.unit),
        of_enrolment(enrolment, "judgement__evidence__"),
    ).select_related("judgement__evidence").order_by("pk")
    by_item: dict[tuple[Kind, int], list[ReferralNote]] = defaultdict(list)
    for note in notes:
        key: tuple[Kind, int] = ("criterion", note.criterion_id) if note.criterion_id else ("knowledge", note.knowledge_item_id or 0)
        by_item[key].append(note)
    return by_item


def _waiting_requests(enrolment: Enrolment) -> dict[tuple[Kind, int], list[TestimonyRequest]]:
    """The enrolment's witness links not yet used nor expired, by each criterion they name. A given
    testimony stays as it was asked for: it is a record of what the witness saw."""
    waiting = enrolment.testimony_requests.filter(used_at__isnull=True, expires_at__gt=timezone.now())
    by_item: dict[tuple[Kind, int], list[TestimonyRequest]] = defaultdict(list)
    for request in waiting.prefetch_related("criteria").order_by("pk"):
        for criterion in request.criteria.all():
            if criterion.unit_id == enrolment.unit_id:
                by_item[("criterion", criterion.pk)].append(request)
    return by_item


def _mapped(evidence: Evidence, kind: Kind) -> list[Item]:
    if kind == "criterion":
        return list(evidence.criteria.all())
    if kind == "knowledge":
        return list(evidence.knowledge_items.all())
    return list(evidence.scope_items.all())
