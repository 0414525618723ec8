"""National Occupational Standards as published: suites, units and everything a unit holds.

Texts are stored word for word as published. Words the standard marks as defined (bold in the
published text) keep their `**...**` marking, so the page can link them to the scope category or
key word they refer to; `plain()` gives the words alone.

A unit is one version of a standard: its identity is its code and its version ("HSC331", "1").
Every criterion, knowledge item and scope item carries its `reference` as published ("HSC331a.1",
"H3 25.7", "HSC331 K11", "H3 25 K(c)", "HSC331 S4.2"), the same in every version of the unit: a
reference is unique within its unit, and its natural key is the unit's code and version with it.
Fixtures load by these keys, and portfolio records that point at a criterion survive a reload of
the standards.
"""

from django.db import models

from .natural_keys import NaturalKey, NaturalKeyManager, loads_after

# Kept in a module of their own for length; models of this app all the same.
from .text_models import CriterionPoint as CriterionPoint
from .text_models import Footnote as Footnote
from .text_models import KeyTerm as KeyTerm
from .text_models import KeyTermPoint as KeyTermPoint
from .text_models import KnowledgePoint as KnowledgePoint
from .text_models import plain as plain


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


# The version fixtures/standards.json ships HSC331 and H3 25 at: the demo, the benchmarks and the
# generated centres build on these.
SHIPPED_VERSION = "1"


class Validity(models.TextChoices):
    """As the UK Standards site marks a standard: a superseded one is Legacy."""

    CURRENT = "current", "Current"
    LEGACY = "legacy", "Legacy"


