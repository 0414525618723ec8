"""Internal quality assurance: an IQA samples enrolments, then countersigns the assessor's decisions
or refers them back with actions; the assessor says when the actions are done.

Each move is checked, audited and done in one transaction. The enrolment row is locked first, so
two reviews recorded at once are taken one after the other and the second sees the first.
"""

import datetime
from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portfolio import access, audit, dates, held_roles, locks
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Person
from portfolio.notifications import NotificationKind, notify

from .. import fixity, record_seals
from ..audit_actions import AssessmentAction
from ..models import Decision, QualityReview, SignOff
from ..sampling import unchanged_agreements
from .sample_countersigned import refuse_countersigned

Outcome = QualityReview.Outcome
# The audit action of each outcome a review is recorded with.
_RECORDED: dict[str, AssessmentAction] = {Outcome.COUNTERSIGNED: AssessmentAction.IQA_COUNTERSIGNED, Outcome.REFERRED: AssessmentAction.IQA_REFERRED}
Stage = QualityReview.Stage

# The review form always says which sign-off the IQA saw (None: none); a caller that does not care
# (a test, a script) leaves the argument out.
NOT_GIVEN = object()


def _unit_link(enrolment: Enrolment) -> str:
    return reverse("assessments:enrolment_detail", args=[enrolment.pk]) + "#iqa-heading"


def _day(moment: datetime.datetime) -> str:
    return dates.day(moment)


def _name(person: Person) -> str:
    return person.get_full_name() or person.email


def _locked_enrolment(pk: int) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("candidate", "unit", "assessor", "iqa", "centre")
        .get(pk=pk)
    )


def _check_reviewer(enrolment: Enrolment, iqa: Person) -> None:
    if enrolment.iqa_id != iqa.pk:
        raise PortfolioError(
            f"Only the unit’s internal quality assurer, {_name(enrolment.iqa)}, can sample or review it."
        )
    if access.is_assessor_of(iqa, enrolment):
        raise PortfolioError(
            "You are this unit’s assessor, and an IQA cannot quality-assure their own decisions. "
            "Ask the centre to give the unit another IQA."
        )
    locks.require_not_closed(enrolment, "it is not sampled or reviewed")


def _standing_sign_off(enrolment: Enrolment) -> SignOff | None:
    return SignOff.objects.standing().filter(enrolment=enrolment).first()


def _review_summary(review: QualityReview) -> dict:
    return {
        "review": review.pk,
        "stage": review.stage,
        "outcome": review.outcome,
        "sign_off": review.sign_off_id,
        "comments": review.comments,
        "actions": review.actions,
    }


