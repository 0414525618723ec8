"""fixtures/standards.json holds the two published units word for word.

Every text in the fixture is checked against the published texts (copies in `published/`, byte
for byte as extracted), and every numbered line of the published lists is checked to be in the
database, so nothing is reworded, added or dropped. The parametrized tests take their ids from the
fixture file or from the published text, so a missing or extra item changes the list of tests.

Comparisons normalise whitespace only (runs of whitespace become one space). The few repairs of
extraction artefacts (a bullet split by a page break, two glossary terms on one line, an HTML list,
footnote markers) are allowed only where the published text shows that artefact.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from standards.models import (
    AwardingBodyCode,
    Criterion,
    CriterionPoint,
    Element,
    Footnote,
    KeyTerm,
    KeyTermPoint,
    KnowledgeItem,
    KnowledgePoint,
    KnowledgeSection,
    ScopeCategory,
    ScopeItem,
    Unit,
    plain,
)

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parent
FIXTURE_PATH = HERE.parents[1] / "fixtures" / "standards.json"
FIXTURE = json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))
PUBLISHED = {
    "HSC331": (HERE / "published" / "HSC331.txt").read_text(encoding="utf-8"),
    "H3 25": (HERE / "published" / "H3-25.txt").read_text(encoding="utf-8"),
}
LINES = {code: text.split("\n") for code, text in PUBLISHED.items()}

SUPERSCRIPT = {1: "\u00b9", 2: "\u00b2"}  # the footnote markers in the extracted text
LIST_BULLET = "\u2022"  # the bullets of the HTML list left inside the "Rights" definition

# How each unit prints the number before a criterion: "7. you ..." or "- 7 you ...".
CRITERION_NUMBER = {"HSC331": "{}.", "H3 25": "{}"}


def normalise(text: str) -> str:
    """Whitespace only: every run of whitespace becomes one space."""
    return " ".join(text.split())


def assert_published(text: str, unit_code: str) -> None:
    """The text occurs in the unit's published text, with its ** marking exactly as published."""
    assert text, "empty text"
    assert text == text.strip(), f"stray whitespace around {text!r}"
    assert text.count("**") % 2 == 0, f"unbalanced ** in {text!r}"
    assert normalise(text) in normalise(PUBLISHED[unit_code]), f"not published: {text!r}"
    lines = [line for line in LINES[unit_code] if normalise(text) in normalise(line)]
    if lines and not any("**" in line for line in lines):
        assert plain(text) == text, f"** added to {text!r}"


def assert_published_line(text: str, unit_code: str) -> None:
    """Some published line, less its "- " list marker, is exactly this text."""
    wanted = normalise(text)
    found = [
        line
        for line in LINES[unit_code]
        if normalise(re.sub(r"^\s*- ", "", line)) == wanted or normalise(line) == wanted
    ]
    assert found, f"no published line is exactly {text!r}"


# ------------------------------------------------------------------ the published lists


@dataclass
class Bullet:
    text: str
    after_page_break: bool  # a blank line separates it from the bullet before it


@dataclass
class Listed:
    """A numbered line of a published list, with its "- " sub-points."""

    reference: str
    label: str
    text: str
    group: str | None  # the element code or knowledge section the line stands under
    bullets: list[Bullet] = field(default_factory=list)


BULLET = re.compile(r"^\s*- (?P<text>.*)$")


def parse_list(lines, item, reference, heading=None, skip=()):
    """Numbered lines and their bullets; headings set the group; any other line is an error."""
    items, group, blank_before = [], None, False
    for line in lines:
        if not line.strip():
            blank_before = True
            continue
        if match := item.match(line):
            items.append(Listed(reference(group, match["label"]), match["label"], match["text"], group))
        elif match := BULLET.match(line):
            after_break = blank_before and bool(items[-1].bullets)
            items[-1].bullets.append(Bullet(match["text"], after_break))
        elif heading and (match := heading.match(line)):
            group = match[1]
        elif line.strip() not in skip:
            raise ValueError(f"unexpected line in a published list: {line!r}")
        blank_before = False
    return items


def between(lines, first, last=None):
    start = lines.index(first) + 1
    return lines[start : lines.index(last) if last else len(lines)]


