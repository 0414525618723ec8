"""The current Skills for Care layout (issue 14 items 1 and 2): a clean text, the same words as
PDF extraction gives them, texts cut short, and every warning a person reads before importing."""

from pathlib import Path

import pytest

from standards.importing.current_layout import looks_current, parse_current
from standards.importing.parsed import CURRENT
from tests.standards.current_texts import CLEAN, FROM_PDF

PUBLISHED = Path(__file__).resolve().parent / "published"


def _unit(criteria: str, knowledge: str = "K1 the limits of your own competence") -> str:
    """A small unit: the criteria and knowledge lines given, the rest as published."""
    return (
        "SCDHSC0099\nSupport people at work\nOverview\nThis standard is about support.\n"
        f"Performance criteria\nSupporting people\nYou must be able to:\n{criteria}\n"
        f"Knowledge and understanding\nRights\nYou need to know and understand:\n{knowledge}\n"
        "Developed by Skills for Care\nVersion Number 1\nValidity Current\n"
    )


def _numbered(numbers, letter="P") -> str:
    return "\n".join(f"{letter}{n} do the thing numbered {n}" for n in numbers)


def test_it_reads_every_part_of_a_clean_text():
    unit = parse_current(CLEAN)
    assert (unit.code, unit.title, unit.layout) == (
        "SCDHSC0041",
        "Maintain safety and security practices in health and social care",
        CURRENT,
    )
    assert unit.warnings == [] and unit.complete
    assert unit.about.startswith("This standard identifies the requirements when you maintain")
    assert unit.about.endswith(
        "\n\nUsers of this standard will need to ensure that practice reflects up to date information and policies."
    )
    assert [c.ref for c in unit.criteria] == [f"SCDHSC0041 P{n}" for n in range(1, 8)]
    assert {c.element for c in unit.criteria} == {None}
    assert unit.criteria[2].text == "challenge and confirm the right of entry of people to the work setting"
    assert [c.group for c in unit.criteria] == ["Maintaining a safe and secure environment"] * 4 + [
        "Responding to accidents and incidents"
    ] * 3
    assert unit.criteria_lead == "You must be able to:"
    assert unit.knowledge_lead == "You need to know and understand:"
    assert [k.ref for k in unit.knowledge][-1] == "SCDHSC0041 K7"
    assert unit.knowledge_sections == ["Rights", "Your responsibilities", "Theory and practice"]
    k5 = unit.knowledge[4]
    assert (k5.label, k5.section) == ("5", "Your responsibilities")
    assert k5.text == "the procedures for reporting concerns about safety and security, including:"
    assert k5.sub_points == ["hazards in the work setting", "faulty equipment"]


def test_it_reads_scope_values_behaviours_glossary_links_and_details():
    unit = parse_current(CLEAN)
    assert [(s.category, s.lead, s.related_to) for s in unit.scope] == [
        ("Hazards", "Hazards", "performance criteria"),
        ("Accidents", "Accidents may be due to:", "performance criteria"),
        ("Legislation", "Legislation may include:", "knowledge"),
    ]
    assert [(i.ref, i.text) for i in unit.scope[1].items] == [
        ("SCDHSC0041 S2.1", "falls"),
        ("SCDHSC0041 S2.2", "hazards in the environment"),
        ("SCDHSC0041 S2.3", "illness"),
        ("SCDHSC0041 S2.4", "frailty"),
    ]
    assert unit.scope_intro.startswith("The details in this field are explanatory statements of scope")
    assert (
        unit.knowledge_scope_intro
        == "All knowledge statements must be applied in the context of this standard."
    )
    assert unit.values == [
        "Adhere to and embed the values and behaviours set out in the codes of conduct for your sector."
    ]
    assert unit.behaviours == ["being open and honest", "treating people with dignity"]
    assert [(t.term, t.definition) for t in unit.key_words] == [
        ("Hazard", "is anything that could cause harm"),
        ("Individual", "is the person you support or care for in your work"),
        ("Others", "are your colleagues, visitors and the individual's key people"),
    ]
    assert unit.links == [
        "This standard links with SCDHSC0022 Support the health and safety of yourself and individuals."
    ]
    assert unit.metadata == {
        "Developed by": "Skills for Care",
        "Version Number": "3",
        "Date Approved": "March 2021",
        "Indicative Review Date": "March 2026",
        "Validity": "Current",
        "Status": "Original",
        "Originating Organisation": "Skills for Care",
        "Original URN": "SCDHSC0041",
        "Relevant Occupations": "Health and Social Care; Care Workers; Senior Care Workers",
        "Suite": "Health and Social Care",
        "Keywords": "safety; security; hazards; accidents; incidents",
        "SOC Code": "6145",
    }