def sample_add(*, iqa: Person, enrolments: Iterable[Enrolment]) -> list[QualityReview]:
    """Adds enrolments to the IQA's sample: a review each, "sampled" until it is recorded, final if
    the unit is signed off (linked to that sign-off) and interim otherwise. An enrolment already
    waiting in the sample is left as it is, so sending the form twice adds nothing twice."""
    ids = sorted({e.pk for e in enrolments})
    if not ids:
        raise PortfolioError("Tick at least one unit to add to your sample.")
    added: list[QualityReview] = []
    with transaction.atomic():
        locked = list(
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("candidate", "unit", "assessor", "iqa", "centre")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        for enrolment in locked:
            _check_reviewer(enrolment, iqa)
        refuse_countersigned(locked)
        waiting = set(
            QualityReview.objects.filter(enrolment__in=locked, outcome=Outcome.SAMPLED).values_list(
                "enrolment_id", flat=True
            )
        )
        standing = {
            s.enrolment_id: s for s in SignOff.objects.standing().filter(enrolment__in=locked)
        }
        now = timezone.now()
        for enrolment in locked:
            if enrolment.pk in waiting:
                continue
            sign_off = standing.get(enrolment.pk)
            review = QualityReview(
                enrolment=enrolment,
                sign_off=sign_off,
                iqa=iqa,
                stage=Stage.FINAL if sign_off else Stage.INTERIM,
                outcome=Outcome.SAMPLED,
                sampled_at=now,
            )
            review.full_clean()
            review.save()
            audit.record(
                AssessmentAction.IQA_SAMPLED,
                actor=iqa,
                centre=enrolment.centre,
                enrolment=enrolment,
                summary=f"{enrolment.unit.code} of {_name(enrolment.candidate)} added to "
                f"{_name(iqa)}’s IQA sample ({review.get_stage_display().lower()})",
                after=_review_summary(review),
            )
            added.append(review)
    return added


def _check_outcome(*, outcome: str, actions: str) -> None:
    if outcome not in (Outcome.COUNTERSIGNED, Outcome.REFERRED):
        raise PortfolioError("Choose whether to countersign the decisions or refer them back to the assessor.")
    if outcome == Outcome.REFERRED and not actions:
        raise PortfolioError("Say what the assessor must do: a referral back needs actions.")


def countersign_refusal(enrolment: Enrolment, sign_off: SignOff | None) -> str:
    """Why the IQA cannot countersign the unit as it stands, or "": the review page says it and does
    not offer Countersign (an outside trial: offered with no decisions, refused only once sent)."""
    try:
        _check_countersign(enrolment, sign_off)
    except PortfolioError as refused:
        return str(refused)
    return ""


def _check_countersign(enrolment: Enrolment, sign_off: SignOff | None) -> None:
    open_referral = QualityReview.objects.filter(
        enrolment=enrolment, outcome=Outcome.REFERRED, actions_done_at__isnull=True
    ).first()
    if open_referral is not None:
        raise PortfolioError(
            f"This unit was referred back to the assessor on {_day(cast(datetime.datetime, open_referral.reviewed_at))}, and the "
            f"assessor has not marked those actions done yet. {'Countersign' if sign_off else 'Agree'} once they have."
        )
    if sign_off is None:
        if not Decision.objects.standing().filter(enrolment=enrolment).exists():
            raise PortfolioError("The assessor has recorded no decisions on this unit yet, so there is nothing to review.")
        _check_changed_since_countersigned(enrolment)
        return
    if sign_off.candidate_signed_at is None:
        raise PortfolioError(
            "The candidate has not countersigned the assessor’s sign-off yet. The IQA countersigns a "
            "signed-off unit after the candidate has."
        )
    if QualityReview.objects.filter(sign_off=sign_off, outcome=Outcome.COUNTERSIGNED).exists():
        raise PortfolioError("This sign-off has already been countersigned by the IQA.")


def _check_changed_since_countersigned(enrolment: Enrolment) -> None:
    """An interim agreement covers the decisions as they stood; another one is worth recording only
    once a decision has been recorded or withdrawn since (a form sent twice is not), or the IQA has
    said something else since (a referral back, its actions done). The sample page counts a unit as
    waiting for review by the same rule (`sampling.unchanged_agreements`)."""
    last = unchanged_agreements().filter(enrolment=enrolment).order_by("-reviewed_at").first()
    if last is None:
        return
    raise PortfolioError(
        f"The decisions so far were reviewed and agreed on {_day(cast(datetime.datetime, last.reviewed_at))}, and none has changed since."
    )


def _stage_for(sign_off: SignOff | None, asked: str | None) -> str:
    stage = Stage.FINAL if sign_off is not None else Stage.INTERIM
    if asked == Stage.FINAL and stage != Stage.FINAL:
        raise PortfolioError(
            "The unit has no standing sign-off (it has not been signed off, or it was unlocked), so there "
            "is no final review to record. You can review the decisions so far as an interim review."
        )
    if asked == Stage.INTERIM and stage != Stage.INTERIM:
        raise PortfolioError("The unit is signed off: review it as a whole, as a final review.")
    return stage


def _moved_on(sign_off: SignOff | None) -> str:
    if sign_off is None:
        now = "its sign-off has been voided by unlocking"
    else:
        now = f"{_name(sign_off.assessor)} signed it off on {_day(sign_off.assessor_signed_at)}"
    return f"The unit changed while you had the page open: {now}. Nothing was recorded; look at it again."


def _review_to_record(review_or_enrolment: QualityReview | Enrolment, enrolment: Enrolment) -> QualityReview:
    """The sampled review this records: the one given, else the one waiting in the sample, else a
    new one (an IQA may review a unit they had not sampled)."""
    if isinstance(review_or_enrolment, QualityReview):
        review = QualityReview.objects.get(pk=review_or_enrolment.pk)
        if review.outcome != Outcome.SAMPLED:
            raise PortfolioError(
                f"This review was already recorded ({review.outcome_label.lower()}). "
                "Record a new review of the unit instead."
            )
        return review
    waiting = (
        QualityReview.objects.filter(enrolment=enrolment, outcome=Outcome.SAMPLED).order_by("sampled_at", "pk").first()
    )
    return waiting or QualityReview(enrolment=enrolment, sampled_at=timezone.now())


def _check_review_allowed(
    enrolment: Enrolment,
    sign_off: SignOff | None,
    *,
    outcome: str,
    stage: str | None,
    seen_sign_off_id: int | object | None,
) -> str:
    """Refuses a review of a unit that moved on since the IQA read it, or one the unit's state does
    not allow; returns the stage the review is recorded at."""
    if seen_sign_off_id is not NOT_GIVEN and (sign_off.pk if sign_off else None) != seen_sign_off_id:
        raise PortfolioError(_moved_on(sign_off))
    recorded_stage = _stage_for(sign_off, stage)
    if outcome == Outcome.COUNTERSIGNED:
        _check_countersign(enrolment, sign_off)
    else:
        held_roles.require_may_refer_back(enrolment)  # the assessor could act on nothing of a deactivated candidate's
    return recorded_stage


def _record_review(review: QualityReview, enrolment: Enrolment, before: dict) -> str:
    """Audits the recorded review; returns its summary, which the assessor is also sent."""
    iqa = review.iqa
    candidate, unit_code = _name(enrolment.candidate), enrolment.unit.code
    stage_words = "signed-off unit" if review.stage == Stage.FINAL else "decisions so far"
    if review.agreed_so_far:  # nothing signed off to countersign: the IQA agreed with the decisions so far
        summary = f"IQA {_name(iqa)} reviewed {unit_code} of {candidate} and agreed with the {stage_words}"
    elif review.outcome == Outcome.COUNTERSIGNED:
        summary = f"IQA {_name(iqa)} countersigned {unit_code} of {candidate} ({stage_words})"
    else:
        summary = f"IQA {_name(iqa)} referred {unit_code} of {candidate} back to the assessor ({stage_words})"
    audit.record(
        _RECORDED[review.outcome],
        actor=iqa,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=summary,
        before=before,
        after=_review_summary(review),
    )
    return summary


def _notify_review(review: QualityReview, enrolment: Enrolment, summary: str) -> None:
    """The assessor hears of every review; the candidate only of the final countersignature."""
    iqa = review.iqa
    link = _unit_link(enrolment)
    if review.outcome == Outcome.COUNTERSIGNED:
        notify(
            [enrolment.assessor], summary + ".", centre=enrolment.centre_id, kind=NotificationKind.IQA_COUNTERSIGNED, link=link,
            subject=f"{_name(iqa)} countersigned {enrolment.unit.code} of {_name(enrolment.candidate)}",
        )
        if review.stage == Stage.FINAL:
            notify(
                [enrolment.candidate],
                f"Your unit {enrolment.unit.code} has been countersigned by the internal quality assurer, {_name(iqa)}.",
                subject=f"Your unit {enrolment.unit.code} is countersigned by the IQA",
                centre=enrolment.centre_id, kind=NotificationKind.IQA_COUNTERSIGNED,
                link=link,
            )
    else:
        notify(
            [enrolment.assessor],
            f"IQA {_name(iqa)} referred {enrolment.unit.code} of {_name(enrolment.candidate)} back to you with actions.",
            subject=f"{_name(iqa)} referred {enrolment.unit.code} of {_name(enrolment.candidate)} back to you",
            centre=enrolment.centre_id, kind=NotificationKind.IQA_REFERRED,
            link=link,
        )


def _check_files_before_review(enrolment_pk: int, iqa: Person) -> None:
    """The IQA's review of a signed-off unit is a boundary: its files are read and hashed and the
    check recorded (the review page shows the result, and a change found tells the people on the
    case), before the unit's row is locked, as reading them may take a while."""
    sign_off = SignOff.objects.standing().filter(enrolment_id=enrolment_pk, enrolment__iqa=iqa).first()
    if sign_off is not None:
        fixity.check_and_record(sign_off, boundary=fixity.Boundary.IQA_REVIEW, by=iqa)


def review_record(
    *,
    review_or_enrolment: QualityReview | Enrolment,
    iqa: Person,
    outcome: str,
    comments: str = "",
    actions: str = "",
    stage: str | None = None,
    seen_sign_off_id: int | object | None = NOT_GIVEN,
) -> QualityReview:
    """Records the IQA's review of an enrolment: countersigned, or referred back to the assessor
    with actions. The stage follows the unit: final when a sign-off stands (and then only once the
    candidate has countersigned it), interim otherwise, countersigning the decisions so far.
    `stage`, when given, is what the IQA believes they are reviewing, and `seen_sign_off_id` the
    sign-off they read (None: none); if the unit has moved on since, nothing is recorded."""
    comments, actions = comments.strip(), actions.strip()
    _check_outcome(outcome=outcome, actions=actions)
    enrolment_pk = (
        review_or_enrolment.enrolment_id
        if isinstance(review_or_enrolment, QualityReview)
        else review_or_enrolment.pk
    )
    _check_files_before_review(enrolment_pk, iqa)
    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment_pk)
        _check_reviewer(enrolment, iqa)
        sign_off = _standing_sign_off(enrolment)
        stage = _check_review_allowed(
            enrolment, sign_off, outcome=outcome, stage=stage, seen_sign_off_id=seen_sign_off_id
        )
        review = _review_to_record(review_or_enrolment, enrolment)
        before = _review_summary(review) if review.pk else {}
        review.iqa = iqa
        review.stage = stage
        review.sign_off = sign_off
        review.outcome = outcome
        review.comments = comments
        review.actions = actions
        review.reviewed_at = timezone.now()
        review.full_clean()
        review.save()
        review.signature = record_seals.review_signature(review)  # signs its own id: once saved
        review.save(update_fields=["signature"])
        if sign_off is not None:
            record_seals.reseal_after(sign_off)
        summary = _record_review(review, enrolment, before)
        _notify_review(review, enrolment, summary)
    return review


