"""The assessor's judgements of evidence: each round of assessment, the candidate's units it bore
on, and the notes on the items a referral gives."""

from django.db import models
from django.db.models import Q

from portfolio.models import Enrolment, Evidence, Person
from standards.models import Criterion, KnowledgeItem


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
    # The candidate's units (enrolments at the centre) the evidence was mapped to when judged, set by
    # the judging service: "decisions per assessor per month" counts a judgement from these rows
    # instead of working out, for every judgement, which units its evidence bears on.
    enrolments: "models.ManyToManyField[Enrolment, JudgedEnrolment]" = models.ManyToManyField(
        Enrolment, through="JudgedEnrolment", related_name="+"
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


class JudgedEnrolment(models.Model):
    """One of the candidate's units (an enrolment at the evidence's centre) that a judgement bears
    on: one whose criteria or knowledge items the evidence was mapped to when it was judged. Holistic
    evidence bears on several units, so a judgement can have several; none if it was mapped to no
    unit the candidate is enrolled on there."""

    judgement = models.ForeignKey(Judgement, on_delete=models.PROTECT, related_name="judged_enrolments")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="judged_enrolments")
    # The judgement's own assessor, time and outcome, copied (a judgement never changes once made),
    # so the decisions report counts from this table alone, by the index below: joined to every
    # judgement instead, PostgreSQL hashed every row of this table for a page of assessors.
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)
    judged_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Judgement.Outcome.choices)

    class Meta:
        ordering = ["judgement", "enrolment"]
        constraints = [
            models.UniqueConstraint(fields=["judgement", "enrolment"], name="one_row_per_judged_enrolment"),
        ]
        # An assessor's judgements over a span of time: the decisions report reads a page of
        # assessors' months from this range, whatever the size of the centre.
        indexes = [models.Index(fields=["assessor", "judged_at"], name="judged_enrolment_assessor_time")]

    def __str__(self) -> str:
        return f"{self.judgement} on {self.enrolment}"


class ReferralNote(models.Model):
    """The assessor's note on one criterion or knowledge item the candidate mapped the evidence to,
    given with a referral beside the overall feedback: what the evidence lacks for that item."""

    MAX_CHARS = 2000

    judgement = models.ForeignKey(Judgement, on_delete=models.PROTECT, related_name="notes")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    knowledge_item = models.ForeignKey("standards.KnowledgeItem", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    text = models.TextField(max_length=MAX_CHARS)

    class Meta:
        ordering = ["judgement", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(criterion__isnull=False, knowledge_item__isnull=True)
                | Q(criterion__isnull=True, knowledge_item__isnull=False),
                name="referral_note_on_one_item",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="referral_note_has_text"),
        ]

    def __str__(self) -> str:
        return f"Note on {self.item.reference} for {self.judgement}"

    @property
    def item(self) -> Criterion | KnowledgeItem:
        item = self.criterion or self.knowledge_item
        assert item is not None, "referral_note_on_one_item"
        return item


class UnitScopeRecord(models.Model):
    """Holistic evidence accepted by the assessor of another unit it bears on: the record, by the
    assessor of this unit (`enrolment`), of which of its scope items the accepted evidence covers.
    The judge records the scope of their own units alone (`scope.scope_items_to_judge`), so this is
    where the other unit's scope is recorded, on the evidence page, while the unit is open. Each
    record or correction is a row of its own; the latest for the acceptance counts, instead of the
    judgement's own record of this unit's scope (`scope.assessed_scope`). A new acceptance of the
    evidence (after it is referred back and submitted again) starts afresh."""

    judgement = models.ForeignKey(Judgement, on_delete=models.PROTECT, related_name="unit_scope_records")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    scope_items = models.ManyToManyField(
        "standards.ScopeItem", blank=True, related_name="+", verbose_name="scope covered",
        help_text="The unit's scope items its assessor recorded the accepted evidence as covering.",
    )

    class Meta:
        ordering = ["judgement", "enrolment", "recorded_at", "pk"]
        indexes = [models.Index(fields=["judgement", "enrolment", "recorded_at"], name="unit_scope_record_latest")]

    def __str__(self) -> str:
        return f"Scope of {self.judgement.evidence.reference} on {self.enrolment}"
