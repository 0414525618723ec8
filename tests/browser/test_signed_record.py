"""A signed-off unit's page as Bob, her assessor, sees it at 1280 and 390 px: the signed record, and
apart from it, under its own heading, the evidence added after the sign-off with its time (Wendy's
testimony given after the sign-off, E3 accepted after it), but not Alice's draft (hers alone), and
what came after the signature. The criteria show only the evidence signed.

The case: tests/assessments/after_sign_off_case.py.
"""

import pytest
from playwright.sync_api import expect

from portfolio import dates
from tests.assessments.after_sign_off_case import signed_off_with_evidence_after
from tests.browser.conftest import SCREENSHOTS_DIR

PASSWORD = "correct horse battery"


@pytest.fixture
def unit(transactional_db):
    return signed_off_with_evidence_after()


def test_the_signed_off_unit_page_keeps_what_came_later_apart(page, unit, login, axe_check, screenshot):
    accepted_at = dates.day_time(unit.accepted_later.judgements.get().judged_at)
    login(page, unit.case.bob.email, PASSWORD)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/assessments/units/{unit.case.hsc331.pk}/#evidence")

        record = page.get_by_role("region", name="The signed record")
        expect(record.get_by_text("The evidence signed (1)")).to_be_visible()
        added = page.get_by_role("region", name="Added after sign-off — not part of the signed record")
        expect(added).to_be_visible()
        expect(added.get_by_role("link", name="E3 Lunch club plans")).to_be_visible()
        expect(added.get_by_text(f"Accepted {accepted_at}, after the sign-off")).to_be_visible()
        expect(added.get_by_role("link", name="E4 ")).to_be_visible()
        # E2 is Alice's draft: hers alone until she submits it, so not on Bob's list.
        expect(page.get_by_role("region", name="Mapped before sign-off but not signed — not part of the signed record")
               ).to_have_count(0)
        expect(page.get_by_role("link", name="E2 Notes for a later visit")).to_have_count(0)
        expect(record.get_by_text("Countersigned by the candidate, Alice Adams.")).to_be_visible()

        axe_check()
        screenshot(page, f"signed-record-{width}")
        added.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS_DIR / f"signed-record-{width}-panel.png"))

        page.get_by_role("tab", name="Criteria").click()
        criteria = page.get_by_role("region", name="Performance criteria")
        expect(criteria.get_by_role("link", name="E1 Supporting a family visit").first).to_be_visible()
        expect(criteria.get_by_role("link", name="E3 Lunch club plans")).to_have_count(0)
        expect(criteria.get_by_role("link", name="E4 ")).to_have_count(0)
        axe_check()
