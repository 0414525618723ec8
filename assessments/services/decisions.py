"""Decisions: the assessor records a criterion or knowledge item as met, citing the accepted evidence
that proves it, or withdraws such a decision with a reason. Nothing is ever overwritten: a withdrawn
decision keeps its row with who withdrew it, when and why, and a new decision is a new row.

Every change to a unit's decisions or sign-off first locks the enrolment's row, so two of them on
one unit run one after the other; the partial unique constraints on Decision and SignOff are the
last guard should anything slip past.
"""

import datetime
from typing import cast

from django.db import IntegrityError, transaction
from django.utils import timezone

from portfolio import access, audit, held_roles, locks
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Evidence, EvidenceState, Person
from standards.models import Criterion, KnowledgeItem

from .. import met_counts, record_seals
from ..audit_actions import AssessmentAction
from ..integrity import utc_iso, when
from ..models import Decision, SignOff

# The record form always says which standing decision the assessor saw; a service caller that does
# not care (a test, a script) leaves the argument out.
NOT_GIVEN = object()


def standing_sign_off(enrolment: Enrolment) -> SignOff | None:
    """The sign-off of record (`record_seals.of_record`), from one query."""
    return record_seals.of_record(SignOff.objects.filter(enrolment=enrolment).select_related("assessor").order_by("-pk")[:1])


def locked_enrolment(enrolment: Enrolment) -> Enrolment:
    """The enrolment's row, locked until the transaction ends (PostgreSQL; SQLite's writers are
    serialised by its IMMEDIATE transactions instead)."""
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("unit", "candidate", "assessor", "iqa", "centre")
        .get(pk=enrolment.pk)
    )


def require_assessor(enrolment: Enrolment, person: Person, doing: str) -> None:
    if not access.is_assessor_of(person, enrolment):
        raise PortfolioError(
            f"Only {enrolment.candidate}’s assessor on {enrolment.unit.code} ({enrolment.assessor}) can {doing}."
        )
    locks.require_not_closed(enrolment, f"nobody can {doing}")
    held_roles.require_candidate_here(enrolment)


def require_unlocked(enrolment: Enrolment, doing: str) -> None:
    sign_off = standing_sign_off(enrolment)
    if sign_off is not None:
        require_not_voided_outside(enrolment, sign_off, doing)
        raise PortfolioError(
            f"{enrolment.unit.code} was signed off by {sign_off.assessor} on {when(sign_off.assessor_signed_at)} "
            f"and is locked, so {doing}. Unlock the unit, with a reason, if a decision must change."
        )


def require_not_voided_outside(enrolment: Enrolment, sign_off: SignOff, doing: str) -> None:
    """The sign-off of record marked void in the database by hand, not by an unlock: it still stands,
    and the record has been tampered with, so nothing may change until the centre has looked."""
    if sign_off.voided_at is not None:
        raise PortfolioError(
            f"{enrolment.unit.code} was signed off by {sign_off.assessor} on {when(sign_off.assessor_signed_at)}, and "
            f"that sign-off was voided outside the product, not by an unlock: the unit stays locked, so {doing}. "
            "Tell the centre’s administrator: the record has been tampered with."
        )


def require_sign_offs_as_sealed(enrolment: Enrolment, doing: str) -> None:
    """The sign-off rows are those the portfolio made (`record_seals.sign_off_seal_problems`): one
    deleted by hand would otherwise let the unit be signed off afresh, and the new seal hide it."""
    problems = record_seals.sign_off_seal_problems(enrolment)
    if problems:
        raise PortfolioError(
            f"{problems[0]} So {doing}. Tell the centre’s administrator: the record has been tampered with, "
            "and the centre’s backups hold it as it was."
        )


def require_open_for_evidence(enrolment: Enrolment) -> None:
    """A signed-off unit takes no new evidence (an observation, testimony) until it is unlocked."""
    locks.require_not_closed(enrolment, "it takes no new evidence")
    sign_off = standing_sign_off(enrolment)
    if sign_off is not None:
        require_not_voided_outside(enrolment, sign_off, "it takes no new evidence")
        raise PortfolioError(f"{enrolment.unit.code} is signed off; unlock it to add evidence.")


def standing_decision_on(enrolment: Enrolment, item: Criterion | KnowledgeItem) -> Decision | None:
    on_item: dict[str, Criterion | KnowledgeItem] = {"criterion": item} if isinstance(item, Criterion) else {"knowledge_item": item}
    return (
        Decision.objects.standing().filter(enrolment=enrolment, **on_item)
        .select_related("decided_by")
        .first()
    )


