"""An assessor's judgements on a candidate's enrolment."""

from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from portfolio.models import Enrolment, Evidence, Person
from portfolio.signing import sign_off_seal
from standards.models import Criterion, KnowledgeItem, ScopeCategory

# Kept in modules of their own for length; models of this app all the same.
from .claim_models import Claim as Claim
from .conversation_models import EvidenceComment as EvidenceComment
from .conversation_models import EvidenceCommentQuerySet as EvidenceCommentQuerySet
from .eqa_models import EqaAction as EqaAction
from .eqa_models import EqaReport as EqaReport
from .eqa_models import EqaSample as EqaSample
from .fixity_models import FixityCheck as FixityCheck
from .judgement_models import JudgedEnrolment as JudgedEnrolment
from .judgement_models import Judgement as Judgement
from .judgement_models import ReferralNote as ReferralNote
from .judgement_models import UnitScopeRecord as UnitScopeRecord
from .met_count_models import CriterionMet as CriterionMet
from .met_count_models import EnrolmentMet as EnrolmentMet
from .quality_record_models import CompetenceFile as CompetenceFile
from .quality_record_models import CpdEntry as CpdEntry
from .quality_record_models import HeldQualification as HeldQualification
from .quality_record_models import OccupationalExperience as OccupationalExperience
from .quality_record_models import StandardisationAction as StandardisationAction
from .quality_record_models import StandardisationMeeting as StandardisationMeeting
from .sampling_plan_models import AssessorRating as AssessorRating
from .sampling_plan_models import SamplingPlan as SamplingPlan
from .witness_models import TestimonyRequest as TestimonyRequest
from .witness_models import Witness as Witness
from .witness_models import WitnessStatusRequest as WitnessStatusRequest


def standing_decision(through: str = "") -> Q:
    """Not withdrawn: the decisions that count towards the unit (at most one per item). `through`
    is the path to the decision from another model ("enrolment__decisions__"), for a filter that
    must stay one join with the others in the same call."""
    return Q(**{f"{through}withdrawn_at__isnull": True})


def standing_sign_off() -> Q:
    """Not voided by an unlock: the sign-off that locks the unit (at most one per enrolment).

    A void only the unlock service wrote is an unlock: it is signed (`void_signature`, an HMAC:
    `assessments.record_seals`). A sign-off voided in the database by hand carries no signature, so
    it stands still, with the void shown as a change to the signed record (an outside trial: one
    UPDATE of `voided_at` turned a signed-off unit back to "in progress" on every list, and let the
    assessor sign it off afresh). Only the enrolment's latest sign-off can stand so: clearing an old
    void's signature does not make two. A void with a signature that does not verify, which SQL
    cannot tell, is found in Python (`record_seals.voided_outside`), and the check that finds it says
    so (`FixityCheck.void_not_believed`), which SQL reads: from that check on, every list agrees
    with the unit page (an outside trial edited a real unlock's reason: the page said signed off,
    the lists in progress)."""
    later = SignOff.objects.filter(enrolment=OuterRef("enrolment"), pk__gt=OuterRef("pk"))
    latest_check = FixityCheck.objects.filter(sign_off=OuterRef(OuterRef("pk"))).order_by("-checked_at", "-pk")
    found_forged = FixityCheck.objects.filter(
        sign_off=OuterRef("pk"), void_not_believed=True, pk=Subquery(latest_check.values("pk")[:1])
    )
    return Q(voided_at__isnull=True) | ((Q(void_signature="") | Q(Exists(found_forged))) & ~Q(Exists(later)))


class DecisionQuerySet(models.QuerySet):
    def standing(self) -> "DecisionQuerySet":
        return self.filter(standing_decision())