def published_criteria() -> list[Listed]:
    hsc, h3 = LINES["HSC331"], LINES["H3 25"]
    element_heading = re.compile(r"^(HSC331[a-z]) \S")
    first_element = next(i for i, line in enumerate(hsc) if element_heading.match(line))
    return [
        *parse_list(
            hsc[first_element : hsc.index("Knowledge Specification for the whole of this unit")],
            re.compile(r"^\s*(?P<label>\d+)\. (?P<text>.*)$"),
            lambda element, label: f"{element}.{label}",
            heading=element_heading,
            skip=("Performance Criteria", "You need to show that,"),
        ),
        *parse_list(
            between(h3, "You must show that:", "Knowledge and understanding"),
            re.compile(r"^- (?P<label>\d+) (?P<text>.*)$"),
            lambda _, label: f"H3 25.{label}",
        ),
    ]


def published_knowledge() -> list[Listed]:
    hsc, h3 = LINES["HSC331"], LINES["H3 25"]
    return [
        *parse_list(
            between(hsc, "You need to show that you know, understand and can apply in practice:"),
            re.compile(r"^\s*(?P<label>\d+)\. (?P<text>.*)$"),
            lambda _, label: f"HSC331 K{label}",
            heading=re.compile(r"^([A-Z][^.:]*)$"),
        ),
        *parse_list(
            between(h3, "You need to know and understand:"),
            re.compile(r"^- \((?P<label>[a-z])\) (?P<text>.*)$"),
            lambda _, label: f"H3 25 K({label})",
        ),
    ]


PUBLISHED_CRITERIA = published_criteria()
PUBLISHED_KNOWLEDGE = published_knowledge()


def page_break_pairs(unit_code: str) -> list[tuple[str, str]]:
    """Consecutive bullets of one item with a page break (a blank line) between them."""
    return [
        (before.text, after.text)
        for listed in [*PUBLISHED_CRITERIA, *PUBLISHED_KNOWLEDGE]
        if listed.reference.startswith(unit_code)
        for before, after in zip(listed.bullets, listed.bullets[1:], strict=False)
        if after.after_page_break
    ]


def single_bullets(unit_code: str) -> set[str]:
    return {
        bullet.text
        for listed in [*PUBLISHED_CRITERIA, *PUBLISHED_KNOWLEDGE]
        if listed.reference.startswith(unit_code)
        for bullet in listed.bullets
    }


def published_bullets(unit_code: str) -> set[str]:
    """Every bullet text, and every bullet rejoined with a bullet split off it by a page break."""
    return single_bullets(unit_code) | {f"{a} {b}" for a, b in page_break_pairs(unit_code)}


def assert_points_match(points: list[str], bullets: list[Bullet]) -> None:
    """The points are the published bullets in order; a bullet after a page break may continue
    the one before it (it is then one point), and nothing else is joined, added or dropped."""
    i = 0
    for point in points:
        assert i < len(bullets), f"point not published: {point!r}"
        text = bullets[i].text
        i += 1
        while (
            text != point
            and i < len(bullets)
            and bullets[i].after_page_break
            and point.startswith(f"{text} ")
        ):
            text = f"{text} {bullets[i].text}"
            i += 1
        assert text == point
    assert i == len(bullets), f"published bullets missing: {[b.text for b in bullets[i:]]}"


def published_glossary(unit_code: str) -> list[tuple[str, str]]:
    """(term or terms, definition) rows of the "Key Words and Concepts" table."""
    lines = LINES[unit_code]
    if "Key Words and Concepts" not in lines:
        return []
    rows = []
    for line in between(lines, "Key Words and Concepts"):
        if "\t" in line:
            names, definition = line.split("\t")
            rows.append((names, definition))
        elif rows:
            break
    return rows


def glossary_list(definition: str) -> list[str]:
    """The items of an HTML list left inside a definition."""
    if "<ul" not in definition:
        return []
    items = definition.split(">", 1)[1].split(LIST_BULLET)
    assert items[0] == ""
    return [item.strip() for item in items[1:]]


def glossary_text(definition: str) -> str:
    """A definition without the HTML list left inside it."""
    return definition.split(" <ul", 1)[0]


