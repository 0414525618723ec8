"""Planning the assessor's decisions and the units signed off, countersigned and sampled; the
sign-offs are made when their decisions are written, with the signed manifest the service makes."""

# Made-up data from a seed, reproducible on purpose: nothing random here is a secret.

import datetime
from typing import cast

from django.utils import timezone

from assessments import integrity, record_seals, scope
from assessments.audit_actions import AssessmentAction
from assessments.models import Decision, QualityReview, ScopeNotApplicable, SignOff
from portfolio.models import Enrolment, EvidenceState
from portfolio.signing import sign_off_seal

from .plan import Batch, CentrePlan, PlannedItem, PlannedSignOff
from .words import NOT_APPLICABLE, NOT_APPLICABLE_OTHERWISE


class DecisionPlanner(CentrePlan):
    def _plan_decisions(self, batch: Batch, enrolment: Enrolment, items: list[PlannedItem]) -> None:
        stage = self.stages[id(enrolment)]
        if stage == "early":
            return
        code, rng = enrolment.unit.code, self.rng
        accepted = [i for i in items if code in i.units and i.evidence.state == EvidenceState.ACCEPTED]
        unit = self.units[code]
        latest = None
        for kind, unit_items in (("criterion", unit.criteria), ("knowledge_item", unit.knowledge)):
            for unit_item in unit_items:
                proving = [i for i in accepted if unit_item in (i.criteria if kind == "criterion" else i.knowledge)]
                if not proving or (stage == "decisions" and rng.random() < 0.4):
                    continue
                cited = rng.sample(proving, min(len(proving), rng.randint(1, 2)))
                judged = max(cast(datetime.datetime, i.judged_at) for i in cited)  # accepted: judged
                decided_at = self._later(judged, hours=rng.randint(1, 240))
                decision = Decision(
                    enrolment=enrolment, decided_by=enrolment.assessor, decided_on=timezone.localdate(decided_at),
                    decided_at=decided_at, **{kind: unit_item},
                )
                batch.decisions.append(decision)
                batch.cited += [Decision.evidence.through(decision=decision, evidence=i.evidence) for i in cited]
                refs = ", ".join(i.evidence.reference for i in sorted(cited, key=lambda i: i.evidence.number))
                self._event(batch, AssessmentAction.DECISION_RECORDED, enrolment.assessor, None, decided_at,
                            f"{unit_item.reference} recorded as met, citing {refs}", enrolment=enrolment)
                latest = max(latest or decided_at, decided_at)
        if stage == "signed off" and latest is not None:
            signed_at = self._later(latest, hours=rng.randint(1, 48))
            countersigned = self._later(signed_at, hours=rng.randint(1, 72)) if rng.random() < 0.75 else None
            roll = rng.random()
            review = "countersigned" if roll < 0.35 else "sampled" if roll < 0.45 else ""
            batch.sign_offs.append(PlannedSignOff(enrolment, signed_at, countersigned, review))
        elif stage == "decisions" and latest is not None and rng.random() < 0.08:
            sampled = self._later(latest, hours=rng.randint(1, 100))
            batch.interim_reviews.append(QualityReview(
                enrolment=enrolment, iqa=enrolment.iqa, stage=QualityReview.Stage.INTERIM,
                outcome=QualityReview.Outcome.SAMPLED, sampled_at=sampled,
            ))
            self._event(batch, AssessmentAction.IQA_SAMPLED, enrolment.iqa, None, sampled,
                        f"{code} added to the IQA sample (interim)", enrolment=enrolment)

    def _sign_offs(self, batch: Batch) -> tuple[list[SignOff], list[QualityReview]]:
        """Sign-offs with the manifest and signatures the sign-off service makes, built by the same
        `integrity.signed_sign_off` from the decisions as written."""
        sign_offs, reviews, reasons = [], [], []
        for planned in batch.sign_offs:
            enrolment = planned.enrolment
            decisions = integrity.standing_decisions(enrolment)
            record = scope.open_record(enrolment)
            for row in record.not_covered:  # the rest of the scope does not apply, the assessor says
                row.not_applicable = NOT_APPLICABLE.get(row.category.name, NOT_APPLICABLE_OTHERWISE)
            evidence_items = integrity.cited_evidence(decisions, also=record.evidence)
            sign_off = integrity.signed_sign_off(
                enrolment=enrolment, assessor=enrolment.assessor, signed_at=planned.signed_at,
                decisions=decisions, evidence_items=evidence_items, scope_coverage=record.categories,
            )
            reasons += [ScopeNotApplicable(sign_off=sign_off, category=row.category, reason=row.not_applicable)
                        for row in record.not_covered]
            manifest = sign_off.manifest
            code = enrolment.unit.code
            self._event(batch, AssessmentAction.UNIT_SIGNED_OFF, enrolment.assessor, None, planned.signed_at,
                        f"{code} signed off: {len(manifest['decisions'])} decisions and "
                        f"{len(manifest['files'])} evidence files"
                        + "".join(f"; scope “{r.category.name}” does not apply: {r.not_applicable}"
                                  for r in record.not_covered), enrolment=enrolment)
            self._notify(batch, enrolment.candidate, f"{enrolment.assessor.get_full_name()} signed off {code}. "
                                                     "Please read it through and countersign it.", planned.signed_at)
            if planned.countersigned_at is not None:
                integrity.countersign(sign_off, signed_at=planned.countersigned_at)
                self._event(batch, AssessmentAction.UNIT_COUNTERSIGNED, enrolment.candidate, None,
                            planned.countersigned_at, f"{code} countersigned by the candidate", enrolment=enrolment)
            sign_offs.append(sign_off)
            if planned.review:
                sampled = self._later(planned.countersigned_at or planned.signed_at, hours=24)
                review = QualityReview(
                    enrolment=enrolment, sign_off=sign_off, iqa=enrolment.iqa, stage=QualityReview.Stage.FINAL,
                    outcome=QualityReview.Outcome.SAMPLED, sampled_at=sampled,
                )
                if planned.review == "countersigned":
                    review.outcome = QualityReview.Outcome.COUNTERSIGNED
                    review.reviewed_at = self._later(sampled, hours=48)
                    review.comments = "Decisions are sound and the evidence cited is sufficient."
                reviews.append(review)
                self._event(batch, AssessmentAction.IQA_SAMPLED, enrolment.iqa, None, sampled,
                            f"{code} added to the IQA sample (final)", enrolment=enrolment)
        SignOff.objects.bulk_create(sign_offs)
        ScopeNotApplicable.objects.bulk_create(reasons)
        QualityReview.objects.bulk_create(reviews)
        reviewed = [review for review in reviews if review.reviewed_at]
        for review in reviewed:  # signed as the review service signs, once each has its id
            review.signature = record_seals.review_signature(review)
        QualityReview.objects.bulk_update(reviewed, ["signature"])
        for sign_off in sign_offs:  # what came after each, signed as the services sign it
            sign_off.after_signature = record_seals.after_signature(sign_off)
        SignOff.objects.bulk_update(sign_offs, ["after_signature"])
        self._seal_sign_offs(sign_offs)
        return sign_offs, reviews

    @staticmethod
    def _seal_sign_offs(sign_offs: list[SignOff]) -> None:
        """Each enrolment's record of its sign-offs (a generated centre's enrolments had none before),
        sealed as the sign-off service seals it (`record_seals.reseal_sign_offs`)."""
        made: dict[int, list[list]] = {}
        for sign_off in sorted(sign_offs, key=lambda s: s.pk):
            made.setdefault(sign_off.enrolment_id, []).append([sign_off.pk, sign_off.signature])
        enrolments = [Enrolment(pk=pk, sign_offs_made=len(rows), sign_off_seal=sign_off_seal(pk, rows))
                      for pk, rows in made.items()]
        Enrolment.objects.bulk_update(enrolments, ["sign_offs_made", "sign_off_seal"], batch_size=1000)