def test_the_text_a_pdf_gives_reads_as_the_clean_text():
    """Numbers before statements, footers and headers mid-list, split headings, divided words."""
    clean, messy = parse_current(CLEAN), parse_current(FROM_PDF)
    assert messy.as_json() == clean.as_json()
    assert [c.group for c in messy.criteria] == [c.group for c in clean.criteria]
    assert (messy.about, messy.scope_intro, messy.values, messy.links) == (
        clean.about,
        clean.scope_intro,
        clean.values,
        clean.links,
    )
    assert messy.criteria[1].text == (
        "identify hazards and risks in the work setting and report them in line with organisational procedures"
    )
    assert messy.criteria[6].text.endswith("in a person-centred way")


def test_numbers_before_statements_are_matched_by_where_lines_end():
    text = _unit(
        "P1\nP2\nP3\nagree with the individual how they want to be supported, taking account of\n"
        "their wishes\nrecord the support given\nreport any concerns about the individual's safety and wellbeing to the\n"
        "person in charge"
    )
    unit = parse_current(text)
    assert [c.text for c in unit.criteria] == [
        "agree with the individual how they want to be supported, taking account of their wishes",
        "record the support given",
        "report any concerns about the individual's safety and wellbeing to the person in charge",
    ]
    assert unit.warnings == []


def test_when_line_lengths_cannot_tell_the_statements_apart_it_says_so():
    unit = parse_current(_unit("P1\nP2\nwork safely\nask for help\nwhen needed"))
    assert (
        "P1 to P2: the numbers came before the statements, and where each statement ends was read from the line lengths; check them"
        in unit.warnings
    )


def test_page_headers_and_footers_inside_a_list_are_taken_out():
    text = _unit(
        "P1 work within your own level of\nSCDHSC0099 Support people at work 2\ncompetence\n"
        "Page 3 of 7\nP2 ask for help\nSCDHSC0099\nSupport people\nat work\nwhen needed"
    )
    unit = parse_current(text)
    assert [c.text for c in unit.criteria] == [
        "work within your own level of competence",
        "ask for help when needed",
    ]


def test_a_word_divided_at_a_line_end_is_whole_only_where_the_text_shows_it():
    text = _unit(
        "P1 follow organisational procedures\nP2 follow organisa-\ntional policies\n"
        "P3 give well-\nbeing support\nP4 keep main-\ntenance logs"
    )
    unit = parse_current(text)
    assert [c.text for c in unit.criteria] == [
        "follow organisational procedures",
        "follow organisational policies",
        "give well-being support",
        "keep maintenance logs",
    ]
    assert unit.warnings == [
        "words divided at the end of a line were read as whole words: maintenance (main-tenance); "
        "check them against the published standard"
    ]


def test_words_stay_as_published_typos_included():
    unit = parse_current(_unit("P1 negotiate with the your manager  the the support"))
    assert unit.criteria[0].text == "negotiate with the your manager the the support"


def test_a_text_cut_short_mid_word():
    cut = CLEAN[: CLEAN.index("K7 why it is important to rec") + len("K7 why it is important to rec")]
    unit = parse_current(cut)
    assert "text ends mid-word" in unit.warnings
    assert unit.knowledge[-1].text == "why it is important to rec"
    assert any(w.startswith("no details table found") for w in unit.warnings)


def test_a_text_cut_short_on_a_whole_word_does_not_say_mid_word():
    cut = CLEAN[: CLEAN.index("Additional Information")]
    assert "text ends mid-word" not in parse_current(cut).warnings


