"""How the product signs what it writes: canonical JSON (sorted keys, no spaces, UTF-8), so the same
facts always give the same bytes, and an HMAC-SHA-256 over it with `PORTFOLIO_SIGNING_KEY`, a key
the database does not hold. Sign-offs (`integrity`), voids (`voids`), fixity checks and the IQA's
reviews (`record_seals`) are all signed this way."""

import datetime
import hashlib
import hmac
import json

from django.conf import settings


def canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_of(value: object) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def utc_iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def _hmac(payload: object) -> str:
    key = settings.PORTFOLIO_SIGNING_KEY.encode()
    return hmac.new(key, canonical_json(payload), hashlib.sha256).hexdigest()