def terms_on_row(unit_code: str, names: str) -> list[KeyTerm]:
    terms = KeyTerm.objects.filter(unit__code=unit_code).order_by("position")
    return [term for term in terms if term.term == names or term.term in names.split(" ")]


def published_scope(unit_code: str) -> list[str]:
    """The lines listing each scope category's options ("Key people include: family; ...")."""
    lines = LINES[unit_code]
    if "Scope" not in lines:
        return []
    block = lines[lines.index("Scope") + 1 :]
    end = next(i for i, line in enumerate(block) if line.startswith("Your **knowledge"))
    paragraphs = [line for line in block[:end] if line.strip()]
    return paragraphs[1:]  # the first paragraph is the introduction


# ------------------------------------------------------------------ parameters from the fixture


def fixture_fields(model: str) -> list[dict]:
    return [obj["fields"] for obj in FIXTURE if obj["model"] == f"standards.{model}"]


def params(model: str, key, id_format: str):
    return [pytest.param(*key(fields), id=id_format.format(*key(fields))) for fields in fixture_fields(model)]


CRITERIA = [f["reference"] for f in fixture_fields("criterion")]
KNOWLEDGE_ITEMS = [f["reference"] for f in fixture_fields("knowledgeitem")]
SCOPE_ITEMS = [f["reference"] for f in fixture_fields("scopeitem")]
CRITERION_POINTS = params("criterionpoint", lambda f: (*f["criterion"], f["position"]), "{} #{}")
KNOWLEDGE_POINTS = params("knowledgepoint", lambda f: (*f["item"], f["position"]), "{} #{}")
KEY_TERMS = params("keyterm", lambda f: (*f["unit"], f["term"]), "{}: {}")
KEY_TERM_POINTS = params("keytermpoint", lambda f: (*f["key_term"], f["position"]), "{}: {} #{}")


@pytest.fixture(autouse=True)
def load_standards(db):
    call_command("loaddata", "standards", verbosity=0)


# ------------------------------------------------------------------ counts


def test_hsc331_counts():
    unit = Unit.objects.get(code="HSC331")
    assert unit.slug == "hsc331"
    assert unit.suite.code == "HSC"
    assert [e.code for e in unit.elements.order_by("position")] == [
        "HSC331a",
        "HSC331b",
        "HSC331c",
    ]
    assert unit.criteria.count() == 17
    assert [e.criteria.count() for e in unit.elements.order_by("position")] == [4, 6, 7]
    assert not unit.criteria.filter(element=None).exists()
    assert unit.knowledge_items.count() == 17
    sections = unit.knowledge_sections.order_by("position")
    assert [(s.position, s.title, s.items.count()) for s in sections] == [
        (1, "Values", 4),
        (2, "Legislation and organisational policy and procedures", 4),
        (3, "Theory and practice", 9),
    ]
    assert [k.label for k in unit.knowledge_items.order_by("position")] == [str(n) for n in range(1, 18)]
    assert unit.scope_categories.count() == 5
    assert unit.key_terms.count() == 9
    assert not unit.awarding_body_codes.exists()


def test_h3_25_counts():
    unit = Unit.objects.get(code="H3 25")
    assert unit.slug == "h3-25"
    assert unit.suite.code == "HOUSING"
    assert unit.elements.count() == 0
    assert unit.criteria.count() == 12
    assert not unit.criteria.exclude(element=None).exists()
    items = unit.knowledge_items.order_by("position")
    assert [k.label for k in items] == list("abcdefghijklmnopqrs")
    assert not items.exclude(section=None).exists()
    assert unit.knowledge_sections.count() == 0
    assert unit.scope_categories.count() == 0
    assert unit.key_terms.count() == 0
    assert [(c.awarding_body, c.code) for c in unit.awarding_body_codes.all()] == [("SQA", "F7E5 04")]


def test_every_fixture_object_is_one_row():
    models = apps.get_app_config("standards").get_models()
    assert sum(model.objects.count() for model in models) == len(FIXTURE)


