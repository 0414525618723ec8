"""What an assessor reads: the evidence waiting for them, the units they assess, and what their IQA
has referred back to them; and where each unit stands, for lists. The unit page's panels are in
`unit_panels`. Who may read what is decided in `access`: these functions are given what the view
fetched through it."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from portfolio import case_seals, dates, locks
from portfolio import selectors as portfolio_selectors
from portfolio.case_evidence import evidence_of
from portfolio.held_roles import as_assessor, candidate_here
from portfolio.models import (
    Enrolment,
    EnrolmentStatus,
    Evidence,
    EvidenceState,
    Membership,
    Person,
    Role,
)
from portfolio.referrals import ItemNote, ReferralFeedback
from portfolio.waiting import waiting_for
from standards.models import Criterion, KnowledgeItem

from . import record_seals, sign_off_seals
from .counted import left_out
from .fixity import found_changed_since_sign_off
from .models import Judgement, QualityReview, SignOff
from .queue_choices import UNFILTERED, QueueFilter
from .sampling import with_state
from .unit_state import PAUSED, Badge, UnitState, completed_at


def is_assessor(person: Person) -> bool:
    return Role.ASSESSOR in portfolio_selectors.roles_of(person)


def assesses_at_several_centres(person: Person) -> bool:
    """Whether the person is an assessor at more than one centre: their units' tables then name each
    row's centre (an outside trial: with two centres the rows were ambiguous). One query."""
    return Membership.objects.filter(person=person, role=Role.ASSESSOR).values("centre").distinct().count() > 1


def evidence_queue(assessor: Person, chosen: QueueFilter = UNFILTERED) -> QuerySet[Evidence]:
    """Submitted evidence of the assessor's candidates, the longest waiting first. Not a deactivated
    candidate's: they work on nothing here, so it waits for no one (as their units are in no
    caseload); `queue_counts` says how many are left out."""
    return _submitted_to(assessor, chosen).filter(candidate_here())


def queue_counts(assessor: Person, chosen: QueueFilter = UNFILTERED) -> tuple[int, int]:
    """How many are in the queue, and how many of deactivated candidates are left out of it: one query."""
    here = Q(candidate_here())
    counted = _submitted_to(assessor, chosen).aggregate(waiting=Count("pk", filter=here), left_out=Count("pk", filter=~here))
    return counted["waiting"], counted["left_out"]


def _submitted_to(assessor: Person, chosen: QueueFilter) -> QuerySet[Evidence]:
    queue = (
        # The evidence waiting for them, by the rule their home counts it (`portfolio.waiting`).
        waiting_for(assessor)
        .select_related("candidate")
        .order_by("submitted_at", "pk")
    )
    if chosen.candidate_id is not None:
        queue = queue.filter(candidate_id=chosen.candidate_id)
    if chosen.unit_id is not None:
        queue = queue.filter(_mapped_to_unit(chosen.unit_id))
    return queue


def _mapped_to_unit(unit_id: int) -> Q:
    criteria = Evidence.criteria.through.objects.filter(evidence=OuterRef("pk"), criterion__unit_id=unit_id)
    knowledge = Evidence.knowledge_items.through.objects.filter(
        evidence=OuterRef("pk"), knowledgeitem__unit_id=unit_id
    )
    return Q(Exists(criteria)) | Q(Exists(knowledge))


def after_judging(assessor: Person, evidence: Evidence) -> tuple[Evidence | None, Enrolment | None]:
    """Where the assessor goes once the evidence is judged: the next evidence of the same candidate
    waiting for them on one of its units (the queue's order), or, when none is left, the first of
    its units they assess, for its decisions review. Only units the evidence is mapped to."""
    unit_ids = {
        *evidence.criteria.values_list("unit_id", flat=True),
        *evidence.knowledge_items.values_list("unit_id", flat=True),
    }
    enrolments = (
        Enrolment.objects.filter(
            as_assessor(assessor), candidate_id=evidence.candidate_id, centre_id=evidence.centre_id, unit_id__in=unit_ids
        )
        .select_related("unit")
        .order_by("unit__code")
    )
    mine = [e.unit_id for e in enrolments]
    if not mine:
        return None, None
    on_its_units = Q()
    for unit_id in mine:
        on_its_units |= _mapped_to_unit(unit_id)
    waiting = (
        evidence_queue(assessor, QueueFilter(candidate_id=evidence.candidate_id))
        .exclude(pk=evidence.pk)
        .filter(on_its_units)
        .first()
    )
    return waiting, (None if waiting else enrolments.first())


