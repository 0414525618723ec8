"""A candidate's progress on a unit: what has evidence (`portfolio.progress`, the candidate's side)
and what is met: an item with a standing decision. The unit page, its PDF, the sign-off panel, the
decisions page, the candidate's home cards and sign-off's "still missing" all count it here. Which
scope categories the assessor has recorded as covered, the other thing sign-off asks, is
`assessments.scope`."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.db.models import Count, Prefetch, QuerySet

from portfolio.case_evidence import evidence_of
from portfolio.models import Enrolment, Evidence, EvidenceState, Person
from portfolio.progress import evidence_by_item, is_counted
from standards.models import Criterion, KnowledgeItem
from standards.selectors import UnitStructure, unit_structure

from .models import CitationAddition, Decision, SignOff
from .signed_record import SignedDecision, SignedRecord, signed_record

# A decision as a page shows it: the live one, or the one a sign-off's manifest records.
MetDecision = Decision | SignedDecision


@dataclass
class Tally:
    total: int = 0
    with_evidence: int = 0
    met: int = 0

    @property
    def evidence_percent(self) -> int:
        return round(100 * self.with_evidence / self.total) if self.total else 0

    @property
    def met_percent(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0

    @property
    def open_percent(self) -> int:
        """The items with evidence but not yet met, as a percentage: the rest of a stacked bar."""
        return max(0, self.evidence_percent - self.met_percent)


@dataclass
class UnitProgress:
    enrolment: Enrolment
    structure: UnitStructure
    evidence: dict[str, dict[int, list[Evidence]]]
    met_criteria: Mapping[int, MetDecision]
    met_knowledge: Mapping[int, MetDecision]
    record: SignedRecord | None = None  # a signed-off unit's record, which the rest is read from
    criteria: Tally = field(default_factory=Tally)
    knowledge: Tally = field(default_factory=Tally)
    by_element: dict[int, Tally] = field(default_factory=dict)

    @property
    def tallies(self) -> list[tuple[str, Tally]]:
        """The unit as a whole, by kind of item, as the progress bars name them."""
        return [("Performance criteria", self.criteria), ("Knowledge items", self.knowledge)]

    def counted(self, kind: str) -> dict[int, list[Evidence]]:
        """The evidence mapped to each item of `kind` that counts as evidence (never a draft)."""
        found = {item: [e for e in mapped if is_counted(e)] for item, mapped in self.evidence[kind].items()}
        return {item: counted for item, counted in found.items() if counted}

    def has_evidence(self, kind: str, item_id: int) -> bool:
        """Whether evidence that counts (`portfolio.progress.counts_as_evidence`: not a draft) is
        mapped to the item: a draft is listed to its candidate, and counts once submitted."""
        return any(is_counted(e) for e in self.evidence[kind].get(item_id, ()))

    @property
    def missing_criteria(self) -> list[Criterion]:
        return [c for c in self.structure.criteria if not self.has_evidence("criteria", c.pk)]

    @property
    def missing_knowledge(self) -> list[KnowledgeItem]:
        return [k for k in self.structure.knowledge_items if not self.has_evidence("knowledge", k.pk)]


def _met(decisions: Iterable[Decision]) -> tuple[dict[int, Decision], dict[int, Decision]]:
    """The standing decisions given, by the criterion and by the knowledge item they meet."""
    return (
        {d.criterion_id: d for d in decisions if d.criterion_id},
        {d.knowledge_item_id: d for d in decisions if d.knowledge_item_id},
    )


def missing_items(enrolment: Enrolment, decisions: list[Decision]) -> list[str]:
    """The references of the unit's criteria and knowledge items not met by these standing decisions,
    in the standard's order: what stops the unit being signed off."""
    structure = unit_structure(enrolment.unit)
    met_criteria, met_knowledge = _met(decisions)
    return [c.reference for c in structure.criteria if c.pk not in met_criteria] + [
        k.reference for k in structure.knowledge_items if k.pk not in met_knowledge
    ]


def met_counts(enrolments: QuerySet[Enrolment]) -> dict[int, int]:
    """How many items of each enrolment's unit are met, by enrolment id, in one query (an item has
    at most one standing decision, so the decisions are the items)."""
    return dict(
        Decision.objects.standing().filter(enrolment__in=enrolments)
        .values("enrolment").annotate(n=Count("pk")).values_list("enrolment", "n")
    )