def test_positions_run_from_one_in_published_order():
    for code in PUBLISHED:
        criteria = Criterion.objects.filter(unit__code=code).order_by("position")
        assert [c.position for c in criteria] == list(range(1, criteria.count() + 1))
        assert [c.reference for c in criteria] == [
            c.reference for c in PUBLISHED_CRITERIA if c.reference.startswith(code)
        ]
        items = KnowledgeItem.objects.filter(unit__code=code).order_by("position")
        assert [k.position for k in items] == list(range(1, items.count() + 1))
        assert [k.reference for k in items] == [
            k.reference for k in PUBLISHED_KNOWLEDGE if k.reference.startswith(code)
        ]
        terms = KeyTerm.objects.filter(unit__code=code).order_by("position")
        assert [t.position for t in terms] == list(range(1, terms.count() + 1))
    for model in (CriterionPoint, KnowledgePoint, KeyTermPoint, ScopeItem):
        parent = {
            CriterionPoint: "criterion",
            KnowledgePoint: "item",
            KeyTermPoint: "key_term",
            ScopeItem: "category",
        }[model]
        by_parent: dict[int, list[int]] = {}
        for parent_id, position in model.objects.values_list(f"{parent}_id", "position"):
            by_parent.setdefault(parent_id, []).append(position)
        for positions in by_parent.values():
            assert sorted(positions) == list(range(1, len(positions) + 1))


# ------------------------------------------------------------------ word for word, per item


@pytest.mark.parametrize("reference", CRITERIA)
def test_criterion_is_published_word_for_word(reference):
    criterion = Criterion.objects.get(reference=reference)
    code = criterion.unit.code
    assert_published(criterion.text, code)
    numbered = f"{CRITERION_NUMBER[code].format(criterion.number)} {criterion.text}"
    assert normalise(numbered) in normalise(PUBLISHED[code])
    assert_published_line(numbered, code)
    expected = (
        f"{criterion.element.code}.{criterion.number}"
        if criterion.element
        else (f"{code}.{criterion.number}")
    )
    assert criterion.reference == expected
    if criterion.element:
        assert criterion.element.unit == criterion.unit


@pytest.mark.parametrize(("reference", "position"), CRITERION_POINTS)
def test_criterion_point_is_published_word_for_word(reference, position):
    point = CriterionPoint.objects.get_by_natural_key(reference, position)
    code = point.criterion.unit.code
    assert_published(point.text, code)
    assert_published_line(point.text, code)
    assert point.text in published_bullets(code)


@pytest.mark.parametrize("reference", KNOWLEDGE_ITEMS)
def test_knowledge_item_is_published_word_for_word(reference):
    item = KnowledgeItem.objects.get(reference=reference)
    code = item.unit.code
    assert_published(item.text, code)
    labelled = f"{item.display_label} {item.text}"
    assert normalise(labelled) in normalise(PUBLISHED[code])
    assert_published_line(labelled, code)
    expected = f"{code} K{item.label}" if item.label.isdigit() else f"{code} K({item.label})"
    assert item.reference == expected
    if item.section:
        assert item.section.unit == item.unit


@pytest.mark.parametrize(("reference", "position"), KNOWLEDGE_POINTS)
def test_knowledge_point_is_published_word_for_word(reference, position):
    point = KnowledgePoint.objects.get_by_natural_key(reference, position)
    code = point.item.unit.code
    assert point.text in published_bullets(code)
    if point.text in single_bullets(code):
        assert_published(point.text, code)
        assert_published_line(point.text, code)
    else:
        # Rejoined across a page break: each half is a published bullet line.
        ((before, after),) = [pair for pair in page_break_pairs(code) if f"{pair[0]} {pair[1]}" == point.text]
        assert_published_line(before, code)
        assert_published_line(after, code)


@pytest.mark.parametrize("reference", SCOPE_ITEMS)
def test_scope_item_is_published_word_for_word(reference):
    item = ScopeItem.objects.get(reference=reference)
    category = item.category
    code = category.unit.code
    assert_published(item.text, code)
    assert reference == f"{code} S{category.position}.{item.position}"
    (line,) = [line for line in published_scope(code) if line.startswith(f"{category.lead} ")]
    options = line[len(category.lead) + 1 :]
    assert options.endswith(".")
    assert options[:-1].split("; ")[item.position - 1] == item.text


