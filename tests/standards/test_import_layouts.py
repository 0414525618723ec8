"""Each layout from small texts written for the tests, as pasted and as a PDF gives them."""

import pytest

from standards.importing import detect
from standards.importing.detect import parse
from standards.importing.parsed import CARE_2004, CARE_2004_SQA, CURRENT, HOUSING, NotAUnit, ParsedUnit
from tests.standards.import_texts.care import CARE, CARE_FROM_PDF, SQA
from tests.standards.import_texts.housing import HOUSING as HOUSING_TEXT
from tests.standards.import_texts.housing import HOUSING_FROM_PDF


def test_care_layout_units_elements_criteria_and_sub_points():
    unit = parse(CARE)
    assert (unit.code, unit.layout, unit.complete, unit.warnings) == ("HSC24", CARE_2004, True, [])
    assert unit.title == "Ensure your own actions support the care, protection and well-being of individuals"
    assert [(e.ref, e.title) for e in unit.elements] == [
        ("HSC24a", "Relate to and support individuals in the way they choose"),
        ("HSC24b", "Treat people with respect and dignity"),
    ]
    assert [(c.ref, c.element, c.number) for c in unit.criteria] == [
        ("HSC24a.1", "HSC24a", 1), ("HSC24a.2", "HSC24a", 2), ("HSC24b.1", "HSC24b", 1), ("HSC24b.2", "HSC24b", 2),
    ]  # fmt: skip
    assert unit.criteria[0].text == "you support **individuals** to communicate:"
    assert unit.criteria[0].sub_points == ["their preferences", "their needs"]
    assert unit.criteria_lead == "You need to show that,"


def test_care_layout_knowledge_scope_glossary_and_footnote():
    unit = parse(CARE)
    assert unit.knowledge_sections == ["Values", "Theory and practice"]
    assert [(k.ref, k.label, k.section) for k in unit.knowledge] == [
        ("HSC24 K1", "1", "Values"), ("HSC24 K2", "2", "Values"), ("HSC24 K3", "3", "Theory and practice"),
        ("HSC24 K4", "4", "Theory and practice"),
    ]  # fmt: skip
    assert unit.knowledge[2].sub_points == ["human growth and development", "identity and self-esteem"]
    assert unit.knowledge_lead == "You need to show that you know, understand and can apply in practice:"
    assert unit.knowledge_intro == "Competent practice is a combination of skills and knowledge."
    assert [(s.category, s.lead, [i.ref for i in s.items]) for s in unit.scope] == [
        ("Communicate", "Communicate using:", ["HSC24 S1.1", "HSC24 S1.2", "HSC24 S1.3"]),
        ("Key people", "Key people include:", ["HSC24 S2.1", "HSC24 S2.2", "HSC24 S2.3"]),
    ]
    assert unit.scope_note == "Your **knowledge and understanding** for this unit will relate to your role."
    assert [(t.term, t.definition) for t in unit.key_words] == [
        ("Individuals", "The actual people requiring health and care services"),
        ("Key people", "Those people who are key to an individual's well-being"),
    ]
    (note,) = unit.footnotes
    assert (note.number, note.part, note.anchor) == (1, "about_heading", "")
    assert unit.about_heading == "About this unit"
    assert note.text == "The term 'unit' is used to refer to each separate standard"


def without_footnote(unit: ParsedUnit) -> ParsedUnit:
    unit.footnotes = []
    return unit


def test_care_text_from_a_pdf_gives_the_same_unit():
    """No markdown, bullets as "•" and en dashes, wrapped lines, "Performance" / "Criteria", a number
    on its own line, a word hyphenated at a line end, a glossary without tabs."""
    assert parse(CARE_FROM_PDF) == without_footnote(parse(CARE))


def test_sqa_badged_care_layout():
    unit = parse(SQA)
    assert (unit.code, unit.layout, unit.complete, unit.warnings) == ("HSC41", CARE_2004_SQA, True, [])
    assert unit.title == "Contribute to the safety and protection of individuals"
    assert unit.awarding_body_codes == {"SQA": "F5BE 04"}
    assert unit.about_heading == "About this Unit"
    assert [e.ref for e in unit.elements] == ["HSC41.1", "HSC41.2"]
    assert [(c.ref, c.element) for c in unit.criteria] == [
        ("HSC41.1.1", "HSC41.1"), ("HSC41.1.2", "HSC41.1"), ("HSC41.2.1", "HSC41.2"),
    ]  # fmt: skip
    assert unit.criteria[1].sub_points == ["to your line manager", "in the records"]
    assert [s.category for s in unit.scope] == ["Danger"]
    assert [k.ref for k in unit.knowledge] == ["HSC41 K1", "HSC41 K2"]


def test_housing_layout():
    unit = parse(HOUSING_TEXT)
    assert (unit.code, unit.layout, unit.complete, unit.warnings) == ("H3 26", HOUSING, True, [])
    assert unit.title == "Support customers to sustain their tenancy"
    assert unit.awarding_body_codes == {"SQA": "F7E6 04"}
    assert unit.suite_title == "Housing National Occupational Standards"
    assert (unit.about_heading, unit.criteria_lead) == ("Unit Summary", "You must show that:")
    assert [(c.ref, c.element, c.text) for c in unit.criteria] == [
        ("H3 26.1", None, "you agree with the customer the support they need"),
        ("H3 26.2", None, "you review the support with the customer"),
    ]
    assert [(k.ref, k.label) for k in unit.knowledge] == [("H3 26 K(a)", "a"), ("H3 26 K(b)", "b"), ("H3 26 K(c)", "c")]
    assert unit.knowledge[2].text == "the your organisation's procedures"  # as published


def test_housing_text_from_a_pdf_gives_the_same_unit():
    assert parse(HOUSING_FROM_PDF) == parse(HOUSING_TEXT)


def test_line_endings_spaces_and_tabs_are_made_regular():
    messy = CARE.replace("\n", "\r\n").replace("you treat individuals", "you\u00a0treat individuals")
    messy = messy.replace("HSC24a\tRelate", "HSC24a \t\tRelate").replace("Individuals\tThe", "Individuals\t\tThe")
    assert parse(messy) == parse(CARE)
    assert parse(messy).criteria[2].text == "you treat individuals with respect"


def test_a_hyphen_that_belongs_to_the_word_is_kept():
    text = CARE.replace("2. you respect the wishes of **key people**", "2. you respect the self-\nesteem of **key people**")
    assert parse(text).criteria[1].text == "you respect the self-esteem of **key people**"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "The text is empty"),
        ("  \n\n\t\n", "The text is empty"),
        ("Minutes of the staff meeting\n\nPresent: all staff.\n", "does not look like a National Occupational Standard"),
        ("AB12 Shopping list\n\nEggs\nMilk\n", "does not look like a National Occupational Standard"),
    ],
)
def test_not_a_unit(text, words):
    with pytest.raises(NotAUnit, match=words):
        parse(text)


def test_the_current_layout_goes_to_its_own_parser(monkeypatch):
    text = "SCDHSC0041\nMaintain safety\nOverview\nYou must be able to:\nP1 check the area\nYou need to know and understand:\nK1 the law\n"
    assert detect.layout_of(text) == CURRENT
    seen = []
    monkeypatch.setattr(
        "standards.importing.current_layout.parse_current",
        lambda text: seen.append(text) or ParsedUnit("SCDHSC0041", "Maintain safety", CURRENT),
    )
    assert parse(text).code == "SCDHSC0041"
    assert seen == [text.strip("\n")]
