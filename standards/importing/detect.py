"""Which layout a unit's text is in, and its parse: `parse(text) -> ParsedUnit`.

The text is made regular first (line endings, odd spaces, tabs, hyphenated words; see
`source_text`). A text is a unit when a line near its top gives a unit's code and title and
some of its parts are headed as a unit's are; otherwise `NotAUnit` says so.
"""

from __future__ import annotations

import re

from .care_2004 import CARE_TITLE, SQA_TITLE, parse_care_2004, parse_care_2004_sqa
from .housing import HOUSING_TITLE, parse_housing
from .parsed import CARE_2004, CARE_2004_SQA, CURRENT, HOUSING, NotAUnit, ParsedUnit
from .sections import element_heading, heading_kind, merge_split_headings
from .source_text import normalise

TOP = 15  # the title line is among the first lines, after a suite's name or a page header
CURRENT_MARKS = re.compile(
    r"^(you must be able to:?|you need to know and understand:?|overview|developed by|"
    r"p1\b.*|k1\b.*|version number\b.*|indicative review date\b.*)$",
    re.I,
)
NOT_A_UNIT = (
    "This does not look like a National Occupational Standard: no line near the top gives a "
    "unit's code and title (such as \"HSC331 Support individuals ...\" or \"H3 25 Work within "
    "...\") followed by the parts a unit has (performance criteria, knowledge and understanding)."
)


def parse(text: str) -> ParsedUnit:
    """The unit the text publishes, in whichever layout it is; `NotAUnit` if none."""
    text = normalise(text)
    if not text.strip():
        raise NotAUnit("The text is empty: there is no unit to import.")
    layout = layout_of(text)
    if layout == CURRENT:
        from .current_layout import parse_current  # the current layout's parser, imported when needed

        return parse_current(text)
    if layout == CARE_2004_SQA:
        return parse_care_2004_sqa(text)
    if layout == CARE_2004:
        return parse_care_2004(text)
    if layout == HOUSING:
        return parse_housing(text)
    raise NotAUnit(NOT_A_UNIT)


def layout_of(text: str) -> str | None:
    lines = [line.strip() for line in merge_split_headings(text.split("\n")) if line.strip()]
    top = lines[:TOP]
    headed = any(heading_kind(line) for line in lines)
    if any(SQA_TITLE.match(line) for line in top) and headed:
        return CARE_2004_SQA
    care = next((match for line in top if (match := CARE_TITLE.match(line))), None)
    if care and any(element_heading(care["code"]).match(line) for line in lines):
        return CARE_2004
    if sum(bool(CURRENT_MARKS.match(line)) for line in lines) >= 2:
        return CURRENT
    if any(HOUSING_TITLE.match(line) for line in top) and headed:
        return HOUSING
    if care and headed:
        return CARE_2004
    return None
