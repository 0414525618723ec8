"""The assessor's latest feedback on evidence referred back to the candidate, for the candidate's
Change page, which must show it above the form they are changing.

The feedback lives with the judgement in `assessments`, which portfolio must not import; as with
`portfolio/locks.py`, assessments hands portfolio the answer when the apps load
(`AssessmentsConfig.ready`). Without assessments nothing is ever referred, so there is none.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Evidence, EvidenceState


@dataclass(frozen=True)
class ItemNote:
    """The assessor's note on one criterion or knowledge item of a referral (`ReferralNote`)."""

    reference: str  # "HSC331a.1"
    note: str


@dataclass(frozen=True)
class ReferralFeedback:
    assessor_name: str
    referred_at: datetime.datetime
    version: int  # the version of the evidence the assessor referred
    feedback: str
    notes: list[ItemNote] = field(default_factory=list)  # in the order the assessor gave them


LatestReferral = Callable[[Evidence], ReferralFeedback | None]

_latest_referral: LatestReferral | None = None


def answer_with(latest_referral: LatestReferral) -> None:
    global _latest_referral
    _latest_referral = latest_referral


def latest_referral(evidence: Evidence) -> ReferralFeedback | None:
    """The feedback the evidence is referred back with, while it is; None otherwise."""
    if evidence.state != EvidenceState.REFERRED or _latest_referral is None:
        return None
    return _latest_referral(evidence)
