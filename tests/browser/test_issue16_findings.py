"""An outside tester's findings on issue 16's pages, fixed, in a browser at 1280 and 390 px, each
page checked with axe and photographed (test-artifacts/screenshots/findings-*.png): a report's date
at the calendar's end refused on the page; a deactivated assessor's decisions kept and offered in
the Assessor filter; a target date out of reach refused at registration and on the enrolment page;
the administrator's home and the centre page counting withdrawn enrolments apart; a hand-over leaving
the signed-off units with their assessor, and moving a deactivated learner's open unit.

The centre is tests/assessments/unit_case.py's: Alice on HSC331 and H3 25 (Bob), Dave on HSC331
(Erin); Grace administers it."""


import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.services_enrolments import enrolment_withdraw
from portfolio.services_handover import units_hand_over
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import sign_off
from tests.assessments.unit_case import accepted_evidence, build_case, meet

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def case(transactional_db):
    return build_case()


def both_widths(page, axe_check, screenshot, name: str) -> None:
    axe_check()
    screenshot(page, f"findings-{name}")
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check()
    screenshot(page, f"findings-{name}-390")
    page.set_viewport_size(WIDE)


def test_a_reports_date_at_the_calendars_end_is_refused_on_the_page(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/ops/centres/{case.centre.pk}/reports/caseload/?date_to=9999-12-31")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.locator("#id_date_to-error")).to_contain_text("Enter a date between 1 January 1900 and 31 December 2199.")
    both_widths(page, axe_check, screenshot, "report-date-refused")


def test_a_deactivated_assessors_decisions_stay_in_the_report(page, case, login, axe_check, screenshot):
    meet(case, case.hsc331, [accepted_evidence(case)], skip=5)
    units_hand_over(centre=case.centre, role="assessor", from_person=case.bob, to_person=case.erin,
                    reason="Bob has left the centre", changed_by=case.grace)
    membership_deactivate(centre=case.centre, person=case.bob, deactivated_by=case.grace,
                          reason="Left the centre.")
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/ops/centres/{case.centre.pk}/reports/decisions/")
    expect(page.get_by_role("heading", name="Bob Baker (deactivated)")).to_be_visible()
    assessor = page.get_by_label("Assessor")
    assessor.select_option(label="Bob Baker (deactivated)")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Bob Baker (deactivated)")).to_be_visible()
    expect(page.get_by_role("heading", name="Erin Evans")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "decisions-deactivated")


def test_a_target_out_of_reach_is_refused_at_registration_and_on_the_enrolment_page(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/portfolio/centres/{case.centre.pk}/enrolments/new/")
    page.get_by_label("Dave Davies").check()
    page.get_by_label("Unit").select_option(index=1)
    page.get_by_label("Assessor").select_option(label="Bob Baker (bob@example.org)")
    page.get_by_label("Internal quality assurer (IQA)").select_option(label="Carol Clark (carol@example.org)")
    page.get_by_label("Start date").fill("0001-01-01")
    page.get_by_label("Target date").fill("9999-12-31")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("The start date is more than 5 years ago").first).to_be_visible()
    both_widths(page, axe_check, screenshot, "registration-dates-refused")

    page.goto(f"/portfolio/enrolments/{case.dave_hsc331.pk}/target-date/")
    page.get_by_label("New target date").fill("9999-12-31")
    page.get_by_label("Reason").fill("No end in sight.")
    page.get_by_role("button", name="Change the target date").click()
    expect(page.get_by_text("The target date is more than 5 years away").first).to_be_visible()
    both_widths(page, axe_check, screenshot, "target-date-refused")


def test_withdrawn_enrolments_are_counted_apart(page, case, login, axe_check, screenshot):
    enrolment_withdraw(enrolment=case.h3_25, effective_date=timezone.localdate(),
                       reason="Alice has left her job in housing.", changed_by=case.grace)
    login(page, case.grace.email, PASSWORD)
    page.goto("/")
    expect(page.get_by_text("2 active, 1 withdrawn or transferred")).to_be_visible()
    expect(page.get_by_text("1 withdrawn or transferred, kept as a record")).to_be_visible()
    both_widths(page, axe_check, screenshot, "home-enrolments")
    page.goto(f"/assessments/centres/{case.centre.pk}/")
    expect(page.get_by_text("3 enrolments: 2 active, 1 withdrawn or transferred")).to_be_visible()
    both_widths(page, axe_check, screenshot, "centre-enrolments")


def test_a_hand_over_leaves_the_signed_off_units_with_their_assessor(page, case, login, axe_check, screenshot):
    """Also (a later tester): Alice, deactivated, still has H3 25 open with Bob; it is handed over
    like any other unit (the page used to refuse it: "Alice Adams is not a candidate at ..."), and
    then Bob can be deactivated."""
    sign_off(case.hsc331)
    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")
    login(page, case.grace.email, PASSWORD)
    page.goto(reverse("portfolio:person_handover", args=[case.centre.pk, case.bob.pk]))
    expect(page.get_by_role("heading", name="As assessor: 1 active unit not yet signed off")).to_be_visible()
    expect(page.get_by_text("1 signed-off unit stays with Bob Baker, not handed over")).to_be_visible()
    page.locator("#handover-assessor").locator("..").get_by_text("The units").click()
    expect(page.get_by_text("Alice Adams (deactivated: not told) · H3 25")).to_be_visible()
    both_widths(page, axe_check, screenshot, "handover-signed-off-stays")
    page.get_by_label("New assessor").select_option(value=str(case.erin.pk))
    page.get_by_label("Reason").fill("Bob has left the centre.")
    page.get_by_role("button", name="Hand over 1 unit as assessor").click()
    expect(page.get_by_text("Erin Evans is now the assessor of 1 unit in place of Bob Baker.")).to_be_visible()
    case.hsc331.refresh_from_db()
    case.h3_25.refresh_from_db()
    assert (case.hsc331.assessor, case.h3_25.assessor) == (case.bob, case.erin)
    page.goto(reverse("portfolio:person_deactivate", args=[case.centre.pk, case.bob.pk]))
    page.get_by_label("Reason").fill("Bob has left the centre.")
    page.get_by_role("button", name="Deactivate Bob Baker").click()
    expect(page.get_by_text("Bob Baker is deactivated")).to_be_visible()
    both_widths(page, axe_check, screenshot, "handover-deactivated-learner-then-leaver-deactivated")
