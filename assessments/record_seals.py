"""Signatures on the records that say what a signed record is worth: each fixity check, the IQA's
reviews, and what came after a sign-off as a whole; and which sign-off stands, given the signed
voids of unlocks (`voids`).

A `FixityCheck` row says "the files were intact at this time"; a review says "the IQA countersigned
this"; a voided sign-off says "unlocked by this person, for this reason". All are rows anyone with
the database can write. Each is signed when the product writes it (an HMAC with
`PORTFOLIO_SIGNING_KEY`, as the sign-off itself is: `assessments.signing`), so a row inserted or
changed by hand does not verify, and is never believed: pages say a record has been altered instead
of what it claims. A row deleted leaves nothing of its own to check: what came after a sign-off is
signed on the sign-off too (`after_signature`).
"""

import hmac
from collections.abc import Iterable

from django.utils import timezone

from portfolio.models import AuditEvent, Enrolment
from portfolio.signing import sign_off_seal

from .audit_actions import AssessmentAction
from .models import FixityCheck, QualityReview, SignOff, seal_sign_offs, sign_offs_made
from .signing import _hmac, utc_iso
from .voids import void_is_signed


def check_signature(check: FixityCheck) -> str:
    return _hmac(
        {
            "sign_off": check.sign_off_id,
            "checked_at": utc_iso(check.checked_at),
            "boundary": check.boundary,
            "intact": bool(check.intact),
            "problems": check.problems,
            "file_problems": check.file_problems,
            "changed_files": check.changed_files,
            "files_checked": check.files_checked,
            "requested_by": check.requested_by_id,
            # Signed only when set, so that checks made before it existed verify as they were.
            **({"void_not_believed": True} if check.void_not_believed else {}),
        }
    )


def check_is_believed(check: FixityCheck) -> bool:
    """Signed by the product, and not dated after now (a row dated in the future would outrank
    every real check to come)."""
    if check.checked_at > timezone.now():
        return False
    return bool(check.signature) and hmac.compare_digest(check.signature, check_signature(check))


def of_record(sign_offs: Iterable[SignOff]) -> SignOff | None:
    """Of an enrolment's sign-offs, the one that stands (`models.standing_sign_off`): the latest,
    unless an unlock voided it. One marked void outside the portfolio stands, its void a change to
    the record; here a void signature that does not verify is caught too, which SQL cannot tell."""
    latest = max(sign_offs, key=lambda s: s.pk, default=None)
    return latest if latest is not None and not void_is_signed(latest) else None


def voids_not_believed() -> list[SignOff]:
    """Every voided sign-off whose voiding is not a real unlock (`voids.void_is_signed`), for
    `check_fixity`."""
    voided = SignOff.objects.filter(voided_at__isnull=False).select_related(
        "enrolment__unit", "enrolment__candidate"
    ).order_by("pk")
    return [s for s in voided if not void_is_signed(s)]


def voided_outside(enrolment_ids: Iterable[int]) -> dict[int, SignOff]:
    """The enrolments among these whose latest sign-off is marked void, but not by an unlock: it stands
    still (`models.standing_sign_off`), with the void a change to its record. SQL finds those with
    no void signature; this finds those too, and those whose signature does not verify (an outside
    trial: one UPDATE let the assessor withdraw signed decisions). One query, and an HMAC per
    voided sign-off."""
    ids = list(enrolment_ids)
    standing = SignOff.objects.filter(enrolment_id__in=ids, voided_at__isnull=True).values("enrolment_id")
    latest: dict[int, SignOff] = {}
    for sign_off in (
        SignOff.objects.filter(enrolment_id__in=ids).exclude(enrolment_id__in=standing)
        .select_related("assessor", "enrolment__unit").order_by("enrolment_id", "-pk")
    ):
        latest.setdefault(sign_off.enrolment_id, sign_off)
    return {pk: s for pk, s in latest.items() if not void_is_signed(s)}


def review_signature(review: QualityReview) -> str:
    """What the IQA decided, signed when the review is recorded. The assessor's answer to a referral
    (`actions_done_*`) comes after and is not part of it."""
    return _hmac(review_payload(review))


def review_payload(review: QualityReview) -> dict:
    return {
        "review": review.pk,
        "enrolment": review.enrolment_id,
        "sign_off": review.sign_off_id,
        "iqa": review.iqa_id,
        "stage": review.stage,
        "outcome": review.outcome,
        "comments": review.comments,
        "actions": review.actions,
        "reviewed_at": utc_iso(review.reviewed_at) if review.reviewed_at else None,
    }


def review_problems(sign_off: SignOff, reviews: Iterable[QualityReview] | None = None) -> list[str]:
    """The IQA's reviews of this sign-off whose record no longer verifies: a countersignature whose
    words, outcome or date were rewritten in the database (an outside trial), or one written there
    by hand. Reviews not yet made (only sampled) have nothing signed."""
    problems = []
    for review in _reviews_made(sign_off) if reviews is None else reviews:
        if not (review.signature and hmac.compare_digest(review.signature, review_signature(review))):
            problems.append(
                f"The internal quality assurer’s review ({review.get_outcome_display().lower()}, "
                f"recorded {utc_iso(review.reviewed_at)}) has been altered since it was made."  # type: ignore[arg-type]
            )
    return problems


AFTER_CHANGED = (
    "What was recorded after the sign-off no longer matches: the candidate’s countersignature, an "
    "internal quality assurer’s review of it, its unlock or the count of its file checks has been "
    "removed, added or altered outside the product."
)


