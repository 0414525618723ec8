"""A signature binds to what the signer's page showed: the assessor's sign-off to the standing
decisions listed, the candidate's countersignature to the sign-off she read (as the IQA's review
carries the sign-off it read). A page left open while that changed is refused, nothing recorded."""

from portfolio.errors import PortfolioError

from ..integrity import when
from ..models import Decision, SignOff

NOT_GIVEN = object()


def decisions_token(decisions: list[Decision]) -> str:
    """The standing decisions a sign-off page lists, as its form carries them."""
    return ",".join(str(pk) for pk in sorted(d.pk for d in decisions))


def require_decisions_seen(decisions: list[Decision], seen: str | object) -> None:
    if seen is NOT_GIVEN or seen == decisions_token(decisions):
        return
    raise PortfolioError(
        "The unit changed while you had the page open: a decision on it was recorded or withdrawn since. "
        "Nothing was signed; look at the decisions again."
    )


def require_sign_off_seen(sign_off: SignOff | None, seen_sign_off_id: int | object | None) -> None:
    if seen_sign_off_id is NOT_GIVEN or (sign_off.pk if sign_off else None) == seen_sign_off_id:
        return
    if sign_off is None:
        now = "its sign-off has been voided by unlocking"
    else:
        now = f"{sign_off.assessor} signed it off again on {when(sign_off.assessor_signed_at)}"
    raise PortfolioError(f"The unit changed while you had the page open: {now}. Nothing was recorded; read it again.")
