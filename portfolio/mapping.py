"""The units a candidate can map evidence to, each with its structure, for the mapping page. How much
of each is covered is `portfolio.progress`."""

from dataclasses import dataclass

from standards.selectors import UnitStructure, unit_structure

from .models import Enrolment, Person


@dataclass
class UnitMapping:
    enrolment: Enrolment
    structure: UnitStructure


def units_for_mapping(candidate: Person, centre_id: int) -> list[UnitMapping]:
    enrolments = Enrolment.objects.filter(candidate=candidate, centre_id=centre_id).select_related(
        "unit", "unit__suite"
    )
    return [UnitMapping(enrolment=e, structure=unit_structure(e.unit)) for e in enrolments]
