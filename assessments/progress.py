"""A candidate's progress on one unit: what has evidence, what is met, what is missing."""

from dataclasses import dataclass, field

from portfolio.mapping import evidence_by_item
from portfolio.models import Enrolment, Evidence
from standards.selectors import UnitStructure, unit_structure

from .models import Decision


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


@dataclass
class UnitProgress:
    enrolment: Enrolment
    structure: UnitStructure
    evidence: dict[str, dict[int, list[Evidence]]]
    met_criteria: dict[int, Decision]
    met_knowledge: dict[int, Decision]
    criteria: Tally = field(default_factory=Tally)
    knowledge: Tally = field(default_factory=Tally)
    by_element: dict[int, Tally] = field(default_factory=dict)

    @property
    def missing_criteria(self):
        return [c for c in self.structure.criteria if not self.evidence["criteria"].get(c.pk)]

    @property
    def missing_knowledge(self):
        return [k for k in self.structure.knowledge_items if not self.evidence["knowledge"].get(k.pk)]


def unit_progress(enrolment: Enrolment) -> UnitProgress:
    structure = unit_structure(enrolment.unit)
    standing = Decision.objects.filter(enrolment=enrolment, withdrawn_at__isnull=True)
    progress = UnitProgress(
        enrolment=enrolment,
        structure=structure,
        evidence=evidence_by_item(enrolment.candidate, enrolment.unit_id),
        met_criteria={d.criterion_id: d for d in standing if d.criterion_id},
        met_knowledge={d.knowledge_item_id: d for d in standing if d.knowledge_item_id},
    )
    for criterion in structure.criteria:
        tallies = [progress.criteria]
        if criterion.element_id:
            tallies.append(progress.by_element.setdefault(criterion.element_id, Tally()))
        for tally in tallies:
            tally.total += 1
            tally.with_evidence += bool(progress.evidence["criteria"].get(criterion.pk))
            tally.met += criterion.pk in progress.met_criteria
    for item in structure.knowledge_items:
        progress.knowledge.total += 1
        progress.knowledge.with_evidence += bool(progress.evidence["knowledge"].get(item.pk))
        progress.knowledge.met += item.pk in progress.met_knowledge
    return progress
