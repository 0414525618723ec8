"""Judging evidence: the assessor accepts it as valid, authentic, current and sufficient (VACS) or
refers it back with feedback. Every round is a `Judgement` of its own, so none is ever lost. An
acceptance carries the assessor's record of the scope the evidence covers (`assessments.scope`)."""

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from portfolio import access, audit, held_roles, judged_by, locks, services
from portfolio.errors import PortfolioError
from portfolio.models import (
    AssessmentMethod,
    Enrolment,
    Evidence,
    EvidenceFile,
    EvidenceState,
    Person,
)
from portfolio.notifications import NotificationKind, evidence_named, notify
from standards.models import Criterion, KnowledgeItem, ScopeItem

from .. import scope
from ..audit_actions import AssessmentAction
from ..models import Judgement, ReferralNote
from . import decide, judging_locks, other_assessors
from .decisions import require_open_for_evidence
from .judging_round import Round, require_seen

VACS = ("valid", "authentic", "current", "sufficient")
ASSESSOR_METHODS = (AssessmentMethod.DIRECT_OBSERVATION, AssessmentMethod.QUESTIONING)
RECORDED_BY_THE_ASSESSOR = "Recorded by the assessor"


def _require_assessor(evidence: Evidence, assessor: Person) -> None:
    if not access.assesses_candidate(assessor, evidence):
        raise PortfolioError("Only the candidate's assessor can judge their evidence.")
    held_roles.require_candidate_here(evidence)
    # Bearing only on withdrawn or transferred units, it waits for nobody's judgement.
    locks.require_not_closed_only(evidence)
    if not judged_by.judges(assessor, evidence):
        # Mapped only to units another assessor assesses: theirs to judge.
        raise PortfolioError(judged_by.judged_elsewhere_words(evidence) or "Only its assessor judges it.")


def _require_submitted(evidence: Evidence) -> None:
    if evidence.state == EvidenceState.SUBMITTED:
        return
    if evidence.state == EvidenceState.ACCEPTED:
        raise PortfolioError(f"{evidence.reference} has already been accepted.")
    if evidence.state == EvidenceState.REFERRED:
        raise PortfolioError(f"{evidence.reference} has already been referred back to the candidate.")
    raise PortfolioError(
        f"{evidence.reference} is a draft: it can be judged once the candidate submits it."
    )


# The audit action of each outcome of a judgement.
_JUDGED: dict[str, AssessmentAction] = {
    Judgement.Outcome.ACCEPTED: AssessmentAction.EVIDENCE_ACCEPTED,
    Judgement.Outcome.REFERRED: AssessmentAction.EVIDENCE_REFERRED,
}


def _locked(evidence: Evidence) -> Evidence:
    # Two assessors judging at once: the second waits here, then finds the evidence judged.
    return Evidence.objects.select_for_update().get(pk=evidence.pk)


def _evidence_link(evidence: Evidence) -> str:
    return reverse("assessments:evidence_detail", args=[evidence.pk])


def _judge(
    evidence: Evidence, assessor: Person, outcome: str, feedback: str, vacs: dict[str, bool],
    scope_items: list[ScopeItem] | None = None,
) -> Judgement:
    before = {"state": evidence.state, "version": evidence.version}
    judgement = Judgement(
        evidence=evidence,
        version=evidence.version,
        outcome=outcome,
        feedback=feedback,
        assessor=assessor,
        judged_at=timezone.now(),
        **vacs,
    )
    judgement.full_clean()
    judgement.save()
    record_units_judged(judgement)
    scope_items = scope_items or []
    judgement.scope_items.set(scope_items)
    evidence.state = outcome  # the outcomes are named as the states they lead to
    evidence.save(update_fields=["state", "updated_at"])
    audit.record(
        _JUDGED[outcome],
        actor=assessor,
        centre=evidence.centre,
        evidence=evidence,
        summary=(
            f"{evidence.reference} version {evidence.version} {judgement.get_outcome_display().lower()}"
            + (f": {feedback}" if feedback else "")
        ),
        before=before,
        after={"state": evidence.state, "version": evidence.version, "feedback": feedback, **vacs,
               **({"scope_covered": sorted(s.reference for s in scope_items)} if scope_items else {})},
    )
    return judgement


