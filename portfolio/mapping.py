"""Reading what evidence is mapped where, for the mapping page and the candidate's unit page."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from standards.selectors import UnitStructure, unit_structure

from .models import Enrolment, Evidence, Person


def evidence_counts(candidate: Person, unit_ids: list[int]) -> dict[str, dict[int, int]]:
    """How many of the candidate's evidence items are mapped to each criterion, knowledge item and
    scope item of these units (items with none are left out): three queries, whatever the number
    of items. Each reads the mapping rows of this candidate's evidence only, never every
    candidate's: counting over the items instead read every mapping in the centre."""
    mine = {"evidence__candidate": candidate}
    tables = {
        "criteria": (Evidence.criteria.through, "criterion_id", {"criterion__unit_id__in": unit_ids}),
        "knowledge": (
            Evidence.knowledge_items.through, "knowledgeitem_id", {"knowledgeitem__unit_id__in": unit_ids}
        ),
        "scope": (Evidence.scope_items.through, "scopeitem_id", {"scopeitem__category__unit_id__in": unit_ids}),
    }
    return {
        kind: dict(
            model._default_manager.filter(**mine, **on_units).order_by().values_list(item).annotate(n=Count("evidence_id"))
        )
        for kind, (model, item, on_units) in tables.items()
    }


@dataclass
class UnitMapping:
    enrolment: Enrolment
    structure: UnitStructure


def units_for_mapping(candidate: Person, centre_id: int) -> list[UnitMapping]:
    enrolments = Enrolment.objects.filter(candidate=candidate, centre_id=centre_id).select_related(
        "unit", "unit__suite"
    )
    return [UnitMapping(enrolment=e, structure=unit_structure(e.unit)) for e in enrolments]


def evidence_by_item(candidate: Person, unit_id: int) -> dict[str, dict[int, list[Evidence]]]:
    """The candidate's evidence mapped to each criterion, knowledge item and scope item of a unit."""
    through = {
        "criteria": (Evidence.criteria.through, "criterion", {"criterion__unit_id": unit_id}),
        "knowledge": (Evidence.knowledge_items.through, "knowledgeitem", {"knowledgeitem__unit_id": unit_id}),
        "scope": (Evidence.scope_items.through, "scopeitem", {"scopeitem__category__unit_id": unit_id}),
    }
    found: dict[str, dict[int, list[Evidence]]] = {}
    for kind, (model, field, unit_filter) in through.items():
        rows = (
            model._default_manager.filter(evidence__candidate=candidate, **unit_filter)
            .select_related("evidence")
            .order_by("evidence__number")
        )
        by_item: dict[int, list[Evidence]] = defaultdict(list)
        for row in rows:
            by_item[getattr(row, f"{field}_id")].append(row.evidence)  # type: ignore[attr-defined]  # every through model has it
        found[kind] = by_item
    return found
