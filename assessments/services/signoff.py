"""Signing a unit off, countersigning it, and unlocking it again.

The assessor signs when every criterion and knowledge item has a standing decision and every scope
category is covered by accepted evidence or said not to apply to the candidate's work area; the sign-off
keeps a manifest of what was signed (see `assessments.integrity`) and locks the unit: its decisions
cannot be recorded or withdrawn, and the evidence they cite cannot change, until the assessor or the
IQA unlocks it with a reason. Unlocking voids the sign-off and both signatures; the voided sign-off
is kept.
"""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portfolio import access, addressed, audit, dates
from portfolio.errors import PortfolioError
from portfolio.held_roles import as_assessor, candidate_here
from portfolio.models import Enrolment, Evidence, EvidenceState, Person
from portfolio.notifications import NotificationKind, notify

from .. import fixity, integrity, record_seals, scope, voids
from ..audit_actions import AssessmentAction
from ..claim_models import Claim
from ..claims import unit_claim
from ..integrity import utc_iso, when
from ..models import Decision, QualityReview, ScopeNotApplicable, SignOff, standing_decision
from ..progress import missing_items
from .decisions import (
    locked_enrolment,
    require_assessor,
    require_not_voided_outside,
    require_sign_offs_as_sealed,
    standing_sign_off,
)
from .seen_signing import NOT_GIVEN, require_decisions_seen, require_sign_off_seen


def _no_longer_accepted(decisions: list[Decision]) -> list[str]:
    problems = []
    for decision in decisions:
        for evidence in decision.evidence.all():
            if evidence.state != EvidenceState.ACCEPTED:
                item = decision.item
                problems.append(
                    f"{item.reference} cites {evidence.reference}, which is "
                    f"{evidence.get_state_display().lower()}, not accepted"
                )
    return problems


def _sign_off_facts(sign_off: SignOff) -> dict:
    return {
        "signed_off": True,
        "sign_off": sign_off.pk,
        "assessor": str(sign_off.assessor),
        "assessor_signed_at": utc_iso(sign_off.assessor_signed_at),
        "candidate_signed_at": utc_iso(sign_off.candidate_signed_at) if sign_off.candidate_signed_at else None,
        "decisions_digest": sign_off.decisions_digest,
        "signature": sign_off.signature,
    }


def _unit_link(enrolment: Enrolment) -> str:
    return reverse("assessments:enrolment_detail", args=[enrolment.pk])


def _ready_to_sign(
    enrolment: Enrolment, not_applicable: Mapping[int, str]
) -> tuple[list[Decision], list[Evidence], list[scope.CategoryCoverage]]:
    """The unit's standing decisions, the evidence they cite or that covers the scope, and the scope
    coverage, once nothing stands in the way of a sign-off: none standing already, every item met,
    every scope category covered or given a reason, every file accepted and as uploaded."""
    standing = standing_sign_off(enrolment)
    if standing is not None:
        require_not_voided_outside(enrolment, standing, "it cannot be signed off again")
        raise PortfolioError(
            f"{enrolment.unit.code} is already signed off, by {standing.assessor} on "
            f"{when(standing.assessor_signed_at)}."
        )
    decisions = integrity.standing_decisions(enrolment)
    missing = missing_items(enrolment, decisions)
    if missing:
        raise PortfolioError(
            f"{enrolment.unit.code} cannot be signed off yet: {len(missing)} "
            f"item{'s are' if len(missing) != 1 else ' is'} not met: {', '.join(missing)}."
        )
    record = scope.open_record(enrolment, not_applicable)
    if record.unsettled:
        raise PortfolioError(scope.unsettled_message(enrolment.unit.code, record.unsettled))
    problems = _no_longer_accepted(decisions)
    evidence_items = integrity.cited_evidence(decisions, also=record.evidence)
    problems += integrity.changed_since_upload(evidence_items)
    if problems:
        raise PortfolioError(f"{enrolment.unit.code} cannot be signed off: " + "; ".join(problems) + ".")
    return decisions, evidence_items, record.categories


def _keep_reasons(sign_off: SignOff, coverage: list[scope.CategoryCoverage]) -> dict[str, str]:
    """The reasons scope categories do not apply, kept with the sign-off; by category name."""
    reasons = [
        ScopeNotApplicable(sign_off=sign_off, category=row.category, reason=row.not_applicable)
        for row in coverage if row.not_applicable
    ]
    for reason in reasons:
        reason.full_clean(validate_constraints=False)
    ScopeNotApplicable.objects.bulk_create(reasons)
    return {r.category.name: r.reason for r in reasons}


