"""A candidate's 60-character name wraps in the centre page's Enrolments table, so at 1280 px the
table fits its width and the State and Manage columns show without a horizontal scroll (it was
pushed to 1387 px)."""

import pytest
from playwright.sync_api import expect

from portfolio.models import Person
from tests.assessments.unit_case import build_case
from tests.browser.test_eqa_access_journey import at_both_widths

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
FIRST, LAST = "Maximiliana Alexandrina", "Wolfeschlegelsteinhausenbergerdorff-Ng"


def test_a_long_candidate_name_wraps_and_the_enrolments_table_fits(page, transactional_db, login, axe_check, screenshot):
    case = build_case()
    Person.objects.filter(pk=case.alice.pk).update(first_name=FIRST, last_name=LAST)
    assert len(f"{FIRST} {LAST}") == 62
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/centres/{case.centre.pk}/")
    table = page.locator("section[aria-labelledby='enrolments-heading'] .table-responsive")
    expect(table).to_contain_text(LAST)
    scroll, client = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert scroll <= client, f"the Enrolments table is {scroll} px wide in {client} px"
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 1280, f"the page is {page_width} px wide"
    manage = table.get_by_role("link", name="Manage").last
    box, frame = manage.bounding_box(), table.bounding_box()
    assert box is not None and frame is not None
    assert box["x"] + box["width"] <= frame["x"] + frame["width"], "Manage is behind the table's scroll"
    at_both_widths(page, axe_check, screenshot, "centre-long-name")
