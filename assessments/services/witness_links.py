"""What every single-use link to a witness shares, for testimony and for confirming their status:
only the SHA-256 of its secret is stored, and a link that is used or expired says which."""

import hashlib

from portfolio.errors import PortfolioError


class TestimonyUnavailable(PortfolioError):
    """The link cannot be used: it was used already, or it has expired."""

    __test__ = False

    def __init__(self, reason: str):
        self.reason = reason  # "used" or "expired"
        super().__init__(
            "This link has already been used." if reason == "used" else "This link has expired."
        )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
