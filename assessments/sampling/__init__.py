"""What an IQA may sample, and a suggested sample that covers every assessor, method and unit.

IQAs plan sampling across Candidates, Assessors, Methods, Elements and Locations (CAMERA). The
suggestion covers the three parts the records here can tell apart: every assessor whose decisions
the IQA quality-assures, every assessment method of the evidence those decisions rest on, and
every unit. What the IQA's current sample already covers counts as covered, so the suggestion
only fills the gaps and does not grow each time the page is opened.

The suggestion and the coverage are worked out from a register of compact values, one row of ids
and flags per enrolment (`register`), never from whole objects; the sample page then reads in full
only the units it shows: the current sample, the suggestion and one page of the list
(`sample_rows`). Everything is read in a fixed number of queries, however many enrolments the IQA
has.
"""

from .flags import (
    agreed_unchanged,
    review_due,
    unchanged_agreements,
    with_sample_flags,
    with_state,
    with_state_counted,
)
from .methods import METHOD_VALUES, with_methods
from .rows import LIST_ORDER, SampleRow, sample_rows
from .suggestion import FEATURE_KINDS, Coverage, CoverageItem, Suggestion, coverage, suggest
from .summaries import Feature, Register, Summary, register

__all__ = [
    "FEATURE_KINDS",
    "LIST_ORDER",
    "METHOD_VALUES",
    "Coverage",
    "CoverageItem",
    "Feature",
    "Register",
    "SampleRow",
    "Suggestion",
    "Summary",
    "agreed_unchanged",
    "coverage",
    "register",
    "review_due",
    "sample_rows",
    "suggest",
    "unchanged_agreements",
    "with_methods",
    "with_sample_flags",
    "with_state",
    "with_state_counted",
]
