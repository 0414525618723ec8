"""What a parser makes of a unit's published text: the contract between the layouts' parsers,
the preview page, `manage.py import_standard --json` and the writer.

Texts keep the standard's words exactly (typos included). Words the shipped texts mark as defined
(`**key people**`) keep that marking here, as the models do; `as_json` gives the words alone,
as published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from standards.models import plain

from .warning_kinds import is_gap

# The layouts the importer recognises (issue 14 item 1).
CARE_2004 = "care-2004"  # HSC331: lettered elements, "You need to show that,", knowledge 1-n
CARE_2004_SQA = "care-2004-sqa"  # "<SQA code> (<unit code>) <title>", elements <code>.1, scope first
CURRENT = "current"  # Skills for Care / Skills for Health: P1..Pn, K1..Kn, metadata table
HOUSING = "housing"  # H3 25: PCs 1-n on the unit, knowledge (a)-(s), a unit summary
LAYOUTS = (CARE_2004, CARE_2004_SQA, CURRENT, HOUSING)


class NotAUnit(ValueError):
    """The text is not a unit the importer recognises; the message says why, for a person."""


@dataclass
class ParsedElement:
    ref: str  # "HSC331a", "HSC41.2"
    title: str


@dataclass
class ParsedCriterion:
    ref: str  # "HSC331a.1", "H3 25.7", "SCDHSC0041 P3", "HSC41.2.1"
    element: str | None  # the element's ref, or None on a unit without elements
    number: int  # as numbered in the published text
    text: str
    sub_points: list[str] = field(default_factory=list)
    group: str = ""  # the unnumbered sub-heading of the current layout, where there is one


@dataclass
class ParsedKnowledge:
    ref: str  # "HSC331 K11", "H3 25 K(c)", "SCDHSC0041 K12"
    label: str  # "11", "c", "12"
    section: str  # the section or sub-heading it sits under; "" when none
    text: str
    sub_points: list[str] = field(default_factory=list)


@dataclass
class ParsedScopeItem:
    ref: str  # "HSC331 S4.2"
    text: str


@dataclass
class ParsedScope:
    category: str  # "Key people"
    lead: str  # as published: "Key people include:"
    items: list[ParsedScopeItem] = field(default_factory=list)
    related_to: str = ""  # current layout: "performance criteria" or "knowledge"; else ""


@dataclass
class ParsedTerm:
    term: str
    definition: str
    points: list[str] = field(default_factory=list)


@dataclass
class ParsedFootnote:
    number: int
    part: str  # a standards.models.Footnote.Part value
    anchor: str
    text: str


@dataclass
class ParsedUnit:
    code: str  # "HSC331", "H3 25", "SCDHSC0041"
    title: str
    layout: str  # one of LAYOUTS
    suite_title: str = ""  # the suite's name where the text carries it ("Housing National ...")
    about_heading: str = "About this unit"
    about: str = ""
    scope_intro: str = ""
    scope_note: str = ""
    knowledge_scope_intro: str = ""  # current layout: the words before scope related to knowledge
    values_heading: str = ""
    values_statement: str = ""
    key_words_intro: str = ""
    criteria_lead: str = ""
    knowledge_heading: str = "Knowledge and understanding"
    knowledge_intro: str = ""
    knowledge_lead: str = ""
    awarding_body_codes: dict[str, str] = field(default_factory=dict)  # {"SQA": "F7E5 04"}
    elements: list[ParsedElement] = field(default_factory=list)
    criteria: list[ParsedCriterion] = field(default_factory=list)
    knowledge_sections: list[str] = field(default_factory=list)
    knowledge: list[ParsedKnowledge] = field(default_factory=list)
    scope: list[ParsedScope] = field(default_factory=list)
    key_words: list[ParsedTerm] = field(default_factory=list)
    footnotes: list[ParsedFootnote] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # current layout
    behaviours: list[str] = field(default_factory=list)  # current layout
    links: list[str] = field(default_factory=list)  # current layout: links to other standards
    metadata: dict[str, str] = field(default_factory=dict)  # current layout's table, as labelled
    warnings: list[str] = field(default_factory=list)

    @property
    def version(self) -> str:
        """As published in the current layout's details table; a unit that states none is version 1."""
        return self.metadata.get("Version Number", "").strip() or "1"

    @property
    def validity(self) -> str:
        """"legacy" when the details table says so (a superseded standard); otherwise "current"."""
        return "legacy" if self.metadata.get("Validity", "").strip().lower() == "legacy" else "current"

    @property
    def missing(self) -> list[str]:
        """The required sections the text lacks: a unit without them is imported only when confirmed."""
        gone = []
        if not self.criteria:
            gone.append("performance criteria")
        if not self.knowledge:
            gone.append("knowledge and understanding")
        return gone

    @property
    def gaps(self) -> list[str]:
        """The warnings saying published words may be missing (`warning_kinds`)."""
        return [warning for warning in self.warnings if is_gap(warning)]

    @property
    def complete(self) -> bool:
        """Nothing required is missing and no warning says words may be: otherwise the unit is
        imported only when the person confirms, and is marked incomplete."""
        return not self.missing and not self.gaps

    @property
    def why_incomplete(self) -> str:
        """For a person: "no knowledge and understanding", or the warnings saying words may be missing."""
        if self.missing:
            return "no " + " and no ".join(self.missing)
        return f"gaps where published words may be missing ({'; '.join(self.gaps)})"

    def as_json(self) -> dict[str, Any]:
        """The object `manage.py import_standard --json` prints (issue 14 item 4): words as published."""
        return {
            "code": self.code,
            "title": plain(self.title),
            "layout": self.layout,
            "complete": self.complete,
            "warnings": list(self.warnings),
            "elements": [{"ref": e.ref, "title": plain(e.title)} for e in self.elements],
            "criteria": [
                {
                    "ref": c.ref,
                    "element": c.element,
                    "text": plain(c.text),
                    "sub_points": [plain(p) for p in c.sub_points],
                    "group": c.group,
                }
                for c in self.criteria
            ],
            "knowledge": [
                {
                    "ref": k.ref,
                    "section": k.section,
                    "text": plain(k.text),
                    "sub_points": [plain(p) for p in k.sub_points],
                }
                for k in self.knowledge
            ],
            "scope": [
                {"category": s.category, "items": [plain(i.text) for i in s.items]} for s in self.scope
            ],
            # A definition ending in a list ("Rights": "be respected", "be treated equally", ...) keeps
            # its list as "points", as the catalogue does, beside the issue's {term, definition}.
            "key_words": [
                {"term": t.term, "definition": plain(t.definition), "points": [plain(p) for p in t.points]}
                for t in self.key_words
            ],
            "metadata": dict(self.metadata),
            "awarding_body_codes": dict(self.awarding_body_codes),
            "values": [plain(v) for v in self.values],
            "behaviours": [plain(b) for b in self.behaviours],
            "links": [plain(link) for link in self.links],
        }
