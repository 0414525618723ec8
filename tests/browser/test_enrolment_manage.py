"""Issue 16 item 2 in the browser: Grace, the centre administrator, opens Alice's HSC331 from the
centre page's "Manage", gives it a new assessor, moves its target date and withdraws it; the
centre page then shows it as withdrawn. Checked with axe at 1280 and 390 px wide."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.assessments.unit_case import build_case

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def case(transactional_db):
    return build_case()


def both_widths(page, axe_check, screenshot, name: str) -> None:
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, f"{name}-390")
    page.set_viewport_size(WIDE)


def test_the_administrator_reassigns_moves_the_date_and_withdraws_an_enrolment(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/")
    page.get_by_role("link", name=re.compile(r"^Manage\W+Alice Adams, HSC331$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice Adams")

    page.get_by_role("link", name="Change the assessor").click()
    page.get_by_role("button", name="Change the assessor").click()  # nothing chosen: refused, saying why
    expect(page.get_by_role("alert").first).to_be_visible()
    both_widths(page, axe_check, screenshot, "enrolment-assessor-refused")
    page.get_by_label("New assessor").select_option(label="Erin Evans (erin@example.org)")
    page.get_by_label("Reason").fill("Bob has left the centre.")
    page.get_by_role("button", name="Change the assessor").click()
    expect(page.get_by_text("Erin Evans is now the assessor of Alice Adams’s HSC331, in place of Bob Baker.")).to_be_visible()

    page.get_by_role("link", name="Change the target date").click()
    later = timezone.localdate() + datetime.timedelta(days=400)
    page.get_by_label("New target date").fill(later.isoformat())
    page.get_by_label("Reason").fill("Alice was off sick for a month.")
    page.get_by_role("button", name="Change the target date").click()
    history = page.get_by_role("table")
    expect(history.get_by_role("row").filter(has_text="Assessor changed")).to_contain_text("Erin Evans")
    expect(history.get_by_role("row").filter(has_text="Target date changed")).to_contain_text("off sick")
    both_widths(page, axe_check, screenshot, "enrolment-manage")

    page.get_by_role("link", name="Withdraw").click()
    page.get_by_label("Date of withdrawal").fill(timezone.localdate().isoformat())
    page.get_by_label("Reason").fill("Alice has left her job in care.")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("status").filter(has_text="left her job in care")).to_contain_text("Withdrawn from")
    expect(page.get_by_role("link", name="Reinstate")).to_be_visible()
    both_widths(page, axe_check, screenshot, "enrolment-withdrawn")

    page.goto(f"/assessments/centres/{case.centre.pk}/")
    row = page.get_by_role("row").filter(has_text="HSC331").filter(has_text="Alice Adams")
    expect(row).to_contain_text("Withdrawn")
    expect(row).to_contain_text("Erin Evans")
    both_widths(page, axe_check, screenshot, "enrolment-centre-withdrawn")


def test_a_withdrawn_units_typed_change_address_shows_why_not_and_the_way_back(page, case, login, axe_check,
                                                                               screenshot):
    """An outside tester typed /portfolio/enrolments/<withdrawn>/assessor/ and found the whole form."""
    from portfolio.services_enrolments import enrolment_withdraw

    enrolment_withdraw(enrolment=case.hsc331, effective_date=timezone.localdate(), reason="Left her job in care.",
                       changed_by=case.grace)
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/portfolio/enrolments/{case.hsc331.pk}/assessor/")
    expect(page.get_by_role("status")).to_contain_text(
        "Alice Adams’s HSC331 is withdrawn, so its assessor cannot be changed.")
    expect(page.get_by_label("New assessor")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "enrolment-change-refused")
    page.get_by_role("link", name="Back to the enrolment").click()
    expect(page.get_by_role("link", name="Reinstate")).to_be_visible()
    expect(page.get_by_role("link", name="Change the assessor")).to_have_count(0)
