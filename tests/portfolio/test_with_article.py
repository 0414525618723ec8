"""The article before a role's name in the product's sentences: "an assessor", and an abbreviation
as it is said, "an IQA" (never "a IQA"), "a CPD record"."""

import pytest

from portfolio.services_centre import with_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("noun", "said"),
    [
        ("candidate", "a candidate"),
        ("assessor", "an assessor"),
        ("internal quality assurer", "an internal quality assurer"),
        ("IQA", "an IQA"),
        ("EQA", "an EQA"),
        ("SVQ", "an SVQ"),
        ("NVQ", "an NVQ"),
        ("CPD record", "a CPD record"),
    ],
)
def test_the_article_is_the_one_english_says(noun, said):
    assert with_article(noun) == said
