"""Deciding many items in one submit, and adding evidence to a decision already recorded.

The judge form (accept an evidence item and record what it proves) and the decisions page (one form
for the whole unit) both record several items at once. Each item either gets a new decision citing
the evidence ticked or, when a decision already stands on it, that evidence is added to its
citations: the decision is not withdrawn, and a `CitationAddition` keeps who added which evidence
and when. A submit is one transaction: if any item is refused, nothing at all changes.

Decisions still cite only the candidate's accepted evidence mapped to the item (`decisions.citable`).
A citation added later keeps the decision's own date: it is dated by its addition, in its history.
The enrolments are locked before any evidence, in id order, as every decision service does, so two
submits on one unit run one after the other.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from portfolio import audit, locks, mapped_items
from portfolio.audit import PortfolioAction
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Evidence, Person
from standards.models import Criterion, KnowledgeItem

from .. import met_counts
from ..audit_actions import AssessmentAction
from ..integrity import utc_iso, when
from ..judging_items import enrolments_to_decide
from ..models import CitationAddition, Decision
from .decisions import (
    NOT_GIVEN,
    changed_meanwhile,
    check_added_date,
    check_date,
    citable,
    decision_facts,
    locked_enrolment,
    new_decision,
    require_assessor,
    require_unlocked,
    standing_decision_on,
)

Item = Criterion | KnowledgeItem


@dataclass(frozen=True)
class Proof:
    """An item the assessor records as met and the evidence they cite for it. `seen` is the
    standing decision the page showed on it (None: none), when the page says."""

    item: Item
    evidence: list[Evidence]
    seen: int | object | None = NOT_GIVEN


@dataclass
class Decided:
    """What a submit did: the decisions it recorded, and those it added evidence to."""

    recorded: list[Decision] = field(default_factory=list)
    cited: list[Decision] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.recorded) + len(self.cited)


def _add_citations(decision: Decision, assessor: Person, added: list[Evidence]) -> None:
    check_added_date(decision, added)
    before = decision_facts(decision)
    now = timezone.now()
    additions = [CitationAddition(decision=decision, evidence=e, added_by=assessor, added_at=now) for e in added]
    for addition in additions:
        addition.full_clean(validate_constraints=False)
    CitationAddition.objects.bulk_create(additions)
    decision.evidence.add(*added)
    refs = [e.reference for e in added]
    audit.record(
        AssessmentAction.DECISION_CITATION_ADDED,
        actor=assessor,
        centre=decision.enrolment.centre,
        enrolment=decision.enrolment,
        summary=(
            f"{', '.join(refs)} added to the evidence of the decision on {decision.item.reference} of "
            f"{when(decision.decided_on)}, which stands"
        ),
        before=before,
        after={**decision_facts(decision), "added": refs, "added_by": str(assessor), "added_at": utc_iso(now)},
    )


def meet_or_cite(enrolment: Enrolment, assessor: Person, proof: Proof, decided_on: datetime.date, done: Decided) -> None:
    """Records the item as met, or adds the evidence to the decision standing on it. The caller
    holds the enrolment's lock and has checked the assessor and that the unit is not locked."""
    item = proof.item
    if item.unit_id != enrolment.unit_id:
        raise PortfolioError(f"{item.reference} is not part of {enrolment.unit.code}.")
    standing = standing_decision_on(enrolment, item)
    if proof.seen is not NOT_GIVEN and (standing.pk if standing else None) != proof.seen:
        raise PortfolioError(changed_meanwhile(item, standing))
    cited = citable(enrolment, item, proof.evidence)
    if standing is None:
        check_date(item, decided_on, cited)
        done.recorded.append(new_decision(enrolment, assessor, item, cited, decided_on))
        return
    already = set(standing.evidence.values_list("pk", flat=True))
    added = [e for e in cited if e.pk not in already]
    if added:
        _add_citations(standing, assessor, added)
        done.cited.append(standing)


def decisions_record(
    *, enrolment: Enrolment, assessor: Person, proofs: Sequence[Proof], decided_on: datetime.date
) -> Decided:
    """The decisions page's one submit: each item ticked recorded as met, or the evidence ticked
    added to the decision standing on it. All of it, or (any item refused) none of it."""
    if not proofs:
        raise PortfolioError("Tick the evidence that proves at least one criterion or knowledge item.")
    done = Decided()
    try:
        with transaction.atomic():
            enrolment = locked_enrolment(enrolment)
            require_assessor(enrolment, assessor, "record decisions")
            require_unlocked(enrolment, "decisions cannot be recorded")
            with met_counts.counting():
                for proof in proofs:
                    meet_or_cite(enrolment, assessor, proof, decided_on, done)
    except IntegrityError:
        raise PortfolioError(
            "Someone else recorded one of these items at the same moment. Nothing was changed: look at them again."
        ) from None
    return done


