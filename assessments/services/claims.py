"""Marking units and qualifications claimed from the awarding body, and the claim list it is sent.

Only what is ready to claim (`assessments.claims.claim_items`, not held) may be marked; each item marked is
a `Claim` with the date and the claim's reference, audited, in one transaction."""

import datetime
import itertools
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from portfolio import audit, spreadsheets
from portfolio.errors import PortfolioError
from portfolio.identifier_models import CandidateIdentifiers
from portfolio.models import Centre, Person, QualificationRegistration
from portfolio.services_centre import require_administrator

from .. import fixity
from ..audit_actions import AssessmentAction
from ..claim_models import Claim
from ..claims import ClaimItem, claim_items, claims_made, digest_of, ready_units_matching, unit_items
from ..models import SignOff


def claims_mark(
    *, centre: Centre, claimed_by: Person, keys: list[str], reference: str, claimed_on: datetime.date
) -> list[Claim]:
    """Marks the chosen items (by `ClaimItem.key`) claimed under one claim reference."""
    require_administrator(claimed_by, centre)
    reference = _claim_reference(reference, claimed_on)
    if not keys:
        raise PortfolioError("Choose at least one unit or qualification to mark as claimed.")
    with transaction.atomic():
        ready = {item.key: item for item in claim_items(centre, keys) if not item.held}
        missing = [key for key in keys if key not in ready]
        if missing:
            raise PortfolioError(
                "Some of what was chosen is no longer ready to claim (claimed already, or unlocked since the "
                "list was shown). Look at the list again."
            )
        _require_unchanged([ready[key] for key in keys])
        try:
            return [_claim(ready[key], centre=centre, claimed_by=claimed_by, reference=reference,
                           claimed_on=claimed_on) for key in dict.fromkeys(keys)]
        except IntegrityError:
            raise PortfolioError("Someone else marked one of these claimed at the same moment. Look at the list again.") from None


def claims_mark_matching(
    *, centre: Centre, claimed_by: Person, words: str, confirmed: str, reference: str, claimed_on: datetime.date
) -> list[Claim]:
    """Marks every unit ready to claim that matches the words typed (`claims.ready_units_matching`)
    claimed under one reference, each audited as ticking it would be, in one transaction; provided they
    are still the units confirmed (`confirmed`, `claims.digest_of` them when the confirmation was
    shown). If any was claimed, unlocked, held or newly signed off since, nothing is marked."""
    require_administrator(claimed_by, centre)
    reference = _claim_reference(reference, claimed_on)
    with transaction.atomic():
        sign_offs = ready_units_matching(centre, words)
        count, digest = digest_of(sign_offs)
        if digest != confirmed:
            raise ClaimsChanged(count)
        if not count:
            raise PortfolioError("Nothing ready to claim matches. Nothing was marked as claimed.")
        items = unit_items(centre, sign_offs)
        _require_unchanged(items)
        try:
            return [_claim(item, centre=centre, claimed_by=claimed_by, reference=reference, claimed_on=claimed_on)
                    for item in items]
        except IntegrityError:
            raise ClaimsChanged(count) from None


