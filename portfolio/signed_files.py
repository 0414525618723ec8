"""Whether an evidence file that a signed-off unit rests on has changed since, for the download.

The answer is the last fixity check of the sign-off, which lives in `assessments` (portfolio must
not import it). As with `portfolio.locks`, assessments hands portfolio the one question it needs
answered when the apps load (`AssessmentsConfig.ready`), rather than copying a "changed" mark onto
the file: that mark would be a second record of the check that every check, unlock and restore
would have to keep in step, and a mark left behind would warn (or fail to) wrongly. Without
assessments there are no sign-offs, so no file has changed since one.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from .models import EvidenceFile


@dataclass(frozen=True)
class SignedFileChange:
    """One signed-off unit whose last check found this file changed or missing."""

    unit_code: str
    signed_at: datetime.datetime
    checked_at: datetime.datetime | None  # None: found by the database-side check made just now
    problem: str  # in words, as the unit page shows it
    # False: the file is as signed, but the record it was signed in has changed (a decision, the
    # sign-off itself): the download is warned of all the same.
    file_changed: bool = True


ChangesSinceSigned = Callable[[EvidenceFile], list[SignedFileChange]]

_changes_since_signed: ChangesSinceSigned | None = None


def answer_with(changes_since_signed: ChangesSinceSigned) -> None:
    global _changes_since_signed
    _changes_since_signed = changes_since_signed


def changes_since_signed(evidence_file: EvidenceFile) -> list[SignedFileChange]:
    if _changes_since_signed is None:
        return []
    return _changes_since_signed(evidence_file)