@pytest.mark.parametrize(("unit_code", "term"), KEY_TERMS)
def test_key_term_definition_is_published_word_for_word(unit_code, term):
    key_term = KeyTerm.objects.get_by_natural_key(unit_code, term)
    assert_published(key_term.term, unit_code)
    assert_published(key_term.definition, unit_code)
    rows = [
        (names, definition)
        for names, definition in published_glossary(unit_code)
        if key_term in terms_on_row(unit_code, names)
    ]
    assert len(rows) == 1, f"{term!r} is on {len(rows)} glossary rows"
    ((names, definition),) = rows
    sharing = terms_on_row(unit_code, names)
    # Terms the extraction ran together share one row; their definitions, in order, are its text.
    assert " ".join(t.term for t in sharing) == names
    assert " ".join(t.definition for t in sharing) == glossary_text(definition)


@pytest.mark.parametrize(("unit_code", "term", "position"), KEY_TERM_POINTS)
def test_key_term_point_is_published_word_for_word(unit_code, term, position):
    point = KeyTermPoint.objects.get_by_natural_key(unit_code, term, position)
    assert_published(point.text, unit_code)
    assert not set(point.text) & {"<", ">", LIST_BULLET}
    (definition,) = [d for names, d in published_glossary(unit_code) if term in names.split(" ")]
    assert glossary_list(definition)[position - 1] == point.text


# ------------------------------------------------------------------ the converse: nothing dropped


@pytest.mark.parametrize("listed", PUBLISHED_CRITERIA, ids=lambda listed: listed.reference)
def test_every_published_criterion_is_in_the_database(listed):
    criterion = Criterion.objects.get(reference=listed.reference)
    assert criterion.text == listed.text
    assert str(criterion.number) == listed.label
    assert (criterion.element.code if criterion.element else None) == listed.group
    points = list(criterion.points.order_by("position").values_list("text", flat=True))
    assert_points_match(points, listed.bullets)


@pytest.mark.parametrize("listed", PUBLISHED_KNOWLEDGE, ids=lambda listed: listed.reference)
def test_every_published_knowledge_item_is_in_the_database(listed):
    item = KnowledgeItem.objects.get(reference=listed.reference)
    assert item.text == listed.text
    assert item.label == listed.label
    assert (item.section.title if item.section else None) == listed.group
    points = list(item.points.order_by("position").values_list("text", flat=True))
    assert_points_match(points, listed.bullets)


@pytest.mark.parametrize("unit_code", list(PUBLISHED))
def test_no_criterion_or_knowledge_item_beyond_the_published_lists(unit_code):
    assert set(Criterion.objects.filter(unit__code=unit_code).values_list("reference", flat=True)) == {
        c.reference for c in PUBLISHED_CRITERIA if c.reference.startswith(unit_code)
    }
    assert set(KnowledgeItem.objects.filter(unit__code=unit_code).values_list("reference", flat=True)) == {
        k.reference for k in PUBLISHED_KNOWLEDGE if k.reference.startswith(unit_code)
    }


@pytest.mark.parametrize("unit_code", list(PUBLISHED))
def test_every_published_scope_option_is_in_the_database(unit_code):
    lines = published_scope(unit_code)
    categories = ScopeCategory.objects.filter(unit__code=unit_code).order_by("position")
    assert categories.count() == len(lines)
    for category, line in zip(categories, lines, strict=True):
        assert line.startswith(f"{category.lead} ")
        assert category.lead.startswith(category.name)
        options = line[len(category.lead) + 1 :].removesuffix(".").split("; ")
        assert list(category.items.order_by("position").values_list("text", flat=True)) == options


@pytest.mark.parametrize("unit_code", list(PUBLISHED))
def test_every_published_key_term_is_in_the_database(unit_code):
    rows = published_glossary(unit_code)
    on_rows = [term for names, _ in rows for term in terms_on_row(unit_code, names)]
    assert on_rows == list(KeyTerm.objects.filter(unit__code=unit_code).order_by("position"))
    for names, definition in rows:
        assert " ".join(t.term for t in terms_on_row(unit_code, names)) == names
        listed = glossary_list(definition)
        points = KeyTermPoint.objects.filter(key_term__unit__code=unit_code, key_term__term=names)
        assert list(points.order_by("position").values_list("text", flat=True)) == listed


