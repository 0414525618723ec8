"""The external quality assurer's own records: the samples they choose of a centre's units and the
reports they send the centre, with the actions the centre answers one by one.

A sample is the EQA's working record, theirs to make, change and delete; the centre sees only the
"EQA sampled" mark it puts on each unit. A report is a draft, the EQA's alone, until they send it;
from then it is fixed (a new report says anything more), and the centre answers each action, which
the EQA closes or leaves open. (Imported by `models`, so Django finds them.)
"""

from django.db import models

from portfolio.models import Centre, Enrolment, Person


class VisitMode(models.TextChoices):
    REMOTE = "remote", "Remote"
    ON_SITE = "on_site", "On site"


class EqaSample(models.Model):
    eqa = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="eqa_samples")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="eqa_samples")
    name = models.CharField(max_length=120, help_text="For example “Visit 12 March 2027”.")
    planned_on = models.DateField("date planned")
    mode = models.CharField("remote or on site", max_length=10, choices=VisitMode.choices)
    enrolments = models.ManyToManyField(Enrolment, related_name="eqa_samples", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class EqaOutcome(models.TextChoices):
    """The EQA's overall judgement of the centre's assessment and quality assurance, in the plain
    words the awarding bodies' reports use: all is well; well, with things to put right by a date;
    or not well enough, so the EQA recommends a sanction (such as holding certification claims)."""

    SATISFACTORY = "satisfactory", "Satisfactory"
    WITH_ACTIONS = "with_actions", "Satisfactory with actions"
    UNSATISFACTORY = "unsatisfactory", "Unsatisfactory: sanction recommended"


class EqaReport(models.Model):
    eqa = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="eqa_reports")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="eqa_reports")
    # The sample the report is on, if any (a visit may look at the centre's systems alone).
    sample = models.ForeignKey(
        EqaSample, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    visited_on = models.DateField("date of the visit")
    mode = models.CharField("remote or on site", max_length=10, choices=VisitMode.choices)
    findings = models.TextField()
    outcome = models.CharField(max_length=20, choices=EqaOutcome.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the EQA sent it to the centre; None while it is a draft.
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"EQA report on {self.centre} of {self.visited_on:%Y-%m-%d}"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


class EqaReview(models.TextChoices):
    """The EQA's word on the centre's answer to an action."""

    CLOSED = "closed", "Closed"
    STILL_OPEN = "still_open", "Still open"


class EqaAction(models.Model):
    """One thing the centre must do by a date, with the centre's answer and the EQA's word on it."""

    report = models.ForeignKey(EqaReport, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField("action")
    due_on = models.DateField("due by")
    # The centre's answer: what it did, and when it was done or when it is planned.
    response = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True)
    planned_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    # The EQA's word on it.
    review = models.CharField(max_length=12, choices=EqaReview.choices, blank=True)
    review_note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_eqa_action_number_per_report")]

    def __str__(self) -> str:
        return f"Action {self.number} of {self.report}"

    @property
    def closed(self) -> bool:
        return self.review == EqaReview.CLOSED

    @property
    def answered_since_review(self) -> bool:
        """The centre has answered, and the EQA has not yet given their word on that answer."""
        if self.answered_at is None:
            return False
        return self.reviewed_at is None or self.answered_at > self.reviewed_at

    @property
    def status(self) -> str:
        """Where the action stands, in the words the report page shows."""
        if self.closed:
            return "Closed by the EQA"
        if self.answered_since_review:
            return "Done, waiting for the EQA" if self.done_on else "Planned, waiting for the EQA"
        if self.review == EqaReview.STILL_OPEN:
            return "Still open: the EQA asks for more"
        return "Waiting for the centre’s answer"
