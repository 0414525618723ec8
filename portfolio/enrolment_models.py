"""An enrolment's standing (active, withdrawn, transferred) and the history of what the centre changed
on it after registering it: its assessor, its IQA, its target date, its standing. Each change is a
row of its own, never edited or deleted, so the enrolment's page and the unit's audit trail can say
who changed what, from what to what, when and why (`services_enrolments` writes them).

The models are the app's: `portfolio.models` imports them."""

from django.db import models


class EnrolmentStatus(models.TextChoices):
    """Where the enrolment stands with the centre. Withdrawn and transferred ones are kept as they
    are, read-only: nobody submits, judges or signs anything on them, and no list of work asks for
    them. A transfer names the other centre in words only: centres are walled from one another."""

    ACTIVE = "active", "Active"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TRANSFERRED = "transferred", "Transferred"


class EnrolmentChangeKind(models.TextChoices):
    ASSESSOR = "assessor", "Assessor changed"
    IQA = "iqa", "IQA changed"
    TARGET_DATE = "target_date", "Target date changed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TRANSFERRED = "transferred", "Transferred to another centre"
    REINSTATED = "reinstated", "Reinstated"


class EnrolmentChange(models.Model):
    """One change the centre made to an enrolment: what, from, to, who, when, why."""

    enrolment = models.ForeignKey("portfolio.Enrolment", on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=20, choices=EnrolmentChangeKind.choices)
    # An assessor or IQA changed: who was on the case, and who is now.
    from_person = models.ForeignKey(
        "portfolio.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_person = models.ForeignKey(
        "portfolio.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A target date changed: the dates before and after.
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)
    # Withdrawn, transferred or reinstated: the standing before and after, and the day it took effect.
    from_status = models.CharField(max_length=20, choices=EnrolmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=EnrolmentStatus.choices, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    transferred_to = models.CharField("transferred to", max_length=200, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey("portfolio.Person", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["enrolment", "-changed_at"], name="enrolment_change_latest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on enrolment {self.enrolment_id}"