def record_units_judged(judgement: Judgement) -> None:
    """Records the candidate's units at the centre the judged evidence is mapped to, as it is mapped
    now, with its assessor, time and outcome: what the decisions report counts the judgement for
    (`JudgedEnrolment`). Items the assessor
    maps when accepting are of these units already (`decide.enrolments_to_lock`)."""
    evidence = judgement.evidence
    mapped = Q(Exists(Evidence.criteria.through.objects.filter(evidence=evidence, criterion__unit=OuterRef("unit")))) | Q(
        Exists(Evidence.knowledge_items.through.objects.filter(evidence=evidence, knowledgeitem__unit=OuterRef("unit")))
    )
    judgement.enrolments.set(
        Enrolment.objects.filter(candidate_id=evidence.candidate_id, centre_id=evidence.centre_id).filter(mapped),
        through_defaults={"assessor": judgement.assessor, "judged_at": judgement.judged_at, "outcome": judgement.outcome},
    )


def _scope_recorded(evidence: Evidence, assessor: Person, scope_items: Iterable[ScopeItem] | None) -> list[ScopeItem]:
    """The assessor's record of the scope the evidence covers: what they ticked, or, given nothing,
    the candidate's mapping as the form pre-ticks it. Only scope of the units it is mapped to that
    they assess and that are not signed off (`scope.scope_items_to_judge`)."""
    offered = list(scope.scope_items_to_judge(evidence, assessor))
    if scope_items is None:
        return scope.as_the_candidate_mapped(evidence, offered)
    chosen = list(scope_items)
    if not {s.pk for s in chosen} <= {s.pk for s in offered}:
        raise PortfolioError(
            f"Tick only scope items of the units {evidence.reference} is mapped to that you assess, and none of "
            "a unit that is signed off: another unit's scope is its own assessor's record."
        )
    return chosen


def _require_vacs(vacs: dict[str, bool]) -> None:
    unconfirmed = [name for name in VACS if not vacs[name]]
    if unconfirmed:
        raise PortfolioError(
            "Evidence can be accepted only if it is valid, authentic, current and sufficient: "
            f"confirm that it is {_words(unconfirmed)}, or refer it back with feedback."
        )


def _accepted_words(evidence: Evidence, assessor: Person, decided: decide.Decided | None) -> str:
    said = f"{assessor} accepted {evidence_named(evidence)} “{evidence.title}”"
    if decided is None or not decided.count:
        return said + "."
    refs = [d.item.reference for d in decided.recorded + decided.cited]
    return f"{said} and recorded {len(refs)} item{'s' if len(refs) != 1 else ''} as met by it: {', '.join(refs)}."


