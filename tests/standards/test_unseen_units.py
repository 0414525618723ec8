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
