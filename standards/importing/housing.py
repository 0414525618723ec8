"""The housing layout (Housing NOS, H3 25).

"H3 25 <title> (SQA Unit Code F7E5 04)" after the suite's name; "Unit Summary"; "Performance
criteria", "You must show that:", criteria "- 1 ..." to "- 12 ..." on the unit itself (no
elements); "Knowledge and understanding", "You need to know and understand:", items "- (a)" to
"- (s)".
"""

from __future__ import annotations

import re

from .parsed import HOUSING, ParsedUnit
from .unit_builder import Rules, build

HOUSING_TITLE = re.compile(r"^(?P<code>[A-Z]{1,3}\d{1,2} \d{1,3})[\t ]+(?P<title>[A-Z].*)$")


def parse_housing(text: str) -> ParsedUnit:
    return build(text, Rules(HOUSING, HOUSING_TITLE, elements=False))
