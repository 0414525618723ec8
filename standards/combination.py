"""A qualification's rules of combination, stated once: what a set of units lacks against each group
(every unit of a mandatory group; at least N units and/or N credits from an optional group) and
against the qualification's credit total.

Registration asks it of the units a candidate is to be registered on (`registration_problems`);
progress asks it of the units achieved (`assessments.qualification_progress`). Both read
`shortfalls`, so a rule cannot be applied one way at registration and another on the progress page.
"""

from collections.abc import Collection
from dataclasses import dataclass

from .qualification_models import Qualification, QualificationGroup, QualificationUnit


@dataclass(frozen=True)
class GroupShortfall:
    group: QualificationGroup
    places: list[QualificationUnit]  # the group's units, in order
    missing_mandatory: list[QualificationUnit]  # of a mandatory group: the units not counted
    units_short: int  # of an optional group: how many more units it needs
    credits_short: int  # of an optional group: how many more credits it needs

    @property
    def short(self) -> bool:
        return bool(self.missing_mandatory or self.units_short or self.credits_short)


@dataclass(frozen=True)
class Shortfalls:
    groups: list[GroupShortfall]
    credits: int  # the credits the units counted give
    credits_short: int  # how many more the qualification's total needs

    @property
    def met(self) -> bool:
        return not self.credits_short and not any(g.short for g in self.groups)


def places_of(qualification: Qualification) -> list[QualificationUnit]:
    """Every unit of the qualification with its group, in order: one query."""
    return list(
        QualificationUnit.objects.filter(group__qualification=qualification)
        .select_related("group", "unit")
        .order_by("group__position", "group__name", "position", "pk")
    )


def shortfalls(qualification: Qualification, places: list[QualificationUnit], counted: Collection[int]) -> Shortfalls:
    """What the units counted (by unit id) lack against every rule of the qualification."""
    by_group: dict[int, list[QualificationUnit]] = {}
    groups: dict[int, QualificationGroup] = {}
    for place in places:
        by_group.setdefault(place.group_id, []).append(place)
        groups[place.group_id] = place.group
    found = []
    for group_id, group_places in by_group.items():
        group = groups[group_id]
        in_group = [p for p in group_places if p.unit_id in counted]
        credits = sum(p.credit for p in in_group)
        found.append(GroupShortfall(
            group=group,
            places=group_places,
            missing_mandatory=[p for p in group_places if p.unit_id not in counted] if group.mandatory else [],
            units_short=0 if group.mandatory else max((group.min_units or 0) - len(in_group), 0),
            credits_short=0 if group.mandatory else max((group.min_credits or 0) - credits, 0),
        ))
    total = sum(p.credit for p in places if p.unit_id in counted)
    return Shortfalls(groups=found, credits=total, credits_short=max(qualification.credits - total, 0))


def _units(number: int, word: str = "unit") -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def registration_problems(qualification: Qualification, places: list[QualificationUnit], chosen: Collection[int]) -> list[str]:
    """What is wrong with registering a candidate on these units (the mandatory ones and the optional
    ones chosen), each in words that say what to choose: none when the rules are met."""
    known = {p.unit_id for p in places}
    problems = [f"Unit {unit_id} is not a unit of {qualification.code}." for unit_id in sorted(set(chosen) - known)]
    found = shortfalls(qualification, places, chosen)
    for group in found.groups:
        name = group.group.name
        if group.missing_mandatory:
            codes = ", ".join(p.unit.code for p in group.missing_mandatory)
            problems.append(f"Every unit of {name} is mandatory: {codes} must be included.")
        chosen_here = sum(1 for p in group.places if p.unit_id in chosen)
        if group.units_short:
            problems.append(
                f"Choose at least {_units(group.group.min_units or 0, 'optional unit')} from {name} "
                f"({chosen_here} chosen)."
            )
        if group.credits_short:
            given = sum(p.credit for p in group.places if p.unit_id in chosen)
            problems.append(
                f"Choose optional units worth at least {group.group.min_credits} credits from {name}: "
                f"those chosen give {given}."
            )
    if found.credits_short:
        problems.append(
            f"The units chosen give {found.credits} credits; the qualification needs {qualification.credits}."
        )
    return problems


def rule_words(group: QualificationGroup) -> str:
    """The group's rule, as the awarding body's specification says it."""
    if group.mandatory:
        return "Mandatory: every unit"
    parts = []
    if group.min_units:
        parts.append(f"at least {_units(group.min_units)}")
    if group.min_credits:
        parts.append(f"at least {group.min_credits} credits")
    return "Optional: " + (" and ".join(parts) if parts else "any number of units")


def grouped(places: list[QualificationUnit]) -> list[tuple[QualificationGroup, str, list[QualificationUnit]]]:
    """The places by group, in order, each group with its rule in words."""
    found: dict[int, tuple[QualificationGroup, str, list[QualificationUnit]]] = {}
    for place in places:
        found.setdefault(place.group_id, (place.group, rule_words(place.group), []))[2].append(place)
    return list(found.values())
