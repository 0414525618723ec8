"""Outside trial: after an interim review the IQA agreed with (decisions on the way, the unit not
signed off), the sample page read "Countersigned 5 December 2026" beside an "Add" box, and the unit
page and the message said "You countersigned HSC331". Countersigning is the IQA's signature on a
signed-off unit: at an interim review the pages say the IQA agreed with the decisions so far. The
stored outcome stays "countersigned". Also: the sample page's "Add the units ticked in this list" button shows
only where some row of the page has a tick.

Alice is the candidate on HSC331 (in progress) and H3 25 (signed off); Bob assesses both; Carol is
their IQA."""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import QualityReview
from assessments.services import iqa as iqa_services
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent
from tests.assessments.quality_records import (
    accepted_evidence,
    countersigned_by_the_iqa,
    decide,
    riverside_team,
)
from tests.factories import enrol

pytestmark = pytest.mark.django_db

PAGE = "/assessments/quality/"
ADD_BUTTON = "Add the units ticked in this list to my sample"


@pytest.fixture
def case(db):
    centre, alice, bob, carol = riverside_team()
    interim = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    decide(interim, accepted_evidence(interim, title="Social networks"), count=2)
    return type("Case", (), dict(alice=alice, bob=bob, carol=carol, centre=centre, interim=interim))


def _agree_so_far(case) -> QualityReview:
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])
    return iqa_services.review_record(
        review_or_enrolment=case.interim, iqa=case.carol, outcome=QualityReview.Outcome.COUNTERSIGNED
    )


def _today() -> str:
    return date_format(timezone.localdate(), "j F Y")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _row(page: str, enrolment) -> str:
    """The row of the list of all the IQA's units for this unit."""
    [row] = [
        row for row in page.split("<tr") if f'href="/assessments/units/{enrolment.pk}/"' in row and "data-label=\"Add" in row
    ]
    return row.split("</tr>")[0]


def test_the_sample_page_says_interim_review_agreed_beside_the_add_box(client, case):
    review = _agree_so_far(case)
    assert (review.outcome, review.stage) == ("countersigned", "interim"), "the stored outcome is unchanged"
    client.force_login(case.carol)
    row = _row(client.get(PAGE).content.decode(), case.interim)

    assert f"Interim review: agreed {_today()}" in _text(row)
    assert "ountersign" not in row
    assert f'name="enrolments" value="{case.interim.pk}"' in row, "new decisions may still be sampled"


def test_a_unit_countersigned_at_its_final_review_still_says_countersigned(client, case):
    signed = enrol(case.alice, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
    countersigned_by_the_iqa(signed)
    client.force_login(case.carol)
    row = _text(_row(client.get(PAGE).content.decode(), signed))

    assert f"Countersigned by the IQA 31 Reflective account Countersigned {_today()} · Review" in row
    assert "Interim" not in row and "agreed" not in row


def test_the_message_and_the_unit_page_say_the_iqa_agreed_with_the_decisions_so_far(client, case):
    client.force_login(case.carol)
    response = client.post(
        f"/assessments/units/{case.interim.pk}/review/", {"outcome": "countersigned", "sign_off": ""}, follow=True
    )
    page = _text(response.content.decode())

    assert "You reviewed the decisions so far on HSC331 of Alice Adams and agreed with them (interim review)." in page
    assert (
        f"Carol Clark reviewed the decisions so far on {_today()} and agreed with them (interim review); "
        "nothing on it waits for you."
    ) in page
    assert "Agreed Interim (decisions before sign-off)" in page
    assert "ountersigned HSC331" not in page and "countersigned this unit" not in page
    assert QualityReview.objects.get().outcome == QualityReview.Outcome.COUNTERSIGNED


def test_the_review_page_offers_agreeing_at_an_interim_review_and_lists_it_as_agreed(client, case):
    _agree_so_far(case)
    decide(case.interim, accepted_evidence(case.interim, title="Another"), count=1)  # something new to review
    client.force_login(case.carol)
    html = client.get(f"/assessments/units/{case.interim.pk}/review/").content.decode()
    page = _text(html)

    assert "Agree with the assessor’s decisions so far" in page and "Countersign " not in page
    assert "<strong>Agreed</strong>, interim (decisions before sign-off), by Carol Clark" in html

    sent = client.post(f"/assessments/units/{case.interim.pk}/review/", {"comments": "Looked.", "sign_off": ""})
    assert sent.status_code == 400
    assert "Choose whether to agree with the decisions so far or refer back to the assessor." in _text(
        sent.content.decode()
    )


def test_the_audit_trail_and_the_assessors_notice_say_agreed_not_countersigned(case):
    _agree_so_far(case)
    event = AuditEvent.objects.get(action="assessments.iqa.countersigned")
    assert sentence(event) == "Carol Clark, the IQA, reviewed the assessor’s decisions so far and agreed with them"
    assert event.summary == "IQA Carol Clark reviewed HSC331 of Alice Adams and agreed with the decisions so far"


def test_no_add_button_when_nothing_on_the_page_has_a_tick(client, case):
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])  # in the sample: no tick
    client.force_login(case.carol)
    page = client.get(PAGE).content.decode()

    assert 'name="enrolments"' not in page
    assert ADD_BUTTON not in page
    assert "Nothing on this page to add to your sample." in _text(page)


def test_the_add_button_shows_when_a_row_has_a_tick(client, case):
    other = enrol(case.alice, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.interim])
    client.force_login(case.carol)
    page = client.get(PAGE).content.decode()

    assert f'name="enrolments" value="{other.pk}"' in page
    assert ADD_BUTTON in page and "Nothing on this page to add" not in page
