"""The standing decisions counted as they are made (`assessments.met_counts` keeps them): the
progress report's summary is of every unit at the centre, and counting the decisions afresh on each
request read the whole centre twice (docs/performance.md)."""

from django.db import models

from portfolio.models import Centre, Enrolment
from standards.models import Criterion


class EnrolmentMet(models.Model):
    """How many of the unit's criteria and knowledge items have a standing decision: the `met` of
    the unit's RAG status. No row: none has (a row is made with the enrolment's first decision)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, primary_key=True, related_name="met_count")
    met = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.met} met on {self.enrolment}"


class CriterionMet(models.Model):
    """How many of the centre's enrolments have a standing decision on the criterion, whatever the
    enrolment's status or its candidate's: progress by element takes away those the report leaves
    out (few, counted live), rather than counting the many it keeps."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    met = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "criterion"], name="one_met_count_per_criterion")]

    def __str__(self) -> str:
        return f"{self.met} met on {self.criterion_id} at {self.centre_id}"