class Unit(models.Model):
    """One version of a standard: the unit a candidate is registered on and signed off against."""

    suite = models.ForeignKey(Suite, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(max_length=20, help_text='As published, e.g. "H3 25".')
    version = models.CharField(max_length=20, default="1", help_text='As published, e.g. "1" or "3".')
    validity = models.CharField(max_length=10, choices=Validity.choices, default=Validity.CURRENT)
    incomplete = models.BooleanField(
        default=False, help_text="Imported without its criteria or its knowledge, when the person importing confirmed it."
    )
    metadata = models.JSONField(
        default=dict, blank=True,
        help_text="The published metadata as given: status (original/tailored), date approved, indicative "
        "review date, developed by, and the rest of the table.",
    )
    slug = models.SlugField(
        max_length=40, unique=True, help_text='The unit in URLs: "hsc331" for the first version, "hsc331-v2" for later ones.'
    )
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
    knowledge_scope_intro = models.TextField(
        blank=True, help_text="Current layout: the words before the scope related to knowledge and understanding."
    )
    values = models.JSONField(default=list, blank=True, help_text="Current layout: the Values, one entry each, as published.")
    behaviours = models.JSONField(default=list, blank=True, help_text="Current layout: the Behaviours, as published.")
    links = models.JSONField(default=list, blank=True, help_text="Current layout: the Links to other NOS, as published.")

    objects = NaturalKeyManager()
    natural_key_fields = ("code", "version")

    class Meta:
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_unit_per_code_and_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @loads_after("standards.suite")
    def natural_key(self) -> NaturalKey:
        return (self.code, self.version)

    @property
    def label(self) -> str:
        """The unit with its version and validity, as lists show it: "HSC331 v1 · Legacy"."""
        return f"{self.code} v{self.version} · {self.get_validity_display()}"


class AwardingBodyCode(models.Model):
    """The code an awarding body gives the unit, such as SQA's F7E5 04 for H3 25."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="awarding_body_codes")
    awarding_body = models.CharField(max_length=50)
    code = models.CharField(max_length=50)

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "unit__version", "awarding_body")

    class Meta:
        ordering = ["awarding_body"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "awarding_body"], name="one_code_per_body"),
        ]

    def __str__(self) -> str:
        return f"{self.awarding_body} {self.code}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (*self.unit.natural_key(), self.awarding_body)


class Element(models.Model):
    """An element of competence (HSC331a). Units such as H3 25 have none."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "unit__version", "code")

    class Meta:
        ordering = ["unit", "position"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="one_element_per_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (*self.unit.natural_key(), self.code)


class Criterion(models.Model):
    """A performance criterion: one thing the candidate must be seen to do."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="criteria")
    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria"
    )
    reference = models.CharField(max_length=40)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    position = models.PositiveSmallIntegerField(help_text="Order within the unit.")
    group = models.CharField(
        max_length=300, blank=True, help_text="Current layout: the unnumbered sub-heading the criterion is under."
    )

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "unit__version", "reference")

    class Meta:
        ordering = ["unit", "position"]
        verbose_name = "performance criterion"
        verbose_name_plural = "performance criteria"
        constraints = [models.UniqueConstraint(fields=["unit", "reference"], name="one_criterion_per_reference")]

    def __str__(self) -> str:
        return f"{self.reference} {plain(self.text)}"

    @loads_after("standards.element")
    def natural_key(self) -> NaturalKey:
        return (*self.unit.natural_key(), self.reference)


class KnowledgeSection(models.Model):
    """A heading in the knowledge specification, such as "Values"."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="knowledge_sections")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "unit__version", "position")

    class Meta:
        ordering = ["unit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "position"], name="one_section_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.title}"

    @loads_after("standards.unit")
    def natural_key(self) -> NaturalKey:
        return (*self.unit.natural_key(), self.position)


class KnowledgeItem(models.Model):
    """Something the candidate must know and understand: HSC331 K11, H3 25 K(c)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="knowledge_items")
    section = models.ForeignKey(
        KnowledgeSection, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    reference = models.CharField(max_length=40)
    label = models.CharField(max_length=10, help_text='As numbered in the unit: "11" or "c".')
    text = models.TextField()
    position = models.PositiveSmallIntegerField(help_text="Order within the unit.")

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "unit__version", "reference")

    class Meta:
        ordering = ["unit", "position"]
        constraints = [models.UniqueConstraint(fields=["unit", "reference"], name="one_knowledge_item_per_reference")]

    def __str__(self) -> str:
        return f"{self.reference} {plain(self.text)}"

    @loads_after("standards.knowledgesection")
    def natural_key(self) -> NaturalKey:
        return (*self.unit.natural_key(), self.reference)

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
    related_to = models.CharField(
        max_length=30, blank=True,
        help_text='Current layout: "performance criteria" or "knowledge", the scope/range section it is in.',
    )

    objects = NaturalKeyManager()
    natural_key_fields = ("unit__code", "unit__version", "position")

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
        return (*self.unit.natural_key(), self.position)


class ScopeItem(models.Model):
    """One situation the evidence may need to cover: "Key people include: ... friends"."""

    category = models.ForeignKey(ScopeCategory, on_delete=models.CASCADE, related_name="items")
    reference = models.CharField(max_length=40)
    text = models.TextField()
    position = models.PositiveSmallIntegerField()

    objects = NaturalKeyManager()
    natural_key_fields = ("category__unit__code", "category__unit__version", "reference")

    class Meta:
        ordering = ["category", "position"]
        # A scope reference names its category ("HSC331 S4.2"), so unique in the category is unique in the unit.
        constraints = [models.UniqueConstraint(fields=["category", "reference"], name="one_scope_item_per_reference")]

    def __str__(self) -> str:
        return f"{self.reference} {self.text}"

    @loads_after("standards.scopecategory")
    def natural_key(self) -> NaturalKey:
        return (*self.category.unit.natural_key(), self.reference)


# Qualifications group units; kept in their own module for length, models of this app all the same.
from .qualification_models import Qualification as Qualification  # noqa: E402
from .qualification_models import QualificationGroup as QualificationGroup  # noqa: E402
from .qualification_models import QualificationUnit as QualificationUnit  # noqa: E402
