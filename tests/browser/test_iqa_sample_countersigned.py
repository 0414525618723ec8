"""The IQA's sample page and a unit the IQA countersigned (outside trial: it was still offered to
add). Carol's page shows "Countersigned" where the tick was; a tab left open from before she
countersigned it sends it anyway and is told why, nothing added, her other tick kept. Seen with
axe-core at 1280 and 390 px.

Bob assessed Alice Adams on HSC331 and H3 25, both signed off; Carol is their IQA."""

import pytest
from playwright.sync_api import expect

from assessments.models import QualityReview
from assessments.services import iqa as iqa_services
from tests.assessments.quality_records import (
    countersigned_by_the_iqa,
    riverside_team,
    signed_off_through_the_services,
)
from tests.browser.test_eqa_access_journey import at_both_widths
from tests.factories import enrol

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    centre, alice, bob, carol = riverside_team()
    done = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    countersigned_by_the_iqa(done)
    stale = enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    signed_off_through_the_services(stale)
    return type("Case", (), dict(carol=carol, done=done, stale=stale))


def _add_cell(page, code: str):
    row = page.locator("table.iqa-units tbody tr").filter(has=page.get_by_text(code, exact=True))
    return row.locator("td").first


def test_a_countersigned_unit_is_not_offered_and_a_stale_tab_is_told_why(page, case, live_server, login, axe_check,
                                                                         screenshot):
    login(page, "carol@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/quality/")

    expect(_add_cell(page, "HSC331")).to_have_text("Countersigned")
    expect(page.get_by_label("Add Alice Adams, HSC331 to my sample")).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "iqa-sample-countersigned")

    # H3 25 is still offered (suggested, ticked); she countersigns it in another tab meanwhile.
    expect(page.get_by_label("Add Alice Adams, H3 25 to my sample")).to_be_checked()
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.stale])
    iqa_services.review_record(review_or_enrolment=case.stale, iqa=case.carol, outcome="countersigned")
    reviews = QualityReview.objects.count()

    page.get_by_role("button", name="Add to my sample", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Alice Adams, H3 25 is already countersigned as it stands, so it needs no sampling until it changes "
        "(a new sign-off). Nothing was added to your sample."
    )
    expect(_add_cell(page, "H3 25")).to_have_text("Countersigned")
    assert QualityReview.objects.count() == reviews
    at_both_widths(page, axe_check, screenshot, "iqa-sample-countersigned-refused")
