"""The rows that record each fixity check of a sign-off, as far as they can be believed: each is
signed (`record_seals.check_signature`), and the sign-off counts those the portfolio recorded
(`SignOff.checks_made`, under its `after_signature`), so a row altered, dated in the future,
deleted or copied in is said (`Checks.problem`), and never taken for a check that was made."""

from dataclasses import dataclass

from . import record_seals
from .models import FixityCheck, SignOff

UNTRUSTED_CHECKS = (
    "A record of a file check has been altered or dated in the future, and is not trustworthy: "
    "it is ignored{since}."
)


@dataclass(frozen=True)
class Checks:
    """The sign-off's checks as far as they can be believed (`record_seals`)."""

    latest: FixityCheck | None  # the latest check that verifies and is not dated after now
    untrusted: int  # rows that do not verify, or are dated after now
    rows: int = 0  # every row there is
    made: int = 0  # the checks the portfolio recorded (`SignOff.checks_made`)

    def problem(self) -> list[str]:
        problems = []
        if self.made > self.rows:
            missing = self.made - self.rows
            problems.append(f"{missing} of the {self.made} recorded checks of this record "
                            f"{'are' if missing != 1 else 'is'} missing from the database: deleted outside the portfolio.")
        elif self.rows > self.made:
            problems.append("A check of this record was added in the database, not recorded by the portfolio.")
        if self.untrusted:
            since = "" if self.latest else ", and the files are taken as not verified since sign-off"
            problems.append(UNTRUSTED_CHECKS.format(since=since))
        return problems


def checks_of(sign_off: SignOff) -> Checks:
    """The latest check believed, newest first: a forged row dated in the future comes first and is
    passed over, so it never outranks the real checks after it. Every row is verified (a small HMAC
    each), so a forged row older than the latest real check is reported too."""
    latest, untrusted, rows = None, 0, 0
    for check in FixityCheck.objects.filter(sign_off=sign_off).select_related("requested_by"):
        rows += 1
        if not record_seals.check_is_believed(check):
            untrusted += 1
        elif latest is None:
            latest = check
    made = SignOff.objects.filter(pk=sign_off.pk).values_list("checks_made", flat=True).first() or 0
    return Checks(latest=latest, untrusted=untrusted, rows=rows, made=made)


def latest_check(sign_off: SignOff) -> FixityCheck | None:
    """The latest check that can be believed."""
    return checks_of(sign_off).latest