def citable(enrolment: Enrolment, item: Criterion | KnowledgeItem, evidence: list[Evidence]) -> list[Evidence]:
    ids = {e.pk for e in evidence}
    if not ids:
        raise PortfolioError(f"Cite at least one accepted evidence item that proves {item.reference}.")
    # Locked too, so the evidence cannot be judged again while this decision cites it.
    cited = list(Evidence.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("number"))
    theirs = [e for e in cited if e.candidate_id == enrolment.candidate_id and e.centre_id == enrolment.centre_id]
    if len(theirs) != len(ids):
        raise PortfolioError(f"Only {enrolment.candidate}’s own evidence at this centre can be cited.")
    waiting = [e for e in cited if e.state != EvidenceState.ACCEPTED]
    if waiting:
        refs = ", ".join(f"{e.reference} ({e.get_state_display().lower()})" for e in waiting)
        raise PortfolioError(
            f"Only accepted evidence can prove {item.reference}; {refs} "
            f"{'is' if len(waiting) == 1 else 'are'} not accepted."
        )
    unmapped = [e for e in cited if not _mapped_to(e, item)]
    if unmapped:
        refs = ", ".join(e.reference for e in unmapped)
        raise PortfolioError(
            f"A decision on {item.reference} cites only evidence mapped to it; {refs} "
            f"{'is' if len(unmapped) == 1 else 'are'} not mapped to {item.reference}."
        )
    return cited


def _mapped_to(evidence: Evidence, item: Criterion | KnowledgeItem) -> bool:
    """The candidate's mapping says what the evidence claims to prove; a decision may rest only on
    that claim, so the record never shows an item met by evidence nobody put forward for it."""
    if isinstance(item, Criterion):
        return evidence.criteria.filter(pk=item.pk).exists()
    return evidence.knowledge_items.filter(pk=item.pk).exists()


def _dated_after(decided_on: datetime.date, cited: list[Evidence]) -> Evidence | None:
    """The latest of the evidence if it is dated after the decision: a decision rests only on what
    had happened by its date, whether the evidence is cited when it is made or added to it later."""
    latest = max(cited, key=lambda e: e.activity_date)
    return latest if decided_on < latest.activity_date else None


def check_date(item: Criterion | KnowledgeItem, decided_on: datetime.date, cited: list[Evidence]) -> None:
    if decided_on > timezone.localdate():
        raise PortfolioError("The date of a decision cannot be in the future.")
    latest = _dated_after(decided_on, cited)
    if latest is not None:
        raise PortfolioError(
            f"{item.reference} cannot be met on {when(decided_on)}: the evidence it cites, "
            f"{latest.reference}, is of {when(latest.activity_date)}."
        )


def check_added_date(decision: Decision, added: list[Evidence]) -> None:
    """Evidence added to a recorded decision keeps to `check_date`'s rule against the decision's date."""
    latest = _dated_after(decision.decided_on, added)
    if latest is not None:
        raise PortfolioError(
            f"{latest.reference} cannot be added to the decision on {decision.item.reference}: the decision "
            f"is of {when(decision.decided_on)} and {latest.reference} of {when(latest.activity_date)}. "
            f"To cite it, withdraw the decision and record it again."
        )


def decision_facts(decision: Decision) -> dict:
    """What an audit event records of a decision."""
    item = decision.item
    return {
        "decision": decision.pk,
        "item": item.reference,
        "decided_by": str(decision.decided_by),
        "decided_on": decision.decided_on.isoformat(),
        "decided_at": utc_iso(decision.decided_at),
        "evidence": [e.reference for e in decision.evidence.order_by("number")],
    }


def changed_meanwhile(item: Criterion | KnowledgeItem, standing: Decision | None) -> str:
    now = (
        f"{item.reference} is now recorded as met by {standing.decided_by} on {when(standing.decided_on)}"
        if standing
        else f"the decision on {item.reference} you saw has since been withdrawn"
    )
    return f"While you had the page open, {now}. Nothing was changed: look at it again before recording."


def _require_item_undecided(
    enrolment: Enrolment, item: Criterion | KnowledgeItem, seen_decision_id: int | object | None
) -> None:
    """A decision is recorded only on an item of this unit, before sign-off, with none standing,
    and only if the page the assessor saw is still how things stand."""
    if item.unit_id != enrolment.unit_id:
        raise PortfolioError(f"{item.reference} is not part of {enrolment.unit.code}.")
    require_unlocked(enrolment, "decisions cannot be recorded")
    standing = standing_decision_on(enrolment, item)
    if seen_decision_id is not NOT_GIVEN and (standing.pk if standing else None) != seen_decision_id:
        raise PortfolioError(changed_meanwhile(item, standing))
    if standing is not None:
        raise PortfolioError(
            f"{item.reference} is already recorded as met by {standing.decided_by} on "
            f"{when(standing.decided_on)}. Withdraw that decision first if it must change."
        )