# ------------------------------------------------------------------ the unit's own texts


UNIT_PARAGRAPHS = ["about", "scope_intro", "scope_note", "key_words_intro", "knowledge_intro"]
UNIT_LINES = ["about_heading", "values_heading", "criteria_lead", "knowledge_heading",
              "knowledge_lead"]  # fmt: skip


@pytest.mark.parametrize("unit_code", list(PUBLISHED))
def test_unit_texts_are_published_word_for_word(unit_code):
    unit = Unit.objects.get(code=unit_code)
    lines = LINES[unit_code]
    assert any(line.startswith(f"{unit.code} {unit.title}") for line in lines)
    assert unit.about, "every unit has a summary"
    for name in UNIT_PARAGRAPHS:
        paragraphs = [p for p in getattr(unit, name).split("\n\n") if p]
        for paragraph in paragraphs:
            assert paragraph in lines, f"{name}: {paragraph!r} is not a published paragraph"
        if len(paragraphs) > 1:
            at = [lines.index(p) for p in paragraphs]
            assert at == list(range(at[0], at[0] + 2 * len(at), 2)), f"{name}: not consecutive"
    unmarked = [line.rstrip("".join(SUPERSCRIPT.values())) for line in lines]
    for name in UNIT_LINES:
        value = getattr(unit, name)
        if value:
            assert value in unmarked, f"{name}: {value!r} is not a published line"


def test_values_statement_is_joined_across_the_page_break():
    unit = Unit.objects.get(code="HSC331")
    statement = unit.values_statement
    assert not set(statement) & set(SUPERSCRIPT.values())
    assert statement.endswith(
        "you have applied the principles of care outlined in unit HSC35 in your practice and "
        "through your knowledge."
    )
    lines = LINES["HSC331"]
    body = [line for line in lines if not line.startswith(tuple(SUPERSCRIPT.values()))]
    text = normalise("\n".join(body))
    for marker in SUPERSCRIPT.values():
        text = text.replace(marker, "")
    assert normalise(statement) in text
    assert lines[lines.index(unit.values_heading) + 2].replace(SUPERSCRIPT[2], "") in statement
    assert Unit.objects.get(code="H3 25").values_statement == ""


def test_footnotes():
    footnotes = Footnote.objects.filter(unit__code="HSC331").order_by("number")
    assert [(f.number, f.part, f.anchor) for f in footnotes] == [
        (1, "about_heading", ""),
        (2, "values_statement", "key purpose statement"),
    ]
    unit = Unit.objects.get(code="HSC331")
    lines = LINES["HSC331"]
    for footnote in footnotes:
        marker = SUPERSCRIPT[footnote.number]
        assert f"{marker} {footnote.text}" in lines
        part = getattr(unit, footnote.part)
        assert marker not in part
        if footnote.anchor:
            assert footnote.anchor in part
            assert f"{footnote.anchor}{marker}" in PUBLISHED["HSC331"]
        else:
            assert f"{part}{marker}" in lines
    assert footnotes[1].text.count('"') == 2
    published_notes = [line for line in lines if line.startswith(tuple(SUPERSCRIPT.values()))]
    assert len(published_notes) == Footnote.objects.count()
    assert not Footnote.objects.filter(unit__code="H3 25").exists()


# ------------------------------------------------------------------ the repairs


def test_danger_and_harm_are_two_terms():
    terms = {t.term: t.definition for t in KeyTerm.objects.filter(unit__code="HSC331")}
    assert "Danger Harm" not in terms
    assert terms["Danger"] == "The possibility of harm and abuse happening"
    assert terms["Harm"] == (
        "The effects of an individual being physically, emotionally or sexually injured or abused"
    )
    danger, harm = KeyTerm.objects.get(term="Danger"), KeyTerm.objects.get(term="Harm")
    assert harm.position == danger.position + 1


