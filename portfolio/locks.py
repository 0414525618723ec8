"""Which of a candidate's units are locked by a sign-off, for the mapping and submitting rules.

A sign-off lives in `assessments`, which portfolio must not import. Rather than copy its state
onto the enrolment (a second record of "signed off" that every way of signing, unlocking or
generating a centre would have to keep in step), assessments hands portfolio the one question it
needs answered when the apps load (`AssessmentsConfig.ready`). Without assessments there are no
sign-offs, so nothing is locked.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils import dateformat, timezone

from standards.models import Criterion, KnowledgeItem, ScopeItem

from .errors import PortfolioError
from .models import Enrolment, Evidence, Person

# Enrolment ids -> when the standing sign-off of each locked one was made.
LockedSince = Callable[[Iterable[int]], dict[int, datetime.datetime]]

_locked_since: LockedSince | None = None


def answer_with(locked_since: LockedSince) -> None:
    global _locked_since
    _locked_since = locked_since


def locked_since(enrolment_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    if _locked_since is None:
        return {}
    return _locked_since(list(enrolment_ids))


@dataclass(frozen=True)
class LockedUnit:
    code: str
    signed_at: datetime.datetime

    @property
    def signed_on(self) -> str:
        """“3 Dec 2026”, in the centre's time zone."""
        return dateformat.format(timezone.localtime(self.signed_at), "j M Y")

    def __str__(self) -> str:
        return f"{self.code} was signed off on {self.signed_on}"


def locked_units(candidate: Person, centre_id: int) -> dict[int, LockedUnit]:
    """The candidate's units a standing sign-off locks, by unit id."""
    enrolments = {
        e.pk: e for e in Enrolment.objects.filter(candidate=candidate, centre_id=centre_id).select_related("unit")
    }
    return {
        enrolments[pk].unit_id: LockedUnit(code=enrolments[pk].unit.code, signed_at=signed_at)
        for pk, signed_at in locked_since(enrolments).items()
    }


def _mapped_items(evidence: Evidence) -> list[Criterion | KnowledgeItem | ScopeItem]:
    return [*Criterion.objects.filter(evidence=evidence), *KnowledgeItem.objects.filter(evidence=evidence),
            *ScopeItem.objects.filter(evidence=evidence).select_related("category")]


def _unit_of(item: Criterion | KnowledgeItem | ScopeItem) -> int:
    return item.category.unit_id if isinstance(item, ScopeItem) else item.unit_id


def require_locked_units_unchanged(
    evidence: Evidence, chosen: Sequence[Criterion | KnowledgeItem | ScopeItem]
) -> None:
    """A signed-off unit's record is what was signed: evidence is neither mapped to it nor taken off
    it until the unit is unlocked. The mapping it already had stays as it was."""
    locked = locked_units(evidence.candidate, evidence.centre_id)
    if not locked:
        return
    mapped = _mapped_items(evidence)
    for unit_id, signed in locked.items():
        had = {(type(i), i.pk) for i in mapped if _unit_of(i) == unit_id}
        asked = {(type(i), i.pk) for i in chosen if _unit_of(i) == unit_id}
        if had != asked:
            raise PortfolioError(
                f"{signed} and is locked, so {evidence.reference} cannot be mapped to it or taken off it. "
                "Nothing was changed. Ask your assessor to unlock the unit if this evidence belongs to it."
            )


def require_an_open_unit(evidence: Evidence) -> None:
    """Evidence mapped only to signed-off units would wait in the assessor's queue for a judgement
    no decision could use, and could slip into the signed record; it is not sent."""
    locked = locked_units(evidence.candidate, evidence.centre_id)
    units = {_unit_of(i) for i in _mapped_items(evidence)}
    if units and units <= locked.keys():
        raise PortfolioError(
            f"{evidence.reference} is mapped only to signed-off units ({'; '.join(str(locked[u]) for u in sorted(units))}), "
            "which are locked, so it was not submitted. Map it to a unit still open, or ask your assessor "
            "to unlock the unit."
        )
