"""Messages shown as sentences (the checking page's findings): a capital first letter, one full stop,
a quoted file name left as it was written (found by an outside tester: “Text.pdf”, “was signed..”)."""

import pytest

from portfolio.templatetags.portfolio_extras import sentence

# tests/portfolio/conftest.py gives every test here its evidence folder, which needs the database.
pytestmark = pytest.mark.django_db


def test_a_message_becomes_one_sentence():
    assert sentence("the seal is broken") == "The seal is broken."


def test_a_message_that_already_ends_a_sentence_gets_no_second_full_stop():
    assert sentence("fe99069e… was signed.") == "Fe99069e… was signed."
    assert sentence("see the cover…") == "See the cover…"


def test_a_quoted_file_name_keeps_its_case_and_trailing_space_is_dropped():
    assert sentence("“text.pdf” is neither a PDF nor a ZIP ") == "“text.pdf” is neither a PDF nor a ZIP."


def test_a_message_opening_with_a_file_path_or_name_keeps_its_case():
    """An outside trial: the checking page wrote "Fay-jones-8/evidence/…" and "Manifest.json"."""
    assert sentence("fay-jones-8/evidence/e1-photo.jpg cannot be read back from the ZIP") == (
        "fay-jones-8/evidence/e1-photo.jpg cannot be read back from the ZIP."
    )
    assert sentence("manifest.json lists units/a.pdf but the ZIP does not hold it") == (
        "manifest.json lists units/a.pdf but the ZIP does not hold it."
    )
    assert sentence("e2 and e3 changed") == "E2 and e3 changed."
