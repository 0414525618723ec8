"""The scope (range) of a unit as the assessor recorded it: which situations each piece of accepted
evidence covers, and, at sign-off, why a category nothing covers does not apply to the candidate's
work area.

The candidate maps evidence to scope items (`Evidence.scope_items`); the assessor's own record is
on the judgement that accepts it (`Judgement.scope_items`), pre-ticked from the candidate's mapping
and changed as the assessor judges. Only the assessor's record counts. A unit is ready for
sign-off when each of its scope categories is covered by accepted evidence or has a reason it does
not apply (`ScopeNotApplicable`, kept with the sign-off). The sign-off's manifest carries the
coverage (`manifest_part`) and `problems` compares it with the database as it is now.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet

from portfolio.case_evidence import evidence_of
from portfolio.models import Enrolment, Evidence, EvidenceState, Person
from standards.models import ScopeCategory, ScopeItem, Unit

from .judging_items import enrolments_to_decide
from .models import Judgement, SignOff, UnitScopeRecord

# The manifest format from which a sign-off's manifest carries its scope part.
SCOPE_SINCE_FORMAT = 2


@dataclass
class ItemCoverage:
    item: ScopeItem
    evidence: list[Evidence] = field(default_factory=list)  # recorded by the assessor as covering it


@dataclass
class CategoryCoverage:
    category: ScopeCategory
    items: list[ItemCoverage]
    not_applicable: str = ""  # the assessor's reason, when no evidence covers the category

    @property
    def evidence(self) -> list[Evidence]:
        """Every piece of evidence covering one of the category's items, in the candidate's order."""
        found = {e.pk: e for row in self.items for e in row.evidence}
        return sorted(found.values(), key=lambda e: e.number)

    @property
    def covered(self) -> bool:
        return any(row.evidence for row in self.items)

    @property
    def settled(self) -> bool:
        """Covered, or said not to apply: what sign-off needs of every category."""
        return self.covered or bool(self.not_applicable)


@dataclass
class ScopeRecord:
    """A unit's scope: before sign-off, as the assessor has recorded it so far; after, as signed.
    `kept` is False for a unit signed off before the assessor's record of scope was kept."""

    categories: list[CategoryCoverage]
    signed: bool = False
    kept: bool = True

    @property
    def unsettled(self) -> list[CategoryCoverage]:
        return [c for c in self.categories if not c.settled]

    @property
    def not_covered(self) -> list[CategoryCoverage]:
        return [c for c in self.categories if not c.covered]

    @property
    def evidence(self) -> list[Evidence]:
        """The evidence covering any of the scope: part of what a sign-off rests on."""
        found = {e.pk: e for row in self.categories for e in row.evidence}
        return sorted(found.values(), key=lambda e: e.number)


# What the assessor may record.


def scope_items_to_judge(evidence: Evidence, assessor: Person) -> QuerySet[ScopeItem]:
    """The scope items the assessor may record this evidence as covering: those of the units it is
    mapped to that the candidate is registered on at its centre and that this assessor assesses,
    except units locked by a sign-off (their signed record does not change):
    `judging_items.enrolments_to_decide`. A unit's scope is its own assessor's record: evidence
    mapped to the units of two assessors is judged once, and whoever judges it records the scope of
    their own units alone (an outside trial: the first to judge recorded the other's too)."""
    units = [enrolment.unit_id for enrolment in enrolments_to_decide(evidence, assessor)]
    return (
        ScopeItem.objects.filter(category__unit_id__in=units)
        .select_related("category__unit")
        .order_by("category__unit__code", "category__position", "position")
    )


def unit_scope_items(unit: Unit) -> QuerySet[ScopeItem]:
    """For the assessor's own observation or questioning record of one unit."""
    return ScopeItem.objects.filter(category__unit=unit).select_related("category__unit").order_by(
        "category__position", "position"
    )


