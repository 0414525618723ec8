"""Whether a centre's audit trail is as the portfolio wrote it.

Each event names the event of its centre it followed (`AuditEvent.previous`) and is sealed over its
facts and that event's seal (`signing.audit_event_seal`, written by `audit.record`). So an event
changed in the database no longer matches its seal, one put in without the key has none or a wrong
one, and one deleted leaves the event that followed it naming an id that is gone. Two events written
at the same moment on PostgreSQL may follow the same event: a fork, not a break, and accepted.

What the chain cannot see: the latest events of a centre deleted before any later event followed
them; `check_fixity` finds them against the latest event its last run recorded outside the database
(`ops.audit_trail.heads`; docs/production.md).

`page_problems` checks the events a page shows (one query for the events they follow);
`problems_of` streams a whole centre, each event read with the seal of the one it follows."""

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from . import dates
from .models import AuditEvent, Centre
from .signing import audit_event_seal

# What the events' seals are checked against, read with them: an event that follows another reads
# that event's seal, "" when it has none, and null when it is gone.
NO_SEAL = ""


@dataclass(frozen=True)
class Problem:
    event_id: int  # the event whose row says it (for one deleted, the event that followed it)
    words: str


def page_problems(events: list[AuditEvent]) -> list[Problem]:
    """The problems of the events a page shows, each checked against the event it follows."""
    named = {event.previous for event in events if event.previous is not None}
    seals = {
        pk: seal if seal is not None else NO_SEAL
        for pk, seal in AuditEvent.objects.filter(pk__in=named).order_by().values_list("pk", "seal")
    }
    first: dict[str, int] = {}
    for seal, pk in AuditEvent.objects.filter(seal__in={e.seal for e in events if e.seal}).order_by("pk").values_list(
        "seal", "pk"
    ):
        first.setdefault(seal, pk)
    found: list[Problem] = []
    for event in events:
        found += _problems(event, seals.get(event.previous) if event.previous is not None else None,
                           first.get(event.seal or "", event.pk))
    return found


def problems_of(events: QuerySet[AuditEvent]) -> Iterator[Problem]:
    """Every event of `events` checked, streamed in the order written, in bounded memory."""
    followed = AuditEvent.objects.filter(pk=OuterRef("previous")).order_by()
    same_seal = AuditEvent.objects.filter(seal=OuterRef("seal")).order_by("pk").values("pk")[:1]
    checked = events.order_by("pk").annotate(
        previous_seal=Subquery(followed.annotate(kept=Coalesce("seal", Value(NO_SEAL))).values("kept")[:1]),
        first_sealed_so=Subquery(same_seal),
    )
    for event in checked.iterator(chunk_size=2000):
        # Annotated above: the seal of the event it follows, and the first event with its seal.
        yield from _problems(event, event.previous_seal, event.first_sealed_so or event.pk)


def centre_problems(centre: Centre) -> Iterator[Problem]:
    return problems_of(AuditEvent.objects.filter(centre=centre))


def _problems(event: AuditEvent, previous_seal: str | None, first_sealed_so: int) -> Iterable[Problem]:
    """`previous_seal` is the seal of the event it follows as read now (NO_SEAL if it has none, None
    if it is gone or it follows none); `first_sealed_so`, the first event with its seal (itself, if
    the seal is its own). Two events written at once on PostgreSQL may follow the same event, but
    never with the same seal: a copy of an event (which would pass as such a fork, and could stand in
    for the latest events deleted, keeping the count) is named."""
    if event.previous is not None and previous_seal is None:
        yield Problem(event.pk, f"Event {event.previous}, which {_described(event)} follows, has been deleted.")
    elif not event.seal:
        yield Problem(event.pk, f"{_described(event, first=True)} has no seal: it was put into the audit trail "
                                "outside the portfolio.")
    elif not hmac.compare_digest(audit_event_seal(event, previous_seal if previous_seal != NO_SEAL else None),
                                 event.seal):
        followed = f", or the event it follows (event {event.previous}) was" if event.previous is not None else ""
        yield Problem(event.pk, f"{_described(event, first=True)} does not match its seal: it was changed, or put "
                                f"into the audit trail, outside the portfolio{followed}.")
    elif first_sealed_so != event.pk:
        yield Problem(event.pk, f"{_described(event, first=True)} is a copy of event {first_sealed_so}: it was put into "
                                "the audit trail outside the portfolio.")


def _described(event: AuditEvent, *, first: bool = False) -> str:
    """Worded only for a problem: a whole centre's check words none of the events that hold."""
    return f"{'The' if first else 'the'} event of {dates.day_time_zoned(event.at)} (event {event.pk}, “{event.summary}”)"


@dataclass(frozen=True)
class CentreFindings:
    centre: Centre
    first: list[Problem]  # the first few, for a report to name
    count: int  # problems in all
    events: int
    latest: AuditEvent | None  # said in every report: a later one naming an earlier latest shows the tail deleted
    digest: str = ""  # of every problem, in order: what a centre's acknowledgement names (`ops.audit_trail.findings`)

    def lines(self) -> list[str]:
        more = self.count - len(self.first)
        return [p.words for p in self.first] + ([f"And {more} more problem{'s' if more != 1 else ''}."] if more else [])


def every_centre(*, named: int = 20) -> list[CentreFindings]:
    """Every centre's whole trail checked (the fixity check, a restore), each with its first `named`
    problems, how many there are in all, and its latest event."""
    return [centre_findings(centre, named=named) for centre in Centre.objects.order_by("pk")]


def centre_findings(centre: Centre, *, named: int = 20) -> CentreFindings:
    """One centre's whole trail checked, in bounded memory: its first `named` problems, how many in
    all, a digest of them all, and its latest event."""
    first, count, digest = [], 0, hashlib.sha256()
    for problem in centre_problems(centre):
        count += 1
        digest.update(f"{problem.event_id}\t{problem.words}\n".encode())
        if count <= named:
            first.append(problem)
    events = AuditEvent.objects.filter(centre=centre)
    latest = events.order_by("-pk").only("pk", "at").first()
    return CentreFindings(centre, first, count, events.count(), latest, digest.hexdigest() if count else "")