def with_unit_codes(shown: Iterable[Evidence]) -> list[Evidence]:
    """The evidence of `shown` (a slice of a queue), each with `unit_codes`: the units its criteria
    and knowledge items belong to, and `signed_off_only`: the signed-off units, when those are all
    it is mapped to (`portfolio.locks`). Eight queries however long the list, and as many when it
    is empty. The codes are read by the ids of the evidence already read, not through the queue's
    query again, which would run the whole queue twice more."""
    evidence = list(shown)
    codes: dict[int, set[str]] = {item.pk: set() for item in evidence}
    # No id is 0: an empty page still asks (Django answers an empty list without asking), so the
    # page reads the same number of queries whether anything waits or not.
    ids = [item.pk for item in evidence] or [0]
    for model, field in (
        (Evidence.criteria.through, "criterion__unit__code"),
        (Evidence.knowledge_items.through, "knowledgeitem__unit__code"),
    ):
        rows = model.objects.filter(evidence_id__in=ids).values_list("evidence_id", field)
        for evidence_id, code in rows:
            codes.setdefault(evidence_id, set()).add(code)
    signed_off_only = locks.signed_off_only(evidence)
    for item in evidence:
        item.unit_codes = sorted(codes[item.pk])  # type: ignore[attr-defined]  # for the template
        # Mapped only to signed-off units: judging it will not change their signed records.
        item.signed_off_only = signed_off_only.get(item.pk, [])  # type: ignore[attr-defined]  # for the template
    return evidence


def referrals_for(assessor: Person) -> QuerySet[QualityReview]:
    """What IQAs referred back to this assessor and the assessor has not yet done."""
    return (
        QualityReview.objects.filter(
            as_assessor(assessor, "enrolment__"),
            outcome=QualityReview.Outcome.REFERRED,
            actions_done_at__isnull=True,
        )
        .select_related("enrolment__candidate", "enrolment__unit", "iqa")
        .order_by("reviewed_at", "sampled_at")
    )


def waiting_for_unit(enrolment: Enrolment) -> int:
    """How many of the candidate's submitted evidence items are mapped to this unit."""
    return (
        evidence_of(enrolment).filter(state=EvidenceState.SUBMITTED)
        .filter(_mapped_to_unit(enrolment.unit_id))
        .count()
    )


def latest_referral(evidence: Evidence) -> ReferralFeedback | None:
    """The assessor's feedback on the latest round, if it referred the evidence back: what the
    candidate's Change page shows above the form (`portfolio.referrals`)."""
    judgement = (
        Judgement.objects.filter(evidence=evidence).select_related("assessor")
        .prefetch_related("notes__criterion", "notes__knowledge_item").order_by("-judged_at", "-pk").first()
    )
    if judgement is None or judgement.outcome != Judgement.Outcome.REFERRED:
        return None
    return ReferralFeedback(
        assessor_name=judgement.assessor.get_full_name() or judgement.assessor.email,
        referred_at=judgement.judged_at,
        version=judgement.version,
        feedback=judgement.feedback,
        notes=[ItemNote(note.item.reference, note.text) for note in judgement.notes.all()],
    )


def unit_items(enrolment: Enrolment) -> tuple[QuerySet[Criterion], QuerySet[KnowledgeItem]]:
    """The unit's criteria and knowledge items, in the standard's order, for mapping an assessor's record."""
    return (
        Criterion.objects.filter(unit_id=enrolment.unit_id).order_by("position"),
        KnowledgeItem.objects.filter(unit_id=enrolment.unit_id).order_by("position"),
    )


# Where each unit stands (in progress, signed off, countersigned by the candidate, by the IQA), for
# lists of enrolments such as the centre's. ------------------------------------------------------


IN_PROGRESS = UnitState.IN_PROGRESS.badge


def _day(moment: datetime.datetime | None) -> str:
    return dates.day(moment)


@dataclass(frozen=True)
class _Reviews:
    """What the IQA's reviews say of one unit's standing sign-off, for its state and completion."""

    countersigned_at: datetime.datetime | None = None  # the latest countersignature of it
    referred: bool = False  # the IQA referred it back (answered or not)
    waiting: bool = False  # a review waits in the IQA's sample


def _state(key: str, sign_off: SignOff | None, reviews: _Reviews) -> Badge:
    """The badge of a state of `sampling.with_state` (the IQA's sample page lists and filters by
    the same states), with the dates that go with it and when the unit was completed."""
    state = UnitState(key)
    if state == UnitState.IN_PROGRESS or sign_off is None:
        return IN_PROGRESS
    completed = completed_at(
        state, candidate_countersigned_at=sign_off.candidate_signed_at,
        iqa_countersigned_at=reviews.countersigned_at, iqa_to_review=reviews.waiting or reviews.referred,
    )
    if state == UnitState.REFERRED:
        return replace(state.badge, detail=f"Signed off {_day(sign_off.assessor_signed_at)}")
    if state == UnitState.COUNTERSIGNED:
        detail = f"completed {_day(completed)}, when the IQA countersigned" if completed else _day(reviews.countersigned_at)
        return replace(state.badge, detail=detail, completed_at=completed)
    if state == UnitState.SIGNED_OFF:
        if completed:
            detail = f"completed {_day(completed)}, when the candidate countersigned"
        else:
            detail = f"countersigned by the candidate {_day(sign_off.candidate_signed_at)}; waiting for the IQA’s review"
        return replace(state.badge, detail=detail, completed_at=completed)
    return state.badge


