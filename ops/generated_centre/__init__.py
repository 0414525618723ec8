"""Builds one realistic training centre at a chosen size, for trying the product at scale and for the
benchmark: administrators, assessors, IQAs and candidates; enrolments on HSC331 and H3 25; evidence
with small real files, mapped to the standard, in every state, with its declarations and judgements;
decisions citing accepted evidence; units signed off with a real signed manifest, some countersigned
and sampled by the IQA; the audit trail and notifications of all of it.

    manage.py generate_centre --assessors 20 --candidates 1000 --enrolments 2 --evidence 60 --seed 42

Everything is chosen by one `random.Random(seed)`, so the same seed and sizes give the same centre.
Rows are written with `bulk_create`, a batch of candidates at a time, and every evidence file through
the storage API, each under its own key with the SHA-256 of its bytes. The centre's story runs up to
the moment the command starts, so dates are relative to today.

It runs on an empty database only (superusers and the standards may be there): it never mixes made-up
people into a real centre.
"""

from .generator import CentreGenerator, ensure_standards, refuse_unless_empty
from .plan import PASSWORD, UNIT_CODES, CentreSize

__all__ = ["PASSWORD", "UNIT_CODES", "CentreGenerator", "CentreSize", "ensure_standards", "refuse_unless_empty"]
