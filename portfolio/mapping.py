"""The units a candidate can map evidence to, each with its structure, for the mapping page; and the
item (or the unit) a candidate is adding evidence for, carried from the unit page's "Add evidence for
this" (or "Add evidence") to the mapping page. How much of each is covered is `portfolio.progress`."""

from dataclasses import dataclass

from standards.models import Criterion, KnowledgeItem, ScopeCategory, plain
from standards.selectors import UnitStructure, unit_structure

from .ids import as_id
from .locks import LockedUnit, locked_units, no_open_unit_for
from .models import Enrolment, Evidence, Person


@dataclass
class UnitMapping:
    enrolment: Enrolment
    structure: UnitStructure
    locked: LockedUnit | None  # signed off: its items are shown, and cannot be ticked or unticked
    open: bool = True  # shown open; closed when the candidate came to add evidence for another unit


def units_for_mapping(candidate: Person, centre_id: int) -> list[UnitMapping]:
    enrolments = Enrolment.objects.filter(candidate=candidate, centre_id=centre_id).select_related(
        "unit", "unit__suite"
    )
    locked = locked_units(candidate, centre_id)
    return [
        UnitMapping(enrolment=e, structure=unit_structure(e.unit), locked=locked.get(e.unit_id)) for e in enrolments
    ]


def all_locked_words(evidence: Evidence, units: list[UnitMapping]) -> str:
    """Why nothing can be mapped, when every one of the candidate's units at the evidence's centre is
    locked (signed off, withdrawn or transferred), or ""."""
    if not units or any(unit.locked is None for unit in units):
        return ""
    shut = no_open_unit_for(evidence)
    if shut:
        return shut
    why = "; ".join(str(unit.locked) for unit in units if unit.locked)
    return (
        f"Every one of your units at {evidence.centre} is locked ({why}), so {evidence.reference} cannot be "
        "mapped to any of them now. Ask your assessor to unlock a unit if this evidence belongs to it."
    )


def unit_first(units: list[UnitMapping], unit_id: int | None) -> list[UnitMapping]:
    """The unit the candidate came to add evidence for first and open, the others after it, closed:
    on a phone the unit they meant is at the top. Without one (or not theirs), all open as they are."""
    if unit_id is None or all(u.enrolment.unit_id != unit_id for u in units):
        return units
    for unit in units:
        unit.open = unit.enrolment.unit_id == unit_id
    return sorted(units, key=lambda u: not u.open)


def unit_added_for(value: str | None, candidate: Person, centre_id: int) -> Enrolment | None:
    """The enrolment `?unit=` names, if it is this candidate's at this centre and no sign-off locks
    it; anything else (an old link, an altered address, another person's enrolment) names none."""
    pk = as_id(value or "")
    if pk is None:
        return None
    enrolment = Enrolment.objects.filter(pk=pk, candidate=candidate, centre_id=centre_id).select_related("unit").first()
    if enrolment is None or enrolment.unit_id not in open_unit_ids(candidate, centre_id):
        return None
    return enrolment


# The address's word for each kind of item, and the mapping page's name for its boxes.
ADDED_FOR_KINDS = {"criterion": "criteria", "knowledge": "knowledge", "scope": "scope"}


@dataclass(frozen=True)
class AddedFor:
    """What the candidate is adding evidence for: a criterion or knowledge item, which the mapping
    page ticks for them, or a scope category, whose items they tick themselves (the page points to
    it). In an address it is `for=criterion-12`, `for=knowledge-3` or `for=scope-4`."""

    key: str
    kind: str  # the mapping page's: "criteria", "knowledge" or "scope"
    pk: int
    name: str  # "HSC331a.1" or, for scope, the category's name ("Key people")
    text: str
    unit_id: int

    @property
    def ticked(self) -> bool:
        return self.kind != "scope"

    @property
    def anchor(self) -> str:
        """The id of its box, or of its scope category's group, on the mapping page."""
        return f"map-{self.kind}-{self.pk}" if self.ticked else f"map-scope-category-{self.pk}"


def open_unit_ids(candidate: Person, centre_id: int) -> list[int]:
    """The candidate's units at the centre that no sign-off locks: what evidence may be mapped to."""
    registered = Enrolment.objects.filter(candidate=candidate, centre_id=centre_id).values_list("unit_id", flat=True)
    locked = locked_units(candidate, centre_id)
    return [unit_id for unit_id in registered if unit_id not in locked]


def added_for(key: str | None, open_units: list[int]) -> AddedFor | None:
    """The item `key` names, if it belongs to one of these units (the candidate's, not locked by a
    sign-off); anything else (an old link, an altered address, another unit) adds nothing."""
    word, _, number = (key or "").partition("-")
    pk = as_id(number)
    if word not in ADDED_FOR_KINDS or pk is None or not open_units:
        return None
    found = f"{word}-{pk}"
    if word == "scope":
        category = ScopeCategory.objects.filter(pk=pk, unit_id__in=open_units).first()
        if category is None:
            return None
        return AddedFor(found, "scope", pk, name=category.name, text=category.lead, unit_id=category.unit_id)
    model = Criterion if word == "criterion" else KnowledgeItem
    item = model.objects.filter(pk=pk, unit_id__in=open_units).first()
    if item is None:
        return None
    return AddedFor(
        found, ADDED_FOR_KINDS[word], pk, name=item.reference, text=plain(item.text), unit_id=item.unit_id
    )
