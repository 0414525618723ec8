"""Which submission of an evidence item a judge form was rendered for, so a form left open while the
evidence was judged in another tab, referred back, changed and submitted again is not recorded as
a judgement of a version the assessor never saw (as the IQA's review carries the sign-off it read)."""

from dataclasses import dataclass

from portfolio.errors import PortfolioError
from portfolio.models import Evidence

from ..integrity import when


class StaleJudgement(PortfolioError):
    """The evidence was submitted again (perhaps changed) since the judge form was rendered."""


@dataclass(frozen=True)
class Round:
    """One submission of the evidence: its version and the moment it was submitted (each submission,
    even of an unchanged version after a referral, has its own)."""

    version: int
    submitted: str

    @classmethod
    def of(cls, evidence: Evidence) -> "Round":
        return cls(version=evidence.version, submitted=evidence.submitted_at.isoformat() if evidence.submitted_at else "")


def require_seen(evidence: Evidence, seen: Round | None) -> None:
    """Refuses a judgement of a submission other than the one the form was rendered for (None: the
    caller judges what stands, as a script or a test does)."""
    if seen is None or seen == Round.of(evidence):
        return
    if seen.version != evidence.version:
        now = f"{evidence.candidate} submitted version {evidence.version}"
    else:
        now = f"{evidence.candidate} submitted version {evidence.version} again"
    if evidence.submitted_at:
        now += f" on {when(evidence.submitted_at)}"
    raise StaleJudgement(
        f"{evidence.reference} changed while you had the page open: you were judging version {seen.version}, "
        f"and {now}. Nothing was recorded; look at it again."
    )
