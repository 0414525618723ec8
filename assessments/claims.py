"""What a centre may claim from its awarding bodies, and what it has claimed.

A unit is ready to claim when it is signed off and countersigned by the candidate and, where the
centre's policy says so (`Centre.claims_need_iqa`), by the IQA; the IQA must not have referred it
back. A qualification is ready when it is complete (`qualification_progress`) and each unit counted
towards it is ready. Neither is ready once claimed.

A unit the IQA's sampling plan marks "sample before claim" is held until the IQA has countersigned
it (`sampling_plan.held_before_claim`), and so is a qualification that counts it: the claims page
lists what is held, and why, apart from what is ready."""

import datetime
from dataclasses import dataclass

from portfolio.models import Centre, Enrolment, Person, QualificationRegistration

from .claim_models import Claim
from .models import QualityReview, SignOff
from .qualification_progress import progress_of
from .sampling_plan import held_before_claim

# Why a unit or qualification is held back from the claims, as the claims page says it.
HELD_BY_PLAN = "held: the IQA’s plan says sample before claim"
HELD_BY_PLAN_UNIT = "held: the IQA’s plan says sample {code} before claim"


@dataclass(frozen=True)
class ClaimItem:
    key: str  # "unit-12" or "qualification-3": what the claims form sends
    kind: str  # "unit" or "qualification"
    candidate: Person
    awarding_body: str
    code: str
    title: str
    completed_at: datetime.datetime | None
    enrolment: Enrolment | None = None
    registration: QualificationRegistration | None = None
    sign_off: SignOff | None = None
    held: str = ""  # why it may not be claimed yet, though otherwise ready


def _unit_ready(sign_off: SignOff, *, referred: bool, countersigned: bool, need_iqa: bool) -> bool:
    if sign_off.candidate_signed_at is None or referred:
        return False
    return countersigned or not need_iqa


def _awarding_bodies(centre: Centre) -> dict[tuple[int, int], str]:
    """The awarding body of each (candidate, unit) the centre's candidates are registered on through a
    qualification: a unit is claimed from the body that awards the qualification."""
    found: dict[tuple[int, int], str] = {}
    for registration in QualificationRegistration.objects.filter(centre=centre).select_related("qualification"):
        for unit_id in registration.units.values_list("pk", flat=True):
            found.setdefault((registration.candidate_id, unit_id), registration.qualification.awarding_body)
    return found


def ready_to_claim(centre: Centre) -> list[ClaimItem]:
    """The units and qualifications of the centre ready to claim and not yet claimed."""
    return [item for item in claim_items(centre) if not item.held]


def held_claims(centre: Centre) -> list[ClaimItem]:
    """What would be ready to claim but for the IQA's plan, each with the reason it is held."""
    return [item for item in claim_items(centre) if item.held]


def claim_items(centre: Centre) -> list[ClaimItem]:
    """The units and qualifications of the centre not yet claimed that are ready, or held only by
    the IQA's plan (`held` says so)."""
    standing = list(
        SignOff.objects.standing().filter(enrolment__centre=centre, enrolment__claims__isnull=True)
        .select_related("enrolment__candidate", "enrolment__unit", "enrolment__iqa").prefetch_related("enrolment__unit__awarding_body_codes")
    )
    reviews = QualityReview.objects.filter(sign_off__in=standing).values_list("sign_off_id", "outcome", "reviewed_at")
    countersigned = {s for s, outcome, _ in reviews if outcome == QualityReview.Outcome.COUNTERSIGNED}
    referred = {s for s, outcome, _ in reviews if outcome == QualityReview.Outcome.REFERRED}
    bodies = _awarding_bodies(centre)
    held = held_before_claim(s.enrolment for s in standing)
    items = []
    for sign_off in standing:
        enrolment = sign_off.enrolment
        if not _unit_ready(sign_off, referred=sign_off.pk in referred, countersigned=sign_off.pk in countersigned,
                           need_iqa=centre.claims_need_iqa):
            continue
        codes = list(enrolment.unit.awarding_body_codes.all())
        body = bodies.get((enrolment.candidate_id, enrolment.unit_id)) or (codes[0].awarding_body if codes else "")
        items.append(ClaimItem(
            key=f"unit-{enrolment.pk}", kind="unit", candidate=enrolment.candidate, awarding_body=body,
            code=enrolment.unit.code, title=enrolment.unit.title,
            completed_at=max(filter(None, (sign_off.candidate_signed_at, sign_off.assessor_signed_at))),
            enrolment=enrolment, sign_off=sign_off, held=HELD_BY_PLAN if enrolment.pk in held else "",
        ))
    registrations = QualificationRegistration.objects.filter(centre=centre, claims__isnull=True).select_related(
        "candidate", "qualification"
    )
    for progress in progress_of(registrations).values():
        if not progress.complete:
            continue
        counted = [row for row in progress.rows if row.completed_at]
        if centre.claims_need_iqa and any(row.iqa_countersigned_at is None for row in counted):
            continue
        qualification = progress.registration.qualification
        held_units = [row.enrolment.unit.code for row in counted if row.enrolment and row.enrolment.pk in held]
        items.append(ClaimItem(
            key=f"qualification-{progress.registration.pk}", kind="qualification",
            candidate=progress.registration.candidate, awarding_body=qualification.awarding_body,
            code=qualification.code, title=qualification.title, completed_at=progress.completed_at,
            registration=progress.registration,
            held=HELD_BY_PLAN_UNIT.format(code=", ".join(held_units)) if held_units else "",
        ))
    return sorted(items, key=lambda i: (i.awarding_body, i.candidate.last_name, i.candidate.first_name, i.kind, i.code))


def claims_made(centre: Centre, awarding_body: str | None = None) -> list[Claim]:
    claims = Claim.objects.filter(centre=centre).select_related(
        "enrolment__candidate", "enrolment__unit", "registration__candidate", "registration__qualification",
        "claimed_by", "sign_off",
    )
    if awarding_body is not None:
        claims = claims.filter(awarding_body=awarding_body)
    return list(claims.order_by("awarding_body", "-claimed_on", "reference", "pk"))


def unit_claim(enrolment: Enrolment) -> Claim | None:
    """The claim made of this unit, if any: it cannot be unlocked without naming it."""
    return Claim.objects.filter(enrolment=enrolment).first()