def _record_unit_signed_off(
    sign_off: SignOff, enrolment: Enrolment, assessor: Person, not_applicable: dict[str, str]
) -> None:
    manifest = sign_off.manifest
    audit.record(
        AssessmentAction.UNIT_SIGNED_OFF,
        actor=assessor,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=(
            f"{enrolment.unit.code} signed off: {len(manifest['decisions'])} decisions and "
            f"{len(manifest['files'])} evidence files"
            + "".join(f"; scope “{name}” does not apply: {reason}" for name, reason in not_applicable.items())
        ),
        before={"signed_off": False},
        after={**_sign_off_facts(sign_off), "decisions": len(manifest["decisions"]),
               "files": len(manifest["files"]), "scope_not_applicable": not_applicable},
    )


def _notify_unit_signed_off(enrolment: Enrolment, assessor: Person) -> None:
    """The candidate is asked to countersign; the IQA hears the unit is ready for a final review."""
    notify(
        [enrolment.candidate],
        f"{assessor} signed off {enrolment.unit.code}. Please read it through and countersign it.",
        subject=f"{assessor} signed off {enrolment.unit.code}: please countersign it",
        centre=enrolment.centre_id, kind=NotificationKind.COUNTERSIGN_REQUESTED,
        link=reverse("assessments:countersign", args=[enrolment.pk]),  # the page that asks, with what was signed
    )
    notify(
        [enrolment.iqa],
        f"{assessor} signed off {enrolment.unit.code} for {enrolment.candidate}.",
        centre=enrolment.centre_id, kind=NotificationKind.UNIT_SIGNED_OFF,
        link=_unit_link(enrolment),
    )


def _back_to_the_referring_iqa(sign_off: SignOff, enrolment: Enrolment) -> None:
    """A unit whose IQA's latest word on it was a referral comes back to that IQA's sample by itself
    when it is signed off again: the referral asked for exactly this, and without it the unit would
    leave the sample silently (its old reviews belong to a voided sign-off)."""
    reviews = QualityReview.objects.filter(enrolment=enrolment)
    latest = reviews.filter(iqa=enrolment.iqa, reviewed_at__isnull=False).order_by("-reviewed_at", "-pk").first()
    if latest is None or latest.outcome != QualityReview.Outcome.REFERRED:
        return
    if reviews.filter(outcome=QualityReview.Outcome.SAMPLED).exists():
        return  # already waiting in the sample
    review = QualityReview(
        enrolment=enrolment, sign_off=sign_off, iqa=enrolment.iqa, stage=QualityReview.Stage.FINAL,
        outcome=QualityReview.Outcome.SAMPLED, sampled_at=sign_off.assessor_signed_at,
    )
    review.full_clean()
    review.save()
    audit.record(
        AssessmentAction.IQA_SAMPLED,
        actor=sign_off.assessor,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=(
            f"{enrolment.unit.code} of {enrolment.candidate} back in {enrolment.iqa}’s IQA sample for a final "
            "review: signed off again after the IQA referred it back"
        ),
        after={"review": review.pk, "stage": review.stage, "outcome": review.outcome, "sign_off": sign_off.pk,
               "referral": latest.pk},
    )


def _record_files_read_at_sign_off(sign_off: SignOff, evidence_items: list[Evidence]) -> None:
    """Every file was just read and found as uploaded (`_ready_to_sign`), which is what the manifest
    signs: the first fixity check of the sign-off, so its pages say when the files were verified."""
    report = integrity.IntegrityReport(
        file_count=len(sign_off.manifest["files"]), decision_count=len(sign_off.manifest["decisions"]),
        files_read=len(integrity.current_files(evidence_items)),
    )
    fixity.record(sign_off, report, boundary=fixity.Boundary.SIGN_OFF, by=sign_off.assessor)


def unit_sign_off(
    *, enrolment: Enrolment, assessor: Person, declared: bool, not_applicable: Mapping[int, str] | None = None,
    seen_decisions: str | object = NOT_GIVEN,
) -> SignOff:
    """The assessor signs the unit off. Refused, with nothing changed, unless every criterion and
    knowledge item has a standing decision citing accepted evidence whose files are as uploaded, and
    every scope category is covered by accepted evidence or has, in `not_applicable` (by category
    id), the reason it does not apply to the candidate's work area; and (given `seen_decisions`, as
    the page listed them) only while the standing decisions are those the assessor read."""
    if not declared:
        raise PortfolioError("Confirm the declaration before signing the unit off.")
    try:
        with transaction.atomic():
            enrolment = locked_enrolment(enrolment)
            require_assessor(enrolment, assessor, "sign the unit off")
            require_sign_offs_as_sealed(enrolment, "the unit cannot be signed off again")
            decisions, evidence_items, coverage = _ready_to_sign(enrolment, not_applicable or {})
            require_decisions_seen(decisions, seen_decisions)
            sign_off = integrity.signed_sign_off(
                enrolment=enrolment, assessor=assessor, signed_at=timezone.now(),
                decisions=decisions, evidence_items=evidence_items, scope_coverage=coverage,
            )
            sign_off.full_clean(validate_constraints=False)  # the database checks them, race-safe
            sign_off.save()  # and sealed into the enrolment's record of its sign-offs
            reasons = _keep_reasons(sign_off, coverage)
            _record_files_read_at_sign_off(sign_off, evidence_items)
            _record_unit_signed_off(sign_off, enrolment, assessor, reasons)
            _back_to_the_referring_iqa(sign_off, enrolment)
            _notify_unit_signed_off(enrolment, assessor)
    except IntegrityError:
        raise PortfolioError(
            f"Someone else signed {enrolment.unit.code} off at the same moment. Nothing was changed by you."
        ) from None
    return sign_off