def review_actions_done(*, review: QualityReview, assessor: Person, note: str) -> QualityReview:
    """The assessor says the actions of a referral are done, with a note of what they did. The IQA
    is told, and can review the unit again."""
    note = note.strip()
    if not note:
        raise PortfolioError("Say what you did about the IQA’s actions.")
    with transaction.atomic():
        enrolment = _locked_enrolment(review.enrolment_id)
        review = QualityReview.objects.select_related("iqa").get(pk=review.pk)
        if not access.is_assessor_of(assessor, enrolment):
            raise PortfolioError(f"Only the unit’s assessor, {_name(enrolment.assessor)}, can mark the IQA’s actions done.")
        if review.outcome != Outcome.REFERRED:
            raise PortfolioError("Only a referral back has actions to mark done.")
        if review.actions_done_at is not None:
            raise PortfolioError(f"These actions were marked done on {_day(review.actions_done_at)}.")
        review.actions_done_at = timezone.now()
        review.actions_done_note = note
        review.full_clean()
        review.save(update_fields=["actions_done_at", "actions_done_note"])
        summary = (
            f"Assessor {_name(assessor)} marked the IQA’s actions on {enrolment.unit.code} of "
            f"{_name(enrolment.candidate)} done"
        )
        audit.record(
            AssessmentAction.IQA_ACTIONS_DONE,
            actor=assessor,
            centre=enrolment.centre,
            enrolment=enrolment,
            summary=summary,
            before={"review": review.pk, "actions": review.actions, "actions_done_at": None},
            after={
                "review": review.pk,
                "actions_done_at": review.actions_done_at.isoformat(),
                "actions_done_note": note,
            },
        )
        notify(
            [review.iqa, enrolment.iqa], summary + ".", centre=enrolment.centre_id, kind=NotificationKind.IQA_ACTIONS_DONE,
            link=_unit_link(enrolment),
            subject=f"{_name(assessor)} did your actions on {enrolment.unit.code} of {_name(enrolment.candidate)}",
        )
    return review
