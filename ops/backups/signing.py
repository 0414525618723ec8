"""The backup key: signing a backup's manifest, and the key's fingerprint.

The manifest names every other member with its SHA-256 and size, so a signature over the manifest's
bytes covers every byte of the archive. It is an HMAC-SHA256 keyed by PORTFOLIO_BACKUP_KEY, which is
kept outside the backups: whoever can change an archive where backups are kept, or on their way off
the machine, cannot make a manifest that verifies. HMAC rather than an Ed25519 signature because the
installation that makes its backups is the one that restores them: there is no one who should be
able to check a backup without being able to make one, so a key pair would add a private key to
guard and a dependency, and prove nothing more.
"""

import hashlib
import hmac
import json

from django.conf import settings

ALGORITHM = "HMAC-SHA256"
# Each use of the key signs its own kind of message, so no fingerprint can pass for a signature.
_MANIFEST_CONTEXT = b"portfolio backup manifest\n"
_FINGERPRINT_CONTEXT = b"portfolio backup key fingerprint"


def _key() -> bytes:
    return settings.PORTFOLIO_BACKUP_KEY.encode()


def key_fingerprint() -> str:
    """Names the key without revealing it: the same key always gives the same 16 hex digits, and
    they tell nothing about the key (they are an HMAC under it)."""
    return hmac.new(_key(), _FINGERPRINT_CONTEXT, hashlib.sha256).hexdigest()[:16]


def manifest_signature(manifest: bytes) -> str:
    return hmac.new(_key(), _MANIFEST_CONTEXT + manifest, hashlib.sha256).hexdigest()


def signature_member(manifest: bytes) -> bytes:
    """What the archive's signature.json holds: which key signed, and the signature."""
    return json.dumps(
        {"algorithm": ALGORITHM, "key_fingerprint": key_fingerprint(), "manifest_hmac": manifest_signature(manifest)},
        indent=1, sort_keys=True,
    ).encode()


def signature_matches(manifest: bytes, signature: str) -> bool:
    return hmac.compare_digest(manifest_signature(manifest), signature)
