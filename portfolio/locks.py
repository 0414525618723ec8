"""Which of a candidate's units are locked by a sign-off, or closed (withdrawn or transferred), for
the mapping and submitting rules.

A sign-off lives in `assessments`, which portfolio must not import. Rather than copy its state
onto the enrolment (a second record of "signed off" that every way of signing, unlocking or
generating a centre would have to keep in step), assessments hands portfolio the one question it
needs answered when the apps load (`AssessmentsConfig.ready`). Without assessments there are no
sign-offs, so nothing is locked.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from standards.models import Criterion, KnowledgeItem, ScopeItem

from . import dates
from .errors import PortfolioError
from .models import Centre, Enrolment, EnrolmentChange, EnrolmentStatus, Evidence, EvidenceState, Person

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
    signed_at: datetime.datetime | None
    closed: str = ""  # "withdrawn" or "transferred": the enrolment is kept, read-only
    closed_on: datetime.date | None = None  # the day the withdrawal or transfer took effect

    @property
    def signed_on(self) -> str:
        """“3 December 2026”, in the centre's time zone."""
        return dates.day(self.signed_at) if self.signed_at else ""

    @property
    def why(self) -> str:
        """Why it is locked, in words, with its date when the record keeps one (never a blank):
        “withdrawn on 3 December 2026”, “signed off on 3 December 2026”."""
        if self.closed:
            return f"{self.closed} on {dates.day(self.closed_on)}" if self.closed_on else self.closed
        return f"signed off on {self.signed_on}" if self.signed_at else "signed off"

    def __str__(self) -> str:
        if self.closed:
            return f"{self.code} was {self.why}" if self.closed_on else f"{self.code} is {self.closed}"
        return f"{self.code} was {self.why}"


def _closed_on(enrolments: Iterable[Enrolment]) -> dict[int, datetime.date]:
    """The day each closed enrolment's standing withdrawal or transfer took effect, as its history keeps it."""
    closed = [e.pk for e in enrolments if e.status != EnrolmentStatus.ACTIVE]
    if not closed:
        return {}
    found: dict[int, datetime.date] = {}
    changes = (
        EnrolmentChange.objects.filter(enrolment_id__in=closed, to_status__in=[
            EnrolmentStatus.WITHDRAWN, EnrolmentStatus.TRANSFERRED,
        ]).exclude(effective_date=None).order_by("-changed_at", "-pk").values_list("enrolment_id", "effective_date")
    )
    for enrolment_id, day in changes:
        if day is not None:
            found.setdefault(enrolment_id, day)
    return found


def closed_only(candidate: Person, centre_id: int) -> list[LockedUnit]:
    """The candidate's units at the centre when every one of them is withdrawn or transferred (there
    is nothing left evidence could be mapped to, and nobody can unlock them: only the centre can
    reinstate one); empty while one is still open, or when they have none there."""
    enrolments = list(Enrolment.objects.filter(candidate=candidate, centre_id=centre_id).select_related("unit"))
    if not enrolments or any(e.status == EnrolmentStatus.ACTIVE for e in enrolments):
        return []
    on = _closed_on(enrolments)
    return [
        LockedUnit(code=e.unit.code, signed_at=None, closed=e.get_status_display().lower(), closed_on=on.get(e.pk))
        for e in sorted(enrolments, key=lambda e: e.unit.code)
    ]


def no_open_unit(candidate: Person, centres: Iterable[Centre]) -> list[str]:
    """Why the candidate can add no evidence, centre by centre, when none of these centres (theirs)
    has a unit of theirs still open; empty while one has. The home, the evidence list and the
    add-evidence page ask it, so none offers what another refuses."""
    shut = [(centre, closed_only(candidate, centre.pk)) for centre in centres]
    if not shut or not all(units for _, units in shut):
        return []
    return [closed_only_words(units, centre) for centre, units in shut]


def shut_centres(enrolments: Iterable[Enrolment]) -> set[int]:
    """The centres (by id) where, of these enrolments of one candidate, none is still open: evidence
    there can be neither mapped nor submitted, so nothing asks the candidate to change or submit it."""
    centres: dict[int, bool] = {}
    for enrolment in enrolments:
        centres[enrolment.centre_id] = centres.get(enrolment.centre_id, False) or enrolment.status == EnrolmentStatus.ACTIVE
    return {centre_id for centre_id, open_there in centres.items() if not open_there}


def no_open_unit_for(evidence: Evidence) -> str:
    """Why the candidate can no longer change, map or submit this evidence, when none of their units
    at its centre is open (`closed_only`); or ""."""
    units = closed_only(evidence.candidate, evidence.centre_id)
    return closed_only_words(units, evidence.centre) if units else ""


