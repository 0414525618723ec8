"""The unit's title line: its code, its title, and any awarding body's code for it.

"H3 25 Work within appropriate boundaries with customers (SQA Unit Code F7E5 04)";
"F5BE 04 (HSC41) Contribute to ..." (the SQA-badged care layout: SQA's code first). A title
wrapped over lines is joined; the lines before it may name the suite.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .furniture import is_furniture
from .paragraphs import join_lines
from .parsed import NotAUnit, ParsedUnit
from .sections import heading_kind

if TYPE_CHECKING:
    from .unit_builder import Rules

BODY_CODE = re.compile(
    r"\s*\((?P<body>[A-Z]{2,12})\s+[Uu]nit\s+[Cc]ode:?\s*(?P<code>[A-Z0-9]{4}\s?\d{2})\)\s*$"
)


def sqa_code(code: str) -> str:
    """SQA writes its unit codes as four characters, a space and two digits: F7E5 04."""
    code = code.replace(" ", "")
    return f"{code[:4]} {code[4:]}"


def read_title(lines: list[str], rules: Rules) -> tuple[ParsedUnit, list[str]]:
    """The unit named by its title line, and the lines after the title."""
    at = next((i for i, line in enumerate(lines) if rules.title.match(line.strip())), None)
    if at is None:
        raise NotAUnit("The text has no line giving the unit's code and title.")
    match = rules.title.match(lines[at].strip())
    assert match is not None
    title, end = match["title"].strip(), at + 1
    while end < len(lines) and lines[end].strip() and not heading_kind(lines[end].strip()):
        title, end = join_lines(title, lines[end]), end + 1
    unit = ParsedUnit(code=match["code"], title=title, layout=rules.layout)
    if "sqa" in match.groupdict():
        unit.awarding_body_codes["SQA"] = sqa_code(match["sqa"])
    if body := BODY_CODE.search(unit.title):
        unit.title = unit.title[: body.start()].strip()
        published = body["code"]
        unit.awarding_body_codes[body["body"]] = sqa_code(published) if body["body"] == "SQA" else published
    # A page header before the title ("SQA Unit Code F7E6 04") is not the suite's name.
    unit.suite_title = " ".join(line.strip() for line in lines[:at] if line.strip() and not is_furniture(line, unit))
    return unit, lines[end:]
