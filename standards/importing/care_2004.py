"""The 2004 care layouts (Health and Social Care NOS), and SQA's badged variant of them.

CARE_2004 (HSC331): "HSC331 <title>", "Elements of Competence" listing HSC331a-c, "About this
unit", "Scope", "Values underpinning the whole of the unit", "Key Words and Concepts", then each
element with its "Performance Criteria" ("You need to show that," 1. ... with "- " sub-points),
then "Knowledge Specification for the whole of this unit", items 1-n under section headings.

CARE_2004_SQA: "<SQA code> (<unit code>) <title>" first ("F5BE 04 (HSC41) Contribute to ..."),
elements numbered <unit code>.1, .2 (criteria HSC41.2.1), "About this Unit", the scope before
the criteria.
"""

from __future__ import annotations

import re

from .parsed import CARE_2004, CARE_2004_SQA, ParsedUnit
from .unit_builder import Rules, build

UNIT_CODE = r"[A-Z]{2,5}\s?\d{1,4}"
CARE_TITLE = re.compile(rf"^(?P<code>{UNIT_CODE})[\t ]+(?P<title>[A-Z].*)$")
SQA_TITLE = re.compile(
    rf"^(?P<sqa>[A-Z0-9]{{4}}\s?\d{{2}})[\t ]+\((?P<code>{UNIT_CODE})\)[\t ]+(?P<title>\S.*)$"
)


def parse_care_2004(text: str) -> ParsedUnit:
    return build(text, Rules(CARE_2004, CARE_TITLE, elements=True))


def parse_care_2004_sqa(text: str) -> ParsedUnit:
    return build(text, Rules(CARE_2004_SQA, SQA_TITLE, elements=True))
