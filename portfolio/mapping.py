"""The units a candidate can map evidence to, each with its structure, for the mapping page. How much
of each is covered is `portfolio.progress`."""

from dataclasses import dataclass

from standards.selectors import UnitStructure, unit_structure

from .locks import LockedUnit, locked_units
from .models import Enrolment, Person


@dataclass
class UnitMapping:
    enrolment: Enrolment
    structure: UnitStructure
    locked: LockedUnit | None  # signed off: its items are shown, and cannot be ticked or unticked


def units_for_mapping(candidate: Person, centre_id: int) -> list[UnitMapping]:
    enrolments = Enrolment.objects.filter(candidate=candidate, centre_id=centre_id).select_related(
        "unit", "unit__suite"
    )
    locked = locked_units(candidate, centre_id)
    return [
        UnitMapping(enrolment=e, structure=unit_structure(e.unit), locked=locked.get(e.unit_id)) for e in enrolments
    ]
