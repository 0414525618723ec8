"""Signed-off units for the export tests, and the ways a hostile insider changes a signed record
behind the product's back: a byte of a stored file, a decision's date in the database, words
appended to a written account.

The people are the shared cast (tests/cast.py): Alice on HSC331 and H3 25 with Bob her assessor,
Dave on HSC331 with Erin; Grace administers their centre."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import Storage
from django.db.models import F
from django.utils import timezone

from assessments.models import Decision, SignOff
from assessments.services.signoff import unit_sign_off
from portfolio import dates
from portfolio.models import Enrolment, Evidence, EvidenceFile
from tests.assessments.unit_case import Case, accepted_evidence, build_case, meet, photo


@dataclass
class SignedCase:
    case: Case
    evidence: dict[int, Evidence]  # by enrolment id: the one evidence item each unit was signed on

    @property
    def units(self) -> list[Enrolment]:
        return [self.case.hsc331, self.case.h3_25, self.case.dave_hsc331]


def signed_case() -> SignedCase:
    """Alice's HSC331 and H3 25 and Dave's HSC331, each signed off on an evidence item of its own
    with one photo and a written account."""
    case = build_case()
    evidence = {}
    for enrolment, candidate, name in (
        (case.hsc331, case.alice, "visit.png"), (case.h3_25, case.alice, "tenancy.png"),
        (case.dave_hsc331, case.dave, "club.png"),
    ):
        item = accepted_evidence(
            case, candidate=candidate, enrolment=enrolment, title=f"Evidence for {enrolment.unit.code}",
            uploads=[photo(name)],
        )
        meet(case, enrolment, [item])
        unit_sign_off(enrolment=enrolment, assessor=enrolment.assessor, declared=True)
        evidence[enrolment.pk] = item
    return SignedCase(case, evidence)


def rewrite(evidence_file: EvidenceFile, data: bytes) -> None:
    """New bytes under the stored file's name, as someone with the disk or the bucket would."""
    storage: Storage = evidence_file.file.storage
    name = evidence_file.file.name
    try:
        path = storage.path(name)
    except NotImplementedError:  # object storage: straight into the bucket, same key
        storage.bucket.Object(storage._normalize_name(name)).put(Body=data)  # type: ignore[attr-defined]
        return
    with open(path, "wb") as handle:
        handle.write(data)


def stored_bytes(evidence_file: EvidenceFile) -> bytes:
    with evidence_file.file.storage.open(evidence_file.file.name, "rb") as handle:
        return handle.read()


def change_a_byte(signed: SignedCase, enrolment: Enrolment) -> str:
    stored = signed.evidence[enrolment.pk].files.get()
    data = bytearray(stored_bytes(stored))
    data[len(data) // 2] ^= 0x01
    rewrite(stored, bytes(data))
    return f"{stored.evidence.reference} {stored.original_name} has changed since the unit was signed off"


def change_a_decisions_date(signed: SignedCase, enrolment: Enrolment) -> str:
    decision = Decision.objects.standing().filter(enrolment=enrolment, criterion__isnull=False).order_by("pk").first()
    assert decision is not None
    Decision.objects.filter(pk=decision.pk).update(decided_on=F("decided_on") - datetime.timedelta(days=30))
    return f"{decision.item.reference}: the decision has changed since sign-off (dated"


def append_to_the_account(signed: SignedCase, enrolment: Enrolment) -> str:
    evidence = signed.evidence[enrolment.pk]
    Evidence.objects.filter(pk=evidence.pk).update(account=evidence.account + " And I did it all again the next day.")
    return f"{evidence.reference}: its title, method, date, place or written account has changed since sign-off."


def void_by_hand(signed: SignedCase, enrolment: Enrolment) -> str:
    """The standing sign-off marked void in the database, as if unlocked (an outside trial: the PDF
    then said NOT SIGNED OFF, the bulk export took the unit as in progress)."""
    sign_off = SignOff.objects.get(enrolment=enrolment, voided_at=None)
    SignOff.objects.filter(pk=sign_off.pk).update(
        voided_at=timezone.now(), voided_by=enrolment.assessor, void_reason="Reopened."
    )
    return f"The sign-off of {dates.day(sign_off.assessor_signed_at)} was marked void in the database, not by an unlock"


TAMPERING: dict[str, Callable[[SignedCase, Enrolment], str]] = {
    "a byte of a signed file": change_a_byte,
    "a decision's date": change_a_decisions_date,
    "text appended to a written account": append_to_the_account,
    "the sign-off voided by hand": void_by_hand,
}
