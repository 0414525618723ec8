"""The suggested sample: a greedy set cover of every assessor, method and unit the reviewable units
hold (the three parts of CAMERA the records here can tell apart), starting from what the current
sample already covers; and, part by part, what the sample covers and misses."""

from dataclasses import dataclass
from typing import cast

from portfolio.models import AssessmentMethod, Enrolment, Person

from .methods import METHOD_ORDER
from .summaries import Feature, Register, Summary, register

# The order a reason names what a pick covers, and the order of the coverage lists.
FEATURE_KINDS = ("assessor", "method", "unit")


def _lower_first(label: str) -> str:
    # "Recognition of prior learning (RPL)" keeps its capitals after the first letter.
    return label[:1].lower() + label[1:]


def _describe(feature: Feature, names: Register) -> str:
    kind, key = feature  # the kind says the key's type: a method's value, or an id
    if kind == "method":
        return AssessmentMethod(cast(str, key)).label
    if kind == "assessor":
        return names.assessors.get(cast(int, key), str(key))
    return names.units.get(cast(int, key), str(key))


def _feature_order(feature: Feature, names: Register) -> tuple:
    """Assessors in the order the page lists them (by surname), methods in the order of the list
    of methods, units by code."""
    kind, key = feature
    if kind == "assessor":
        rank = list(names.assessors).index(cast(int, key)) if key in names.assessors else len(names.assessors)
    elif kind == "method":
        rank = METHOD_ORDER.get(cast(str, key), len(METHOD_ORDER))
    else:
        rank = 0
    return (FEATURE_KINDS.index(kind), rank, _describe(feature, names))


@dataclass
class Suggestion:
    """One enrolment the product suggests sampling, and why. `enrolment` is read (with its
    candidate and unit) once the suggestion is made, for the page to name it."""

    row: Summary
    covers: list[Feature]
    reason: str
    enrolment: Enrolment | None = None

    @property
    def stage_words(self) -> str:
        return "final review" if self.row.signed_off else "interim review"


def _reason(covers: list[Feature], names: Register) -> str:
    assessors = [_describe(f, names) for f in covers if f[0] == "assessor"]
    methods = [_lower_first(_describe(f, names)) for f in covers if f[0] == "method"]
    units = [_describe(f, names) for f in covers if f[0] == "unit"]
    parts = []
    if assessors:
        parts.append("covers assessor " + ", ".join(assessors))
    if methods:
        parts.append(("method: " if len(methods) == 1 else "methods: ") + ", ".join(methods))
    if units:
        parts.append("unit " + ", ".join(units))
    reason = "; ".join(parts)
    return reason if reason.startswith("covers") else f"covers {reason}"


def _universe(summaries: list[Summary]) -> set[Feature]:
    """Everything a sample should cover: what the reviewable enrolments the figures count hold."""
    return set().union(*(s.features for s in summaries if s.reviewable and s.counted))


def _covered(summaries: list[Summary]) -> set[Feature]:
    return set().union(*(s.features for s in summaries if s.in_sample and s.counted))


def suggest(iqa: Person, names: Register | None = None, *, read: bool = True) -> list[Suggestion]:
    """A greedy set cover: pick the enrolment that covers most of what the sample still misses,
    preferring a signed-off unit, then one with decisions, then the lowest id, until nothing is
    missing. Deterministic: the same records always give the same suggestion.

    Enrolments that hold the same features at the same preference are one choice (the lowest id),
    so the loop runs over a few dozen kinds of unit, however many units there are. Unless `read` is
    false, the picks are then read with their candidate and unit (one query)."""
    names = register(iqa) if names is None else names
    summaries = names.summaries
    missing = _universe(summaries) - _covered(summaries)
    kinds: dict[tuple, Summary] = {}
    for s in summaries:
        if s.reviewable and not s.in_sample and s.counted:
            key = (s.features, s.preference)
            if key not in kinds or s.pk < kinds[key].pk:
                kinds[key] = s
    choices = list(kinds.values())
    suggestions: list[Suggestion] = []
    while missing and choices:
        best = max(choices, key=lambda s: (len(s.features & missing), s.preference, -s.pk))
        gained = best.features & missing
        if not gained:
            break
        covers = sorted(gained, key=lambda f: _feature_order(f, names))
        suggestions.append(Suggestion(row=best, covers=covers, reason=_reason(covers, names)))
        missing -= gained
        choices.remove(best)
    if read and suggestions:
        read_enrolments = Enrolment.objects.select_related("candidate", "unit").in_bulk(
            [s.row.pk for s in suggestions]
        )
        for suggestion in suggestions:
            suggestion.enrolment = read_enrolments[suggestion.row.pk]
    return suggestions


@dataclass
class CoverageItem:
    name: str
    covered: bool
    by_suggestion: bool


@dataclass
class Coverage:
    """For each part of CAMERA the page checks, what the current sample covers and misses."""

    assessors: list[CoverageItem]
    methods: list[CoverageItem]
    units: list[CoverageItem]

    @property
    def groups(self) -> list[tuple[str, list[CoverageItem]]]:
        return [("Assessors", self.assessors), ("Assessment methods", self.methods), ("Unit standards", self.units)]

    @property
    def missing_count(self) -> int:
        return sum(not item.covered for _, items in self.groups for item in items)


def coverage(names: Register, suggestions: list[Suggestion]) -> Coverage:
    covered = _covered(names.summaries)
    suggested = set().union(*(s.covers for s in suggestions)) if suggestions else set()
    ordered = sorted(_universe(names.summaries) | covered, key=lambda f: _feature_order(f, names))

    def items(kind: str) -> list[CoverageItem]:
        return [
            CoverageItem(name=_describe(f, names), covered=f in covered, by_suggestion=f in suggested)
            for f in ordered
            if f[0] == kind
        ]

    return Coverage(assessors=items("assessor"), methods=items("method"), units=items("unit"))
