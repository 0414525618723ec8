"""A signed-off unit's record, read from its sign-off's manifest: the decisions as they were signed
and the evidence they rest on, at its signed version, with its files.

Every page and download that shows a signed-off unit reads it here rather than from the live rows:
the manifest is what the assessor signed (the signature covers it), while the live rows are what the
database holds now, and a row added or changed since would otherwise slip into "the record" unseen.
(Whether the live rows still match is the integrity check's question: `assessments.integrity`.)

What is not part of the record is kept apart (`assessments.record_outside`): evidence mapped to the
unit but not signed, and what rightly came after the signature (the candidate's and the IQA's
countersignatures, the IQA's reviews), each with its time.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from portfolio.access import shown_to
from portfolio.case_evidence import evidence_of
from portfolio.models import Enrolment, Evidence
from standards.selectors import UnitStructure

from .models import SignOff


@dataclass(frozen=True)
class CitedEvidence:
    """An evidence item a signed decision cites, as the manifest names it. `pk` is None when the
    candidate has no such evidence now (the integrity check says what became of it)."""

    reference: str
    pk: int | None
    title: str
    method_label: str


@dataclass(frozen=True)
class SignedDecision:
    """A decision as it was signed. It reads like a `Decision` where pages show one: `decided_on`,
    `decided_by_name`, `cited`."""

    reference: str
    kind: str  # "criterion" or "knowledge", as in the manifest
    decided_by_name: str
    decided_on: datetime.date | None
    decided_at: datetime.datetime | None
    cited: list[CitedEvidence]

    is_signed = True  # for templates that show a live decision and a signed one differently


@dataclass(frozen=True)
class SignedFile:
    name: str
    size: int | None
    sha256: str


@dataclass(frozen=True)
class SignedEvidence:
    """One evidence item of the record, at the version that was signed, with the files signed."""

    reference: str
    pk: int | None
    title: str
    version: int | None
    files: list[SignedFile]
    evidence: Evidence | None  # the live row, for its page and its state now

    @property
    def version_now(self) -> int | None:
        """The live version, when it is no longer the one signed (the integrity check says why)."""
        if self.evidence is None or self.evidence.version == self.version:
            return None
        return self.evidence.version


@dataclass
class SignedRecord:
    enrolment: Enrolment
    sign_off: SignOff
    decisions: list[SignedDecision]
    evidence: list[SignedEvidence]
    met_criteria: dict[int, SignedDecision] = field(default_factory=dict)  # by criterion id
    met_knowledge: dict[int, SignedDecision] = field(default_factory=dict)  # by knowledge item id

    @property
    def evidence_ids(self) -> set[int]:
        return {e.pk for e in self.evidence if e.pk is not None}

    @property
    def signed_at(self) -> datetime.datetime:
        return self.sign_off.assessor_signed_at


def _rows(manifest: object, part: str) -> list[dict]:
    """A part of the manifest as a list of dicts, whatever shape an altered manifest has: a page
    shows what it can, and the integrity check names what is wrong."""
    rows = manifest.get(part) if isinstance(manifest, dict) else None
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _moment(value: object) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _day(value: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _live_evidence(enrolment: Enrolment, ids: Iterable[object]) -> dict[int, Evidence]:
    """The candidate's own evidence with these ids: a manifest edited to name someone else's
    evidence shows nothing of it, nor of a draft (evidence a decision cites was submitted and never
    returns to draft, so only an edited manifest could name one: `shown_to`)."""
    wanted = {i for i in ids if _number(i) is not None}
    found = evidence_of(enrolment).filter(pk__in=wanted)
    found = found.filter(shown_to(None))
    return {e.pk: e for e in found}


def _cited(row: dict, live: dict[int, Evidence]) -> list[CitedEvidence]:
    cited = []
    for entry in row.get("evidence") or []:
        if not isinstance(entry, dict):
            continue
        evidence = live.get(entry.get("id"))  # type: ignore[arg-type]  # a missing id finds nothing
        cited.append(
            CitedEvidence(
                reference=str(entry.get("ref", "?")),
                pk=evidence.pk if evidence else None,
                title=evidence.title if evidence else "",
                method_label=evidence.method_label if evidence else "",
            )
        )
    return cited


def _decision(row: dict, live: dict[int, Evidence]) -> SignedDecision:
    decided_by = row.get("decided_by")
    return SignedDecision(
        reference=str(row.get("item", "?")),
        kind=str(row.get("kind", "")),
        decided_by_name=str(decided_by.get("name", "")) if isinstance(decided_by, dict) else "",
        decided_on=_day(row.get("decided_on")),
        decided_at=_moment(row.get("decided_at")),
        cited=_cited(row, live),
    )


def _evidence(row: dict, files: list[dict], live: dict[int, Evidence]) -> SignedEvidence:
    evidence = live.get(row.get("id"))  # type: ignore[arg-type]  # a missing id finds nothing
    return SignedEvidence(
        reference=str(row.get("ref", "?")),
        pk=evidence.pk if evidence else None,
        title=evidence.title if evidence else "",
        version=_number(row.get("version")),
        files=[
            SignedFile(name=str(f.get("name", "")), size=_number(f.get("size")), sha256=str(f.get("sha256", "")))
            for f in files
            if f.get("evidence_id") == row.get("id")
        ],
        evidence=evidence,
    )


def signed_record(enrolment: Enrolment, sign_off: SignOff, structure: UnitStructure) -> SignedRecord:
    """The record of the enrolment's sign-off, with each signed decision placed on the unit's item
    it names. One query: the live rows of the signed evidence (for their pages, titles and states)."""
    manifest = sign_off.manifest
    decision_rows, evidence_rows, file_rows = (_rows(manifest, p) for p in ("decisions", "evidence", "files"))
    ids = [row.get("id") for row in evidence_rows]
    ids += [e.get("id") for row in decision_rows for e in row.get("evidence") or [] if isinstance(e, dict)]
    live = _live_evidence(enrolment, ids)
    record = SignedRecord(
        enrolment=enrolment,
        sign_off=sign_off,
        decisions=[_decision(row, live) for row in decision_rows],
        evidence=sorted(
            (_evidence(row, file_rows, live) for row in evidence_rows),
            key=lambda e: e.evidence.number if e.evidence else 0,
        ),
    )
    criteria = {c.reference: c.pk for c in structure.criteria}
    knowledge = {k.reference: k.pk for k in structure.knowledge_items}
    for decision in record.decisions:
        table, met = (criteria, record.met_criteria) if decision.kind == "criterion" else (knowledge, record.met_knowledge)
        if decision.reference in table:
            met[table[decision.reference]] = decision
    return record
