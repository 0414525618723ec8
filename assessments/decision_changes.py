"""How a decision that changed since sign-off is described: each field that differs, in words, with
the value now and the value signed (`integrity.check` names every change this way)."""

import datetime
from typing import Any


def _moment(iso: str) -> str:
    """A recorded time in a message: to the second, to the microsecond only where that is the change."""
    moment = datetime.datetime.fromisoformat(iso).astimezone(datetime.UTC)
    return moment.strftime("%-d %b %Y %H:%M:%S") + (f".{moment.microsecond:06d}" if moment.microsecond else "") + " UTC"


def difference(signed: dict, now: dict) -> str:
    def described(key: str, value: Any) -> str:
        if key == "decided_at" and isinstance(value, str):
            return _moment(value)
        if key == "decided_on" and isinstance(value, str):
            return datetime.date.fromisoformat(value).strftime("%-d %b %Y")
        if key == "evidence":
            return ", ".join(e.get("ref", "?") for e in value) or "nothing"
        if key == "decided_by":
            return value.get("name", "?") if isinstance(value, dict) else str(value)
        return str(value)

    names = {"decided_at": "recorded at", "decided_on": "dated", "decided_by": "decided by",
             "evidence": "cites", "id": "decision record"}
    changes = [
        f"{names.get(key, key)} {described(key, now.get(key))}, signed as {described(key, signed.get(key))}"
        for key in sorted(signed.keys() | now.keys())
        if signed.get(key) != now.get(key)
    ]
    return "; ".join(changes)
