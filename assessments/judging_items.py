"""What the assessor may record about an evidence item in the same submit that accepts it: the
criteria and knowledge items it proves, on the units it is mapped to that are still open (the
candidate is registered on them at its centre and no sign-off locks them) and that this assessor
assesses. The candidate's mapping is where the choice starts; items the candidate missed may be
added. The scope it covers (`assessments.scope`) is offered on the same units."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from portfolio import access, locks
from portfolio.models import Enrolment, Evidence, Person
from standards.models import Criterion, KnowledgeItem

from .models import Decision

Item = Criterion | KnowledgeItem


def item_key(item: Item) -> str:
    """How a form names an item: "criterion-12", "knowledge-3" (the decisions page does the same)."""
    return f"{'criterion' if isinstance(item, Criterion) else 'knowledge'}-{item.pk}"


def open_unit_ids(evidence: Evidence) -> set[int]:
    """The units the evidence is mapped to (by criteria, knowledge or scope) that the candidate is
    registered on at its centre, less those a sign-off locks: their signed record does not change."""
    registered = Enrolment.objects.filter(candidate=evidence.candidate_id, centre=evidence.centre_id)
    mapped = {
        *evidence.criteria.values_list("unit_id", flat=True),
        *evidence.knowledge_items.values_list("unit_id", flat=True),
        *evidence.scope_items.values_list("category__unit_id", flat=True),
    }
    unit_ids = set(registered.filter(unit_id__in=mapped).values_list("unit_id", flat=True))
    return unit_ids - set(locks.locked_units(evidence.candidate, evidence.centre_id))


def enrolments_to_decide(evidence: Evidence, assessor: Person) -> list[Enrolment]:
    """The open units of `open_unit_ids` this assessor assesses, by unit code: only an enrolment's
    own assessor records its decisions."""
    enrolments = Enrolment.objects.filter(
        candidate=evidence.candidate_id, centre=evidence.centre_id, unit_id__in=open_unit_ids(evidence)
    ).select_related("unit", "candidate", "centre", "assessor").order_by("unit__code")
    return [e for e in enrolments if access.is_assessor_of(assessor, e)]


@dataclass
class OfferedItem:
    item: Item
    mapped: bool  # the candidate mapped the evidence to it
    standing: Decision | None  # already met: accepting adds this evidence to its citations
    # Already met on a date before the evidence's activity: the decision cannot cite it (the rule
    # of `services.decisions.check_added_date`), so the box is not ticked to start with.
    after_the_decision: bool = False

    @property
    def key(self) -> str:
        return item_key(self.item)


@dataclass
class OfferedUnit:
    enrolment: Enrolment
    items: list[OfferedItem]  # the standard's order: criteria, then knowledge

    @property
    def mapped(self) -> list[OfferedItem]:
        return [row for row in self.items if row.mapped]

    @property
    def others(self) -> list[OfferedItem]:
        """What the candidate did not map the evidence to: the assessor may add it."""
        return [row for row in self.items if not row.mapped]


def offered_units(evidence: Evidence, assessor: Person) -> list[OfferedUnit]:
    """Each unit the assessor may record decisions on with this evidence, with every criterion and
    knowledge item of it. Seven queries or so, however many units and items."""
    enrolments = enrolments_to_decide(evidence, assessor)
    unit_ids = [e.unit_id for e in enrolments]
    mapped = {
        *(("criterion", pk) for pk in evidence.criteria.values_list("pk", flat=True)),
        *(("knowledge", pk) for pk in evidence.knowledge_items.values_list("pk", flat=True)),
    }
    standing = (
        Decision.objects.standing().filter(enrolment__in=enrolments)
        .select_related("decided_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("number")))
    )
    met: dict[tuple[str, int | None], Decision] = {
        ("criterion", d.criterion_id) if d.criterion_id else ("knowledge", d.knowledge_item_id): d for d in standing
    }
    items: dict[int, list[OfferedItem]] = {pk: [] for pk in unit_ids}
    criteria: Iterable[Item] = Criterion.objects.filter(unit_id__in=unit_ids).prefetch_related("points").order_by("position")
    knowledge: Iterable[Item] = (
        KnowledgeItem.objects.filter(unit_id__in=unit_ids).prefetch_related("points").order_by("position")
    )
    for kind, found in (("criterion", criteria), ("knowledge", knowledge)):
        for item in found:
            decision = met.get((kind, item.pk))
            items[item.unit_id].append(OfferedItem(
                item=item, mapped=(kind, item.pk) in mapped, standing=decision,
                after_the_decision=decision is not None and decision.decided_on < evidence.activity_date,
            ))
    return [OfferedUnit(enrolment=e, items=items[e.unit_id]) for e in enrolments]


def met_already(enrolment: Enrolment) -> dict[str, str]:
    """The unit's items met already, by `item_key`, with the evidence their standing decisions cite
    ("E1, E4"): what the assessor's own record form says beside each box."""
    standing = Decision.objects.standing().filter(enrolment=enrolment).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("number"))
    )
    met = {}
    for decision in standing:
        key = f"criterion-{decision.criterion_id}" if decision.criterion_id else f"knowledge-{decision.knowledge_item_id}"
        met[key] = ", ".join(e.reference for e in decision.evidence.all())
    return met
