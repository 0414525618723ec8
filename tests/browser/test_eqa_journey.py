"""Issue 15 item 3's journey: the EQA ticks units on their list and saves a sample for a visit, writes
a report with two actions and sends it; the centre administrator answers both; the EQA closes one
and leaves the other open. Each page is checked with axe-core at 1280 and 390 pixels wide.

Heidi Hughes is Riverside Training's EQA, Grace Gordon its administrator. Bob Baker assesses Alice
Adams on HSC331 and Dave Davies on H3 25; Carol Clark is the IQA of both.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import EqaAction
from portfolio.models import Role
from tests.browser.conftest import VIEWPORT, sign_out
from tests.factories import CentreFactory, enrol, load_standards, member

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def riverside(transactional_db):
    load_standards()
    centre = CentreFactory(name="Riverside Training", code="riverside")

    def person(role, first, last):
        return member(centre, role, first_name=first, last_name=last, email=f"{first.lower()}@example.org")

    bob, carol = person(Role.ASSESSOR, "Bob", "Baker"), person(Role.IQA, "Carol", "Clark")
    person(Role.EQA, "Heidi", "Hughes")
    person(Role.ADMINISTRATOR, "Grace", "Gordon")
    alice, dave = person(Role.CANDIDATE, "Alice", "Adams"), person(Role.CANDIDATE, "Dave", "Davies")
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    enrol(dave, "H3 25", assessor=bob, iqa=carol, centre=centre)
    return centre


def _checked_at_both_widths(page, axe_check, screenshot, name: str) -> None:
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    axe_check()
    screenshot(page, f"{name}-390")
    page.set_viewport_size(VIEWPORT)


def test_the_eqa_samples_and_reports_and_the_centre_answers(page, riverside, login, axe_check, screenshot):
    login(page, "heidi@example.org", PASSWORD)
    page.get_by_role("link", name="Units you quality-assure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Units you quality-assure")
    expect(page.get_by_role("table", name="Riverside Training riverside")).to_contain_text("Dave Davies")
    _checked_at_both_widths(page, axe_check, screenshot, "eqa-units")

    page.get_by_role("checkbox", name="Tick Alice Adams, HSC331 for a sample").check()
    page.get_by_role("button", name="Start a new sample with the ticked units").click()
    expect(page.get_by_role("checkbox", name="Alice Adams · HSC331")).to_be_checked()
    page.get_by_label("Name of the sample").fill("Visit 12 March 2027")
    page.get_by_label("Date planned").fill("2027-03-12")
    page.get_by_role("radio", name="On site").check()
    _checked_at_both_widths(page, axe_check, screenshot, "eqa-sample-form")
    page.get_by_role("button", name="Save the sample").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit 12 March 2027")
    expect(page.get_by_role("table")).to_contain_text("Alice Adams")
    _checked_at_both_widths(page, axe_check, screenshot, "eqa-sample")

    page.get_by_role("link", name="Write a report on this sample").click()
    expect(page.get_by_label("Date of the visit")).to_have_value("2027-03-12")
    page.get_by_label("Findings").fill(
        "Assessment decisions on HSC331 are sound and well evidenced. Standardisation meetings are held "
        "but not recorded, and the IQA plan does not yet cover Bob Baker's newest candidates."
    )
    page.get_by_role("radio", name="Satisfactory with actions").check()
    page.locator("#id_actions-0-text").fill("Record each standardisation meeting: who came, what was looked at, what was agreed.")
    page.locator("#id_actions-0-due_on").fill("2027-04-30")
    page.locator("#id_actions-1-text").fill("Add Bob Baker's new candidates to the IQA sampling plan.")
    page.locator("#id_actions-1-due_on").fill("2027-04-15")
    _checked_at_both_widths(page, axe_check, screenshot, "eqa-report-form")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Only you can read it.")).to_be_visible()
    page.get_by_role("button", name="Send the report to Riverside Training").click()
    expect(page.get_by_role("status").filter(has_text="Your report is sent to Riverside Training")).to_be_visible()
    report_address = page.url
    sign_out(page)

    login(page, "grace@example.org", PASSWORD)
    reports = page.get_by_role("region", name="Reports from your external quality assurers")
    expect(reports).to_contain_text("2 actions open")
    reports.get_by_role("link", name="Riverside Training, visit of 12 March 2027").click()
    expect(page.get_by_text("Satisfactory with actions").first).to_be_visible()
    _checked_at_both_widths(page, axe_check, screenshot, "eqa-report-centre")
    today = timezone.localdate()
    for number, progress, on, words in (
        (1, "Done", today, "Minutes of the meeting are now in the QA folder."),
        (2, "Planned, not yet done", today + datetime.timedelta(days=14), "The plan is being rewritten."),
    ):
        page.get_by_role("link", name=f"Answer action {number}").click()
        page.get_by_label("What the centre did, or will do").fill(words)
        page.get_by_role("radio", name=progress, exact=True).check()
        page.get_by_label("Date done or planned").fill(on.isoformat())
        if number == 1:
            _checked_at_both_widths(page, axe_check, screenshot, "eqa-action-answer")
        page.get_by_role("button", name="Send the answer").click()
        expect(page.locator(f"#action-{number}")).to_contain_text(words)
    expect(page.locator("#action-1")).to_contain_text("Done, waiting for the EQA")
    expect(page.locator("#action-2")).to_contain_text("Planned, waiting for the EQA")
    sign_out(page)

    login(page, "heidi@example.org", PASSWORD)
    page.goto(report_address)
    page.get_by_role("link", name="Close or leave open action 1").click()
    page.get_by_role("radio", name="Closed", exact=True).check()
    _checked_at_both_widths(page, axe_check, screenshot, "eqa-action-review")
    page.get_by_role("button", name="Send your word to the centre").click()
    expect(page.locator("#action-1")).to_contain_text("Closed by the EQA")
    expect(page.locator("#action-2")).to_contain_text("Planned, waiting for the EQA")
    expect(page.get_by_role("link", name="Close or leave open action 1")).to_have_count(0)
    _checked_at_both_widths(page, axe_check, screenshot, "eqa-report-closed")
    assert EqaAction.objects.get(number=1).closed

    page.goto(f"/assessments/units/{EqaAction.objects.get(number=1).report.sample.enrolments.get().pk}/")
    expect(page.locator(".unit-header")).to_contain_text("EQA sampled Heidi Hughes, 12 March 2027")