def evidence_accept(
    *,
    evidence: Evidence,
    assessor: Person,
    valid: bool,
    authentic: bool,
    current: bool,
    sufficient: bool,
    feedback: str = "",
    scope_items: Iterable[ScopeItem] | None = None,
    proves: Iterable[Criterion | KnowledgeItem] = (),
    decided_on: datetime.date | None = None,
    seen: Round | None = None,
) -> Judgement:
    """Accepts submitted evidence, with the assessor's confirmation of each of the four VACS rules
    and their record of the scope items it covers (None: as the candidate mapped it). In the same
    transaction, each criterion and knowledge item in `proves` is recorded as met on `decided_on`
    (today if not given) citing the evidence, or the evidence is added to the decision already
    standing on it (`decide`); an item the candidate did not map is mapped first. If any of it is
    refused, nothing changes: the evidence is not accepted either. `seen`: the submission the
    assessor's page showed; another one is refused (`judging_round`)."""
    vacs = {"valid": valid, "authentic": authentic, "current": current, "sufficient": sufficient}
    proves = list(proves)
    try:
        with transaction.atomic():
            concerned = judging_locks.units_concerned(evidence)
            _require_assessor(evidence, assessor)
            # The units' locks before the evidence's, in the order every decision takes them.
            judging_locks.lock_units(evidence, concerned)
            enrolments = decide.enrolments_to_lock(evidence, assessor, proves)
            evidence = _locked(evidence)
            _require_submitted(evidence)
            require_seen(evidence, seen)
            _require_vacs(vacs)
            covered = _scope_recorded(evidence, assessor, scope_items)
            judgement = _judge(evidence, assessor, Judgement.Outcome.ACCEPTED, feedback.strip(), vacs, covered)
            decided = None
            if proves:
                decide.map_what_the_candidate_missed(evidence, assessor, proves)
                decided = decide.record_what_it_proves(
                    evidence, assessor, enrolments, proves, decided_on or timezone.localdate()
                )
            notify(
                [evidence.candidate],
                _accepted_words(evidence, assessor, decided) + other_assessors.deciding_the_rest(evidence, assessor),
                subject=f"{assessor} accepted {evidence_named(evidence)}",
                centre=evidence.centre_id, kind=NotificationKind.EVIDENCE_ACCEPTED,
                link=_evidence_link(evidence),
            )
            other_assessors.tell(evidence, judgement)
    except IntegrityError:
        raise PortfolioError(
            f"Someone else recorded a decision on one of these items at the same moment. {evidence.reference} "
            "was not accepted and nothing was changed: look at it again."
        ) from None
    return judgement


def _keep_notes(judgement: Judgement, evidence: Evidence, notes: Mapping[Criterion | KnowledgeItem, str]) -> None:
    mapped = set(evidence.criteria.values_list("pk", flat=True)), set(evidence.knowledge_items.values_list("pk", flat=True))
    rows = []
    for item, text in notes.items():
        text = text.strip()
        if not text:
            continue
        criterion = item if isinstance(item, Criterion) else None
        knowledge_item = item if isinstance(item, KnowledgeItem) else None
        if item.pk not in mapped[0 if criterion else 1]:
            raise PortfolioError(f"A note goes on an item {evidence.reference} is mapped to; {item.reference} is not.")
        row = ReferralNote(judgement=judgement, text=text, criterion=criterion, knowledge_item=knowledge_item)
        row.full_clean()
        rows.append(row)
    ReferralNote.objects.bulk_create(rows)


def evidence_refer_back(
    *, evidence: Evidence, assessor: Person, feedback: str, notes: Mapping[Criterion | KnowledgeItem, str] | None = None,
    seen: Round | None = None,
) -> Judgement:
    """Sends submitted evidence back to the candidate with what to change, and a note on any item
    it is mapped to (`notes`, by item); they may then change it and submit it again, and this round
    stays on record. `seen`: the submission the assessor's page showed, as for accepting."""
    feedback = feedback.strip()
    with transaction.atomic():
        concerned = judging_locks.units_concerned(evidence)
        _require_assessor(evidence, assessor)
        judging_locks.lock_units(evidence, concerned)
        evidence = _locked(evidence)
        _require_submitted(evidence)
        require_seen(evidence, seen)
        if not feedback:
            raise PortfolioError("Write feedback that tells the candidate what to change before referring it back.")
        vacs = dict.fromkeys(VACS, False)
        judgement = _judge(evidence, assessor, Judgement.Outcome.REFERRED, feedback, vacs)
        _keep_notes(judgement, evidence, notes or {})
        named = evidence_named(evidence)
        notify(
            [evidence.candidate],
            f"{assessor} referred {named} “{evidence.title}” back to you with feedback.",
            subject=f"{assessor} referred {named} back to you",
            centre=evidence.centre_id, kind=NotificationKind.EVIDENCE_REFERRED,
            link=_evidence_link(evidence),
        )
        other_assessors.tell(evidence, judgement)
    return judgement


