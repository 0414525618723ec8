"""Reading the standards: finding units and gathering a unit's whole structure for display."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils.text import slugify

from .models import (
    Criterion,
    Element,
    KeyTerm,
    KnowledgeItem,
    KnowledgeSection,
    ScopeCategory,
    Unit,
)


def units_matching(query: str) -> QuerySet[Unit]:
    """Units whose code or title holds every word of the query ("boundaries", "h3 25", "hsc 331")."""
    units = Unit.objects.select_related("suite").annotate(
        criterion_count=Count("criteria", distinct=True),
        knowledge_count=Count("knowledge_items", distinct=True),
        element_count=Count("elements", distinct=True),
    )
    words = query.split()
    compact = "".join(words)
    if not words:
        return units
    by_words = Q()
    for word in words:
        by_words &= Q(code__icontains=word) | Q(title__icontains=word)
    # "H325" or "hsc 331" should still find the unit by its code.
    by_code = Q(compact_code__icontains=compact)
    return units.annotate(compact_code=Replace("code", Value(" "), Value(""))).filter(by_words | by_code)


def unit_by_code(code: str) -> Unit | None:
    """The unit named by a URL: its slug ("h3-25", "hsc331-v2") or its code as printed ("H3 25"). A
    code names the version whose slug it is, the first imported: the address it always had."""
    units = Unit.objects.select_related("suite")
    return (
        units.filter(Q(slug__iexact=code) | Q(slug__iexact=slugify(code))).first()
        or units.filter(code__iexact=code).order_by("pk").first()
    )


def unit_slug(code: str, version: str) -> str:
    """The slug a new unit is given: its code's ("hsc331") for the first version of a code, with its
    version ("hsc331-v2") once another version holds that."""
    slug = slugify(code)
    if not Unit.objects.filter(slug=slug).exclude(code=code, version=version).exists():
        return slug
    return f"{slug}-v{slugify(version)}"


def other_versions(unit: Unit) -> list[Unit]:
    """The unit's other versions in the catalogue, for its page to point to."""
    return list(Unit.objects.filter(code=unit.code).exclude(pk=unit.pk).order_by("pk"))


@dataclass
class DefinedTerm:
    """A word the unit defines, as a key word, a scope category, or both."""

    name: str
    anchor: str
    key_term: KeyTerm | None = None
    scope_category: ScopeCategory | None = None


@dataclass
class UnitStructure:
    """Everything on a unit's page, fetched in a fixed number of queries."""

    unit: Unit
    elements: list[Element]
    criteria_without_element: list[Criterion]
    knowledge_sections: list[KnowledgeSection]
    knowledge_without_section: list[KnowledgeItem]
    scope_categories: list[ScopeCategory]
    key_terms: list[KeyTerm]
    footnotes: list = field(default_factory=list)
    defined_terms: dict[str, DefinedTerm] = field(default_factory=dict)

    @property
    def criteria(self) -> list[Criterion]:
        by_element = [c for element in self.elements for c in element.criteria.all()]
        return by_element + self.criteria_without_element

    @property
    def knowledge_items(self) -> list[KnowledgeItem]:
        in_sections = [i for section in self.knowledge_sections for i in section.items.all()]
        return in_sections + self.knowledge_without_section


def unit_structure(unit: Unit) -> UnitStructure:
    criteria = Criterion.objects.prefetch_related("points")
    knowledge = KnowledgeItem.objects.prefetch_related("points")
    structure = UnitStructure(
        unit=unit,
        elements=list(unit.elements.prefetch_related(Prefetch("criteria", queryset=criteria))),
        criteria_without_element=list(criteria.filter(unit=unit, element__isnull=True)),
        knowledge_sections=list(
            unit.knowledge_sections.prefetch_related(Prefetch("items", queryset=knowledge))
        ),
        knowledge_without_section=list(knowledge.filter(unit=unit, section__isnull=True)),
        scope_categories=list(unit.scope_categories.prefetch_related("items")),
        key_terms=list(unit.key_terms.prefetch_related("points")),
        footnotes=list(unit.footnotes.all()),
    )
    structure.defined_terms = _defined_terms(structure)
    return structure


def _defined_terms(structure: UnitStructure) -> dict[str, DefinedTerm]:
    """Defined words by their lower-case name, so bold words in the text can find them."""
    terms: dict[str, DefinedTerm] = {}
    for key_term in structure.key_terms:
        terms[key_term.term.lower()] = DefinedTerm(
            name=key_term.term, anchor=f"term-{slugify(key_term.term)}", key_term=key_term
        )
    for category in structure.scope_categories:
        term = terms.setdefault(
            category.name.lower(),
            DefinedTerm(name=category.name, anchor=f"scope-{slugify(category.name)}"),
        )
        term.scope_category = category
    return terms
