"""The voiding of a sign-off, signed by the unlock service that writes it: a void written in the
database by hand carries no signature that verifies, and unlocks nothing (`models.standing_sign_off`,
`record_seals.of_record`)."""

import hmac

from .models import SignOff
from .signing import _hmac, utc_iso


def void_signature(sign_off: SignOff) -> str:
    """The unlock service's signature on its voiding of a sign-off (`models.standing_sign_off`)."""
    assert sign_off.voided_at is not None
    return _hmac(
        {
            "sign_off": sign_off.pk,
            "voided_at": utc_iso(sign_off.voided_at),
            "voided_by": sign_off.voided_by_id,
            "reason": sign_off.void_reason,
        }
    )


def void_is_signed(sign_off: SignOff) -> bool:
    """Voided by an unlock in the portfolio, and unchanged since: a real unlock."""
    return (
        sign_off.voided_at is not None and bool(sign_off.void_signature)
        and hmac.compare_digest(sign_off.void_signature, void_signature(sign_off))
    )