def test_a_text_without_knowledge_is_incomplete():
    cut = CLEAN[: CLEAN.index("Knowledge and understanding")]
    unit = parse_current(cut)
    assert "no knowledge and understanding section found" in unit.warnings
    assert unit.missing == ["knowledge and understanding"] and not unit.as_json()["complete"]
    assert len(unit.criteria) == 7


def test_a_text_without_criteria_is_incomplete():
    unit = parse_current(CLEAN[: CLEAN.index("Performance criteria")])
    assert unit.warnings[0] == "no performance criteria found"
    assert "no knowledge and understanding section found" in unit.warnings
    assert unit.missing == ["performance criteria", "knowledge and understanding"]


@pytest.mark.parametrize(
    ("criteria", "warning"),
    [
        (_numbered([*range(1, 10), 11]), "numbering jumps from P9 to P11"),
        (_numbered(range(1, 10)) + "\nP10\nP11 do one more thing", "P10 has no text"),
        (_numbered([1, 2, 3, 3, 4]), "P3 appears twice; the second is left out"),
        (_numbered([2, 3]), "numbering starts at P2, not P1"),
        (_numbered([1, 3, 2]), "P2 comes after P3"),
    ],
)
def test_every_numbering_warning(criteria, warning):
    assert warning in parse_current(_unit(criteria)).warnings


def test_knowledge_numbering_is_checked_too():
    unit = parse_current(_unit("P1 work safely", _numbered([1, 2, 4], "K")))
    assert "numbering jumps from K2 to K4" in unit.warnings
    assert [k.ref for k in unit.knowledge] == ["SCDHSC0099 K1", "SCDHSC0099 K2", "SCDHSC0099 K4"]


def test_a_repeated_number_keeps_the_first():
    unit = parse_current(_unit("P1 first\nP1 second"))
    assert [(c.ref, c.text) for c in unit.criteria] == [("SCDHSC0099 P1", "first")]


def test_a_legacy_standard_says_so():
    unit = parse_current(CLEAN.replace("Validity Current", "Validity Legacy"))
    assert unit.metadata["Validity"] == "Legacy"
    assert "this standard is marked Legacy: a newer standard has replaced it" in unit.warnings


def test_a_knowledge_sub_heading_named_like_a_later_section_stays_a_sub_heading():
    unit = parse_current(
        _unit(
            "P1 work safely", "K1 know the law\nValues\nYou need to know and understand:\nK2 know the values"
        )
    )
    assert [(k.ref, k.section) for k in unit.knowledge] == [
        ("SCDHSC0099 K1", "Rights"),
        ("SCDHSC0099 K2", "Values"),
    ]
    assert unit.values == []


def test_it_recognises_its_layout_and_not_the_others():
    assert looks_current(CLEAN) and looks_current(FROM_PDF)
    assert not looks_current((PUBLISHED / "HSC331.txt").read_text())
    assert not looks_current((PUBLISHED / "H3-25.txt").read_text())


def test_text_copied_from_the_web_page_reads_too():
    """The UK Standards page: the title, then "URN:" and other labelled lines; items numbered "P1."."""
    unit = parse_current(
        "Maintain health, safety and security practices within a health setting\nURN: SFHGEN96\n"
        "Developed by: Skills for Health\nApproved on: 30 Mar 2021\nOverview\nThis standard is about safety.\n"
        "Performance criteria\nYou must be able to:\nP1. identify hazards\nP2. minimise risk\n"
        "Knowledge and understanding\nYou need to know and understand:\nK1. the legislation relevant to your work\n"
    )
    assert (unit.code, unit.title) == (
        "SFHGEN96",
        "Maintain health, safety and security practices within a health setting",
    )
    assert [(c.ref, c.text) for c in unit.criteria] == [
        ("SFHGEN96 P1", "identify hazards"),
        ("SFHGEN96 P2", "minimise risk"),
    ]
    assert unit.metadata == {
        "URN": "SFHGEN96",
        "Developed by": "Skills for Health",
        "Approved on": "30 Mar 2021",
    }
