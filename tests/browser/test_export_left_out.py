"""A bulk export that left a unit out, as Grace the centre administrator sees it: the export's page
names the unit, links to it and says what changed; the list of exports marks it.

Alice's H3 25 had a byte of its signed photo changed after sign-off (tests/exports/signed_case.py)."""

import pytest
from playwright.sync_api import expect

from exports import bulk
from exports.models import BulkExport
from tests.exports.signed_case import change_a_byte, signed_case

PASSWORD = "correct horse battery"


@pytest.fixture
def export(transactional_db):
    signed = signed_case()
    change = change_a_byte(signed, signed.case.h3_25)
    export = BulkExport.objects.create(centre=signed.case.centre, requested_by=signed.case.grace, description="All units")
    export.enrolments.set(signed.units)
    bulk.build(export)
    export.refresh_from_db()
    return signed, export, change


def test_the_export_page_names_the_unit_left_out_and_why(page, export, login, axe_check, screenshot):
    signed, export, change = export
    login(page, signed.case.grace.email, PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/exports/{export.pk}/")
        left_out = page.get_by_role("region", name="1 unit left out of this export")
        expect(left_out).to_be_visible()
        expect(left_out.get_by_role("link", name="Alice Adams, H3 25")).to_be_visible()
        expect(left_out.get_by_text(change)).to_be_visible()
        expect(page.get_by_role("link", name="Download the ZIP")).to_be_visible()
        axe_check()
        screenshot(page, f"export-left-out-{width}")

        page.goto(f"/exports/centres/{signed.case.centre.pk}/")
        expect(page.get_by_text("1 unit left out")).to_be_visible()
        axe_check()
        screenshot(page, f"export-list-left-out-{width}")

    page.goto(f"/exports/{export.pk}/")
    page.get_by_role("link", name="Alice Adams, H3 25").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("H3 25")
