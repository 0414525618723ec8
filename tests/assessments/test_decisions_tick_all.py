"""The decisions page for an assessor with many items to record: "Tick all shown" ticks every box
the filters show (an address, so it works without a script), the instructions name only buttons the
page has, and an item with no accepted evidence mapped to it says how to put that right.

Alice is the candidate, Bob her assessor (tests/assessments/unit_case.py).
"""

import re

import pytest

from assessments.models import Decision
from tests.assessments.test_decisions import decisions_url, item_html, key, post_record
from tests.assessments.unit_case import accepted_evidence, build_case, submitted_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


def _page(client, case, query: str = "") -> str:
    client.force_login(case.bob)
    response = client.get(decisions_url(case) + query)
    assert response.status_code == 200
    return response.content.decode()


def _ticked(page: str) -> set[str]:
    return set(re.findall(r'name="cite-([a-z]+-\d+)" value="\d+" id="[^"]+" checked', page))


def test_tick_all_shown_ticks_every_item_shown_and_nothing_is_recorded_until_the_button(client, case):
    evidence = accepted_evidence(case, references=["HSC331a.1", "HSC331a.2", "HSC331 K3"])

    page = _page(client, case, "?not_met=1&with_evidence=1")
    assert _ticked(page) == set()
    assert re.search(r'<a class="btn btn-outline-secondary" href="[^"]*tick=all" data-tick-all>Tick all shown \(3 items\)</a>', page)

    ticked_page = _page(client, case, "?not_met=1&with_evidence=1&tick=all")
    assert _ticked(ticked_page) == {key("HSC331a.1"), key("HSC331a.2"), key("HSC331 K3")}
    assert "Every box shown below is ticked" in ticked_page and "Untick all" in ticked_page
    assert not Decision.objects.exists()

    post_record(client, case, {r: [evidence.pk] for r in ("HSC331a.1", "HSC331a.2", "HSC331 K3")})
    assert "3 items recorded as met (HSC331a.1, HSC331a.2, HSC331 K3)." in _page(client, case)


def test_the_instructions_name_the_button_only_when_the_page_has_it(client, case):
    submitted_evidence(case, title="Still waiting")

    page = _page(client, case)

    assert "Record what is ticked" not in page
    assert "Tick all shown" not in page
    assert "nothing to tick" in page


def test_an_item_with_no_accepted_evidence_mapped_links_to_judging_what_waits(client, case):
    accepted_evidence(case, references=["HSC331a.1"])
    waiting = submitted_evidence(case, title="Still waiting", references=["HSC331a.3"])

    row = item_html(_page(client, case), "hsc331a-2")

    assert "No accepted evidence is mapped to HSC331a.2 yet." in row
    assert f'When you judge <a href="/assessments/evidence/{waiting.pk}/#judge">{waiting.reference}</a>' in row
    assert "tick HSC331a.2 under “Add what the candidate did not map” if it proves it." in row


def test_with_nothing_waiting_it_offers_the_assessors_own_record(client, case):
    accepted_evidence(case, references=["HSC331a.1"])

    row = item_html(_page(client, case), "hsc331a-2")

    assert "Ask Alice Adams to map evidence to it" in row
    assert f'<a href="/assessments/units/{case.hsc331.pk}/observation/new/">record an observation</a>' in row
