"""How the product signs what it writes: canonical JSON (sorted keys, no spaces, UTF-8), so the same
facts always give the same bytes, and an HMAC-SHA-256 over it with `PORTFOLIO_SIGNING_KEY`, a key
the database does not hold. Every signed thing is signed this way (`assessments.signing` names
them), among them the enrolment's own record of its sign-offs (`Enrolment.sign_off_seal`) and each
audit event, chained to the one before it (`audit_event_seal`)."""

import datetime
import hashlib
import hmac
import json
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from .models import AuditEvent


def canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_of(value: object) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def utc_iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def _hmac(payload: object) -> str:
    key = settings.PORTFOLIO_SIGNING_KEY.encode()
    return hmac.new(key, canonical_json(payload), hashlib.sha256).hexdigest()


def sign_off_seal(enrolment_id: int, sign_offs: list[list]) -> str:
    """The enrolment's record of every sign-off the portfolio made of its unit, each as [id, the
    sign-off's signature], in the order made: sealed empty when the enrolment is made, and again by
    each sign-off (`assessments.record_seals.reseal_sign_offs`). A sign-off row deleted, or one
    copied in, no longer matches it (an outside trial deleted a sign-off with its checks and reviews,
    and the unit read as never signed off)."""
    return _hmac({"enrolment": enrolment_id, "sign_offs": sign_offs})


def case_seal(enrolment_id: int, centre_id: int, candidate_id: int, unit: list[str], assessor_id: int, iqa_id: int) -> str:
    """Who is on the enrolment's case, as the portfolio put them there: its centre, candidate, unit,
    assessor and IQA. Access follows these five columns, so one changed in the database (an outside
    trial moved a unit to another assessor, who could then read the candidate's evidence) no longer
    matches it, and nobody but the centre's administrators is let in (`portfolio.case_seals`). The
    unit is named by its code and version, which a restore keeps (its id may not be)."""
    return _hmac({
        "enrolment": enrolment_id, "centre": centre_id, "candidate": candidate_id, "unit": unit,
        "assessor": assessor_id, "iqa": iqa_id,
    })


def audit_event_seal(event: "AuditEvent", previous_seal: str | None) -> str:
    """An audit event's facts, chained to the event of its centre it followed (`event.previous`, and
    that event's seal): an event changed, or inserted, in the database does not match its seal, and
    one deleted leaves the event that followed it naming an id that is gone (`audit_chain`). The
    values are those the database holds, so that what is read back seals the same."""
    return _hmac({"audit_event": {
        "centre": event.centre_id, "action": event.action, "actor": event.actor_id,
        "actor_name": event.actor_name, "candidate": event.candidate_id, "enrolment": event.enrolment_id,
        "evidence": event.evidence_id, "summary": event.summary, "before": event.before, "after": event.after,
        "at": utc_iso(event.at), "previous": event.previous, "previous_seal": previous_seal,
    }})


def session_key_digest(session_key: str) -> str:
    """What the session table keeps in place of the key a session cookie holds
    (`config.sessions`): the HMAC cut to the column's 40 hex characters (160 bits), so that someone
    who reads the table cannot set a cookie that opens a session."""
    return _hmac({"session_key": session_key})[:40]


def audit_heads_seal(heads: object) -> str:
    """The record, kept outside the database, of each centre's latest audit event as the last check
    found it (`ops.audit_trail.heads`): the newest events deleted leave no break in the chain, but
    the event recorded is then gone."""
    return _hmac({"audit_heads": heads})


def row_seal(kind: str, row_id: int, columns: dict) -> str:
    """The columns of a row that decide who may read it (a person's role at a centre, an evidence
    item's candidate and centre, a file's evidence item), as the portfolio saved them
    (`portfolio.row_sealing`): an outside trial made a candidate a centre administrator, and moved an
    item and a file to another candidate, in SQL, and they read what was not theirs."""
    return _hmac({"row": kind, "id": row_id, "columns": columns})
