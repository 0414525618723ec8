"""National Occupational Standards as published: suites, units and everything a unit holds.

Texts are stored word for word as published. Words the standard marks as defined (bold in the
published text) keep their `**...**` marking, so the page can link them to the scope category or
key word they refer to; `plain()` gives the words alone.

Every criterion, knowledge item and scope item carries a stable `reference` ("HSC331a.1",
"H3 25.7", "HSC331 K11", "H3 25 K(c)", "HSC331 S4.2") that is also its natural key: fixtures load
by it, and portfolio records that point at a criterion survive a reload of the standards.
"""

import re

from django.db import models

from .natural_keys import NaturalKey, NaturalKeyManager, loads_after

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain(text: str) -> str:
    """The published words without the defined-term marking."""
    return _BOLD.sub(r"\1", text)


class Suite(models.Model):
    """A suite of standards, such as the Health and Social Care NOS."""

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)

    objects = NaturalKeyManager()
    natural_key_fields = ("code",)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> NaturalKey:
        return (self.code,)


class Unit(models.Model):
    """One standard: the unit a candidate is registered on and signed off against."""

    suite = models.ForeignKey(Suite, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(max_length=20, unique=True, help_text='As published, e.g. "H3 25".')
    slug = models.SlugField(max_length=20, unique=True, help_text="The code as it appears in URLs.")
    title = models.CharField(max_length=300)
    about_heading = models.CharField(max_length=100, default="About this unit")
    about = models.TextField(blank=True)
    scope_intro = models.TextField(blank=True)
    scope_note = models.TextField(
        blank=True, help_text="The paragraph after the scope categories, where there is one."
    )
    values_heading = models.CharField(max_length=200, blank=True)
    values_statement = models.TextField(blank=True)
    key_words_intro = models.TextField(blank=True)
    criteria_lead = models.CharField(
        max_length=200, blank=True, help_text='The words before the criteria, e.g. "You must show that:".'
    )
    knowledge_heading = models.CharField(max_length=200, default="Knowledge and understanding")
    knowledge_intro = models.TextField(blank=True)
    knowledge_lead = models.CharField(max_length=200, blank=True)

    objects = NaturalKeyManager()
    natural_key_fields = ("code",)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @loads_after("standards.suite")
    def natural_key(self) -> NaturalKey:
        return (self.code,)


class AwardingBodyCode(models.Model):
    """The code an awarding body gives the unit, such as SQA's F7E5 04 for H3 25."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="awarding_body_codes")
    awarding_body = models.CharField(max_length=50)
    code = models.CharField(max_length=50)

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "awarding_body")

    class Meta:
        ordering = ["awarding_body"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "awarding_body"], name="one_code_per_body"),
        ]

    def __str__(self) -> str:
        return f"{self.awarding_body} {self.code}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (self.unit.code, self.awarding_body)


class Element(models.Model):
    """An element of competence (HSC331a). Units such as H3 25 have none."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("code",)

    class Meta:
        ordering = ["unit", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (self.code,)


class Criterion(models.Model):
    """A performance criterion: one thing the candidate must be seen to do."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="criteria")
    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria"
    )
    reference = models.CharField(max_length=40, unique=True)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    position = models.PositiveSmallIntegerField(help_text="Order within the unit.")

    objects = NaturalKeyManager()
    natural_key_fields = ("reference",)

    class Meta:
        ordering = ["unit", "position"]
        verbose_name = "performance criterion"
        verbose_name_plural = "performance criteria"

    def __str__(self) -> str:
        return f"{self.reference} {plain(self.text)}"

    @loads_after("standards.element")
    def natural_key(self) -> NaturalKey:
        return (self.reference,)


class KnowledgeSection(models.Model):
    """A heading in the knowledge specification, such as "Values"."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="knowledge_sections")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "position")

    class Meta:
        ordering = ["unit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "position"], name="one_section_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.title}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (self.unit.code, self.position)


class KnowledgeItem(models.Model):
    """Something the candidate must know and understand: HSC331 K11, H3 25 K(c)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="knowledge_items")
    section = models.ForeignKey(
        KnowledgeSection, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    reference = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=10, help_text='As numbered in the unit: "11" or "c".')
    text = models.TextField()
    position = models.PositiveSmallIntegerField(help_text="Order within the unit.")

    objects = NaturalKeyManager()
    natural_key_fields = ("reference",)

    class Meta:
        ordering = ["unit", "position"]

    def __str__(self) -> str:
        return f"{self.reference} {plain(self.text)}"

    @loads_after("standards.knowledgesection")
    def natural_key(self) -> NaturalKey:
        return (self.reference,)

    @property
    def display_label(self) -> str:
        """The label as the unit prints it: "11." or "(c)"."""
        return f"{self.label}." if self.label.isdigit() else f"({self.label})"


class ScopeCategory(models.Model):
    """A category of the scope (range), such as "Key people"."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="scope_categories")
    name = models.CharField(max_length=100, help_text='The term defined, e.g. "Key people".')
    lead = models.CharField(max_length=200, help_text='As published, e.g. "Key people include:".')
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "position")

    class Meta:
        ordering = ["unit", "position"]
        verbose_name_plural = "scope categories"
        constraints = [
            models.UniqueConstraint(fields=["unit", "position"], name="one_scope_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.name}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (self.unit.code, self.position)


class ScopeItem(models.Model):
    """One situation the evidence may need to cover: "Key people include: ... friends"."""

    category = models.ForeignKey(ScopeCategory, on_delete=models.CASCADE, related_name="items")
    reference = models.CharField(max_length=40, unique=True)
    text = models.TextField()
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("reference",)

    class Meta:
        ordering = ["category", "position"]

    def __str__(self) -> str:
        return f"{self.reference} {self.text}"

    @loads_after("standards.scopecategory")
    def natural_key(self) -> NaturalKey:
        return (self.reference,)


class KeyTerm(models.Model):
    """A key word or concept the unit defines, such as "Key people"."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="key_terms")
    term = models.CharField(max_length=100)
    definition = models.TextField(help_text="The definition, or the words before its list.")
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "term")

    class Meta:
        ordering = ["unit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "term"], name="one_definition_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.term}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (self.unit.code, self.term)


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
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="points")

    objects = NaturalKeyManager()
    natural_key_fields = ("criterion__reference", "position")

    class Meta(Point.Meta):
        constraints = [
            models.UniqueConstraint(fields=["criterion", "position"], name="criterion_point_order"),
        ]

    @loads_after("standards.criterion")
    def natural_key(self) -> NaturalKey:
        return (self.criterion.reference, self.position)


class KnowledgePoint(Point):
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="points")

    objects = NaturalKeyManager()
    natural_key_fields = ("item__reference", "position")

    class Meta(Point.Meta):
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="knowledge_point_order"),
        ]

    @loads_after("standards.knowledgeitem")
    def natural_key(self) -> NaturalKey:
        return (self.item.reference, self.position)


class KeyTermPoint(Point):
    key_term = models.ForeignKey(KeyTerm, on_delete=models.CASCADE, related_name="points")

    objects = NaturalKeyManager()
    natural_key_fields = ("key_term__unit__code", "key_term__term", "position")

    class Meta(Point.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key_term", "position"], name="key_term_point_order"),
        ]

    @loads_after("standards.keyterm")
    def natural_key(self) -> NaturalKey:
        return (self.key_term.unit.code, self.key_term.term, self.position)


class Footnote(models.Model):
    """A footnote, attached after the words it follows in one part of the unit's text."""

    class Part(models.TextChoices):
        ABOUT_HEADING = "about_heading", "the heading of the unit's summary"
        ABOUT = "about", "the unit's summary"
        VALUES = "values_statement", "the values statement"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=30, choices=Part.choices)
    anchor = models.CharField(
        max_length=200, blank=True, help_text="The words the marker follows; blank: the end of the part."
    )
    text = models.TextField()

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "number")

    class Meta:
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="one_footnote_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} footnote {self.number}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (self.unit.code, self.number)


# Qualifications group units; kept in their own module for length, models of this app all the same.
from .qualification_models import Qualification as Qualification  # noqa: E402
from .qualification_models import QualificationGroup as QualificationGroup  # noqa: E402
from .qualification_models import QualificationUnit as QualificationUnit  # noqa: E402
