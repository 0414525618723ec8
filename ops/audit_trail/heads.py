"""Each centre's latest audit event as the last check found it, kept outside the database.

The chain (`portfolio.audit_chain`) cannot see the newest events of a centre deleted: nothing names
them, and the next event chains onto the last one left. So `manage.py check_fixity` records, in a file
at `PORTFOLIO_AUDIT_HEADS_PATH` signed with `PORTFOLIO_SIGNING_KEY` (`signing.audit_heads_seal`), each
centre's head as it found it: its latest event's id and seal and how many events it had. The next
check, before writing the heads it finds, asks of each recorded head whether that event is still there
with the same seal and whether the centre has as many events as then (`tails_deleted`); the heads it
writes are read after it has told what it found, so its own finding is among them.

A tail deletion is reported by the run that finds it (and told to the centre's administrators, kept on
its trail as an `AUDIT_TRAIL_CHANGED` event with `tail` in its facts); that run then records the heads
as it found them, so the next run compares with those and does not report it again. A file whose
signature does not verify is said and not trusted, and written again; a missing file is the first run.
A restore rewinds the trail legitimately: it does not compare, and writes the heads of what it
restored (`write`)."""

import datetime
import hmac
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from portfolio import audit_chain, dates
from portfolio.models import AuditEvent, Centre
from portfolio.signing import audit_heads_seal, utc_iso

FORMAT = 1


@dataclass(frozen=True)
class Head:
    centre: int
    event: int | None  # the latest event's id; None for a centre with none yet
    seal: str
    at: str  # the latest event's time, UTC ISO 8601
    events: int


@dataclass(frozen=True)
class LastCheck:
    heads: dict[int, Head] = field(default_factory=dict)
    checked_at: datetime.datetime | None = None
    untrusted: str = ""  # why the file is not believed, in words; "" when it is (or there is none)

    @property
    def first_run(self) -> bool:
        return self.checked_at is None and not self.untrusted


def path() -> Path:
    return Path(settings.PORTFOLIO_AUDIT_HEADS_PATH)


def recorded() -> LastCheck:
    """The heads the last check recorded: none (the first run), or none believed (said why)."""
    try:
        document = json.loads(path().read_bytes())
        body = {key: document[key] for key in ("format", "checked_at", "heads")}
        if not hmac.compare_digest(audit_heads_seal(body), str(document["hmac"])):
            return LastCheck(untrusted="its signature does not verify (it was changed, or written with another "
                                      "PORTFOLIO_SIGNING_KEY)")
        heads = {int(h["centre"]): Head(int(h["centre"]), h["event"], str(h["seal"]), str(h["at"]), int(h["events"]))
                 for h in body["heads"]}
        return LastCheck(heads, datetime.datetime.fromisoformat(body["checked_at"]))
    except FileNotFoundError:
        return LastCheck()
    except (OSError, ValueError, TypeError, KeyError) as error:  # unreadable, not JSON, not its shape
        return LastCheck(untrusted=f"it cannot be read as one ({type(error).__name__})")


def tails_deleted(last: LastCheck, found: list[audit_chain.CentreFindings]) -> list[tuple[Centre | None, str]]:
    """The recorded heads that no longer stand: the event gone, its seal not what it was, or fewer
    events than then where the chain finds nothing that says why (a centre gone altogether is said
    without one), each in words."""
    if last.checked_at is None:
        return []
    now = {f.centre.pk: f for f in found}
    seals = dict(AuditEvent.objects.filter(pk__in=[h.event for h in last.heads.values() if h.event is not None])
                 .order_by().values_list("pk", "seal"))
    checked = dates.day_time(last.checked_at)
    deleted: list[tuple[Centre | None, str]] = []
    for head in last.heads.values():
        findings = now.get(head.centre)
        if findings is None:
            deleted.append((None, f"Centre {head.centre}, which had {head.events} audit events at the last check "
                                  f"({checked}), is no longer in the database."))
            continue
        was = f"event {head.event} of {dates.day_time_of_iso(head.at)}, the latest at the last check ({checked})"
        if head.event is not None and head.event not in seals:
            deleted.append((findings.centre, f"The latest events were deleted: {was}, is gone "
                                             f"({findings.events} events now, {head.events} then)."))
        elif head.event is not None and (seals[head.event] or "") != head.seal:
            deleted.append((findings.centre, f"The latest events were deleted or changed: {was}, no longer has "
                                             "the seal it had then."))
        elif findings.events < head.events and not findings.count:  # else the chain names what was deleted
            deleted.append((findings.centre, f"Events were deleted: the trail holds {findings.events} events, "
                                             f"{head.events} at the last check ({checked})."))
    return deleted


def write() -> None:
    """Records each centre's head as it is now (signed), after the check has told what it found (the
    finding is an event too, and the first an insider would delete), replacing the file whole: a
    reader never finds half of one. Raises OSError if it cannot be written."""
    heads = []
    for centre in Centre.objects.order_by("pk").only("pk"):
        events = AuditEvent.objects.filter(centre=centre)
        latest = events.order_by("-pk").only("pk", "at", "seal").first()
        heads.append({"centre": centre.pk, "event": latest.pk if latest else None,
                      "seal": (latest.seal or "") if latest else "", "at": utc_iso(latest.at) if latest else "",
                      "events": events.count()})
    body = {"format": FORMAT, "checked_at": utc_iso(timezone.now()), "heads": heads}
    target = path()
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(target.parent, settings.PORTFOLIO_FOLDER_MODE)
    descriptor, temporary = tempfile.mkstemp(prefix=".audit-heads-", dir=target.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), settings.PORTFOLIO_FILE_MODE)
            json.dump({**body, "hmac": audit_heads_seal(body)}, out, indent=1)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
