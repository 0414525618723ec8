"""How the product signs what it writes (`portfolio.signing`, one layer down, so that an enrolment
can seal its own record of sign-offs when it is made): sign-offs (`integrity`), voids (`voids`),
fixity checks, the IQA's reviews and the enrolment's record of its sign-offs (`record_seals`)."""

from portfolio.signing import _hmac, canonical_json, sha256_of, utc_iso

__all__ = ["_hmac", "canonical_json", "sha256_of", "utc_iso"]
