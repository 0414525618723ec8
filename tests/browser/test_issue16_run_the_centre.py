"""An outside tester's findings running the centre (issue 16), fixed, in a browser at 1280 and
390 px, each page checked with axe and photographed (test-artifacts/screenshots/findings-*.png):
the bulk export's "signed off since" refusing 9999-12-31 in the reports' words; a class list saved
from Excel as "Unicode Text" (tab-separated UTF-16) imported; a second name question replacing the
waiting one on the person's page; a registration with two wrong dates saying both, each beside its
field, for a unit and for a qualification.

The centre is tests/assessments/unit_case.py's: Alice on HSC331 and H3 25 (Bob), Dave on HSC331
(Erin); Grace administers it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portfolio.models import Invitation, NameSuggestion
from standards.demo_qualification import demo_qualification
from tests.assessments.quality_records import sign_off
from tests.assessments.unit_case import build_case
from tests.browser.test_issue16_findings import both_widths

PASSWORD = "correct horse battery"
OUT_OF_SPAN = "Enter a date between 1 January 1900 and 31 December 2199."


@pytest.fixture
def case(transactional_db):
    return build_case()


def test_an_export_since_a_day_at_the_calendars_end_is_refused(page, case, login, axe_check, screenshot):
    sign_off(case.hsc331)
    login(page, case.grace.email, PASSWORD)
    page.goto(reverse("exports:export_list", args=[case.centre.pk]))
    page.get_by_label("Signed off since").fill("9999-12-31")
    page.get_by_role("button", name="Show units").click()

    expect(page.locator("#signed-off-since-problem")).to_have_text(OUT_OF_SPAN)
    expect(page.get_by_text("No units are listed until the filter is chosen again.")).to_be_visible()
    # "All matching units" cannot be chosen until the day is put right.
    expect(page.get_by_label("All matching units")).to_be_disabled()
    both_widths(page, axe_check, screenshot, "export-since-refused")


UNICODE_TEXT = (
    "First name\tLast name\tEmail\tULN\r\n"
    "Siân\tO’Neill\tsian@example.org\t\r\n"
    "Owen\tOsei\towen@example.org\t9276308686\r\n"
)


def test_a_class_saved_as_excels_unicode_text_is_imported(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(reverse("portfolio:people_import", args=[case.centre.pk]))
    expect(page.get_by_text("“Unicode Text” (a tab-separated .txt file) works too")).to_be_visible()
    both_widths(page, axe_check, screenshot, "people-import-unicode-text-help")
    page.get_by_label("The list of candidates (CSV)").set_input_files(files=[{
        "name": "class.txt", "mimeType": "text/plain",
        "buffer": b"\xff\xfe" + UNICODE_TEXT.encode("utf-16-le"),
    }])
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the candidates before importing them")
    expect(page.get_by_text("O’Neill").first).to_be_visible()
    both_widths(page, axe_check, screenshot, "people-import-unicode-text-preview")
    page.get_by_role("button", name="Invite 2 candidates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidates imported")
    assert set(Invitation.objects.values_list("name", flat=True)) >= {"Siân O’Neill", "Owen Osei"}


def test_a_second_name_question_replaces_the_waiting_one(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(reverse("portfolio:person_detail", args=[case.centre.pk, case.bob.pk]))
    for first_name in ("Robret", "Robert"):  # a slip, then put right
        page.get_by_label("First name").fill(first_name)
        page.get_by_label("Last name").fill("Baker")
        page.get_by_role("button", name="Ask them to confirm this name").click()
        expect(page.get_by_text(f"confirm it as {first_name} Baker")).to_be_visible()

    questions = page.locator("#name-questions")
    expect(questions.get_by_text("Waiting", exact=True)).to_have_count(1)
    expect(questions.locator("li").first).to_contain_text("Robert Baker")
    expect(questions.get_by_text("Replaced", exact=True)).to_be_visible()
    expect(questions).to_contain_text("by the question asking them to confirm Robert Baker: it no longer waits for them.")
    both_widths(page, axe_check, screenshot, "name-question-replaced")

    page.get_by_label("First name").fill("Robert")
    page.get_by_label("Last name").fill("Baker")
    page.get_by_role("button", name="Ask them to confirm this name").click()
    expect(page.get_by_role("alert").first).to_contain_text("and has not answered yet: the question is still waiting")
    both_widths(page, axe_check, screenshot, "name-question-same-refused")
    assert NameSuggestion.objects.count() == 2


def _dates(page, start: str, target: str) -> None:
    page.get_by_label("Start date").fill(start)
    page.get_by_label("Target date").fill(target)


def test_a_registration_with_two_wrong_dates_says_both_beside_their_fields(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(reverse("portfolio:enrolment_create", args=[case.centre.pk]))
    page.get_by_label("Dave Davies").check()
    page.get_by_label("Unit").select_option(index=1)
    page.get_by_label("Assessor").select_option(label="Bob Baker (bob@example.org)")
    page.get_by_label("Internal quality assurer (IQA)").select_option(label="Carol Clark (carol@example.org)")
    _dates(page, "0001-01-01", "9999-12-31")
    page.get_by_role("button", name="Register").click()

    expect(page.locator("#id_start_date_error")).to_contain_text("The start date is more than 5 years ago")
    expect(page.locator("#id_target_date_error")).to_contain_text("The target date is more than 5 years away")
    expect(page.locator("#error-summary li")).to_have_count(2)
    both_widths(page, axe_check, screenshot, "registration-two-dates-refused")

    qualification = demo_qualification()
    page.goto(reverse("portfolio:qualification_register", args=[case.centre.pk, qualification.pk]))
    _dates(page, "0001-01-01", "9999-12-31")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#id_start_date_error")).to_contain_text("The start date is more than 5 years ago")
    expect(page.locator("#id_target_date_error")).to_contain_text("The target date is more than 5 years away")
    both_widths(page, axe_check, screenshot, "qualification-two-dates-refused")
