"""An IQA's sampling plan for one centre and twelve months: each assessor's risk rating, which sets
the share of their units to sample at the interim and summative stages, the assessment methods and
locations to cover (the CAMERA headings), and the units to sample before they are claimed.

What the plan asks and what has been done against it is worked out in `assessments.sampling_plan`."""

import datetime

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from portfolio.models import Centre, Enrolment, Person


class RiskRating(models.TextChoices):
    NEW = "new", "New"
    IN_DEVELOPMENT = "in_development", "In development"
    EXPERIENCED = "experienced", "Experienced"
    UNDER_SUPPORT = "under_support", "Under support"


# The share of an assessor's units sampled at each rating, unless the plan says otherwise: a new
# assessor's every unit, as awarding bodies expect, and an assessor under support's.
DEFAULT_SHARES: dict[str, int] = {
    RiskRating.NEW: 100,
    RiskRating.IN_DEVELOPMENT: 50,
    RiskRating.EXPERIENCED: 20,
    RiskRating.UNDER_SUPPORT: 100,
}


class SampleStages(models.TextChoices):
    """When the units in an assessor's share are sampled."""

    BOTH = "both", "Interim and summative"
    SUMMATIVE = "summative", "Summative only (signed-off units)"
    INTERIM = "interim", "Interim only (decisions on units in progress)"


def _percent(verbose_name: str, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, default=default, validators=[MaxValueValidator(100)])


class SamplingPlan(models.Model):
    iqa = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sampling_plans")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="sampling_plans")
    period_start = models.DateField("plan starts")
    period_end = models.DateField("plan ends")
    share_new = _percent("share of a new assessor's units", DEFAULT_SHARES[RiskRating.NEW])
    share_in_development = _percent(
        "share of an assessor in development's units", DEFAULT_SHARES[RiskRating.IN_DEVELOPMENT]
    )
    share_experienced = _percent("share of an experienced assessor's units", DEFAULT_SHARES[RiskRating.EXPERIENCED])
    share_under_support = _percent(
        "share of an assessor under support's units", DEFAULT_SHARES[RiskRating.UNDER_SUPPORT]
    )
    # AssessmentMethod values, in that enumeration's order.
    methods = models.JSONField(default=list, blank=True)
    locations = models.TextField("assessment locations", blank=True, help_text="One a line.")
    # Units to sample before they are claimed (besides every unit of an assessor whose row says so).
    must_sample = models.ManyToManyField(Enrolment, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["iqa", "centre", "period_start"], name="one_plan_per_iqa_centre_start"),
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")), name="plan_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.iqa}’s sampling plan at {self.centre}"

    def share_of(self, rating: str) -> int:
        return int(getattr(self, f"share_{rating}"))

    @property
    def location_list(self) -> list[str]:
        return list(dict.fromkeys(line.strip() for line in self.locations.splitlines() if line.strip()))

    def covers(self, day: datetime.date) -> bool:
        return self.period_start <= day <= self.period_end


class AssessorRating(models.Model):
    """One assessor's risk rating in a plan: when it was given and why, and any share that differs
    from the plan's share for the rating."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="ratings")
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField("risk rating", max_length=20, choices=RiskRating.choices)
    rated_on = models.DateField("rated on")
    reason = models.TextField(blank=True)
    share = models.PositiveSmallIntegerField(
        "share to sample (per cent)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    stages = models.CharField("sampled at", max_length=20, choices=SampleStages.choices, default=SampleStages.BOTH)
    sample_before_claim = models.BooleanField("every unit sampled before it is claimed", default=False)

    class Meta:
        ordering = ["assessor__last_name", "assessor__first_name"]
        constraints = [models.UniqueConstraint(fields=["plan", "assessor"], name="one_rating_per_assessor_per_plan")]

    def __str__(self) -> str:
        return f"{self.assessor}: {self.get_rating_display()}"
