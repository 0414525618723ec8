"""Which of the unit's items the candidate mapped each signed evidence item to, kept in the signed
manifest so that a mapping written into the database afterwards is found (the product refuses new
mappings to a locked unit; an insider with the database does not ask it). Pages and the PDF mark the
mappings on the evidence location sheet, so they are part of what was signed.

Only the items of the unit signed off count: holistic evidence mapped to another unit later changes
nothing here. Manifests signed before mappings were kept have none, and are checked without them
(compared where present), as `attestations` does."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Subquery

from portfolio.models import Enrolment, Evidence

MAPPED = "mapped"


def mapped(evidence_items: Iterable[Evidence], enrolment_id: int) -> dict[int, dict[str, list[str]]]:
    """Per evidence id, the references of the enrolment's unit's criteria, knowledge and scope items
    it is mapped to, in order: one query for all of them."""
    ids = [e.pk for e in evidence_items]
    unit = Subquery(Enrolment.objects.filter(pk=enrolment_id).values("unit_id")[:1])
    criteria = Evidence.criteria.through.objects.filter(evidence_id__in=ids, criterion__unit=unit).values_list(
        "evidence_id", F("criterion__reference")
    )
    knowledge = Evidence.knowledge_items.through.objects.filter(
        evidence_id__in=ids, knowledgeitem__unit=unit
    ).values_list("evidence_id", F("knowledgeitem__reference"))
    scope = Evidence.scope_items.through.objects.filter(evidence_id__in=ids, scopeitem__category__unit=unit).values_list(
        "evidence_id", F("scopeitem__reference")
    )
    found: dict[int, list[str]] = defaultdict(list)
    for evidence_id, reference in criteria.union(knowledge, scope, all=True):
        found[evidence_id].append(reference)
    return {pk: {MAPPED: sorted(found[pk])} for pk in ids}


def evidence_problems(reference: str, signed: dict, now: dict) -> list[str]:
    """The mapping of one signed evidence item changed since sign-off, where the manifest says."""
    if MAPPED not in signed or not isinstance(signed[MAPPED], list) or signed[MAPPED] == now.get(MAPPED):
        return []
    before, after = set(signed[MAPPED]), set(now.get(MAPPED) or [])
    parts = []
    if after - before:
        parts.append(f"now also mapped to {', '.join(sorted(after - before))}")
    if before - after:
        parts.append(f"no longer mapped to {', '.join(sorted(before - after))}")
    return [f"{reference}: the candidate’s mapping of it to this unit has changed since sign-off ({'; '.join(parts)})."]
