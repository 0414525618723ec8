"""What every single-use link to a witness shares, for testimony and for confirming their status:
only the SHA-256 of its secret is stored, and a link that is used or expired says which."""

import hashlib

from portfolio.errors import PortfolioError


class TestimonyUnavailable(PortfolioError):
    """The link cannot be used: it was used already, it has expired, or the request is closed."""

    __test__ = False

    def __init__(self, reason: str):
        # "used", "expired", "closed" (the unit takes no testimony now) or "unknown" (changed in the database)
        self.reason = reason
        super().__init__(
            {"used": "This link has already been used.", "closed": "This request is no longer open."}.get(
                reason, "This link has expired."
            )
        )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