class ClaimsChanged(PortfolioError):
    """The units matching are not those confirmed: nothing was marked. `count` is how many match now."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            f"What is ready to claim changed after you confirmed (a unit claimed, unlocked, held or newly "
            f"ready): {count} unit{'' if count == 1 else 's'} match{'es' if count == 1 else ''} now. Nothing was marked as claimed. "
            "Check the number and confirm again."
        )


def _require_unchanged(items: list[ClaimItem]) -> None:
    """A claim certifies the record as signed: each unit claimed (a qualification's, each unit it
    counts) is judged as its page judges it, the database now and the files as last checked, and
    if any has changed since sign-off nothing is marked."""
    changed = []
    for item in items:
        for sign_off in _sign_offs_claimed(item):
            report = fixity.page_report(sign_off)
            if not report.intact:
                enrolment = sign_off.enrolment
                changed.append(f"{enrolment.candidate}’s {enrolment.unit.code} has changed since sign-off "
                               f"({report.problems[0]})")
    if changed:
        raise PortfolioError(
            f"Nothing was marked as claimed: {'; '.join(changed)}. Look into it on the unit’s page before claiming."
        )


def _sign_offs_claimed(item: ClaimItem) -> list[SignOff]:
    if item.sign_off is not None:
        return [item.sign_off]
    registration = item.registration
    assert registration is not None
    return list(
        SignOff.objects.standing().filter(
            enrolment__candidate=registration.candidate, enrolment__centre=registration.centre,
            enrolment__unit__in=registration.units.all(),
        ).select_related("enrolment__candidate", "enrolment__unit")
    )


def _claim_reference(reference: str, claimed_on: datetime.date) -> str:
    reference = reference.strip()
    if not reference:
        raise PortfolioError("Give the claim reference the awarding body gave, or your own for this claim.")
    if claimed_on > datetime.date.today() + datetime.timedelta(days=1):
        raise PortfolioError("The date claimed cannot be in the future.")
    return reference


def _claim(item: ClaimItem, *, centre: Centre, claimed_by: Person, reference: str, claimed_on: datetime.date) -> Claim:
    claim = Claim.objects.create(
        centre=centre, enrolment=item.enrolment, registration=item.registration, sign_off=item.sign_off,
        awarding_body=item.awarding_body, reference=reference, claimed_on=claimed_on, claimed_by=claimed_by,
    )
    what = "unit" if item.kind == "unit" else "qualification"
    audit.record(
        AssessmentAction.CLAIM_MADE, actor=claimed_by, centre=centre, candidate=item.candidate, enrolment=item.enrolment,
        summary=f"{item.code} of {item.candidate} claimed from {item.awarding_body or 'the awarding body'}: {reference}",
        after={
            "kind": what, "code": item.code, "reference": reference, "claimed_on": claimed_on.isoformat(),
            "awarding_body": item.awarding_body, "sign_off": item.sign_off.pk if item.sign_off else None,
        },
    )
    return claim


CSV_COLUMNS = [
    "Awarding body", "Claim reference", "Date claimed", "Type", "Candidate", "ULN", "SCN",
    "Registration number", "Code", "Awarding body unit code", "Title", "Date signed off",
]


# Claims read from the database at a time by the CSV: the queries per chunk are fixed (the claims,
# their units' awarding-body codes, the registration numbers, the identifiers).
CSV_CHUNK = 500


def claims_csv(*, centre: Centre, awarding_body: str, downloaded_by: Person) -> Iterator[str]:
    """The claims made of one awarding body, as the CSV the centre sends or keeps, line by line
    (the header first); audited when asked for, with the number of claims."""
    claims = claims_made(centre, awarding_body).prefetch_related("enrolment__unit__awarding_body_codes")
    count = claims.count()
    audit.record(
        AssessmentAction.CLAIMS_EXPORTED, actor=downloaded_by, centre=centre,
        summary=f"Claim list for {awarding_body or 'no awarding body'} downloaded as CSV ({count} claims)",
        after={"awarding_body": awarding_body, "claims": count},
    )
    return spreadsheets.lines(itertools.chain([CSV_COLUMNS], _csv_rows(centre, claims)))


def _csv_rows(centre: Centre, claims: QuerySet[Claim]) -> Iterator[list[str]]:
    chunk: list[Claim] = []
    for claim in claims.iterator(chunk_size=CSV_CHUNK):
        chunk.append(claim)
        if len(chunk) == CSV_CHUNK:
            yield from _chunk_rows(centre, chunk)
            chunk = []
    yield from _chunk_rows(centre, chunk)


def _chunk_rows(centre: Centre, claims: list[Claim]) -> Iterator[list[str]]:
    if not claims:
        return
    candidates = {c.enrolment.candidate_id if c.enrolment else c.registration.candidate_id for c in claims}  # type: ignore[union-attr]
    held = {i.candidate_id: i for i in CandidateIdentifiers.objects.filter(centre=centre, candidate_id__in=candidates)}
    # The awarding body knows the candidate by the number of the qualification the unit counts towards.
    numbers: dict[tuple[int, int, str], str] = {}
    registered = QualificationRegistration.units.through.objects.filter(
        qualificationregistration__centre=centre, qualificationregistration__candidate_id__in=candidates,
    ).exclude(qualificationregistration__registration_number="").order_by("qualificationregistration_id")
    for candidate_id, unit_id, body, number in registered.values_list(
        "qualificationregistration__candidate_id", "unit_id", "qualificationregistration__qualification__awarding_body",
        "qualificationregistration__registration_number",
    ):
        numbers.setdefault((candidate_id, unit_id, body), number)
    for claim in claims:
        yield _csv_row(claim, held, numbers)


def _csv_row(claim: Claim, held: dict[int, CandidateIdentifiers], numbers: dict[tuple[int, int, str], str]) -> list[str]:
    if claim.enrolment is not None:
        enrolment = claim.enrolment
        candidate, code, title = enrolment.candidate, enrolment.unit.code, enrolment.unit.title
        number = numbers.get((candidate.pk, enrolment.unit_id, claim.awarding_body)) or enrolment.registration_number
        body_code = next(
            (c.code for c in enrolment.unit.awarding_body_codes.all() if c.awarding_body == claim.awarding_body), ""
        )
        signed = claim.sign_off.assessor_signed_at.date().isoformat() if claim.sign_off else ""
        kind = "Unit"
    else:
        registration = claim.registration
        assert registration is not None  # a claim is of a unit or of a qualification (a constraint says so)
        candidate, code, title = registration.candidate, registration.qualification.code, registration.qualification.title
        number, body_code, signed, kind = registration.registration_number, "", "", "Qualification"
    # This centre's record of them, not another's.
    identifiers = held.get(candidate.pk) or CandidateIdentifiers(candidate=candidate, centre_id=claim.centre_id)
    return [
        claim.awarding_body, claim.reference, claim.claimed_on.isoformat(), kind, candidate.get_full_name(),
        identifiers.uln, identifiers.scn, number, code, body_code, title, signed,
    ]
