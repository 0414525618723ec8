"""Planning a candidate's evidence: the items with their files and mapping, the declarations,
judgements, audit events and notifications of each."""

# Made-up data from a seed, reproducible on purpose: nothing random here is a secret.

import datetime
import uuid
from collections.abc import Sequence

from assessments.audit_actions import AssessmentAction
from assessments.models import JudgedEnrolment, Judgement
from portfolio.audit import PortfolioAction
from portfolio.models import (
    AssessmentMethod,
    Declaration,
    Enrolment,
    Evidence,
    EvidenceFile,
    EvidenceState,
    Person,
)
from standards.models import ScopeItem

from .files import SampleFile, camera_photo
from .plan import Batch, CentrePlan, PlannedItem
from .words import (
    ACCOUNT_SENTENCES,
    ASSESSORS_OWN,
    FEEDBACK,
    GROUPS,
    LOCATIONS,
    METHOD_WEIGHTS,
    PEOPLE_SUPPORTED,
    RELATIONS,
    TITLE_PREFIX,
    TITLES,
)


class EvidencePlanner(CentrePlan):
    def _plan_item(self, batch: Batch, candidate: Person, enrolments: list[Enrolment], number: int,
                   day: datetime.date, showcase: bool) -> PlannedItem:
        rng = self.rng
        enrolment = rng.choice(enrolments)
        unit_code = enrolment.unit.code
        method = rng.choices([m for m, _ in METHOD_WEIGHTS], [w for _, w in METHOD_WEIGHTS])[0]
        if showcase and number <= 20:
            method = AssessmentMethod.PRODUCT  # photos of work products
        assessors_own = method in ASSESSORS_OWN
        words = {"person": rng.choice(PEOPLE_SUPPORTED), "relation": rng.choice(RELATIONS), "group": rng.choice(GROUPS)}
        title = TITLE_PREFIX.get(method, "") + rng.choice(TITLES[unit_code]).format(**words)
        account = " ".join(s.format(**words) for s in rng.sample(ACCOUNT_SENTENCES, rng.randint(2, 4)))
        age = (self.today - day).days
        if showcase or assessors_own:
            state = EvidenceState.ACCEPTED
        else:
            roll = rng.random()
            if age < 10:
                state = EvidenceState.DRAFT if roll < 0.4 else EvidenceState.SUBMITTED if roll < 0.9 else EvidenceState.REFERRED
            else:
                state = (EvidenceState.ACCEPTED if roll < 0.68 else EvidenceState.SUBMITTED if roll < 0.8
                         else EvidenceState.REFERRED if roll < 0.9 else EvidenceState.DRAFT)
        created_at = self._at(day, hours=rng.randint(0, 48))
        evidence = Evidence(
            centre=self.centre, candidate=candidate, number=number, title=title[:200], method=method,
            activity_date=day, location=rng.choice(LOCATIONS), account=account, state=state, version=1,
            created_by=enrolment.assessor if assessors_own else candidate,
            created_at=created_at, updated_at=created_at,
        )
        units = [unit_code]
        if len(enrolments) > 1 and not assessors_own and rng.random() < 0.15:
            units += [e.unit.code for e in enrolments if e.unit.code != unit_code][:1]  # holistic
        primary = self.units[unit_code]
        criteria = rng.sample(primary.criteria, rng.randint(1, 4))
        knowledge = rng.sample(primary.knowledge, rng.randint(0, 2))
        scope = rng.sample(primary.scope, min(len(primary.scope), rng.randint(0, 2)))
        for other in units[1:]:
            criteria += rng.sample(self.units[other].criteria, rng.randint(1, 2))
        for n in range(self.size.files_per_evidence):
            if showcase and number <= 20 and n == 0:
                sample = self._camera_photo_file()
            else:
                # The showcase has exactly its twenty photos; everyone else a mix.
                sample = self.files[rng.choice(("notes", "record") if showcase else ("photo", "notes", "record"))]
            evidence_file = EvidenceFile(
                evidence=evidence, storage_key=uuid.UUID(int=self.keys.getrandbits(128), version=4).hex,
                original_name=sample.name, content_type=sample.content_type, size=len(sample.content),
                sha256=sample.sha256, added_in_version=1, uploaded_by=evidence.created_by, uploaded_at=created_at,
            )
            batch.files.append((evidence_file, sample))
        batch.evidence.append(evidence)
        return PlannedItem(evidence=evidence, units=units, criteria=criteria, knowledge=knowledge, scope=scope)

    def _camera_photo_file(self) -> SampleFile:
        if self._photo is None:
            self._photo = SampleFile("work-product-photo.jpg", "image/jpeg", camera_photo())
        return self._photo

    def _cover(self, enrolment: Enrolment, items: list[PlannedItem]) -> bool:
        """Makes sure accepted evidence is mapped to every item of a unit to be signed off: a
        candidate finishing a unit has covered it all, and most of its scope (the rest the assessor
        will say does not apply at sign-off). False when they have no evidence on it."""
        code = enrolment.unit.code
        on_unit = [i for i in items if code in i.units]
        if not on_unit:
            return False
        accepted = [i for i in on_unit if i.evidence.state == EvidenceState.ACCEPTED]
        if not accepted:
            on_unit[0].evidence.state = EvidenceState.ACCEPTED
            accepted = [on_unit[0]]
        unit = self.units[code]
        mapped_criteria = {c.pk for i in accepted for c in i.criteria}
        mapped_knowledge = {k.pk for i in accepted for k in i.knowledge}
        for criterion in unit.criteria:
            if criterion.pk not in mapped_criteria:
                self.rng.choice(accepted).criteria.append(criterion)
        for item in unit.knowledge:
            if item.pk not in mapped_knowledge:
                self.rng.choice(accepted).knowledge.append(item)
        covered = {s.category_id for i in accepted for s in i.scope}
        for category_id in sorted({s.category_id for s in unit.scope} - covered):
            if self.rng.random() < 0.7:
                chosen = self.rng.choice([s for s in unit.scope if s.category_id == category_id])
                self.rng.choice(accepted).scope.append(chosen)
        return True

    def _plan_assessment(self, batch: Batch, candidate: Person, enrolments: list[Enrolment], item: PlannedItem) -> None:
        """The item's mapping, declarations, judgements, audit events and notifications."""
        rng, evidence = self.rng, item.evidence
        through = Evidence.criteria.through, Evidence.knowledge_items.through, Evidence.scope_items.through
        batch.criteria += [through[0](evidence=evidence, criterion=c) for c in item.criteria]
        batch.knowledge += [through[1](evidence=evidence, knowledgeitem=k) for k in item.knowledge]
        batch.scope += [through[2](evidence=evidence, scopeitem=s) for s in item.scope]
        assessor = next(e.assessor for e in enrolments if e.unit.code == item.units[0])
        bears_on = [e for e in enrolments if e.unit.code in item.units]  # the units it is mapped to
        author = evidence.created_by
        created = evidence.created_at
        self._event(batch, PortfolioAction.EVIDENCE_CREATED, author, evidence, created,
                    f"{evidence.reference} “{evidence.title}” added with {self.size.files_per_evidence} file(s)")
        mapped = len(item.criteria) + len(item.knowledge) + len(item.scope)
        self._event(batch, PortfolioAction.EVIDENCE_MAPPED, author, evidence, created + datetime.timedelta(minutes=5),
                    f"{evidence.reference} mapped to {mapped} item(s)")
        if evidence.state == EvidenceState.DRAFT:
            return
        if author is not candidate:  # the assessor's own record, accepted as it is written
            item.judged_at = min(created + datetime.timedelta(minutes=10), self.now)
            self._judgement(batch, evidence, bears_on, assessor, Judgement.Outcome.ACCEPTED, "Recorded by the assessor",
                            item.judged_at, item.scope)
            evidence.updated_at = item.judged_at
            return
        submitted = self._later(created, hours=rng.randint(1, 72))
        if evidence.state == EvidenceState.ACCEPTED and rng.random() < 0.15:
            # Referred back once, then sent again unchanged with a new declaration.
            referred = self._later(submitted, hours=rng.randint(2, 96))
            self._submission(batch, candidate, assessor, evidence, submitted)
            self._judgement(batch, evidence, bears_on, assessor, Judgement.Outcome.REFERRED, rng.choice(FEEDBACK), referred)
            submitted = self._later(referred, hours=rng.randint(2, 96))
        self._submission(batch, candidate, assessor, evidence, submitted)
        evidence.submitted_at = evidence.updated_at = submitted
        if evidence.state in (EvidenceState.ACCEPTED, EvidenceState.REFERRED):
            item.judged_at = self._later(submitted, hours=rng.randint(2, 120))
            outcome = Judgement.Outcome(evidence.state)
            feedback = rng.choice(FEEDBACK) if outcome == Judgement.Outcome.REFERRED else ""
            self._judgement(batch, evidence, bears_on, assessor, outcome, feedback, item.judged_at, item.scope)
            evidence.updated_at = item.judged_at

    def _submission(self, batch: Batch, candidate: Person, assessor: Person, evidence: Evidence,
                    at: datetime.datetime) -> None:
        batch.declarations.append(Declaration(evidence=evidence, version=1, text=Declaration.TEXT,
                                              declared_by=candidate, declared_at=at))
        self._event(batch, PortfolioAction.EVIDENCE_SUBMITTED, candidate, evidence, at,
                    f"{evidence.reference} submitted for assessment with the declaration of authenticity")
        self._notify(batch, assessor, f"{candidate.get_full_name()} submitted {evidence.reference} "
                                      f"“{evidence.title}” for assessment.", at)

    def _judgement(self, batch: Batch, evidence: Evidence, bears_on: Sequence[Enrolment], assessor: Person, outcome: str,
                   feedback: str, at: datetime.datetime, scope: Sequence[ScopeItem] = ()) -> None:
        """A round of judging, with the units it bears on (as the judging service records them); an
        acceptance records the scope as the candidate mapped it."""
        accepted = outcome == Judgement.Outcome.ACCEPTED
        judgement = Judgement(
            evidence=evidence, version=1, outcome=outcome, feedback=feedback, valid=accepted, authentic=accepted,
            current=accepted, sufficient=accepted, assessor=assessor, judged_at=at,
        )
        batch.judgements.append(judgement)
        batch.judged_enrolments += [
            JudgedEnrolment(judgement=judgement, enrolment=e, assessor=assessor, judged_at=at, outcome=outcome)
            for e in bears_on
        ]
        if accepted:
            batch.judged_scope += [Judgement.scope_items.through(judgement=judgement, scopeitem=s) for s in scope]
        words = "accepted" if accepted else "referred back"
        self._event(batch, AssessmentAction.EVIDENCE_ACCEPTED if accepted else AssessmentAction.EVIDENCE_REFERRED, assessor, evidence, at,
                    f"{evidence.reference} version 1 {words}" + (f": {feedback}" if feedback else ""))
        self._notify(batch, evidence.candidate, f"{assessor.get_full_name()} {words} {evidence.reference} "
                                                f"“{evidence.title}”.", at)