def _reviews_made(sign_off: SignOff, using: str = "default") -> list[QualityReview]:
    if sign_off.pk is None:
        return []  # a sign-off being made has no reviews yet
    return list(QualityReview.objects.using(using).filter(sign_off=sign_off, reviewed_at__isnull=False).order_by("pk"))


def after_signature(
    sign_off: SignOff, *, using: str = "default", reviews: Iterable[QualityReview] | None = None
) -> str:
    """What came after the signing, signed: the candidate's countersignature and the IQA's reviews of
    this sign-off (those made, each by its own signature), tied to the sign-off by its signature.
    Written by every service that adds to them (`reseal_after`)."""
    made = _reviews_made(sign_off, using) if reviews is None else reviews
    reviews_signed = sorted([review.pk, review.signature] for review in made)
    countersigned = sign_off.candidate_signed_at
    # The count as the database has it now: a check recorded since this sign-off was read counts.
    checks = (SignOff.objects.using(using).filter(pk=sign_off.pk).values_list("checks_made", flat=True).first()
              if sign_off.pk is not None else 0)
    return _hmac({
        "sign_off": sign_off.signature,
        "candidate": [utc_iso(countersigned), sign_off.candidate_signature] if countersigned else None,
        "reviews": reviews_signed,
        "checks": checks or 0,
        # Unlocked by the unlock service (its void signed): clearing the void by hand is then a change
        # (an outside trial reversed an IQA's unlock, and the unit read as signed off and intact).
        **({"unlocked": True} if sign_off.void_signature else {}),
    })


def after_is_signed(sign_off: SignOff) -> bool:
    return hmac.compare_digest(sign_off.after_signature or "", after_signature(sign_off))


def reseal_after(sign_off: SignOff) -> None:
    """The sign-off's `after_signature` written again, after a countersignature or a review."""
    sign_off.after_signature = after_signature(sign_off)
    SignOff.objects.filter(pk=sign_off.pk).update(after_signature=sign_off.after_signature)


def record_problems(sign_off: SignOff) -> list[str]:
    """What the signed rows around the sign-off say no longer holds: the IQA's reviews, each as made
    (`review_problems`), and what came after the signing, all together (`after_signature`: an IQA's
    countersignature deleted, the candidate's cleared, an outside trial found neither noticed)."""
    reviews = _reviews_made(sign_off)  # read once for both
    problems = review_problems(sign_off, reviews)
    if not hmac.compare_digest(sign_off.after_signature or "", after_signature(sign_off, reviews=reviews)):
        problems.append(AFTER_CHANGED)
    return problems + sign_off_seal_problems(sign_off.enrolment)



# The enrolment's own record of its sign-offs (`portfolio.signing.sign_off_seal`).


def reseal_sign_offs(enrolment: Enrolment) -> None:
    """The enrolment's record of its sign-offs written again (`models.seal_sign_offs`: a sign-off
    made is sealed so by its own save), after a sign-off's signature is made again (the benchmark)."""
    seal_sign_offs(enrolment.pk)
    enrolment.refresh_from_db(fields=["sign_offs_made", "sign_off_seal"])


def sign_off_seal_problems(enrolment: Enrolment) -> list[str]:
    """What the enrolment's sealed record of its sign-offs says of the sign-off rows there are now: a
    sign-off deleted (with its checks and reviews, the unit reads as never signed off: an outside
    trial), one copied in, or the record itself cleared or altered."""
    made = sign_offs_made(enrolment.pk)
    unit, audited = enrolment.unit.code, audited_sign_offs(enrolment.pk)
    if seal_holds(enrolment, made):
        return audited_sign_off_problems(unit, audited, len(made))
    if not enrolment.sign_off_seal:
        return [f"The portfolio’s sealed record of the sign-offs of {unit} has been cleared in the database."]
    missing = max(enrolment.sign_offs_made, audited) - len(made)
    if missing > 0:
        return [
            f"{missing} sign-off{'s' if missing != 1 else ''} the portfolio made of {unit} "
            f"{'are' if missing != 1 else 'is'} missing from the database: deleted outside the portfolio."
        ]
    return [
        f"The sign-offs of {unit} no longer match the portfolio’s sealed record of them: one was added, "
        "deleted or altered in the database, not by the portfolio."
    ]


def seal_holds(enrolment: Enrolment, made: list[list]) -> bool:
    """The enrolment's seal and count are those of these sign-offs (`sign_offs_made`)."""
    return bool(enrolment.sign_off_seal) and enrolment.sign_offs_made == len(made) and hmac.compare_digest(
        enrolment.sign_off_seal, sign_off_seal(enrolment.pk, made)
    )


def audited_sign_offs(enrolment_id: int) -> int:
    return AuditEvent.objects.filter(enrolment_id=enrolment_id, action=AssessmentAction.UNIT_SIGNED_OFF).count()


def audited_sign_off_problems(unit: str, audited: int, held: int) -> list[str]:
    """The audit trail, which is never changed through the portfolio, names every sign-off: more
    than there are is one deleted with the seal rolled back to an earlier copy of itself."""
    if audited <= held:
        return []
    return [
        f"The audit trail records {audited} sign-off{'s' if audited != 1 else ''} of {unit}, and the database "
        f"holds {held}: a sign-off has been deleted outside the portfolio, and the record of it put back as it was before."
    ]