def as_the_candidate_mapped(evidence: Evidence, offered: Iterable[ScopeItem]) -> list[ScopeItem]:
    """What the assessor's record starts from: the candidate's mapping, within what may be recorded."""
    mapped = set(evidence.scope_items.values_list("pk", flat=True))
    return [item for item in offered if item.pk in mapped]


# The coverage.


def assessed_scope(evidence_ids: Iterable[int], unit: Unit) -> dict[int, set[int]]:
    """The unit's scope items the assessor recorded each piece of evidence as covering, by evidence
    id: the record on its latest acceptance, or, where the assessor of another unit accepted it, the
    record this unit's assessor made of it since (`UnitScopeRecord`)."""
    latest: dict[int, int] = {}
    accepted = Judgement.objects.filter(evidence_id__in=list(evidence_ids), outcome=Judgement.Outcome.ACCEPTED)
    for judgement_id, evidence_id in accepted.order_by("judged_at", "pk").values_list("pk", "evidence_id"):
        latest[evidence_id] = judgement_id
    judged = {judgement_id: evidence_id for evidence_id, judgement_id in latest.items()}
    found: dict[int, set[int]] = {}
    rows = Judgement.scope_items.through.objects.filter(
        judgement_id__in=list(judged), scopeitem__category__unit=unit
    ).values_list("judgement_id", "scopeitem_id")
    for judgement_id, item_id in rows:
        found.setdefault(judged[judgement_id], set()).add(item_id)
    # Accepted by the assessor of another unit: this unit's assessor's own record, where they made one.
    for evidence_id, items in recorded_by_the_units_assessor(judged, unit).items():
        found[evidence_id] = items
    return found


def recorded_by_the_units_assessor(judged: Mapping[int, int], unit: Unit) -> dict[int, set[int]]:
    """Of the acceptances `judged` (evidence id by judgement id), those whose evidence the unit's own
    assessor recorded the scope of afterwards (`UnitScopeRecord`): its items on the latest record,
    by evidence id (an empty set: they recorded that it covers none)."""
    latest: dict[int, int] = {}
    records = UnitScopeRecord.objects.filter(judgement_id__in=list(judged), enrolment__unit=unit)
    for record_id, judgement_id in records.order_by("recorded_at", "pk").values_list("pk", "judgement_id"):
        latest[judgement_id] = record_id
    found: dict[int, set[int]] = {judged[judgement_id]: set() for judgement_id in latest}
    by_record = {record_id: judged[judgement_id] for judgement_id, record_id in latest.items()}
    rows = UnitScopeRecord.scope_items.through.objects.filter(unitscoperecord_id__in=list(by_record))
    for record_id, item_id in rows.values_list("unitscoperecord_id", "scopeitem_id"):
        found[by_record[record_id]].add(item_id)
    return found


def coverage(unit: Unit, evidence: Iterable[Evidence], not_applicable: Mapping[int, str]) -> list[CategoryCoverage]:
    """Each of the unit's scope categories with the evidence covering each item, and the reason it
    does not apply (by category id) where nothing covers it."""
    by_id = {e.pk: e for e in evidence}
    covering = assessed_scope(by_id, unit)
    categories = []
    for category in ScopeCategory.objects.filter(unit=unit).prefetch_related("items").order_by("position"):
        items = [
            ItemCoverage(item, sorted((by_id[e] for e, found in covering.items() if item.pk in found),
                                      key=lambda e: e.number))
            for item in category.items.all()
        ]
        row = CategoryCoverage(category=category, items=items)
        if not row.covered:
            row.not_applicable = (not_applicable.get(category.pk) or "").strip()
        categories.append(row)
    return categories


def open_record(enrolment: Enrolment, not_applicable: Mapping[int, str] | None = None) -> ScopeRecord:
    """Before sign-off: the candidate's accepted evidence, with the reasons the assessor is giving."""
    accepted = evidence_of(enrolment).filter(state=EvidenceState.ACCEPTED)
    return ScopeRecord(coverage(enrolment.unit, accepted, not_applicable or {}))


