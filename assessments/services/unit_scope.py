"""The scope of holistic evidence accepted by the assessor of another unit. Whoever judges evidence
mapped to the units of two assessors records the scope of their own units alone
(`scope.scope_items_to_judge`); the assessor of the other unit records which of their unit's scope
items it covers here, from the evidence page, and corrects it while the unit is open (active, not
signed off). Each record is a `UnitScopeRecord`; the latest on the acceptance is what the unit's
coverage and its sign-off count (`scope.assessed_scope`). An outside trial: once the other assessor
accepted it, nobody could record it against the unit's scope."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portfolio import audit
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Evidence, EvidenceState, Person
from standards.models import ScopeItem

from .. import scope
from ..audit_actions import AssessmentAction
from ..models import Judgement, UnitScopeRecord
from . import decisions, other_assessors


def acceptance(evidence: Evidence) -> Judgement | None:
    """The judgement the evidence stands accepted by; None unless it is accepted."""
    if evidence.state != EvidenceState.ACCEPTED:
        return None
    latest = evidence.judgements.select_related("assessor").order_by("-judged_at", "-pk").first()
    return latest if latest is not None and latest.outcome == Judgement.Outcome.ACCEPTED else None


def units_to_record(evidence: Evidence, assessor: Person, judgement: Judgement | None = None) -> list[Enrolment]:
    """The open units the accepted evidence bears on whose scope `assessor` records here: those they
    assess and the judge does not (`other_assessors.units_left_to`). `judgement`: its acceptance, when
    the caller has read it already (the evidence page has every judgement)."""
    judgement = judgement or acceptance(evidence)
    if judgement is None or judgement.assessor_id == assessor.pk:
        return []
    return other_assessors.units_left_to(evidence, judgement.assessor, assessor)


@dataclass
class Recorded:
    """Where the unit's record of the evidence's scope stands: `record` is None until its assessor
    records it here; `counted` the ids of the unit's items that count now (`scope.assessed_scope`);
    `ticked` what the boxes start as: that, or the candidate's mapping while nothing counts yet."""

    enrolment: Enrolment
    record: UnitScopeRecord | None
    counted: set[int]
    ticked: set[int]


def recorded(evidence: Evidence, enrolment: Enrolment, judgement: Judgement | None = None) -> Recorded:
    judgement = judgement or acceptance(evidence)
    record = (
        UnitScopeRecord.objects.filter(judgement=judgement, enrolment=enrolment)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
        .first()
        if judgement is not None
        else None
    )
    counted = scope.assessed_scope([evidence.pk], enrolment.unit).get(evidence.pk, set())
    ticked = counted
    if record is None and not counted:
        ticked = set(evidence.scope_items.filter(category__unit=enrolment.unit).values_list("pk", flat=True))
    return Recorded(enrolment, record, counted, ticked)


def _require_may_record(
    evidence: Evidence, enrolment: Enrolment, assessor: Person, items: list[ScopeItem]
) -> Judgement:
    doing = "record the scope evidence covers on it"
    decisions.require_assessor(enrolment, assessor, doing)
    decisions.require_unlocked(enrolment, "its scope cannot be recorded")
    if evidence.candidate_id != enrolment.candidate_id or evidence.centre_id != enrolment.centre_id:
        raise PortfolioError(
            f"Only {enrolment.candidate}’s own evidence at this centre counts towards {enrolment.unit.code}."
        )
    judgement = acceptance(evidence)
    if judgement is None:
        raise PortfolioError(
            f"{evidence.reference} is not accepted: the scope it covers is recorded when it is judged."
        )
    if enrolment not in units_to_record(evidence, assessor):
        raise PortfolioError(
            f"{evidence.reference} is not mapped to {enrolment.unit.code}’s criteria or knowledge, or its scope there "
            "was recorded when it was judged: nothing to record here."
        )
    if any(item.category.unit_id != enrolment.unit_id for item in items):
        raise PortfolioError(
            f"Tick only scope items of {enrolment.unit.code}: another unit's scope is its own assessor's record."
        )
    return judgement


def scope_record(
    *, evidence: Evidence, enrolment: Enrolment, assessor: Person, scope_items: Iterable[ScopeItem]
) -> UnitScopeRecord:
    """Records which of the unit's scope items the accepted evidence covers (none ticked: it covers
    none), as its assessor judges it; a later call corrects it, and both are kept."""
    items = sorted(set(scope_items), key=lambda item: item.reference)
    with transaction.atomic():
        # The unit's lock before the evidence's, in the order judging and deciding take them.
        enrolment = decisions.locked_enrolment(enrolment)
        evidence = Evidence.objects.select_for_update(of=("self",)).get(pk=evidence.pk)
        judgement = _require_may_record(evidence, enrolment, assessor, items)
        was = recorded(evidence, enrolment)
        before = sorted(ScopeItem.objects.filter(pk__in=was.counted).values_list("reference", flat=True))
        record = UnitScopeRecord.objects.create(
            judgement=judgement, enrolment=enrolment, recorded_by=assessor, recorded_at=timezone.now()
        )
        record.scope_items.set(items)
        after = [item.reference for item in items]
        audit.record(
            AssessmentAction.SCOPE_RECORDED,
            actor=assessor,
            centre=enrolment.centre,
            enrolment=enrolment,
            evidence=evidence,
            candidate=enrolment.candidate,
            summary=f"{evidence.reference} recorded as covering {', '.join(after) or 'none'} of {enrolment.unit.code}'s scope",
            before={"scope_covered": before} if was.record is not None or before else None,
            after={
                "unit": enrolment.unit.code,
                "scope_covered": after,
                "accepted_by": str(judgement.assessor),
            },
        )
    return record