def unit_countersign(
    *, enrolment: Enrolment, candidate: Person, declared: bool, seen_sign_off_id: int | object | None = NOT_GIVEN
) -> SignOff:
    """The candidate countersigns the standing sign-off, once, if it is still what was signed and
    (given `seen_sign_off_id`, the sign-off the page showed) still the one she read."""
    if not declared:
        raise PortfolioError("Confirm the declaration before countersigning.")
    files_read = _files_read_before_countersigning(enrolment, candidate, seen_sign_off_id)
    with transaction.atomic():
        enrolment = locked_enrolment(enrolment)
        if enrolment.candidate_id != candidate.pk:
            raise PortfolioError(f"Only {enrolment.candidate} can countersign their own unit.")
        sign_off = standing_sign_off(enrolment)
        require_sign_off_seen(sign_off, seen_sign_off_id)
        if sign_off is None:
            raise PortfolioError(f"{enrolment.unit.code} has not been signed off, so there is nothing to countersign.")
        if sign_off.candidate_signed_at is not None:
            raise PortfolioError(f"You countersigned {enrolment.unit.code} on {when(sign_off.candidate_signed_at)}.")
        if files_read is not None and files_read[0] == sign_off.pk:
            problems = integrity.check(sign_off, read_files=False).problems + files_read[1].storage_problems
        else:
            problems = integrity.verify(sign_off)
        if problems:
            raise PortfolioError(
                "The signed record no longer matches the unit, so it cannot be countersigned. Tell your "
                "assessor: " + " ".join(problems)
            )
        before = _sign_off_facts(sign_off)
        integrity.countersign(sign_off, signed_at=timezone.now())
        sign_off.save(update_fields=["candidate_signed_at", "candidate_declaration", "candidate_signature", "after_signature"])
        audit.record(
            AssessmentAction.UNIT_COUNTERSIGNED,
            actor=candidate,
            centre=enrolment.centre,
            enrolment=enrolment,
            summary=f"{enrolment.unit.code} countersigned by the candidate",
            before=before,
            after={**_sign_off_facts(sign_off), "declaration": sign_off.candidate_declaration},
        )
        notify(
            [enrolment.assessor, enrolment.iqa],
            f"{candidate} countersigned {enrolment.unit.code}.",
            centre=enrolment.centre_id, kind=NotificationKind.UNIT_COUNTERSIGNED,
            link=_unit_link(enrolment),
        )
    return sign_off


def _files_read_before_countersigning(
    enrolment: Enrolment, candidate: Person, seen_sign_off_id: int | object | None
) -> tuple[int, integrity.IntegrityReport] | None:
    """The candidate's countersignature is a boundary: the signed files are read and hashed first,
    and the check recorded whatever the countersignature comes to, before the unit's row is locked
    (reading twenty videos takes a while). Inside the lock, the database is checked again."""
    sign_off = standing_sign_off(enrolment)
    if sign_off is None or sign_off.candidate_signed_at is not None or enrolment.candidate_id != candidate.pk:
        return None
    if seen_sign_off_id is not NOT_GIVEN and sign_off.pk != seen_sign_off_id:
        return None  # refused under the lock: not the sign-off she read
    return sign_off.pk, fixity.check_and_record(sign_off, boundary=fixity.Boundary.COUNTERSIGN, by=candidate)