def signed_record(sign_off: SignOff) -> ScopeRecord:
    """What the sign-off rests on, as the database holds it now: the evidence its manifest names,
    the assessor's record of what each covers, and the reasons given at sign-off."""
    manifest = sign_off.manifest if isinstance(sign_off.manifest, dict) else {}
    ids = [row.get("id") for row in manifest.get("evidence") or [] if isinstance(row, dict)]
    reasons = {r.category_id: r.reason for r in sign_off.scope_not_applicable.all()}
    categories = coverage(sign_off.enrolment.unit, Evidence.objects.filter(pk__in=ids), reasons)
    return ScopeRecord(categories, signed=True, kept="scope" in manifest)


def unit_record(enrolment: Enrolment, standing: SignOff | None) -> ScopeRecord:
    return signed_record(standing) if standing is not None else open_record(enrolment)


def without_evidence(record: ScopeRecord, mapped: Mapping[int, object]) -> list[CategoryCoverage]:
    """The categories with no evidence at all, which the unit page lists under "What is missing":
    none the assessor recorded as covering them, none the candidate mapped to any of their items
    (`mapped`, by scope item id), and no reason given that they do not apply."""
    return [
        row for row in record.categories
        if not row.settled and not any(mapped.get(coverage.item.pk) for coverage in row.items)
    ]


def unsettled_message(unit_code: str, unsettled: list[CategoryCoverage]) -> str:
    names = [f"“{c.category.name}”" for c in unsettled]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"{unit_code} cannot be signed off yet: no accepted evidence covers the scope {listed}. Record "
        f"evidence that covers {'it' if len(names) == 1 else 'them'}, or say for each why it does not "
        "apply to the candidate’s work area."
    )


# The signed record.


def manifest_part(categories: list[CategoryCoverage]) -> list[dict]:
    return [
        {
            "category": row.category.name,
            "covered_by": [
                {"ref": e.reference, "id": e.pk,
                 "items": [i.item.reference for i in row.items if any(x.pk == e.pk for x in i.evidence)]}
                for e in row.evidence
            ],
            "not_applicable": row.not_applicable or None,
        }
        for row in categories
    ]


def problems(sign_off: SignOff, manifest: dict) -> list[str]:
    """How the scope coverage in the database differs from the signed manifest's, in words."""
    form = manifest.get("format")
    if not isinstance(form, int) or form < SCOPE_SINCE_FORMAT:
        return []  # signed before the assessor's record of scope was kept
    signed = manifest.get("scope")
    if not isinstance(signed, list):
        return ["The signed record has lost its scope coverage."]
    now = {row["category"]: row for row in manifest_part(signed_record(sign_off).categories)}
    found = []
    signed_names = set()
    for row in signed:
        name = row.get("category") if isinstance(row, dict) else None
        signed_names.add(name)
        current = now.get(name)
        if current is None:
            found.append(f"Scope “{name}” was signed but is no longer part of the unit.")
            continue
        if current["not_applicable"] != row.get("not_applicable"):
            found.append(
                f"Scope “{name}”: the reason it does not apply to the candidate’s work area has changed since "
                f"sign-off (now {_reason(current['not_applicable'])}, signed as {_reason(row.get('not_applicable'))})."
            )
        if current["covered_by"] != row.get("covered_by"):
            found.append(
                f"Scope “{name}”: the evidence recorded as covering it has changed since sign-off (now "
                f"{_covering(current['covered_by'])}, signed as {_covering(row.get('covered_by'))})."
            )
    found += [f"Scope “{name}” is not part of what was signed." for name in now.keys() - signed_names]
    return found


def _reason(reason: object) -> str:
    return f"“{reason}”" if reason else "none"


def _covering(rows: object) -> str:
    if not isinstance(rows, list) or not rows:
        return "nothing"
    return "; ".join(
        f"{row.get('ref', '?')} ({', '.join(row.get('items') or [])})" for row in rows if isinstance(row, dict)
    ) or "nothing"