class Decision(models.Model):
    """The assessor's record that one criterion or knowledge item is met, citing the evidence that
    proves it. A withdrawn decision is kept, with who withdrew it, when and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="decisions")
    criterion = models.ForeignKey(
        "standards.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    knowledge_item = models.ForeignKey(
        "standards.KnowledgeItem", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    evidence = models.ManyToManyField(Evidence, related_name="decisions")
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # The date the assessor gives for the decision (it may be a day or two before they record it);
    # `decided_at` is the moment it was recorded.
    decided_on = models.DateField("date of the decision", default=timezone.localdate)
    decided_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(criterion__isnull=False, knowledge_item__isnull=True)
                | Q(criterion__isnull=True, knowledge_item__isnull=False),
                name="decision_on_one_item",
            ),
            # At most one standing decision per item: a new one needs the old one withdrawn first.
            models.UniqueConstraint(
                fields=["enrolment", "criterion"], condition=Q(withdrawn_at__isnull=True, criterion__isnull=False),
                name="one_standing_decision_per_criterion",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "knowledge_item"],
                condition=Q(withdrawn_at__isnull=True, knowledge_item__isnull=False),
                name="one_standing_decision_per_knowledge_item",
            ),
        ]
        indexes = [
            models.Index(fields=["enrolment"], condition=Q(withdrawn_at__isnull=True), name="standing_decision_enrolment"),
            # An assessor's decisions over a span of time, for the decisions report (as for judgements).
            models.Index(fields=["decided_by", "decided_at"], name="decision_assessor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference} met for {self.enrolment}"

    @property
    def item(self) -> Criterion | KnowledgeItem:
        """The criterion or the knowledge item met: the check constraint allows exactly one."""
        item = self.criterion or self.knowledge_item
        assert item is not None, "decision_on_one_item"
        return item

    @property
    def is_standing(self) -> bool:
        """As `standing_decision`, for a decision already read."""
        return self.withdrawn_at is None

    # As a signed decision (`signed_record.SignedDecision`) reads, so a page shows either alike.

    @property
    def decided_by_name(self) -> str:
        return self.decided_by.get_full_name() or self.decided_by.email

    @property
    def cited(self) -> list[Evidence]:
        return list(self.evidence.all())


class CitationAddition(models.Model):
    """Evidence added to a standing decision's citations after it was recorded, without withdrawing
    it: who added which evidence and when. The evidence is in the decision's citations (its M2M),
    like those it was recorded with; this row is the history of how it got there, so the decision's
    own `decided_by` and `decided_at` still say who recorded it and when."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="citation_additions")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["decision", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "evidence"], name="one_addition_per_citation"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence.reference} added to {self.decision}"


class SignOffQuerySet(models.QuerySet):
    def standing(self) -> "SignOffQuerySet":
        return self.filter(standing_sign_off())

    def without_record(self) -> "SignOffQuerySet":
        """Without the signed record itself (`manifest`: some 20 KB of JSON for a unit of 60 evidence
        items): what a list of units reads for the times its sign-offs were signed. Fifty of them were
        a megabyte read and parsed per page for nothing; reading one's manifest costs a query."""
        return self.defer("manifest")


class SignOff(models.Model):
    """The assessor's signature that a unit is achieved, the candidate's countersignature, and a
    manifest of exactly what was signed: every standing decision and the SHA-256 of every evidence
    file they rest on. `signature` is an HMAC over the manifest with a server key, so a manifest
    edited in the database no longer matches its signature.

    Unlocking voids a sign-off (it is kept, with who voided it, when and why)."""

    ASSESSOR_DECLARATION = (
        "I confirm that the candidate has met every performance criterion and knowledge item of "
        "this unit, and that the evidence cited is valid, authentic, current and sufficient."
    )
    CANDIDATE_DECLARATION = (
        "I confirm that the evidence in this unit is my own work and that I agree with the "
        "assessor's decisions."
    )

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="sign_offs")
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    assessor_signed_at = models.DateTimeField()
    assessor_declaration = models.TextField()
    candidate_signed_at = models.DateTimeField(null=True, blank=True)
    candidate_declaration = models.TextField(blank=True)
    # An HMAC over the assessor's signature, the candidate and the time and words of the
    # countersignature, so a countersignature written into the database by hand does not verify.
    candidate_signature = models.CharField(max_length=64, blank=True)
    manifest = models.JSONField(help_text="What was signed: decisions and evidence file digests.")
    decisions_digest = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)
    voided_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    voided_at = models.DateTimeField(null=True, blank=True)
    # HMAC of the voiding made by the unlock service (`assessments.record_seals`): a sign-off voided
    # in the database by hand has none that verifies.
    void_signature = models.CharField(max_length=64, blank=True, default="")
    void_reason = models.TextField(blank=True)
    # HMAC over what came after the signing (`assessments.record_seals.after_signature`): the
    # candidate's countersignature and the IQA's reviews of this sign-off, each by its own signature,
    # so that one cleared or deleted in the database (which leaves nothing of its own to check) is found.
    after_signature = models.CharField(max_length=64, blank=True, default="")
    # How many fixity checks of it the portfolio recorded, counted under `after_signature`: a check row
    # deleted, or copied in, is then a change (an outside trial deleted them all, and the record read
    # as merely "not verified since sign-off").
    checks_made = models.PositiveIntegerField(default=0, editable=False)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "-assessor_signed_at"]
        constraints = [
            # Two assessors signing at once: the database lets only one standing sign-off exist.
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(voided_at__isnull=True), name="one_standing_sign_off"
            ),
        ]
        indexes = [models.Index(fields=["assessor", "assessor_signed_at"], name="sign_off_assessor_time")]

    def __str__(self) -> str:
        return f"Sign-off of {self.enrolment}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A sign-off made is sealed into its enrolment's record of sign-offs (`Enrolment.sign_off_seal`),
        whoever makes it, in the same transaction as the row itself."""
        adding = self._state.adding
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if adding:
                seal_sign_offs(self.enrolment_id, using=kwargs.get("using") or "default")
                if "enrolment" in self._state.fields_cache:  # the enrolment held here, as now sealed
                    self.enrolment.refresh_from_db(fields=["sign_offs_made", "sign_off_seal"])


def sign_offs_made(enrolment_id: int, *, using: str = "default") -> list[list]:  # [id, signature] each: what the seal signs
    return [list(row) for row in SignOff.objects.using(using).filter(enrolment_id=enrolment_id).order_by("pk").values_list("pk", "signature")]


def seal_sign_offs(enrolment_id: int, *, using: str = "default") -> None:
    """The enrolment's record of its sign-offs (`portfolio.signing.sign_off_seal`), from the rows now."""
    made = sign_offs_made(enrolment_id, using=using)
    Enrolment.objects.using(using).filter(pk=enrolment_id).update(
        sign_offs_made=len(made), sign_off_seal=sign_off_seal(enrolment_id, made)
    )