def unit_unlock(*, enrolment: Enrolment, person: Person, reason: str) -> SignOff:
    """The assessor or the IQA voids the standing sign-off, with a reason, so decisions can change;
    not while the candidate or the assessor is no longer here (`unlock_refusal`)."""
    reason = reason.strip()
    if not reason:
        raise PortfolioError("Give the reason for unlocking the unit: it is kept with the record.")
    with transaction.atomic():
        enrolment = locked_enrolment(enrolment)
        if person.pk != enrolment.iqa_id and not access.is_assessor_of(person, enrolment):
            raise PortfolioError(f"Only the assessor or the IQA of {enrolment.unit.code} can unlock it.")
        sign_off = standing_sign_off(enrolment)
        if sign_off is None:
            raise PortfolioError(f"{enrolment.unit.code} is not signed off, so there is nothing to unlock.")
        require_not_voided_outside(enrolment, sign_off, "it cannot be unlocked")
        refusal = unlock_refusal(enrolment)
        if refusal:
            raise PortfolioError(refusal)
        claim = _require_claim_named(enrolment, reason)
        before = _sign_off_facts(sign_off)
        after_held = record_seals.after_is_signed(sign_off)  # re-signed below only if it held: no laundering
        sign_off.voided_by = person
        sign_off.voided_at = timezone.now()
        sign_off.void_reason = reason
        sign_off.void_signature = voids.void_signature(sign_off)
        sign_off.save(update_fields=["voided_by", "voided_at", "void_reason", "void_signature"])
        if after_held:  # the unlock is part of what came after it (`record_seals.after_signature`)
            record_seals.reseal_after(sign_off)
        audit.record(
            AssessmentAction.UNIT_UNLOCKED,
            actor=person,
            centre=enrolment.centre,
            enrolment=enrolment,
            summary=f"{enrolment.unit.code} unlocked; the sign-off and its signatures are void: {reason}",
            before=before,
            after={"signed_off": False, "reason": reason, "voided_by": str(person),
                   "voided_at": utc_iso(sign_off.voided_at), **({"claim": claim.reference} if claim else {})},
        )
        addressed.notify_each(  # the candidate reads of "your HSC331"
            [p for p in (enrolment.candidate, enrolment.assessor, enrolment.iqa) if p.pk != person.pk],
            lambda reader: (f"{person} unlocked {addressed.unit_of(enrolment, reader)}; its sign-off is void: {reason}",
                            f"{person} unlocked {addressed.unit_of(enrolment, reader)}"),
            centre=enrolment.centre_id, kind=NotificationKind.UNIT_UNLOCKED, link=_unit_link(enrolment),
        )
    return sign_off


def unlock_refusal(enrolment: Enrolment, sign_off: SignOff | None = None) -> str:
    """Why the unit may not be unlocked while its people stand as they do, or "" (the unit page
    offers no Unlock then, and says this). Unlocked, it is in progress again, to be decided anew by
    its assessor with its candidate: with either no longer here nobody could work on it, and the
    centre's records would lose a finished unit to one nobody can finish. Nor is a sign-off marked
    void by hand unlocked (`sign_off`, the one of record): an unlock would overwrite the traces."""
    if sign_off is not None and sign_off.voided_at is not None:
        return ("its sign-off was marked void outside the product, so the record has been tampered with: "
                "the centre’s administrator must look into it first.")
    unit = Enrolment.objects.filter(pk=enrolment.pk)
    problems = []
    if not unit.filter(candidate_here()).exists():
        problems.append(f"{enrolment.candidate} is deactivated at {enrolment.centre}: reactivate them first, "
                        "so that someone can work on the unit again.")
    if not unit.filter(as_assessor(enrolment.assessor)).exists():
        problems.append(f"{enrolment.assessor}, its assessor, is no longer an assessor at {enrolment.centre}: "
                        "give the unit another assessor first, so that someone can work on it again.")
    return " ".join(problems)


def _require_claim_named(enrolment: Enrolment, reason: str) -> Claim | None:
    """A unit claimed from the awarding body may be unlocked only with a reason that names the claim:
    the certificate may already be on its way, and whoever reads the record must see why it changed."""
    claim = unit_claim(enrolment)
    if claim is not None and claim.reference.casefold() not in reason.casefold():
        body = claim.awarding_body or "the awarding body"
        raise PortfolioError(
            f"{enrolment.unit.code} was claimed from {body} on {dates.day(claim.claimed_on)} under claim reference "
            f"{claim.reference}. It can be unlocked only with a reason that names the claim reference "
            f"{claim.reference} (say what you have told {body})."
        )
    return claim


def sign_offs_locking(evidence: Evidence) -> list[SignOff]:
    """The standing sign-offs whose decisions cite this evidence: while any stands, the evidence must
    not change. (Evidence is holistic, so it may be locked by a unit other than the one in hand.)"""
    return list(
        SignOff.objects.standing()
        .filter(standing_decision("enrolment__decisions__"), enrolment__decisions__evidence=evidence)
        .select_related("enrolment__unit", "assessor")
        .distinct()
    )


def require_evidence_unlocked(evidence: Evidence) -> None:
    """For any service that could change or re-open evidence: refuses while a signed-off unit rests
    on it. Portfolio's own edits are already refused for accepted evidence."""
    locking = sign_offs_locking(evidence)
    if locking:
        units = ", ".join(s.enrolment.unit.code for s in locking)
        raise PortfolioError(
            f"{evidence.reference} is cited by the signed-off unit {units} and cannot change unless the "
            "unit is unlocked."
        )
