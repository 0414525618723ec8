"""Every warning the importer gives, each from a small text cut short or broken as PDFs are."""

import pytest

from standards.importing.detect import parse
from tests.standards.import_texts.care import CARE
from tests.standards.import_texts.housing import HOUSING

CRITERION_2 = "- 2 you review the support with the customer"
KNOWLEDGE_B = "- (b) how to refer customers to other services"


def before(text: str, words: str) -> str:
    return text[: text.index(words)]


def test_no_knowledge_section():
    unit = parse(before(HOUSING, "Knowledge and understanding"))
    assert "no knowledge and understanding section found" in unit.warnings
    assert (unit.complete, unit.missing, len(unit.criteria)) == (False, ["knowledge and understanding"], 2)


def test_a_knowledge_heading_with_nothing_under_it():
    unit = parse(before(HOUSING, "- (a)"))
    assert unit.warnings == ['no knowledge and understanding items found under "Knowledge and understanding"']
    assert not unit.complete


def test_no_performance_criteria():
    text = HOUSING.replace("- 1 you agree with the customer the support they need\n", "").replace(CRITERION_2, "")
    unit = parse(text)
    assert unit.warnings == ["no performance criteria found"]
    assert (unit.complete, unit.missing) == (False, ["performance criteria"])


def test_an_item_with_no_text_named_by_the_units_reference():
    assert "H3 26.2 has no text" in parse(HOUSING.replace(CRITERION_2, "- 2")).warnings
    assert "H3 26 K(b) has no text" in parse(HOUSING.replace(KNOWLEDGE_B, "- (b)")).warnings
    care = CARE.replace("2. you seek support when you cannot meet the individual's wishes", "2.")
    assert parse(care).warnings == ["HSC24b.2 has no text"]


def test_numbering_jumps():
    unit = parse(HOUSING.replace(CRITERION_2, CRITERION_2.replace("- 2", "- 3")))
    assert unit.warnings == ["numbering jumps from 1 to 3 in the performance criteria"]
    assert [c.ref for c in unit.criteria] == ["H3 26.1", "H3 26.3"]
    unit = parse(HOUSING.replace(KNOWLEDGE_B + "\n", ""))
    assert unit.warnings == ["numbering jumps from (a) to (c) in the knowledge and understanding"]
    unit = parse(CARE.replace("2. you seek support", "3. you seek support"))
    assert unit.warnings == ["numbering jumps from 1 to 3 in the performance criteria of HSC24b"]


def test_numbering_that_does_not_start_at_one():
    unit = parse(HOUSING.replace("- 1 you agree", "- 2 you agree").replace(CRITERION_2, CRITERION_2.replace("2", "3")))
    assert unit.warnings == ["numbering starts at 2, not at 1, in the performance criteria"]


def test_a_number_appearing_twice():
    unit = parse(HOUSING.replace(CRITERION_2, f"{CRITERION_2}\n- 2 you record the review"))
    assert unit.warnings == ["H3 26.2 appears twice; the second is left out: you record the review"]
    assert [c.text for c in unit.criteria][-1] == "you review the support with the customer"


SUMMARY = "This unit is for those who help customers keep their homes."
EARLIER = "This unit is for those who help customers keep their homes, following their organisation's procedures."


@pytest.mark.parametrize(
    "cut_after",
    [
        "- (c) the your organ",  # "organisation's" is a word earlier in the text
        "- (c) the your organisation's proced",
        "- (c) the yo",
        "- (b) how to refer cust",
        "- (b) how to refer customers to other services\n- (c) the your organisation's pro-",
    ],
)
def test_text_ends_mid_word(cut_after):
    full = HOUSING.replace(SUMMARY, EARLIER)
    text = full[: full.index(cut_after[:6])] + cut_after
    assert "text ends mid-word" in parse(text).warnings


def test_whole_last_words_are_not_taken_for_a_cut():
    for ending in ("procedures", "procedure", "the organisation's procedures.", "services"):
        text = HOUSING.replace("the your organisation's procedures", f"the your {ending}")
        assert "text ends mid-word" not in parse(text).warnings, ending


def test_text_ending_on_a_word_no_sentence_ends_on():
    unit = parse(before(HOUSING, " other services\n") + "\n")
    assert unit.warnings == ['text ends mid-sentence, on "refer customers to": it may be cut short']


def test_a_list_introduced_but_not_given():
    unit = parse(before(CARE, " - human growth"))
    assert unit.warnings == ["HSC24 K3 ends with a colon but no points follow it"]


def test_an_element_without_criteria_and_an_element_missing():
    text = CARE.replace("1. you treat individuals with respect\n", "").replace(
        "2. you seek support when you cannot meet the individual's wishes\n", ""
    )
    assert "HSC24b has no performance criteria" in parse(text).warnings
    text = before(CARE, "HSC24b Treat") + CARE[CARE.index("Knowledge Specification") :]
    assert parse(text).warnings == [
        "HSC24b is in the list of elements but its performance criteria are not in the text"
    ]


def test_a_key_word_defined_twice():
    text = CARE.replace("Key people\tThose", "Individuals\tAnyone else\nKey people\tThose")
    unit = parse(text)
    assert unit.warnings == ['the key word "Individuals" is defined twice; the second definition is left out']
    assert [t.term for t in unit.key_words] == ["Individuals", "Key people"]


def test_footnotes_without_their_marker_or_text():
    unit = parse(CARE.replace("About this unit¹", "About this unit"))
    assert unit.warnings == [
        "footnote 1 is not attached to the unit's summary or values: The term 'unit' is used to refer to each "
        "separate standard"
    ]
    unit = parse(CARE.replace("¹ The term 'unit' is used to refer to each separate standard\n", ""))
    assert unit.warnings == ["footnote marker ¹ has no footnote"]


def test_words_in_no_part_of_the_unit_are_reported_not_dropped():
    unit = parse(CARE.replace("You need to show that,\n\n1. you treat", "Some stray words.\n\nYou need to show that,\n\n1. you treat"))
    assert unit.warnings == ["this text is not in any part of the unit and is left out: Some stray words."]


def test_incomplete_units_are_still_returned_with_what_they_have():
    unit = parse(before(CARE, "HSC24b Treat"))
    assert [c.ref for c in unit.criteria] == ["HSC24a.1", "HSC24a.2"]
    assert not unit.complete
    assert unit.as_json()["complete"] is False
    assert "no knowledge and understanding section found" in unit.as_json()["warnings"]