def closed_only_words(units: Sequence[LockedUnit], centre: object) -> str:
    """Why no evidence can be added at the centre, to the candidate."""
    return (
        f"You have no unit open at {centre}: {'; '.join(str(unit) for unit in units)}. Evidence can no longer "
        "be added or mapped there; the records are kept as they stand. Ask the centre if you think this is wrong."
    )


def locked_units(candidate: Person, centre_id: int) -> dict[int, LockedUnit]:
    """The candidate's units a standing sign-off locks, or that are withdrawn or transferred, by unit
    id: evidence is neither mapped to them nor taken off them."""
    enrolments = {
        e.pk: e for e in Enrolment.objects.filter(candidate=candidate, centre_id=centre_id).select_related("unit")
    }
    locked = {
        enrolments[pk].unit_id: LockedUnit(code=enrolments[pk].unit.code, signed_at=signed_at)
        for pk, signed_at in locked_since(enrolments).items()
    }
    closed_on = _closed_on(enrolments.values())
    for e in enrolments.values():
        if e.status != EnrolmentStatus.ACTIVE:
            locked[e.unit_id] = LockedUnit(
                code=e.unit.code, signed_at=None, closed=e.get_status_display().lower(), closed_on=closed_on.get(e.pk)
            )
    return locked


def require_not_closed(enrolment: Enrolment, doing: str) -> None:
    """A withdrawn or transferred enrolment is kept as it stands: nothing is submitted, judged,
    decided, signed or reviewed on it until the centre reinstates it."""
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise PortfolioError(
            f"{enrolment.candidate}’s {enrolment.unit.code} is {enrolment.get_status_display().lower()}, so {doing}. "
            "Its record is kept as it stands; the centre can reinstate it."
        )


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
            ask = "" if signed.closed else " Ask your assessor to unlock the unit if this evidence belongs to it."
            raise PortfolioError(
                f"{signed} and is locked, so {evidence.reference} cannot be mapped to it or taken off it. "
                f"Nothing was changed.{ask}"
            )


def signed_off_only(evidence: Iterable[Evidence]) -> dict[int, list[LockedUnit]]:
    """For each evidence item mapped only to units a sign-off locks, those units, by evidence id;
    an item mapped to an open unit too, or to nothing, is left out. Judging such an item cannot
    change any unit's record, and the assessor's queue and judging page say so. Five queries,
    however many items."""
    items = list(evidence)
    # No id is 0: an empty list still asks, so a page reads the same number of queries either way.
    ids = [e.pk for e in items] or [0]
    mapped: dict[int, set[int]] = {}
    for model, unit in (
        (Evidence.criteria.through, "criterion__unit_id"),
        (Evidence.knowledge_items.through, "knowledgeitem__unit_id"),
        (Evidence.scope_items.through, "scopeitem__category__unit_id"),
    ):
        for evidence_id, unit_id in model._default_manager.filter(evidence_id__in=ids).values_list("evidence_id", unit):
            mapped.setdefault(evidence_id, set()).add(unit_id)
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(candidate_id__in={i.candidate_id for i in items} or {0}).select_related("unit")
    }
    locked: dict[tuple[int, int, int], LockedUnit] = {
        (enrolments[pk].candidate_id, enrolments[pk].centre_id, enrolments[pk].unit_id): LockedUnit(
            code=enrolments[pk].unit.code, signed_at=signed_at
        )
        for pk, signed_at in locked_since(list(enrolments) or [0]).items()
    }
    found = {}
    for item in items:
        keys = [(item.candidate_id, item.centre_id, unit_id) for unit_id in sorted(mapped.get(item.pk, ()))]
        if keys and all(key in locked for key in keys):
            found[item.pk] = [locked[key] for key in keys]
    return found


def submit_refusal(evidence: Evidence) -> str:
    """Why the candidate cannot submit this evidence at all, when none of their units at its centre
    is open (the submit page shows it instead of the declaration); or ""."""
    units = closed_only(evidence.candidate, evidence.centre_id)
    if not units:
        return ""
    return f"{evidence.reference} cannot be submitted. {closed_only_words(units, evidence.centre)}"


def require_an_open_unit(evidence: Evidence) -> None:
    """Evidence mapped only to signed-off units would wait in the assessor's queue for a judgement
    no decision could use, and could slip into the signed record; it is not sent."""
    refused = submit_refusal(evidence)
    if refused:
        raise PortfolioError(refused)
    locked = signed_off_only([evidence]).get(evidence.pk)
    if locked:
        raise PortfolioError(
            f"{evidence.reference} is mapped only to signed-off units ({'; '.join(str(unit) for unit in locked)}), "
            "which are locked, so it was not submitted. Map it to a unit still open, or ask your assessor "
            "to unlock the unit."
        )
    mapped = {_unit_of(item) for item in _mapped_items(evidence)}
    shut = locked_units(evidence.candidate, evidence.centre_id)
    if mapped and mapped <= set(shut):
        closed = [str(unit) for unit_id, unit in shut.items() if unit_id in mapped and unit.closed]
        if closed:
            raise PortfolioError(
                f"{evidence.reference} is mapped only to units no longer open here ({'; '.join(closed)}), so it "
                "was not submitted. Map it to a unit you are still working on."
            )