def _words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _require_assessor_may_record(
    enrolment: Enrolment,
    assessor: Person,
    method: str,
    account: str,
    items: list[Criterion | KnowledgeItem],
    scope_items: list[ScopeItem],
) -> None:
    """The case's assessor records their own evidence, written down and mapped to this unit, while
    the unit still takes evidence."""
    if not access.is_assessor_of(assessor, enrolment):
        raise PortfolioError("Only the candidate's assessor on this unit can record evidence for it.")
    held_roles.require_candidate_here(enrolment)
    if method not in ASSESSOR_METHODS:
        raise PortfolioError("An assessor records an observation or questions and answers.")
    if not account.strip():
        raise PortfolioError("Write down what you saw, or the questions you asked and the answers given.")
    if not items:
        raise PortfolioError("Tick at least one criterion or knowledge item this evidence proves.")
    if any(item.unit_id != enrolment.unit_id for item in items):
        raise PortfolioError(f"Tick only criteria and knowledge items of {enrolment.unit.code}.")
    if any(item.category.unit_id != enrolment.unit_id for item in scope_items):
        raise PortfolioError(f"Tick only scope items of {enrolment.unit.code}.")
    require_open_for_evidence(enrolment)


def _notify_assessor_evidence(evidence: Evidence, assessor: Person, enrolment: Enrolment) -> None:
    named = evidence_named(evidence)
    notify(
        [enrolment.candidate],
        f"{assessor} recorded {named} “{evidence.title}” "
        f"({evidence.get_method_display().lower()}) on your portfolio.",
        subject=f"{assessor} recorded {named} on your portfolio",
        centre=enrolment.centre_id, kind=NotificationKind.EVIDENCE_RECORDED,
        link=_evidence_link(evidence),
    )


def assessor_evidence_record(
    *,
    enrolment: Enrolment,
    assessor: Person,
    method: str,
    title: str,
    activity_date: datetime.date,
    location: str = "",
    account: str,
    uploads: Sequence[UploadedFile] = (),
    criteria: Iterable[Criterion] = (),
    knowledge_items: Iterable[KnowledgeItem] = (),
    scope_items: Iterable[ScopeItem] = (),
) -> Evidence:
    """The assessor's own evidence on the candidate's portfolio: an observation record or a record
    of questions and answers, mapped to the unit (with the scope it covers) and accepted at once as
    the assessor's judgement. In the same transaction, each criterion and knowledge item ticked is
    recorded as met citing it, or it is added to the decision already standing on the item, as
    the judge page does (`decide.record_what_it_proves`): the assessor ticks once, not again on the
    decisions page. Refused in part, nothing is recorded."""
    criteria, knowledge_items = list(criteria), list(knowledge_items)
    scope_items = list(scope_items)
    _require_assessor_may_record(enrolment, assessor, method, account, [*criteria, *knowledge_items], scope_items)
    stored: list[str] = []
    try:
        with transaction.atomic():
            # The unit's lock before the evidence's, in the order every decision takes them.
            locked = decide.lock_to_decide(enrolment)
            evidence = services.evidence_create(
                candidate=enrolment.candidate,
                centre=enrolment.centre,
                author=assessor,
                title=title,
                method=method,
                activity_date=activity_date,
                location=location,
                account=account,
                uploads=uploads,
            )
            stored = list(evidence.files.values_list("file", flat=True))
            services.evidence_map(
                evidence=evidence, editor=assessor, criteria=criteria, knowledge_items=knowledge_items,
                scope_items=scope_items,
            )
            evidence = _locked(evidence)
            _judge(
                evidence, assessor, Judgement.Outcome.ACCEPTED, RECORDED_BY_THE_ASSESSOR,
                dict.fromkeys(VACS, True), scope_items,
            )
            decide.record_what_it_proves(
                evidence, assessor, {enrolment.unit_id: locked}, [*criteria, *knowledge_items], timezone.localdate()
            )
            _notify_assessor_evidence(evidence, assessor, enrolment)
    except BaseException:
        # The rows are rolled back; the files written for them must go too.
        storage = EvidenceFile._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise
    return evidence
