"""The claims page's units ready, a page at a time, each page read with the count of all in one query
(`portfolio.counted_pages.page_counted_in_its_query`, when no sampling plan holds any unit): the count,
the rows of each page, a page past the last and a page number that is none, as the administrator sees
them.

Ready to claim: Alice's H3 25 and HSC331, and Fay's H3 25, two to a page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import SignOff
from assessments.views import claims as claim_views
from tests.assessments.test_claims_mark_all import case  # noqa: F401  (the fixture: three units ready)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch):
    monkeypatch.setattr(claim_views, "READY_PER_PAGE", 2)


def _ready(client, case, query: str = "") -> str:  # noqa: F811
    client.force_login(case.grace)
    response = client.get(reverse("assessments:claim_list", args=[case.centre.pk]) + query)
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _ticked(page: str) -> list[str]:
    return re.findall(r"(Alice Adams|Fay Fox)(?: \(deactivated\))?: Unit (H3 25|HSC331)", page)


def test_each_page_says_how_many_are_ready_and_holds_its_own_units(client, case):  # noqa: F811
    first, second = _ready(client, case), _ready(client, case, "?page=2")
    assert "3 units ready, 1 to 2 on this page." in first
    assert "3 units ready, 3 to 3 on this page." in second
    assert "Mark all 3 units as claimed" in first and "Mark all 3 units as claimed" in second
    shown = _ticked(first) + _ticked(second)
    assert sorted(shown) == [("Alice Adams", "H3 25"), ("Alice Adams", "HSC331"), ("Fay Fox", "H3 25")]
    assert len(_ticked(first)) == 2


def test_a_page_past_the_last_shows_the_last_and_a_page_that_is_no_number_the_first(client, case):  # noqa: F811
    assert "3 units ready, 3 to 3 on this page." in _ready(client, case, "?page=9")
    assert "3 units ready, 1 to 2 on this page." in _ready(client, case, "?page=two")
    assert "3 units ready, 1 to 2 on this page." in _ready(client, case, "?page=0")


def test_the_units_and_their_count_are_one_query(client, case):  # noqa: F811
    client.force_login(case.grace)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("assessments:claim_list", args=[case.centre.pk]))
    ready_reads = [q["sql"] for q in captured.captured_queries if 'FROM "assessments_signoff"' in q["sql"] and "COUNT(" in q["sql"].upper()]
    assert len(ready_reads) == 1 and "OVER" in ready_reads[0].upper()


def test_with_none_ready_the_page_says_so(client, case):  # noqa: F811
    SignOff.objects.update(candidate_signed_at=None)  # nothing countersigned by the candidate: nothing ready
    page = _ready(client, case)
    assert "Nothing is ready to claim now." in page and not _ticked(page)
    assert "0 units ready" not in page  # said once, not twice
    assert "Mark all" not in page