def unit_states(enrolments: Iterable[object]) -> dict[int, Badge]:
    """Each enrolment's state by its id, with when it was completed, in three queries however many
    enrolments; a withdrawn or transferred one is shown as that, whatever its record says."""
    listed = [e for e in enrolments if isinstance(e, Enrolment)]
    ids = [e.pk for e in listed]
    keys: dict[int, str] = {}
    paused: set[int] = set()
    # A deactivated candidate's unit not signed off is paused, by the home's rule (`counted.left_out`).
    # A unit whose sign-offs are not those the portfolio made (one deleted: `sign_off_seals`) is marked.
    sign_offs_changed: set[int] = set()
    for pk, key, is_paused, seal_broken in with_state(Enrolment.objects.filter(pk__in=ids)).annotate(
        paused=ExpressionWrapper(left_out(), output_field=BooleanField()),
        seal_broken=ExpressionWrapper(sign_off_seals.sign_offs_changed(), output_field=BooleanField()),
    ).values_list("pk", "state", "paused", "seal_broken"):
        keys[pk] = key
        if is_paused:
            paused.add(pk)
        if seal_broken:
            sign_offs_changed.add(pk)
    standing = {
        s.enrolment_id: s for s in SignOff.objects.standing().without_record().filter(enrolment_id__in=ids)
        .annotate(changed=ExpressionWrapper(found_changed_since_sign_off(), output_field=BooleanField()))
    }
    reviews: dict[int, _Reviews] = {}
    rows = (
        QualityReview.objects.filter(
            Q(sign_off__in=list(standing.values())) | Q(enrolment_id__in=ids, outcome=QualityReview.Outcome.SAMPLED)
        )
        .order_by("reviewed_at", "pk")  # the latest countersignature wins
        .values_list("enrolment_id", "sign_off_id", "outcome", "reviewed_at")
    )
    for enrolment_id, sign_off_id, outcome, reviewed_at in rows:
        found = reviews.get(enrolment_id, _Reviews())
        of_standing = enrolment_id in standing and standing[enrolment_id].pk == sign_off_id
        if outcome == QualityReview.Outcome.SAMPLED:
            found = replace(found, waiting=True)
        elif of_standing and outcome == QualityReview.Outcome.COUNTERSIGNED:
            found = replace(found, countersigned_at=reviewed_at)
        elif of_standing and outcome == QualityReview.Outcome.REFERRED:
            found = replace(found, referred=True)
        reviews[enrolment_id] = found
    closed = {e.pk: e.get_status_display() for e in listed if e.status != EnrolmentStatus.ACTIVE}
    # Its people changed in the database (`portfolio.case_seals`): what the row names is not to be trusted.
    moved = {e.pk: case_seals.moved_from(e) for e in listed if e.case_seal_broken_at is not None}
    closed |= {pk: "Another centre's, moved here outside the portfolio" if away else "People changed outside the portfolio"
               for pk, away in moved.items()}
    states = {
        pk: Badge(closed[pk], "danger" if pk in moved else "dark") if pk in closed
        else PAUSED if pk in paused
        else _state(keys.get(pk, UnitState.IN_PROGRESS), standing.get(pk), reviews.get(pk, _Reviews()))
        for pk in ids
    }
    changed = [pk for pk, sign_off in standing.items() if sign_off.changed] + [
        pk for pk in sign_offs_changed if pk not in closed
    ]
    return states | {pk: replace(states[pk], changed=True) for pk in changed}


def countersigned_by_iqa(enrolment_ids: Iterable[int]) -> set[int]:
    """The enrolments among these whose state is "IQA countersigned" (`sampling.with_state`: an IQA
    countersigned the standing sign-off, and no referral waits): portfolio's answer to "is the IQA's
    work on this unit done?" (`portfolio.work_done`), for handing units over and leaving."""
    return set(
        with_state(Enrolment.objects.filter(pk__in=list(enrolment_ids)))
        .filter(state=UnitState.COUNTERSIGNED).values_list("pk", flat=True)
    )


def locked_since(enrolment_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """The enrolments among these that a standing sign-off locks, each with when it was signed:
    portfolio's answer to "may evidence be mapped or submitted to this unit?" (`portfolio.locks`)."""
    ids = list(enrolment_ids)
    locked = dict(SignOff.objects.standing().filter(enrolment_id__in=ids).values_list("enrolment_id", "assessor_signed_at"))
    # A sign-off voided by hand, not by an unlock, locks the unit still (`record_seals.voided_outside`).
    forged = record_seals.voided_outside([pk for pk in ids if pk not in locked])
    return locked | {pk: sign_off.assessor_signed_at for pk, sign_off in forged.items()}


def with_record_changed(rows: list[Enrolment]) -> None:
    """Each row gains `record_changed`: its signed record is known changed since sign-off, or a
    sign-off of it is missing (`unit_states`), for tables that show no state but must mark that."""
    states = unit_states(rows)
    for row in rows:
        row.record_changed = states[row.pk].changed  # type: ignore[attr-defined]  # for the template
