"""The parts of a unit's text around its criteria and knowledge: key words and their definitions,
sub-points, footnotes. Models of the standards app as much as those in `models.py` (which imports
them); kept apart for length.

Natural keys name the unit by its code and version: references and terms repeat from one version
of a unit to the next.
"""

import re

from django.db import models

from .natural_keys import NaturalKey, NaturalKeyManager, loads_after

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain(text: str) -> str:
    """The published words without the defined-term marking."""
    return _BOLD.sub(r"\1", text)


class KeyTerm(models.Model):
    """A key word or concept the unit defines, such as "Key people"."""

    unit = models.ForeignKey("standards.Unit", on_delete=models.CASCADE, related_name="key_terms")
    term = models.CharField(max_length=100)
    definition = models.TextField(help_text="The definition, or the words before its list.")
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "unit__version", "term")

    class Meta:
        ordering = ["unit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "term"], name="one_definition_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.term}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (self.unit.code, self.unit.version, self.term)


class Point(models.Model):
    """A sub-point of a criterion, knowledge item or definition, in published order."""

    text = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return plain(self.text)


class CriterionPoint(Point):
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.CASCADE, related_name="points")

    objects = NaturalKeyManager()
    natural_key_fields = ("criterion__unit__code", "criterion__unit__version", "criterion__reference", "position")

    class Meta(Point.Meta):
        constraints = [
            models.UniqueConstraint(fields=["criterion", "position"], name="criterion_point_order"),
        ]

    @loads_after("standards.criterion")
    def natural_key(self) -> NaturalKey:
        return (*self.criterion.natural_key(), self.position)


class KnowledgePoint(Point):
    item = models.ForeignKey("standards.KnowledgeItem", on_delete=models.CASCADE, related_name="points")

    objects = NaturalKeyManager()
    natural_key_fields = ("item__unit__code", "item__unit__version", "item__reference", "position")

    class Meta(Point.Meta):
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="knowledge_point_order"),
        ]

    @loads_after("standards.knowledgeitem")
    def natural_key(self) -> NaturalKey:
        return (*self.item.natural_key(), self.position)


class KeyTermPoint(Point):
    key_term = models.ForeignKey(KeyTerm, on_delete=models.CASCADE, related_name="points")

    objects = NaturalKeyManager()
    natural_key_fields = ("key_term__unit__code", "key_term__unit__version", "key_term__term", "position")

    class Meta(Point.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key_term", "position"], name="key_term_point_order"),
        ]

    @loads_after("standards.keyterm")
    def natural_key(self) -> NaturalKey:
        return (*self.key_term.natural_key(), self.position)


class Footnote(models.Model):
    """A footnote, attached after the words it follows in one part of the unit's text."""

    class Part(models.TextChoices):
        ABOUT_HEADING = "about_heading", "the heading of the unit's summary"
        ABOUT = "about", "the unit's summary"
        VALUES = "values_statement", "the values statement"

    unit = models.ForeignKey("standards.Unit", on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=30, choices=Part.choices)
    anchor = models.CharField(
        max_length=200, blank=True, help_text="The words the marker follows; blank: the end of the part."
    )
    text = models.TextField()

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "unit__version", "number")

    class Meta:
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="one_footnote_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} footnote {self.number}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (self.unit.code, self.unit.version, self.number)
