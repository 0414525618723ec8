"""Qualifications: an NVQ or SVQ groups units, each with its credit value, into groups with rules of
combination (all of a mandatory group; at least N units and/or N credits from an optional group) and
a credit total for the whole (DOMAIN.md, "Beyond one unit"). The rules themselves are checked in
`standards.combination`, once, for registration and for progress alike.

Units are plain foreign keys to `Unit`: a qualification names the units it is made of."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Qualification(models.Model):
    title = models.CharField(max_length=300)
    awarding_body = models.CharField(max_length=100, help_text='Who certificates it, e.g. "SQA" or "City & Guilds".')
    code = models.CharField(
        max_length=30, unique=True, help_text='The awarding body\'s code for it, e.g. the SQA group award "GJ1C 23".'
    )
    level = models.CharField(max_length=50, help_text='As the awarding body names it, e.g. "SVQ 3" or "NVQ Level 3".')
    scqf_level = models.PositiveSmallIntegerField(
        "SCQF level", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="For an SVQ: its level on the Scottish Credit and Qualifications Framework (1 to 12).",
    )
    credits = models.PositiveSmallIntegerField(
        "credits needed", default=0,
        help_text="The credit total the units must come to (1 credit is 10 notional hours); 0 if none is set.",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class QualificationGroup(models.Model):
    """A group of a qualification's units with its rule of combination: every unit of a mandatory
    group; from an optional group, at least `min_units` units and/or `min_credits` credits."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=100, help_text='As the awarding body names it, e.g. "Group A".')
    position = models.PositiveSmallIntegerField(default=0)
    mandatory = models.BooleanField(default=False, help_text="Every unit of the group must be achieved.")
    min_units = models.PositiveSmallIntegerField(
        "at least this many units", null=True, blank=True, help_text="For an optional group."
    )
    min_credits = models.PositiveSmallIntegerField(
        "at least this many credits", null=True, blank=True, help_text="For an optional group."
    )

    class Meta:
        ordering = ["qualification", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "name"], name="one_group_per_name"),
        ]

    def __str__(self) -> str:
        return f"{self.qualification.code} {self.name}"


class QualificationUnit(models.Model):
    """A unit in a group of a qualification, with the credit value the qualification gives it."""

    group = models.ForeignKey(QualificationGroup, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("standards.Unit", on_delete=models.PROTECT, related_name="qualification_places")
    credit = models.PositiveSmallIntegerField("credit value")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "unit"], name="one_place_per_unit_in_a_group"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} in {self.group} ({self.credit} credits)"
