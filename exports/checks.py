"""The check an export makes of a signed record before it vouches for it.

The unit PDF and the bulk export are boundaries where the signed record leaves the product, so each
checks it there and then (`assessments.integrity.check` reads and hashes every signed file), rather
than trusting the last fixity result a page shows. What the check found travels with the export: on
the PDF's cover and page headers, in its embedded manifest and its seal's reason, and in a bulk
export's list of the units it left out."""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone

from assessments import fixity, record_seals
from assessments.fixity import Boundary as Boundary  # the boundaries an export checks at
from assessments.integrity import IntegrityReport, utc_iso
from assessments.models import SignOff
from portfolio.models import Enrolment, Person


def checked(sign_off: SignOff, *, boundary: Boundary, by: Person | None = None) -> IntegrityReport:
    """The sign-off checked against the database and storage as they are now, and the check
    recorded as a fixity check at this boundary: the unit page's "files last verified" counts it, and
    a change found here tells the assessor, the IQA and the administrators (`assessments.fixity`).
    Judged as the unit page judges it (`fixity.judged`): a record of a file check that cannot be
    believed counts against the record here too."""
    return fixity.judged(sign_off, boundary=boundary, by=by)


class RecordState(StrEnum):
    NOT_SIGNED_OFF = "not signed off"
    INTACT = "intact"
    CHANGED = "changed since sign-off"


@dataclass(frozen=True)
class RecordCheck:
    """What an export says about the record it carries: its state, when it was checked, and
    every change the check found, in the check's own words."""

    state: RecordState
    checked_at: datetime.datetime | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.state == RecordState.CHANGED

    def as_manifest(self) -> dict:
        return {
            "state": str(self.state),
            "checked_at": utc_iso(self.checked_at) if self.checked_at else None,
            "changes": list(self.changes),
        }


def sign_off_of_record(enrolment: Enrolment, sign_offs: list[SignOff] | None = None) -> SignOff | None:
    """The sign-off an export carries (`record_seals.of_record`): one voided outside the product
    stands, so the export shows the unit signed off and changed since (an outside trial: the PDF said
    NOT SIGNED OFF, the bulk export took the unit as in progress and the checker called it valid).
    `sign_offs`: the enrolment's, if read already."""
    if sign_offs is None:
        sign_offs = list(SignOff.objects.filter(enrolment=enrolment).order_by("-pk")[:1])
    return record_seals.of_record(sign_offs)


def record_check(standing: SignOff | None, *, boundary: Boundary, by: Person | None = None) -> RecordCheck:
    """`standing`: the sign-off of the record (`sign_off_of_record`), or None."""
    if standing is None:
        return RecordCheck(RecordState.NOT_SIGNED_OFF)
    checked_at = timezone.now()
    # A sign-off of record marked void (by hand: an unlock leaves none) is among the problems.
    problems = list(checked(standing, boundary=boundary, by=by).problems)
    if not problems:
        return RecordCheck(RecordState.INTACT, checked_at)
    return RecordCheck(RecordState.CHANGED, checked_at, problems)