def test_rights_has_nine_points_in_order():
    rights = KeyTerm.objects.get(unit__code="HSC331", term="Rights")
    assert rights.definition == "The rights that individuals have to:"
    points = list(rights.points.order_by("position").values_list("text", flat=True))
    ((_, published),) = [row for row in published_glossary("HSC331") if row[0] == "Rights"]
    assert points == glossary_list(published)
    assert len(points) == 9
    assert points[0] == "be respected"
    assert points[-1] == "communicate using their preferred methods of communication and language"
    assert all("<" not in p and LIST_BULLET not in p and not p.startswith("-") for p in points)


def test_k11_bullet_is_rejoined_across_the_page_break():
    item = KnowledgeItem.objects.get(reference="HSC331 K11")
    points = list(item.points.order_by("position").values_list("text", flat=True))
    assert points == [
        "aspects of human growth and development and how these can affect and be affected by "
        "access to social networks and relationships",
        "identity, self-esteem and self image and how this can be affected by access to social "
        "networks and relationships",
    ]
    (listed,) = [k for k in PUBLISHED_KNOWLEDGE if k.reference == "HSC331 K11"]
    assert len(listed.bullets) == 3 and listed.bullets[1].after_page_break
    assert points[0] == f"{listed.bullets[0].text} {listed.bullets[1].text}"
    # The only point anywhere that joins two published bullets.
    single = single_bullets("HSC331") | single_bullets("H3 25")
    joined = [
        p
        for model in (CriterionPoint, KnowledgePoint)
        for p in model.objects.values_list("text", flat=True)
        if p not in single
    ]
    assert joined == [points[0]]
    assert KnowledgeItem.objects.get(reference="HSC331 K6").points.count() == 6
    assert KnowledgeItem.objects.get(reference="HSC331 K16").points.count() == 4


def test_published_typos_survive():
    assert "consistent with the your role," in Criterion.objects.get(reference="H3 25.7").text
    assert "respect the individuals wishes" in Criterion.objects.get(reference="HSC331b.3").text


def test_bold_marking_is_kept():
    assert Criterion.objects.get(reference="HSC331a.1").text == (
        "you support **individuals** to identify and communicate:"
    )
    assert "**rights**" in KnowledgeItem.objects.get(reference="HSC331 K1").text
    assert "**active support**" in KnowledgeItem.objects.get(reference="HSC331 K2").text
    assert Unit.objects.get(code="HSC331").scope_note.startswith(
        "Your **knowledge and understanding** for this unit"
    )


# ------------------------------------------------------------------ natural keys and references


def snapshot() -> dict[str, list]:
    return {
        model._meta.label: sorted((obj.pk, obj.natural_key()) for obj in model._default_manager.all())  # type: ignore[attr-defined]  # every standards model has one
        for model in apps.get_app_config("standards").get_models()
    }


def test_fixture_uses_natural_keys_only():
    for obj in FIXTURE:
        assert "pk" not in obj, obj
        model = apps.get_model(obj["model"])
        for name, value in obj["fields"].items():
            if model._meta.get_field(name).is_relation:
                assert value is None or isinstance(value, list), (obj["model"], name, value)


def test_loading_again_changes_nothing():
    before = snapshot()
    criterion_pk = Criterion.objects.get(reference="HSC331a.1").pk
    call_command("loaddata", "standards", verbosity=0)
    assert snapshot() == before
    assert Criterion.objects.get(reference="HSC331a.1").pk == criterion_pk
    # Qualifications are the catalogue's, added in the admin (or by load_demo_qualification), not by the fixture.
    assert all(
        rows for label, rows in before.items()
        if label != "standards.AwardingBodyCode" and not label.startswith("standards.Qualification")
    )


def test_stable_references():
    assert Criterion.objects.get(reference="H3 25.7").number == 7
    assert KnowledgeItem.objects.get(reference="HSC331 K11").label == "11"
    assert KnowledgeItem.objects.get(reference="H3 25 K(c)").label == "c"
    assert ScopeItem.objects.get(reference="HSC331 S4.2").text == "friends"
    assert Element.objects.get_by_natural_key("HSC331b").position == 2
    assert KnowledgeSection.objects.get_by_natural_key("HSC331", 3).title == "Theory and practice"
    assert AwardingBodyCode.objects.get_by_natural_key("H3 25", "SQA").code == "F7E5 04"
