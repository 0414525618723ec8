"""What is new on a unit since the IQA's last review of it: the decisions recorded or withdrawn, the
evidence judged for it, and the sign-offs made (signed, countersigned by the candidate, voided) after
the moment the reader recorded their last review (agreed, countersigned or referred back). The
review page marks each "New since your review on 3 December 2026" and counts them at its top, with a
link to the first (an outside trial: at a re-review after an interim agreement, nothing said which
decisions were new). `sampling/flags.py` `unchanged_agreements` is the rule of whether anything is
new at all (decisions and sign-offs); this module says which entries of the page are."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from portfolio.models import Enrolment, Person

from .judgement_models import JudgedEnrolment
from .models import QualityReview, SignOff

# Each kind of entry the page marks, as its count is worded: (one, several).
KINDS = {
    "sign-off": ("sign-off", "sign-offs"),
    "countersignature": ("countersignature by the candidate", "countersignatures by the candidate"),
    "decision": ("decision", "decisions"),
    "judgement": ("evidence judgement", "evidence judgements"),
}


def last_review_by(reviews: Iterable[QualityReview], iqa: Person) -> QualityReview | None:
    """The reader's last recorded review among the unit's `reviews` (the page has read them all; a
    sample waiting is no review), or None."""
    theirs = [
        r for r in reviews
        if r.iqa_id == iqa.pk and r.reviewed_at is not None and r.outcome != QualityReview.Outcome.SAMPLED
    ]
    return max(theirs, key=lambda r: (r.reviewed_at, r.pk), default=None)


@dataclass
class NewSince:
    """The entries of the review page made since `review` (None: the reader has not reviewed the
    unit, and nothing is marked). Each entry marked is given its anchor, in the page's order, as
    `mark` is asked of it."""

    review: QualityReview | None
    anchors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def since(self) -> datetime.datetime | None:
        return self.review.reviewed_at if self.review else None

    def is_new(self, *moments: datetime.datetime | None) -> bool:
        since = self.since
        return since is not None and any(moment is not None and moment > since for moment in moments)

    def mark(self, kind: str, anchor: str, *moments: datetime.datetime | None) -> str:
        """The entry's anchor if it is new (counted as `kind`), else ""."""
        if not self.is_new(*moments):
            return ""
        self.anchors.append(anchor)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return anchor

    @property
    def total(self) -> int:
        return len(self.anchors)

    @property
    def first(self) -> str:
        return self.anchors[0] if self.anchors else ""

    @property
    def counted(self) -> str:
        """“2 decisions and 1 evidence judgement”, in the order of `KINDS`."""
        parts = [
            f"{n} {KINDS[kind][0 if n == 1 else 1]}" for kind in KINDS if (n := self.counts.get(kind, 0))
        ]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def judgements_of(enrolment: Enrolment) -> list[JudgedEnrolment]:
    """The judgements of evidence counted for the unit (`JudgedEnrolment`: mapped to it when judged),
    newest first, with their evidence and assessor."""
    return list(
        JudgedEnrolment.objects.filter(enrolment=enrolment)
        .select_related("judgement__evidence", "assessor")
        .order_by("-judged_at", "-pk")
    )


@dataclass(frozen=True)
class Marked:
    """An entry of the page with its anchor: "" unless it is new since the reader's review."""

    entry: object
    anchor: str


def marked_page(
    news: NewSince,
    standing: SignOff | None,
    voided: list[SignOff],
    met: list[tuple],
    withdrawn: list,
    judgements: list[JudgedEnrolment],
) -> dict:
    """The review page's entries, each marked if new, asked in the page's order (sign-off, decisions,
    withdrawn decisions, judgements) so the count's link leads to the first on the page."""
    # Asked one after the other, in the page's order: each `mark` adds its anchor to `news.anchors`.
    sign_off_new = news.mark("sign-off", "new-sign-off", standing.assessor_signed_at) if standing else ""
    countersign_new = (
        news.mark("countersignature", "new-countersignature", standing.candidate_signed_at)
        if standing
        else ""
    )
    voided_marked = [
        Marked(s, news.mark("sign-off", f"new-voided-{s.pk}", s.assessor_signed_at, s.voided_at))
        for s in voided
    ]
    standing_decisions = [
        (item, d, news.mark("decision", f"new-decision-{i}", d.decided_at))
        for i, (item, d) in enumerate(met, start=1)
    ]
    withdrawn_marked = [
        Marked(d, news.mark("decision", f"new-withdrawn-{d.pk}", d.decided_at, d.withdrawn_at))
        for d in withdrawn
    ]
    judgements_marked = [
        Marked(j, news.mark("judgement", f"new-judgement-{j.pk}", j.judged_at)) for j in judgements
    ]
    return {
        "sign_off_new": sign_off_new,
        "countersign_new": countersign_new,
        "voided_sign_offs": voided_marked,
        "standing_decisions": standing_decisions,
        "withdrawn_decisions": withdrawn_marked,
        "judgements": judgements_marked,
        # A list folded away opens where it holds something new, so the link to it shows it.
        "voided_open": any(m.anchor for m in voided_marked),
        "withdrawn_open": any(m.anchor for m in withdrawn_marked),
        "news": news,
    }