# Waiting evidence and the units it bears on. ------------------------------------------------------


def mapped_to_its_unit() -> Q:
    """For an enrolment subquery of an evidence query: the evidence is mapped (by a criterion or
    knowledge item, as the waiting figures count it) to the enrolment's unit."""
    item, unit = OuterRef(OuterRef("pk")), OuterRef("unit")
    return Q(Exists(Evidence.criteria.through.objects.filter(evidence=item, criterion__unit=unit))) | Q(Exists(
        Evidence.knowledge_items.through.objects.filter(evidence=item, knowledgeitem__unit=unit)
    ))


def bears_only_on_closed_units() -> Q:
    """For evidence rows: mapped to units of its candidate's at its centre that are withdrawn or
    transferred, and to nothing else (no active unit of theirs, and no unit they are not on here,
    such as an earlier version's items after a unit moved version: that evidence still waits, for
    its assessor to refer it back). It waits for nobody: it is in no queue and no count of evidence
    waiting, nobody judges it and the conversation about it is closed, until the centre reinstates
    a unit it bears on. The one rule: the assessor's queue and home (`portfolio.waiting`), and the
    judging and conversation refusals (`closed_refusal`), ask it."""
    case = Enrolment.objects.filter(candidate=OuterRef("candidate"), centre=OuterRef("centre")).order_by()
    return (
        Q(Exists(case.exclude(status=EnrolmentStatus.ACTIVE).filter(mapped_to_its_unit())))
        & ~Q(Exists(case.filter(status=EnrolmentStatus.ACTIVE).filter(mapped_to_its_unit())))
        & ~mapped_elsewhere()
    )


def mapped_elsewhere() -> Q:
    """For evidence rows: mapped to a unit its candidate is not on at its centre (an earlier
    version's items after the unit moved version): any of their assessors refers it back."""
    registered = Enrolment.objects.filter(
        candidate=OuterRef(OuterRef("candidate")), centre=OuterRef(OuterRef("centre"))
    ).values("unit")
    return Q(Exists(
        Evidence.criteria.through.objects.filter(evidence=OuterRef("pk")).exclude(criterion__unit__in=registered)
    )) | Q(Exists(
        Evidence.knowledge_items.through.objects.filter(evidence=OuterRef("pk")).exclude(knowledgeitem__unit__in=registered)
    ))


def closed_units_of(evidence: Evidence) -> list[LockedUnit] | None:
    """The withdrawn or transferred units the evidence is mapped to, by code, when those are all it
    bears on (`bears_only_on_closed_units`); None otherwise. A draft is nobody's to judge yet: None."""
    if evidence.state == EvidenceState.DRAFT:
        return None
    if not Evidence.objects.filter(pk=evidence.pk).filter(bears_only_on_closed_units()).exists():
        return None
    mapped = {_unit_of(item) for item in _mapped_items(evidence)}
    shut = locked_units(evidence.candidate, evidence.centre_id)
    return sorted((unit for unit_id, unit in shut.items() if unit_id in mapped and unit.closed), key=lambda u: u.code)


def _closed_why(units: Sequence[LockedUnit]) -> str:
    return "; ".join(str(unit) for unit in units)


def closed_refusal(evidence: Evidence, *, to_candidate: bool = False) -> str:
    """Why nobody judges this evidence and the conversation about it is closed, when it bears only on
    withdrawn or transferred units (`closed_units_of`): in the candidate's words or the staff's; ""
    while it bears on an open unit."""
    units = closed_units_of(evidence)
    if units is None:
        return ""
    if to_candidate:
        return (
            f"{evidence.reference} is mapped only to units no longer open ({_closed_why(units)}), so it is not "
            "waiting for your assessor: nobody judges it or writes about it while they stay closed. It is kept as "
            "it stands; ask the centre if you think this is wrong."
        )
    return (
        f"{evidence.reference} bears only on units no longer open ({_closed_why(units)}), so it is not waiting "
        "for judgement: it is kept as it stands, read-only, and nothing is judged or written on it unless the "
        "centre reinstates the unit."
    )


def require_not_closed_only(evidence: Evidence) -> None:
    refused = closed_refusal(evidence)
    if refused:
        raise PortfolioError(f"{refused} Nothing was changed.")
