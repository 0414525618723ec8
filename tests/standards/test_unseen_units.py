"""Units the project had not seen (an outside tester's), in every layout and form: clean text,
PDFs at four font sizes, text as `pdftotext` gives it, and texts cut short (issue 14)."""

import pytest

from standards.importing.glossary import GlossaryReader
from tests.standards.unseen import differences, expected, parsed

SIZES = ["", "_fs8.5", "_fs11", "_fs12.5"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("stem", ["HSC24", "DK9X04_HSC41"])
def test_a_2004_glossary_from_a_pdf_keeps_each_term_apart_at_every_font_size(stem, size):
    """The two-column table comes out as "Term definition" on one line: "Danger" must not swallow
    "Individuals ...", nor "Systems" the terms before it."""
    unit = parsed(f"{stem}{size}.pdf")
    assert [(t.term, t.definition) for t in unit.key_words] == [
        (t["term"], t["definition"]) for t in expected(stem)["key_words"]
    ]
    assert differences(stem, unit) == []


def test_a_glossary_term_starts_a_line_only_after_a_definition_ended():
    """A wrapped definition whose next line starts with capitals ("Health and Safety ...") carries
    on; a word the unit does not use elsewhere is not a term; the words stay as published."""
    text = (
        "you follow the Health and Safety at Work Act and keep Records of each risk.\n"
        "Risk assessment is done by key people."
    )
    lines = [
        "Key people Are those people who follow the rules in line with the",
        "Health and Safety at Work Act 1974",
        "Records The notes you keep, on paper or",
        "Electronic systems",
        "Zebra Crossing A word the unit does not use",
    ]
    intro, terms = GlossaryReader([], "\n".join([text, *lines])).read(lines)
    assert [(t.term, t.definition) for t in terms] == [
        ("Key people", "Are those people who follow the rules in line with the Health and Safety at Work Act 1974"),
        ("Records", "The notes you keep, on paper or Electronic systems Zebra Crossing A word the unit does not use"),
    ]
    assert intro == []


@pytest.mark.parametrize("name", ["H3_26_fs8.5.pdf", "H3_26.pdf", "H3_26_fs11.pdf", "H3_26_fs12.5.pdf"])
def test_a_pdf_of_one_page_or_two_loses_its_header_and_footer(name):
    """With one page nothing repeats; the footer is still the unit's own code, title and page."""
    unit = parsed(name)
    assert unit.knowledge[-1].text == "how to refer customers to other agencies and follow up referrals"
    assert differences("H3_26", unit) == []
    assert unit.suite_title == "Housing National Occupational Standards"


@pytest.mark.parametrize("stem", ["H3_26", "SFHCHS2", "SCDHSC0024", "HSC24", "DK9X04_HSC41"])
def test_text_copied_from_a_pdf_loses_the_units_own_headers_and_footers(stem):
    unit = parsed(f"{stem}_pdftotext.txt")
    texts = [c.text for c in unit.criteria] + [p for c in unit.criteria for p in c.sub_points]
    texts += [k.text for k in unit.knowledge] + [p for k in unit.knowledge for p in k.sub_points]
    assert not [text for text in texts if "Page " in text or "approved" in text or text.endswith((" 2", " 3"))]
    assert not [w for w in unit.warnings if "not in any part of the unit" in w]
    # HSC24 and HSC41's pdftotext text writes "wellbeing" where the table divided "well-" / "being":
    # kept as the text gives it; SCDHSC0024's stacked headings put "Agencies" under the glossary (warned).
    allowed = {"HSC24": 1, "DK9X04_HSC41": 1, "SCDHSC0024": 1}.get(stem, 0)
    assert len(differences(stem, unit)) == allowed


def test_criteria_a_pdfs_columns_put_after_the_knowledge_heading_are_read_as_criteria():
    """pdftotext gives "Knowledge and understanding" (the left column) before P9 and P10."""
    unit = parsed("SCDHSC0024_pdftotext.txt")
    assert [c.ref for c in unit.criteria][-2:] == ["SCDHSC0024 P9", "SCDHSC0024 P10"]
    assert unit.criteria[-1].text == "seek support for yourself when you have been involved in responding to harm or abuse"
    assert unit.knowledge_sections[0] == "Rights"
    assert (unit.metadata["Original URN"], unit.metadata["SOC Code"]) == ("SCDHSC0024", "6145")
    assert any('nothing is under the heading "Values"' in w for w in unit.warnings)
    sfh = parsed("SFHCHS2_pdftotext.txt")
    assert [c.ref for c in sfh.criteria][3:] == ["SFHCHS2 P4", "SFHCHS2 P5", "SFHCHS2 P6"]
    assert {k.section for k in sfh.knowledge} == {""}


def test_lines_before_the_first_knowledge_group_of_the_current_layout_are_warned_about():
    from standards.importing.detect import parse

    text = (
        "SCDHSC0099\nHelp people\nOverview\nThis standard is about helping.\nPerformance criteria\n"
        "You must be able to:\nP1 help\nKnowledge and understanding\nwords the columns left here\n"
        "Rights\nYou need to know and understand:\nK1 how\nDeveloped by\nSkills for Care\n"
    )
    unit = parse(text)
    assert "this line is not in any part of the unit and is left out: words the columns left here" in unit.warnings
    assert unit.knowledge_sections == ["Rights"]


def test_only_the_units_own_header_lines_are_furniture():
    from standards.importing.furniture import is_furniture
    from standards.importing.parsed import HOUSING, ParsedUnit

    unit = ParsedUnit("H3 26", "Develop and maintain effective working relationships", HOUSING)
    unit.awarding_body_codes["SQA"] = "F7E6 04"
    assert is_furniture("H3 26 Develop and maintain effective working relationships Page 1 of 1", unit)
    assert is_furniture("SQA Unit Code F7E6 04", unit)
    assert is_furniture("Page 3 of 6", unit)
    assert is_furniture("H3 26 Final version approved April 2004", unit)
    assert not is_furniture("working relationships", unit)
    assert not is_furniture("H3 26 Develop and maintain effective working relationships with customers", unit)
    assert not is_furniture("SQA Unit Code F7E6 05", unit)


@pytest.mark.parametrize(
    ("name", "gap"),
    [
        ("HSC24_cut_midword.txt", "text ends mid-word"),
        ("SCDHSC0024_cut_midword.txt", "text ends mid-word"),
        ("HSC24_cut_midlist.txt", "the text ends inside the list of HSC24 K9's points: it appears cut short after HSC24 K9"),
        ("SCDHSC0024_first2pages.pdf", "no details table found (Developed by, Version Number, Date Approved, ...): "
         "the text may be cut short"),
        ("SCDHSC0024_gapP5.txt", "numbering jumps from P4 to P6"),
        ("H3_26_gap_d.txt", "numbering jumps from (c) to (e) in the knowledge and understanding"),
        ("SCDHSC0024_dupK6.txt", "K6 appears twice; the second is left out"),
        ("HSC24_first4pages.pdf", "no knowledge and understanding section found"),
    ],
)  # fmt: skip
def test_a_text_that_may_have_lost_words_is_incomplete(name, gap):
    unit = parsed(name)
    assert gap in unit.warnings and gap in unit.gaps
    assert unit.complete is False
    assert all(isinstance(w, str) for w in unit.as_json()["warnings"])


@pytest.mark.parametrize("name", ["HSC24.txt", "HSC24_fs11.pdf", "SCDHSC0024.txt", "H3_26.pdf", "SFHCHS2_fs8.5.pdf"])
def test_a_whole_unit_is_complete(name):
    assert parsed(name).complete is True


def test_warnings_to_check_do_not_make_a_unit_incomplete():
    unit = parsed("SFHCHS2.txt")
    assert unit.warnings == ["this standard is marked Legacy: a newer standard has replaced it"]
    assert (unit.gaps, unit.complete) == ([], True)
    pasted = parsed("SCDHSC0024_pdftotext.txt")
    assert pasted.warnings and pasted.complete  # headings with nothing under them: words placed, not lost


def test_a_current_unit_without_its_details_table_is_incomplete_its_validity_left_as_current():
    """Version and validity are unknown without the table: "v1 · Current" is shown, and the unit
    is marked incomplete, so the page says so beside it."""
    unit = parsed("SCDHSC0024_first2pages.pdf")
    assert (unit.version, unit.validity, unit.metadata) == ("1", "current", {})
    assert unit.complete is False
    assert unit.gaps == ["no details table found (Developed by, Version Number, Date Approved, ...): the text may be cut short"]
