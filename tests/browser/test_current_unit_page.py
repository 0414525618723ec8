"""A current-layout unit's page (issue 14): criteria under their sub-headings, scope related to
criteria and to knowledge apart, Values, Behaviours and Links; axe at 1280 and 390 px wide."""

import pytest
from playwright.sync_api import expect

from standards.importing.writer import write_unit
from standards.models import Suite
from tests.standards.unseen import parsed

NARROW = {"width": 390, "height": 844}


@pytest.fixture
def safeguarding(transactional_db):
    return write_unit(parsed("SCDHSC0024.txt"), Suite.objects.create(code="HSCC", title="Health and Social Care"))


def test_a_current_unit_shows_its_sub_headings_scope_values_behaviours_and_links(page, axe_check, screenshot, safeguarding):
    page.goto(f"/standards/{safeguarding.slug}/")
    expect(page.get_by_role("heading", name="Respond to concerns and allegations of harm and abuse")).to_be_visible()
    expect(page.get_by_role("heading", name="Scope related to performance criteria")).to_be_visible()
    expect(page.get_by_role("heading", name="Scope related to knowledge and understanding")).to_be_visible()
    expect(page.get_by_role("heading", name="Behaviours", exact=True)).to_be_visible()
    expect(page.locator("#values-behaviours")).to_have_text("Values, behaviours and links")
    expect(page.get_by_text("This standard links with SCDHSC0035")).to_be_visible()
    axe_check()
    screenshot(page, "standards-current-unit-1280")
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, "standards-current-unit-390")