def _record_decision_recorded(decision: Decision, cited: list[Evidence]) -> None:
    item = decision.item
    audit.record(
        AssessmentAction.DECISION_RECORDED,
        actor=decision.decided_by,
        centre=decision.enrolment.centre,
        enrolment=decision.enrolment,
        summary=(
            f"{item.reference} recorded as met on {when(decision.decided_on)}, citing "
            + ", ".join(e.reference for e in cited)
        ),
        before={"item": item.reference, "standing_decision": None},
        after=decision_facts(decision),
    )


def new_decision(
    enrolment: Enrolment, assessor: Person, item: Criterion | KnowledgeItem, cited: list[Evidence],
    decided_on: datetime.date,
) -> Decision:
    """Saves and audits a decision the caller has checked (the enrolment locked, the item undecided,
    the evidence `citable`, the date checked)."""
    decision = Decision(
        enrolment=enrolment,
        criterion=item if isinstance(item, Criterion) else None,
        knowledge_item=item if isinstance(item, KnowledgeItem) else None,
        decided_by=assessor,
        decided_on=decided_on,
        decided_at=timezone.now(),
    )
    decision.full_clean(validate_constraints=False)  # the database checks them, race-safe
    decision.save()
    decision.evidence.set(cited)
    met_counts.decision_counted(enrolment=enrolment, criterion_id=decision.criterion_id, change=1)
    _record_decision_recorded(decision, cited)
    return decision


def decision_record(
    *,
    enrolment: Enrolment,
    assessor: Person,
    criterion: Criterion | None = None,
    knowledge_item: KnowledgeItem | None = None,
    evidence: list[Evidence],
    decided_on: datetime.date,
    seen_decision_id: int | object | None = NOT_GIVEN,
) -> Decision:
    """Records one criterion or knowledge item of the unit as met, citing accepted evidence.

    `seen_decision_id` is the standing decision on the item the assessor saw when the page was
    drawn (None: none). If another assessor changed it since, nothing is saved."""
    if (criterion is None) == (knowledge_item is None):
        raise PortfolioError("Choose one criterion or one knowledge item to record as met.")
    item = cast(Criterion | KnowledgeItem, criterion or knowledge_item)  # exactly one, checked above
    try:
        with transaction.atomic():
            enrolment = locked_enrolment(enrolment)
            require_assessor(enrolment, assessor, "record decisions")
            _require_item_undecided(enrolment, item, seen_decision_id)
            cited = citable(enrolment, item, evidence)
            check_date(item, decided_on, cited)
            decision = new_decision(enrolment, assessor, item, cited, decided_on)
    except IntegrityError:
        raise PortfolioError(
            f"Someone else recorded {item.reference} at the same moment. Nothing was changed: look at it again."
        ) from None
    return decision


def decision_withdraw(*, decision: Decision, assessor: Person, reason: str) -> Decision:
    """Withdraws a standing decision before sign-off. The decision and the reason stay on record."""
    reason = reason.strip()
    if not reason:
        raise PortfolioError("Give the reason for withdrawing the decision: it is kept with the record.")
    with transaction.atomic():
        enrolment = locked_enrolment(decision.enrolment)
        decision = Decision.objects.select_related(
            "criterion", "knowledge_item", "decided_by", "withdrawn_by"
        ).get(pk=decision.pk)
        item = decision.item
        require_assessor(enrolment, assessor, "withdraw decisions")
        require_unlocked(enrolment, "decisions cannot be withdrawn")
        if decision.withdrawn_at is not None:
            raise PortfolioError(
                f"That decision on {item.reference} was already withdrawn by {decision.withdrawn_by} "
                f"on {when(decision.withdrawn_at)}."
            )
        before = decision_facts(decision)
        decision.withdrawn_by = assessor
        decision.withdrawn_at = timezone.now()
        decision.withdrawal_reason = reason
        decision.save(update_fields=["withdrawn_by", "withdrawn_at", "withdrawal_reason"])
        met_counts.decision_counted(enrolment=enrolment, criterion_id=decision.criterion_id, change=-1)
        audit.record(
            AssessmentAction.DECISION_WITHDRAWN,
            actor=assessor,
            centre=enrolment.centre,
            enrolment=enrolment,
            summary=f"{item.reference} decision of {when(decision.decided_on)} withdrawn: {reason}",
            before=before,
            after={
                "item": item.reference,
                "withdrawn_by": str(assessor),
                "withdrawn_at": utc_iso(decision.withdrawn_at),
                "reason": reason,
                "standing_decision": None,
            },
        )
    return decision
