"""The standards catalogue as a visitor sees it: the unit list, search, and a unit's page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import load_standards

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def standards():
    load_standards()


def test_it_lists_both_units(client):
    page = client.get("/standards/").content.decode()
    assert "HSC331" in page and "Support individuals to develop and maintain social networks" in page
    assert "H3 25" in page and "Work within appropriate boundaries with customers" in page


@pytest.mark.parametrize(
    ("query", "finds", "misses"),
    [
        ("boundaries", "H3 25", "HSC331"),
        ("hsc331", "HSC331", "H3 25"),
        ("H3 25", "H3 25", "HSC331"),
        ("h325", "H3 25", "HSC331"),
        ("social networks", "HSC331", "H3 25"),
    ],
)
def test_it_searches_by_code_or_title_words(client, query, finds, misses):
    page = client.get("/standards/", {"q": query}).content.decode()
    assert f'<span class="ref me-2">{finds}</span>' in page
    assert f'<span class="ref me-2">{misses}</span>' not in page


def test_it_says_when_nothing_matches(client):
    page = client.get("/standards/", {"q": "plumbing"}).content.decode()
    assert "No unit matches “plumbing”" in page


@pytest.mark.parametrize("address", ["/standards/HSC331/", "/standards/H3%2025/", "/standards/H3-25/"])
def test_it_redirects_other_spellings_of_a_code_to_one_address(client, address):
    response = client.get(address)
    assert response.status_code == 301
    assert response["Location"] in ("/standards/hsc331/", "/standards/h3-25/")


def test_it_404s_for_an_unknown_unit(client):
    assert client.get("/standards/hsc999/").status_code == 404


def test_the_unit_page_shows_h3_25_without_invented_elements(client):
    page = client.get("/standards/h3-25/").content.decode()
    assert "SQA unit code F7E5 04" in page
    assert "Elements of competence" not in page
    assert "you negotiate the frequency and method of your contact with customers consistent with the your role" in page
    assert "H3 25 K(o)" in page and "how customers can develop dependency on the relationship" in page


def test_the_unit_page_shows_elements_criteria_and_sub_points(client):
    page = client.get("/standards/hsc331/").content.decode()
    for element in ("HSC331a", "HSC331b", "HSC331c"):
        assert f'id="{element.lower()}"' in page
    assert "the social networks they want to maintain, restore and withdraw from" in page
    assert "Knowledge Specification for the whole of this unit" in page
    assert "Legislation and organisational policy and procedures" in page


def test_bold_words_become_definitions_that_a_button_opens(client):
    page = client.get("/standards/hsc331/").content.decode()
    assert 'class="defined-term" data-definition="definition-term-key-people"' in page
    assert '<template id="definition-term-key-people" data-title="Key people">' in page
    # "Key people" is a key word and a scope category: its definition shows both.
    template = page.split('<template id="definition-term-key-people"')[1].split("</template>")[0]
    assert "key to an individual" in template and "Key people include:" in template
    # Emphasis that defines nothing is plain bold, not a button.
    assert "<strong>knowledge and understanding</strong>" in page


def test_footnote_markers_link_to_their_footnotes(client):
    page = client.get("/standards/hsc331/").content.decode()
    assert 'href="#footnote-2" id="footnote-ref-2"' in page
    statement = page.split('id="values"')[1]
    assert statement.index("key purpose statement") < statement.index('href="#footnote-2"')
    assert 'id="footnote-1"' in page and "each separate standard within the NOS suite" in page


def test_candidate_text_cannot_inject_markup(client):
    from standards.models import Criterion

    Criterion.objects.filter(reference="H3 25.1").update(text="<script>alert(1)</script> **customer**")
    page = client.get("/standards/h3-25/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_unit_page_costs_the_same_queries_however_long_the_unit(client):
    from standards.models import Criterion, CriterionPoint, Unit

    before = _queries(client, "/standards/hsc331/")
    unit = Unit.objects.get(code="HSC331")
    element = unit.elements.last()
    for number in range(8, 40):
        criterion = Criterion.objects.create(
            unit=unit, element=element, reference=f"HSC331c.{number}", number=number,
            text=f"an extra criterion {number}", position=100 + number,
        )
        CriterionPoint.objects.create(criterion=criterion, text="a sub-point", position=1)
    assert "an extra criterion 39" in client.get("/standards/hsc331/").content.decode()
    assert _queries(client, "/standards/hsc331/") == before
