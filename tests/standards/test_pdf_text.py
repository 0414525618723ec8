"""A standard's PDF read as text (issue 14 items 4 and 9): PDFs made here with WeasyPrint (a real
text layer, real page breaks and footers) read back word for word, and each PDF that cannot be a
standard's text refused with words the person who uploaded it can act on."""

import io

import pypdf
import pytest

from standards.importing.current_layout import parse_current
from standards.importing.pdf_text import UnreadablePdf, extract_text, strip_page_furniture
from tests.standards.current_pdf import image_only_pdf, standard_pdf
from tests.standards.current_texts import CLEAN


@pytest.fixture(scope="module")
def published_pdf():
    return standard_pdf(CLEAN)


def test_a_pdf_round_trips_word_for_word(published_pdf):
    assert len(pypdf.PdfReader(io.BytesIO(published_pdf)).pages) > 1
    from_pdf, clean = parse_current(extract_text(io.BytesIO(published_pdf))), parse_current(CLEAN)
    assert from_pdf.as_json() == clean.as_json()
    assert from_pdf.warnings == []
    assert [c.group for c in from_pdf.criteria] == [c.group for c in clean.criteria]
    assert (from_pdf.values, from_pdf.behaviours, from_pdf.links, from_pdf.scope_intro) == (
        clean.values,
        clean.behaviours,
        clean.links,
        clean.scope_intro,
    )
    # The text layer does not show where the Overview's paragraphs part; its words are all there.
    assert from_pdf.about.split() == clean.about.split()


def test_the_pages_footers_are_gone(published_pdf):
    text = extract_text(io.BytesIO(published_pdf))
    assert "Page 1 of" not in text and "Page 2 of" not in text
    assert text.splitlines()[:2] == ["SCDHSC0041", "Maintain safety and"]
    assert "SCDHSC0041 Maintain safety and security practices in health and social care" not in text


def test_a_pdf_with_words_divided_by_the_printer_reads_whole_words():
    from_pdf = parse_current(extract_text(io.BytesIO(standard_pdf(CLEAN, hyphenate=True))))
    clean = parse_current(CLEAN)
    assert {**from_pdf.as_json(), "warnings": []} == clean.as_json()
    (warning,) = from_pdf.warnings
    assert warning.startswith("words divided at the end of a line were read as whole words: ")
    assert "responsibility (responsib-ility)" in warning


def test_it_reads_a_path_as_well_as_a_file(tmp_path, published_pdf):
    path = tmp_path / "SCDHSC0041.pdf"
    path.write_bytes(published_pdf)
    assert extract_text(path) == extract_text(str(path)) == extract_text(io.BytesIO(published_pdf))


def test_lines_repeated_on_most_pages_go_and_the_title_block_stays():
    pages = [
        "SCDHSC0041\nMaintain safety\nOverview\nThis standard is about safety.\nSCDHSC0041 Maintain safety 1\nPage 1 of 3",
        "SCDHSC0041\nMaintain safety\nP1 work safely\nSCDHSC0041 Maintain safety 2\nPage 2 of 3",
        "SCDHSC0041\nMaintain safety\nP2 ask for help\nSCDHSC0041 Maintain safety 3\nPage 3 of 3",
    ]
    assert strip_page_furniture(pages).splitlines() == [
        "SCDHSC0041",
        "Maintain safety",
        "Overview",
        "This standard is about safety.",
        "P1 work safely",
        "P2 ask for help",
    ]


def test_a_line_on_only_some_pages_stays():
    pages = ["Overview\nAbout it\n1", "Hazards\nspillages\n2", "Hazards\nfalls\n3", "Values\nbe kind\n4"]
    assert strip_page_furniture(pages).splitlines() == [
        "Overview",
        "About it",
        "Hazards",
        "spillages",
        "Hazards",
        "falls",
        "Values",
        "be kind",
    ]


def _refused(content: bytes) -> str:
    with pytest.raises(UnreadablePdf) as refused:
        extract_text(io.BytesIO(content))
    return str(refused.value)


def test_a_file_that_is_not_a_pdf_is_refused():
    assert _refused(b"SCDHSC0041 Maintain safety\nP1 work safely") == (
        "This file is not a PDF. Upload the standard's PDF, or paste its text."
    )


def test_a_damaged_pdf_is_refused():
    assert _refused(b"%PDF-1.7\nnot really a pdf at all").startswith(
        "This PDF could not be read: it may be damaged."
    )


def test_a_password_protected_pdf_is_refused(published_pdf):
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(published_pdf))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert _refused(out.getvalue()).startswith(
        "This PDF is protected by a password, so its text cannot be read."
    )


def test_a_pdf_restricted_only_by_its_owner_is_read(published_pdf):
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(published_pdf))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert parse_current(extract_text(out)).as_json() == parse_current(CLEAN).as_json()


def test_a_pdf_over_a_hundred_pages_is_refused():
    writer = pypdf.PdfWriter()
    for _ in range(101):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    assert _refused(out.getvalue()).startswith("This PDF has 101 pages; a standard has at most 100.")


def test_an_image_only_pdf_is_refused_and_says_why():
    assert _refused(image_only_pdf()).startswith(
        "This PDF has no text in it: its pages are pictures (a scan, perhaps)"
    )