def decision_cite(*, decision: Decision, assessor: Person, evidence: list[Evidence]) -> Decision:
    """Adds evidence to a standing decision's citations without withdrawing it; the addition is kept
    in the decision's history. Refused while the unit is signed off: the signed record rests on it."""
    with transaction.atomic():
        enrolment = locked_enrolment(decision.enrolment)
        require_assessor(enrolment, assessor, "add evidence to its decisions")
        require_unlocked(enrolment, "evidence cannot be added to its decisions")
        decision = Decision.objects.select_related("criterion", "knowledge_item", "decided_by", "withdrawn_by").get(
            pk=decision.pk
        )
        item = decision.item
        if decision.withdrawn_at is not None:
            raise PortfolioError(
                f"That decision on {item.reference} was withdrawn by {decision.withdrawn_by} on "
                f"{when(decision.withdrawn_at)}: record a new one instead."
            )
        cited = citable(enrolment, item, evidence)
        already = set(decision.evidence.values_list("pk", flat=True))
        added = [e for e in cited if e.pk not in already]
        if not added:
            refs = ", ".join(e.reference for e in cited)
            raise PortfolioError(f"The decision on {item.reference} already cites {refs}.")
        _add_citations(decision, assessor, added)
    return decision


# The judge form: what an evidence item proves, recorded as it is accepted.


def enrolments_to_lock(evidence: Evidence, assessor: Person, items: Iterable[Item]) -> dict[int, Enrolment]:
    """The enrolments the items belong to, by unit id, locked in id order: only units the evidence is
    mapped to, that this assessor assesses and that no sign-off locks."""
    wanted = {item.unit_id for item in items}
    if not wanted:
        return {}
    open_units = {e.unit_id: e for e in enrolments_to_decide(evidence, assessor)}
    if not wanted <= open_units.keys():
        raise PortfolioError(
            f"Tick only criteria and knowledge items of the units {evidence.reference} is mapped to that you "
            "assess, and none of a unit that is signed off."
        )
    locked = {}
    for unit_id in sorted(wanted, key=lambda u: open_units[u].pk):
        enrolment = locked_enrolment(open_units[unit_id])
        require_unlocked(enrolment, "decisions cannot be recorded")
        locked[unit_id] = enrolment
    return locked


def lock_to_decide(enrolment: Enrolment) -> Enrolment:
    """The enrolment locked for decisions on it, refused while a sign-off locks it, or once it is
    withdrawn or transferred (read again under the lock: it may have closed since the checks)."""
    enrolment = locked_enrolment(enrolment)
    locks.require_not_closed(enrolment, "it takes no new evidence")
    require_unlocked(enrolment, "decisions cannot be recorded")
    return enrolment


def map_what_the_candidate_missed(evidence: Evidence, assessor: Person, items: Iterable[Item]) -> None:
    """Adds to the evidence's mapping the items the assessor ticked and the candidate did not: a
    decision cites only evidence mapped to its item, and here the assessor is the one who puts it
    forward. Kept in the evidence's history with who did it."""
    items = list(items)
    mapped = {("criterion", pk) for pk in evidence.criteria.values_list("pk", flat=True)}
    mapped |= {("knowledge", pk) for pk in evidence.knowledge_items.values_list("pk", flat=True)}
    missed = [i for i in items if (("criterion" if isinstance(i, Criterion) else "knowledge"), i.pk) not in mapped]
    if not missed:
        return
    before = mapped_items.audit_facts(evidence)
    evidence.criteria.add(*[i for i in missed if isinstance(i, Criterion)])
    evidence.knowledge_items.add(*[i for i in missed if isinstance(i, KnowledgeItem)])
    audit.record(
        PortfolioAction.EVIDENCE_MAPPED,
        actor=assessor,
        centre=evidence.centre,
        evidence=evidence,
        summary=(
            f"{evidence.reference} also mapped by the assessor, when accepting it, to "
            + ", ".join(i.reference for i in missed)
        ),
        before=before,
        after=mapped_items.audit_facts(evidence),
    )


def record_what_it_proves(
    evidence: Evidence, assessor: Person, enrolments: dict[int, Enrolment], items: Iterable[Item],
    decided_on: datetime.date,
) -> Decided:
    """Each item recorded as met citing the evidence (just accepted), or the evidence added to the
    decision already standing on it. Inside the caller's transaction, with `enrolments` locked."""
    done = Decided()
    with met_counts.counting():
        for item in items:
            meet_or_cite(enrolments[item.unit_id], assessor, Proof(item, [evidence]), decided_on, done)
    return done