class ScopeNotApplicable(models.Model):
    """The assessor's reason, given at sign-off, why a scope category no evidence covers does not
    apply to the candidate's work area (the standards ask for evidence of "any option related to
    your work area"). It belongs to that sign-off and is part of its signed manifest."""

    sign_off = models.ForeignKey(SignOff, on_delete=models.PROTECT, related_name="scope_not_applicable")
    category = models.ForeignKey(ScopeCategory, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()

    class Meta:
        ordering = ["sign_off", "category__position"]
        verbose_name = "scope category not applicable"
        verbose_name_plural = "scope categories not applicable"
        constraints = [
            models.UniqueConstraint(fields=["sign_off", "category"], name="one_reason_per_scope_category"),
            models.CheckConstraint(condition=~Q(reason=""), name="scope_not_applicable_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.category.name} not applicable to {self.sign_off.enrolment}"


class QualityReview(models.Model):
    """An IQA's review of an assessor's decisions on one enrolment: of a signed-off unit (final)
    or of decisions on the way (interim). It countersigns or refers back with actions."""

    class Stage(models.TextChoices):
        INTERIM = "interim", "Interim (decisions before sign-off)"
        FINAL = "final", "Final (signed-off unit)"

    class Outcome(models.TextChoices):
        SAMPLED = "sampled", "Sampled, review not yet recorded"
        COUNTERSIGNED = "countersigned", "Countersigned"
        REFERRED = "referred", "Referred back to the assessor"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="quality_reviews")
    sign_off = models.ForeignKey(SignOff, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews")
    iqa = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.SAMPLED)
    sampled_at = models.DateTimeField()
    comments = models.TextField(blank=True)
    actions = models.TextField(blank=True, help_text="What the assessor must do, when referred.")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    actions_done_at = models.DateTimeField(null=True, blank=True)
    actions_done_note = models.TextField(blank=True)
    # An HMAC over what the IQA decided (`record_seals.review_signature`): the outcome, the comments
    # and actions, who and when. A countersignature rewritten in the database does not verify.
    signature = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-sampled_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="referred") | ~Q(actions=""), name="referral_has_actions"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} review of {self.enrolment}"

    @property
    def outcome_label(self) -> str:
        """The outcome as pages show it. Countersigning is the IQA's signature on a signed-off unit;
        at an interim review of decisions on the way, the same stored outcome means the IQA agreed
        with the assessor's decisions so far, and nothing was countersigned (outside trial)."""
        return "Agreed" if self.agreed_so_far else self.get_outcome_display()

    @property
    def agreed_so_far(self) -> bool:
        """An interim review that agreed with the decisions so far (stored as countersigned)."""
        return self.outcome == self.Outcome.COUNTERSIGNED and self.stage == self.Stage.INTERIM
