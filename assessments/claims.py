"""What a centre may claim from its awarding bodies, and what it has claimed.

A unit is ready to claim when it is signed off and countersigned by the candidate and, where the
centre's policy says so (`Centre.claims_need_iqa`), by the IQA; the IQA must not have referred it
back. A qualification is ready when it is complete (`qualification_progress`) and each unit counted
towards it is ready. Neither is ready once claimed.

A unit the IQA's sampling plan marks "sample before claim" is held until the IQA has countersigned
it (`sampling_plan.held_before_claim`), and so is a qualification that counts it: the claims page
lists what is held, and why, apart from what is ready."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from portfolio.ids import digest_of_ids
from portfolio.models import Centre, Enrolment, Person, QualificationRegistration

from .claim_models import Claim
from .fixity import found_changed_since_sign_off
from .models import QualityReview, SignOff
from .qualification_progress import progress_of
from .sampling_plan import held_before_claim, held_from_claim, holds_any

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


def ready_sign_offs(centre: Centre) -> QuerySet[SignOff]:
    """The standing sign-offs of the centre's units not yet claimed that are ready to claim by their
    signatures (held by the IQA's plan or not: `held_from_claim`), in the database, so that a page
    of them is counted and read at the same cost whatever the number of the centre's units."""
    reviews = QualityReview.objects.filter(sign_off=OuterRef("pk"))
    ready = _countersigned_unclaimed(centre).exclude(
        Exists(reviews.filter(outcome=QualityReview.Outcome.REFERRED))
    ).exclude(found_changed_since_sign_off())
    if centre.claims_need_iqa:
        ready = ready.filter(Exists(reviews.filter(outcome=QualityReview.Outcome.COUNTERSIGNED)))
    return ready.order_by("enrolment__candidate__last_name", "enrolment__candidate__first_name", "enrolment__unit__code", "pk")


def _countersigned_unclaimed(centre: Centre) -> QuerySet[SignOff]:
    """The centre's standing sign-offs the candidate has countersigned, of units not yet claimed."""
    # "Not claimed" as NOT EXISTS, not a left join to the claims: PostgreSQL took the join's rows
    # for a hundredth of the centre's units and counted from every unit, probing its sign-offs.
    claimed = Claim.objects.filter(enrolment_id=OuterRef("enrolment_id"))
    return SignOff.objects.standing().filter(
        enrolment__centre=centre, candidate_signed_at__isnull=False
    ).exclude(Exists(claimed))


def changed_since_sign_off(centre: Centre, up_to: int) -> list[SignOff]:
    """The centre's unclaimed, countersigned units left off the claims because their last check found
    the record changed (`found_changed_since_sign_off`), the first `up_to`: the page says so, so that a
    unit does not vanish from the list without a word. One query."""
    return list(
        _countersigned_unclaimed(centre).filter(found_changed_since_sign_off())
        .select_related("enrolment__candidate", "enrolment__unit")
        .order_by("enrolment__candidate__last_name", "enrolment__candidate__first_name", "enrolment__unit__code")[:up_to]
    )


def matching(sign_offs: QuerySet[SignOff], words: str) -> QuerySet[SignOff]:
    """Narrowed to the words typed: each in the candidate's name or the unit's code or title."""
    for word in words.split():
        sign_offs = sign_offs.filter(
            Q(enrolment__candidate__first_name__icontains=word) | Q(enrolment__candidate__last_name__icontains=word)
            | Q(enrolment__unit__code__icontains=word) | Q(enrolment__unit__title__icontains=word)
        )
    return sign_offs


def ready_units_matching(centre: Centre, words: str, *, holding: bool | None = None) -> QuerySet[SignOff]:
    """The units ready to claim and not held by the IQA's plan, narrowed to the words typed: what the
    claims page pages and counts, and what "Mark all N matching as claimed" marks. `holding`: whether
    a plan holds anything (`holds_any`), when the caller has asked already."""
    ready = matching(ready_sign_offs(centre), words)
    if holding is None:
        holding = holds_any(centre)
    return ready.exclude(held_from_claim()) if holding else ready


def ready_and_held_counts(centre: Centre, words: str, *, holding: bool) -> tuple[int, int]:
    """How many units match the words and are ready to claim (`ready_units_matching`), and how many
    are held by the IQA's plan: one query."""
    if not holding:
        return ready_units_matching(centre, words, holding=False).count(), 0
    held = held_from_claim()
    counted = matching(ready_sign_offs(centre), words).aggregate(
        ready=Count("pk", filter=~held), held=Count("pk", filter=held)
    )
    return counted["ready"], counted["held"]


def digest_of(sign_offs: QuerySet[SignOff]) -> tuple[int, str]:
    """How many these are, and a digest of which they are (one query of their ids): the confirmation
    carries it, so that marking them refuses a set that changed since it was confirmed."""
    ids = list(sign_offs.order_by().values_list("pk", flat=True))
    return len(ids), digest_of_ids(ids)


def _awarding_bodies(centre: Centre, candidates: Iterable[int] | None = None) -> dict[tuple[int, int], str]:
    """The awarding body of each (candidate, unit) the centre's candidates (or these of them) are
    registered on through a qualification: a unit is claimed from the body that awards the
    qualification. One query."""
    through = QualificationRegistration.units.through.objects.filter(qualificationregistration__centre=centre)
    if candidates is not None:
        through = through.filter(qualificationregistration__candidate_id__in=list(candidates))
    rows = through.order_by("qualificationregistration_id").values_list(
        "qualificationregistration__candidate_id", "unit_id", "qualificationregistration__qualification__awarding_body",
    )
    found: dict[tuple[int, int], str] = {}
    for candidate_id, unit_id, body in rows:
        found.setdefault((candidate_id, unit_id), body)
    return found


def unit_items(centre: Centre, sign_offs: Iterable[SignOff]) -> list[ClaimItem]:
    """These ready sign-offs (of `ready_sign_offs`) as items of the claims, each with its awarding
    body and whether the IQA's plan holds it. A fixed number of queries for any number."""
    chosen = sign_offs.values("pk") if isinstance(sign_offs, QuerySet) else [s.pk for s in sign_offs]
    standing = list(SignOff.objects.without_record().filter(pk__in=chosen).annotate(held=held_from_claim()).select_related(
        "enrolment__candidate", "enrolment__unit", "enrolment__iqa",
    ).prefetch_related("enrolment__unit__awarding_body_codes"))
    bodies = _awarding_bodies(centre, {s.enrolment.candidate_id for s in standing})
    items = []
    for sign_off in standing:
        enrolment = sign_off.enrolment
        codes = list(enrolment.unit.awarding_body_codes.all())
        body = bodies.get((enrolment.candidate_id, enrolment.unit_id)) or (codes[0].awarding_body if codes else "")
        items.append(ClaimItem(
            key=f"unit-{enrolment.pk}", kind="unit", candidate=enrolment.candidate, awarding_body=body,
            code=enrolment.unit.code, title=enrolment.unit.title,
            completed_at=max(filter(None, (sign_off.candidate_signed_at, sign_off.assessor_signed_at))),
            enrolment=enrolment, sign_off=sign_off, held=HELD_BY_PLAN if sign_off.held else "",
        ))
    return _in_order(items)


def _in_order(items: list[ClaimItem]) -> list[ClaimItem]:
    return sorted(items, key=lambda i: (i.awarding_body, i.candidate.last_name, i.candidate.first_name, i.kind, i.code))


def qualification_items(centre: Centre, registrations: Iterable[int] | None = None) -> list[ClaimItem]:
    """The centre's qualifications not yet claimed (or these registrations of them) that are ready,
    or held only by the IQA's plan. Only the registrations of candidates with a unit countersigned
    are read: a qualification is complete only when each unit counted is signed off and countersigned."""
    # A unit counts once the candidate has countersigned it (claimed on its own or not).
    countersigned = SignOff.objects.standing().filter(enrolment__centre=centre, candidate_signed_at__isnull=False)
    found = QualificationRegistration.objects.filter(
        centre=centre, claims__isnull=True, candidate__in=countersigned.values("enrolment__candidate"),
    )
    if registrations is not None:
        found = found.filter(pk__in=list(registrations))
    complete = []
    for progress in progress_of(found.select_related("candidate", "qualification")).values():
        counted = [row for row in progress.rows if row.completed_at]
        if progress.complete and not (centre.claims_need_iqa and any(row.iqa_countersigned_at is None for row in counted)):
            complete.append((progress, counted))
    complete = _none_changed(countersigned, complete)
    held = held_before_claim(row.enrolment for _, counted in complete for row in counted if row.enrolment)
    items = []
    for progress, counted in complete:
        qualification = progress.registration.qualification
        held_units = [row.enrolment.unit.code for row in counted if row.enrolment and row.enrolment.pk in held]
        items.append(ClaimItem(
            key=f"qualification-{progress.registration.pk}", kind="qualification",
            candidate=progress.registration.candidate, awarding_body=qualification.awarding_body,
            code=qualification.code, title=qualification.title, completed_at=progress.completed_at,
            registration=progress.registration,
            held=HELD_BY_PLAN_UNIT.format(code=", ".join(held_units)) if held_units else "",
        ))
    return _in_order(items)


def _none_changed(countersigned: QuerySet[SignOff], complete: list[tuple[Any, list]]) -> list[tuple[Any, list]]:
    """The complete qualifications none of whose units' last check found it changed since sign-off
    (a query only when any is complete)."""
    if not complete:
        return complete
    counted = [row.enrolment.pk for _, rows in complete for row in rows if row.enrolment]
    changed = set(
        countersigned.filter(found_changed_since_sign_off(), enrolment_id__in=counted).values_list("enrolment_id", flat=True)
    )
    return [(p, rows) for p, rows in complete if not any(row.enrolment and row.enrolment.pk in changed for row in rows)]


def ready_to_claim(centre: Centre) -> list[ClaimItem]:
    """The units and qualifications of the centre ready to claim and not yet claimed."""
    return [item for item in claim_items(centre) if not item.held]


def ready_count(centre: Centre, up_to: int) -> int:
    """How many units and qualifications are ready to claim and not held (what `ready_to_claim`
    lists), the units counted in the database and no further than `up_to`, so that a page saying
    how many costs the same however many units the centre has signed off."""
    units = ready_sign_offs(centre).order_by()
    if holds_any(centre):  # else nothing is held, and no unit need be asked
        units = units.exclude(held_from_claim())
    qualifications = [item for item in qualification_items(centre) if not item.held]
    return units[:up_to].count() + len(qualifications)


def held_claims(centre: Centre) -> list[ClaimItem]:
    """What would be ready to claim but for the IQA's plan, each with the reason it is held."""
    return [item for item in claim_items(centre) if item.held]


def claim_items(centre: Centre, keys: Iterable[str] | None = None) -> list[ClaimItem]:
    """The units and qualifications of the centre not yet claimed that are ready, or held only by
    the IQA's plan (`held` says so); of these keys (`ClaimItem.key`) alone when given, so that
    marking a few claimed reads those few."""
    sign_offs = ready_sign_offs(centre)
    registrations = None
    if keys is not None:
        keys = list(keys)
        sign_offs = sign_offs.filter(enrolment_id__in=_ids(keys, "unit-"))
        registrations = _ids(keys, "qualification-")
    return _in_order(unit_items(centre, sign_offs) + qualification_items(centre, registrations))


def _ids(keys: list[str], prefix: str) -> list[int]:
    return [int(key.removeprefix(prefix)) for key in keys if key.startswith(prefix) and key.removeprefix(prefix).isdigit()]


def claims_made(centre: Centre, awarding_body: str | None = None) -> QuerySet[Claim]:
    claims = Claim.objects.filter(centre=centre).select_related(
        "enrolment__candidate", "enrolment__unit", "registration__candidate", "registration__qualification",
        "claimed_by", "sign_off",
    )
    if awarding_body is not None:
        claims = claims.filter(awarding_body=awarding_body)
    return claims.order_by("awarding_body", "-claimed_on", "reference", "pk")


def unit_claim(enrolment: Enrolment) -> Claim | None:
    """The claim made of this unit, if any: it cannot be unlocked without naming it."""
    return Claim.objects.filter(enrolment=enrolment).first()
