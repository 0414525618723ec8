"""The IQA's sample page and its two Add buttons (outside trial: ticking one unit in "All your
units" and pressing the bottom button also added the pre-ticked suggested units, "2 units added to
your sample: Alice Morgan, H3 25; Alice Morgan, HSC331"). In Chromium: the bottom button adds the
unit ticked in the list and nothing else; pressed with nothing ticked in the list it says so beside
the list, the suggestions still ticked; the suggestion box's button adds its ticked suggestion and
not a unit ticked in the list. Seen with axe-core at 1280 and 390 px; the bottom button also without
JavaScript.

Bob assessed Alice Adams on HSC331 and H3 25, both signed off and suggested; Ben Bond's HSC331 has
no decision yet, so it is only in the list. Carol is the IQA of all three."""

import pytest
from playwright.sync_api import expect

from assessments.models import QualityReview
from tests.assessments.quality_records import riverside_team, signed_off_through_the_services
from tests.browser.conftest import VIEWPORT, sign_in
from tests.browser.test_eqa_access_journey import at_both_widths
from tests.factories import PersonFactory, enrol

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
LIST_BUTTON = "Add the units ticked in this list to my sample"


@pytest.fixture
def case(transactional_db):
    centre, alice, bob, carol = riverside_team()
    suggested = [enrol(alice, code, assessor=bob, iqa=carol, centre=centre) for code in ("HSC331", "H3 25")]
    for enrolment in suggested:
        signed_off_through_the_services(enrolment, countersigned=True)
    ben = PersonFactory(first_name="Ben", last_name="Bond")
    listed = enrol(ben, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return type("Case", (), dict(suggested=suggested, listed=listed))


def _sampled() -> set[int]:
    sampled = QualityReview.objects.filter(outcome=QualityReview.Outcome.SAMPLED)
    return set(sampled.values_list("enrolment_id", flat=True))


def test_each_add_button_adds_only_what_was_ticked_in_its_own_part(
    page, case, live_server, login, axe_check, screenshot
):
    login(page, "carol@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/quality/")
    suggestion_box = page.get_by_role("region", name="Suggested sample")
    units = page.get_by_role("region", name="All your units")
    for code in ("HSC331", "H3 25"):
        expect(
            suggestion_box.get_by_role("checkbox", name=f"Add Alice Adams, {code} to my sample")
        ).to_be_checked()
    expect(suggestion_box).to_contain_text("Adds the units ticked here only.")
    at_both_widths(page, axe_check, screenshot, "iqa-sample-two-buttons")

    # Nothing ticked in the list: told so beside the list; nothing added, the suggestions kept.
    units.get_by_role("button", name=LIST_BUTTON).click()
    summary = units.get_by_role("alert")
    expect(summary).to_contain_text("Tick at least one unit in the list to add to your sample.")
    expect(suggestion_box.get_by_role("alert")).to_have_count(0)
    expect(
        suggestion_box.get_by_role("checkbox", name="Add Alice Adams, HSC331 to my sample")
    ).to_be_checked()
    assert _sampled() == set()
    at_both_widths(page, axe_check, screenshot, "iqa-sample-two-buttons-nothing-ticked")

    # The trial's click: one unit ticked in the list, the bottom button.
    units.get_by_role("checkbox", name="Add Ben Bond, HSC331 to my sample").check()
    units.get_by_role("button", name=LIST_BUTTON).click()
    expect(page.get_by_role("status")).to_contain_text("1 unit added to your sample: Ben Bond, HSC331.")
    assert _sampled() == {case.listed.pk}
    expect(units.get_by_role("row").filter(has_text="Ben Bond")).to_contain_text("In your sample")
    # Ben's unit now covers Bob and HSC331: the suggestion is H3 25 alone, still ticked, and
    # Alice's HSC331 is offered in the list instead.
    expect(suggestion_box.get_by_role("checkbox", name="Add Alice Adams, H3 25 to my sample")).to_be_checked()
    expect(suggestion_box.get_by_role("checkbox")).to_have_count(1)
    at_both_widths(page, axe_check, screenshot, "iqa-sample-two-buttons-list-added")

    # The other way round: a unit ticked in the list, the suggestions' button: the suggestion alone.
    units.get_by_role("checkbox", name="Add Alice Adams, HSC331 to my sample").check()
    suggestion_box.get_by_role("button", name="Add to my sample", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 unit added to your sample: Alice Adams, H3 25.")
    assert _sampled() == {case.listed.pk, case.suggested[1].pk}
    expect(units.get_by_role("checkbox", name="Add Alice Adams, HSC331 to my sample")).not_to_be_checked()


def test_without_javascript_the_bottom_button_adds_only_the_unit_ticked_in_the_list(
    browser, live_server, case
):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "carol@example.org", PASSWORD)
        page.goto("/assessments/quality/")
        units = page.get_by_role("region", name="All your units")
        units.get_by_role("checkbox", name="Add Ben Bond, HSC331 to my sample").check()
        units.get_by_role("button", name=LIST_BUTTON).click()
        expect(page.get_by_role("status")).to_contain_text("1 unit added to your sample: Ben Bond, HSC331.")
        assert _sampled() == {case.listed.pk}
    finally:
        context.close()
