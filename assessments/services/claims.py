"""Marking units and qualifications claimed from the awarding body, and the claim list it is sent.

Only what is ready to claim (`assessments.claims.ready_to_claim`) may be marked; each item marked is
a `Claim` with the date and the claim's reference, audited, in one transaction."""

import datetime
import io

from django.db import IntegrityError, transaction

from portfolio import audit, spreadsheets
from portfolio.errors import PortfolioError
from portfolio.identifier_models import identifiers_at
from portfolio.models import Centre, Person, QualificationRegistration
from portfolio.services_centre import require_administrator

from ..audit_actions import AssessmentAction
from ..claim_models import Claim
from ..claims import ClaimItem, claims_made, ready_to_claim


def claims_mark(
    *, centre: Centre, claimed_by: Person, keys: list[str], reference: str, claimed_on: datetime.date
) -> list[Claim]:
    """Marks the chosen items (by `ClaimItem.key`) claimed under one claim reference."""
    require_administrator(claimed_by, centre)
    reference = reference.strip()
    if not reference:
        raise PortfolioError("Give the claim reference the awarding body gave, or your own for this claim.")
    if not keys:
        raise PortfolioError("Choose at least one unit or qualification to mark as claimed.")
    if claimed_on > datetime.date.today() + datetime.timedelta(days=1):
        raise PortfolioError("The date claimed cannot be in the future.")
    with transaction.atomic():
        ready = {item.key: item for item in ready_to_claim(centre)}
        missing = [key for key in keys if key not in ready]
        if missing:
            raise PortfolioError(
                "Some of what was chosen is no longer ready to claim (claimed already, or unlocked since the "
                "list was shown). Look at the list again."
            )
        try:
            return [_claim(ready[key], centre=centre, claimed_by=claimed_by, reference=reference,
                           claimed_on=claimed_on) for key in dict.fromkeys(keys)]
        except IntegrityError:
            raise PortfolioError("Someone else marked one of these claimed at the same moment. Look at the list again.") from None


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


def claims_csv(*, centre: Centre, awarding_body: str, downloaded_by: Person) -> str:
    """The claims made of one awarding body, as the CSV the centre sends or keeps; audited."""
    claims = claims_made(centre, awarding_body)
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(CSV_COLUMNS)
    for claim in claims:
        writer.writerow(_csv_row(claim))
    audit.record(
        AssessmentAction.CLAIMS_EXPORTED, actor=downloaded_by, centre=centre,
        summary=f"Claim list for {awarding_body or 'no awarding body'} downloaded as CSV ({len(claims)} claims)",
        after={"awarding_body": awarding_body, "claims": len(claims)},
    )
    return out.getvalue()


def _csv_row(claim: Claim) -> list[str]:
    if claim.enrolment is not None:
        enrolment = claim.enrolment
        candidate, code, title = enrolment.candidate, enrolment.unit.code, enrolment.unit.title
        # The awarding body knows the candidate by the number of the qualification the unit counts towards.
        under = QualificationRegistration.objects.filter(
            candidate=candidate, centre=claim.centre, units=enrolment.unit, qualification__awarding_body=claim.awarding_body
        ).exclude(registration_number="").first()
        number = under.registration_number if under else enrolment.registration_number
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
    held = identifiers_at(candidate.pk, claim.centre_id)  # this centre's record of them, not another's
    return [
        claim.awarding_body, claim.reference, claim.claimed_on.isoformat(), kind, candidate.get_full_name(),
        held.uln, held.scn, number, code, body_code, title, signed,
    ]
