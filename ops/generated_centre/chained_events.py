"""The generated centre's audit events, chained and sealed as `portfolio.audit.record` chains and
seals each event it writes (`portfolio.audit_chain`), so that the centre's trail checks as one the
portfolio wrote. Written a thousand to an INSERT (`fast_insert`), each event must know its id before
it is written, since the next one names it: the batch's ids are reserved first."""

from collections.abc import Sequence

from portfolio.models import AuditEvent, Centre
from portfolio.signing import audit_event_seal

from . import fast_insert


def chain(events: Sequence[AuditEvent], centre: Centre) -> None:
    """Gives each of `events` (all the centre's, in the batch's order) its id, the event it follows
    and its seal, following the centre's latest event already written."""
    if not events:
        return
    fast_insert.related_ids_taken(events)
    latest = AuditEvent.objects.filter(centre=centre).order_by("-id").values_list("pk", "seal").first()
    previous, previous_seal = latest if latest is not None else (None, None)
    for event, pk in zip(events, fast_insert.ids_reserved(AuditEvent, len(events)), strict=True):
        event.pk, event.previous = pk, previous
        event.seal = audit_event_seal(event, previous_seal)
        previous, previous_seal = pk, event.seal
