"""An assessor's judgements on a candidate's enrolment."""

from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils import timezone

from portfolio.models import Enrolment, Evidence, Person
from standards.models import Criterion, KnowledgeItem, ScopeCategory


def standing_decision(through: str = "") -> Q:
    """Not withdrawn: the decisions that count towards the unit (at most one per item). `through`
    is the path to the decision from another model ("enrolment__decisions__"), for a filter that
    must stay one join with the others in the same call."""
    return Q(**{f"{through}withdrawn_at__isnull": True})


def standing_sign_off(through: str = "") -> Q:
    """Not voided by an unlock: the sign-off that locks the unit (at most one per enrolment). Across
    a nullable foreign key this also matches rows with no sign-off at all; add `sign_off__isnull`."""
    return Q(**{f"{through}voided_at__isnull": True})


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


class Judgement(models.Model):
    """One round of assessment of an evidence item: accepted as valid, authentic, current and
    sufficient (VACS), or referred back with feedback. Every round is kept."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REFERRED = "referred", "Referred back"

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="judgements")
    version = models.PositiveIntegerField(help_text="The version of the evidence judged.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    feedback = models.TextField(blank=True)
    valid = models.BooleanField(default=False)
    authentic = models.BooleanField(default=False)
    current = models.BooleanField(default=False)
    sufficient = models.BooleanField(default=False)
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField()
    # The assessor's own record of the scope (range) the evidence covers, on acceptance: the
    # candidate's mapping (Evidence.scope_items) is kept as they made it, and this is what counts.
    scope_items = models.ManyToManyField(
        "standards.ScopeItem", blank=True, related_name="+", verbose_name="scope covered",
        help_text="The scope items the assessor recorded the evidence as covering.",
    )

    class Meta:
        ordering = ["evidence", "judged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="accepted")
                | Q(valid=True, authentic=True, current=True, sufficient=True),
                name="accepted_evidence_meets_vacs",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="referred") | ~Q(feedback=""), name="referral_has_feedback"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence.reference} {self.get_outcome_display().lower()}"


class SignOffQuerySet(models.QuerySet):
    def standing(self) -> "SignOffQuerySet":
        return self.filter(standing_sign_off())


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
    void_reason = models.TextField(blank=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "-assessor_signed_at"]
        constraints = [
            # Two assessors signing at once: the database lets only one standing sign-off exist.
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(voided_at__isnull=True), name="one_standing_sign_off"
            ),
        ]

    def __str__(self) -> str:
        return f"Sign-off of {self.enrolment}"

    @property
    def is_standing(self) -> bool:
        """As `standing_sign_off`, for a sign-off already read."""
        return self.voided_at is None


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

    class Meta:
        ordering = ["-sampled_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="referred") | ~Q(actions=""), name="referral_has_actions"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} review of {self.enrolment}"


class Witness(models.Model):
    """Someone who saw the candidate at work and gave testimony. Witnesses have no account."""

    candidate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="witnesses")
    name = models.CharField(max_length=200)
    job_role = models.CharField(max_length=200)
    relationship = models.CharField("relationship to the candidate", max_length=200)
    email = models.EmailField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.job_role})"


class TestimonyRequest(models.Model):
    """A single-use link, sent to a witness, to give testimony on some criteria. Only a digest of
    the link's secret is stored, so a copy of the database holds no working link."""

    __test__ = False  # a model, not a pytest class

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="testimony_requests")
    criteria = models.ManyToManyField("standards.Criterion", related_name="+")
    witness_name = models.CharField(max_length=200)
    witness_email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    evidence = models.OneToOneField(
        Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="testimony_request"
    )
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, null=True, blank=True, related_name="testimonies")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Testimony from {self.witness_name} for {self.enrolment}"



class EvidenceCommentQuerySet(models.QuerySet):
    """A bulk change would go round the model's refusals, so it is refused here too."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("A comment cannot be changed once sent.")

    def delete(self) -> NoReturn:
        raise PermissionError("A comment cannot be deleted once sent.")


class EvidenceComment(models.Model):
    """One message in the conversation about an evidence item between the candidate and their
    assessor, kept with the item. Sent once, never changed or deleted (`save` refuses an update,
    `delete` refuses outright; on PostgreSQL the database refuses too). Read by whoever may read
    the evidence; written by the candidate and their assessor (`portfolio.access.EvidenceRights`)."""

    MAX_CHARS = 4000

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=MAX_CHARS)
    sent_at = models.DateTimeField()

    objects = EvidenceCommentQuerySet.as_manager()

    class Meta:
        ordering = ["evidence", "sent_at", "id"]
        indexes = [models.Index(fields=["evidence", "sent_at"], name="comment_evidence_sent")]

    def __str__(self) -> str:
        return f"{self.evidence.reference} comment by {self.author} at {self.sent_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("A comment cannot be changed once sent.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("A comment cannot be deleted once sent.")


class FixityCheck(models.Model):
    """One check of a standing sign-off with its files read from storage and hashed: when, at which
    boundary, asked for by whom, and what it found. Pages read the latest one ("files last verified
    ...") instead of reading the files themselves (`assessments.fixity`)."""

    class Boundary(models.TextChoices):
        SIGN_OFF = "sign_off", "assessor’s sign-off"
        SCHEDULE = "schedule", "scheduled check"
        RESTORE = "restore", "check after a restore"
        ON_DEMAND = "on_demand", "check asked for"
        COUNTERSIGN = "countersign", "candidate’s countersignature"
        IQA_REVIEW = "iqa_review", "IQA’s review"
        UNIT_PDF = "unit_pdf", "unit PDF"
        BULK_EXPORT = "bulk_export", "bulk export"

    sign_off = models.ForeignKey(SignOff, on_delete=models.PROTECT, related_name="fixity_checks")
    checked_at = models.DateTimeField()
    boundary = models.CharField(max_length=20, choices=Boundary.choices)
    intact = models.BooleanField()
    problems = models.JSONField(default=list, blank=True, help_text="Everything the check found, in words.")
    # The part of `problems` only reading storage finds (a file changed or missing), which pages add
    # to the database-side check they make on every view; and the ids of those files.
    file_problems = models.JSONField(default=list, blank=True)
    changed_files = models.JSONField(default=list, blank=True)  # [{"file_id": ..., "problem": ...}]
    files_checked = models.PositiveIntegerField(help_text="How many signed files were read and hashed.")
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["sign_off", "-checked_at"], name="fixity_latest_per_sign_off")]

    def __str__(self) -> str:
        return f"Fixity check of {self.sign_off} ({self.get_boundary_display()})"
