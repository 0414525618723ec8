"""The evidence page's history: what happened to the evidence, in sentences as the unit page's audit
trail words them (`portfolio.audit_sentences`, which name who did it), and, apart, who looked at its
files, one line for each person and verb. Every view of a file is an event (once an hour per person
and file), and a dozen of them had pushed the submission, the judgements and the referral off the
history; the audit trail and its CSV keep each one."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max

from portfolio import dates
from portfolio.audit import PortfolioAction
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent, Evidence

FILE_READS = (PortfolioAction.FILE_VIEWED.value, PortfolioAction.FILE_DOWNLOADED.value)
EVENTS_SHOWN = 50


@dataclass(frozen=True)
class HistoryLine:
    at: datetime.datetime
    sentence: str


@dataclass(frozen=True)
class FileReads:
    """How often one person viewed (or downloaded) the evidence's files, and when last."""

    person: str
    verb: str  # "viewed" or "downloaded"
    times: int
    last: datetime.datetime

    @property
    def sentence(self) -> str:
        how_often = "once, on" if self.times == 1 else f"{self.times} times, last on"
        return f"{self.person} {self.verb} its files {how_often} {dates.day_time(self.last)}"


def history(evidence: Evidence) -> list[HistoryLine]:
    """What happened to the evidence, newest first, without the views and downloads of its files."""
    events = (
        AuditEvent.objects.filter(evidence_id=evidence.pk)
        .exclude(action__in=FILE_READS)
        .select_related("actor", "evidence", "candidate")[:EVENTS_SHOWN]
    )
    return [HistoryLine(event.at, sentence(event)) for event in events]


def file_reads(evidence: Evidence) -> list[FileReads]:
    """Who viewed or downloaded the evidence's files: a line each, the most recent first."""
    rows = (
        AuditEvent.objects.filter(evidence_id=evidence.pk, action__in=FILE_READS)
        .values("actor__first_name", "actor__last_name", "actor__email", "action")
        .annotate(times=Count("pk"), last=Max("at"))
        .order_by("-last")
    )
    return [
        FileReads(
            person=f"{row['actor__first_name']} {row['actor__last_name']}".strip() or row["actor__email"] or "Someone",
            verb="downloaded" if row["action"] == PortfolioAction.FILE_DOWNLOADED.value else "viewed",
            times=row["times"],
            last=row["last"],
        )
        for row in rows
    ]