def with_met(rows: list[Enrolment]) -> None:
    """Each row (read by `portfolio.views.home.with_numbers`) gains `tally`: all its items, with
    evidence and met, for one bar. One query."""
    met = met_counts(Enrolment.objects.filter(pk__in=[row.pk for row in rows]))
    for row in rows:
        row.tally = Tally(  # type: ignore[attr-defined]  # for the template
            row.criteria_total + row.knowledge_total,  # type: ignore[attr-defined]
            row.criteria_evidenced + row.knowledge_evidenced,  # type: ignore[attr-defined]
            met.get(row.pk, 0),
        )


def _only(found: dict[str, dict[int, list[Evidence]]], ids: set[int] | None) -> dict[str, dict[int, list[Evidence]]]:
    if ids is None:
        return found
    return {kind: {item: [e for e in items if e.pk in ids] for item, items in table.items()} for kind, table in found.items()}


def unit_progress(
    enrolment: Enrolment, *, viewer: Person | None, only: set[int] | None = None, sign_off: SignOff | None = None
) -> UnitProgress:
    """As `viewer` may see it: the candidate counts their drafts, nobody else does (None: as anyone
    but the candidate). `only`, when given, is the evidence that counts; otherwise all the viewer may
    see. With the unit's standing `sign_off`, the signed record counts: the evidence and the
    decisions its manifest names, not whatever the live rows hold now (see `signed_record`)."""
    structure = unit_structure(enrolment.unit)
    record = signed_record(enrolment, sign_off, structure) if sign_off is not None else None
    met_criteria: Mapping[int, MetDecision]
    met_knowledge: Mapping[int, MetDecision]
    if record is not None:
        only = record.evidence_ids
        met_criteria, met_knowledge = record.met_criteria, record.met_knowledge
    else:
        standing = (
            Decision.objects.standing().filter(enrolment=enrolment)
            .select_related("decided_by")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("number")))
        )
        met_criteria, met_knowledge = _met(standing)
    progress = UnitProgress(
        enrolment=enrolment,
        structure=structure,
        evidence=_only(evidence_by_item(enrolment, viewer=viewer), only),
        met_criteria=met_criteria,
        met_knowledge=met_knowledge,
        record=record,
    )
    for criterion in structure.criteria:
        tallies = [progress.criteria]
        if criterion.element_id:
            tallies.append(progress.by_element.setdefault(criterion.element_id, Tally()))
        for tally in tallies:
            tally.total += 1
            tally.with_evidence += progress.has_evidence("criteria", criterion.pk)
            tally.met += criterion.pk in progress.met_criteria
    for item in structure.knowledge_items:
        progress.knowledge.total += 1
        progress.knowledge.with_evidence += progress.has_evidence("knowledge", item.pk)
        progress.knowledge.met += item.pk in progress.met_knowledge
    return progress


@dataclass
class DecisionRow:
    """One criterion or knowledge item on the decisions page: its standing decision (if any), the
    decisions withdrawn before it, and the accepted evidence the assessor may cite."""

    item: Criterion | KnowledgeItem
    kind: str  # "criterion" or "knowledge"
    standing: MetDecision | None  # of a signed-off unit, the decision as signed
    history: list[Decision]
    mapped: list[Evidence]  # only these may be cited: a decision rests on evidence mapped to its item

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.item.pk}"

    @property
    def to_cite(self) -> list[Evidence]:
        """What the assessor may tick: for an item not met, the accepted evidence mapped to it; for
        one met, that evidence its decision does not cite yet (added without withdrawing it)."""
        if self.standing is None:
            return self.mapped
        cited = {e.pk for e in self.standing.cited}
        return [e for e in self.mapped if e.pk not in cited]

    @property
    def additions(self) -> dict[int, CitationAddition]:
        """The live decision's citations added after it was recorded, by evidence id: who and when."""
        if not isinstance(self.standing, Decision):
            return {}
        return {a.evidence_id: a for a in self.standing.citation_additions.all()}


@dataclass
class DecisionGroup:
    code: str
    title: str
    rows: list[DecisionRow]


@dataclass
class UnitDecisions:
    structure: UnitStructure
    criteria: list[DecisionGroup]
    knowledge: list[DecisionGroup]
    accepted: list[Evidence]
    waiting: list[Evidence]

    @property
    def rows(self) -> list[DecisionRow]:
        return [row for group in self.criteria + self.knowledge for row in group.rows]

    @property
    def met(self) -> int:
        return sum(row.standing is not None for row in self.rows)

    @property
    def not_met(self) -> list[DecisionRow]:
        return [row for row in self.rows if row.standing is None]

    def shown(self, *, not_met: bool, with_evidence: bool) -> "UnitDecisions":
        """The rows the page's filters keep: items not met yet, items with accepted evidence mapped
        to them, or both; a group left empty goes."""

        def keep(row: DecisionRow) -> bool:
            return (not not_met or row.standing is None) and (not with_evidence or bool(row.mapped))

        def groups(found: list[DecisionGroup]) -> list[DecisionGroup]:
            kept = [DecisionGroup(g.code, g.title, [r for r in g.rows if keep(r)]) for g in found]
            return [g for g in kept if g.rows]

        return replace(self, criteria=groups(self.criteria), knowledge=groups(self.knowledge))


def _decisions_by_item(enrolment: Enrolment) -> dict[tuple[str, int | None], list[Decision]]:
    """Every decision of the enrolment, withdrawn ones too, newest first, by ("criterion", id) or
    ("knowledge", id), with what each cites and the citations added to it since."""
    decisions = (
        Decision.objects.filter(enrolment=enrolment)
        .select_related("decided_by", "withdrawn_by")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("number")),
            Prefetch("citation_additions", queryset=CitationAddition.objects.select_related("added_by")),
        )
        .order_by("-decided_at", "-pk")
    )
    by_item: dict[tuple[str, int | None], list[Decision]] = {}
    for decision in decisions:
        key = ("criterion", decision.criterion_id) if decision.criterion_id else ("knowledge", decision.knowledge_item_id)
        by_item.setdefault(key, []).append(decision)
    return by_item


def unit_decisions(enrolment: Enrolment, sign_off: SignOff | None = None) -> UnitDecisions:
    """Everything on the decisions page, in a fixed number of queries; never a draft. With the unit's
    standing `sign_off`, each item's standing decision is the one its manifest records (the
    withdrawn ones before it are the history that led there)."""
    structure = unit_structure(enrolment.unit)
    record = signed_record(enrolment, sign_off, structure) if sign_off is not None else None
    mapped = evidence_by_item(enrolment, viewer=None)
    accepted = list(evidence_of(enrolment).filter(state=EvidenceState.ACCEPTED).order_by("number"))
    on_unit = {e.pk: e for table in (mapped["criteria"], mapped["knowledge"]) for found in table.values() for e in found}
    waiting = sorted(
        (e for e in on_unit.values() if e.state == EvidenceState.SUBMITTED), key=lambda e: e.number
    )
    by_item = _decisions_by_item(enrolment)

    def row(item: Criterion | KnowledgeItem, kind: str, table: str) -> DecisionRow:
        found = by_item.get((kind, item.pk), [])
        mapped_ids = {e.pk for e in mapped[table].get(item.pk, [])}
        standing: MetDecision | None = next((d for d in found if d.is_standing), None)
        if record is not None:
            signed = record.met_criteria if kind == "criterion" else record.met_knowledge
            standing = signed.get(item.pk)
        return DecisionRow(
            item=item,
            kind=kind,
            standing=standing,
            history=[d for d in found if not d.is_standing],
            mapped=[e for e in accepted if e.pk in mapped_ids],
        )

    criteria = [
        DecisionGroup(code=element.code, title=element.title,
                      rows=[row(c, "criterion", "criteria") for c in element.criteria.all()])
        for element in structure.elements
    ]
    if structure.criteria_without_element:
        criteria.append(DecisionGroup(code="", title="", rows=[
            row(c, "criterion", "criteria") for c in structure.criteria_without_element
        ]))
    knowledge = [
        DecisionGroup(code="", title=section.title, rows=[row(k, "knowledge", "knowledge") for k in section.items.all()])
        for section in structure.knowledge_sections
    ]
    if structure.knowledge_without_section:
        knowledge.append(DecisionGroup(code="", title="", rows=[
            row(k, "knowledge", "knowledge") for k in structure.knowledge_without_section
        ]))
    return UnitDecisions(structure=structure, criteria=criteria, knowledge=knowledge, accepted=accepted, waiting=waiting)
