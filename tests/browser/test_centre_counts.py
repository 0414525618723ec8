"""The centre page as an outside trial found it (issue 16): the role filter's count and the list's
count disagreed while people were deactivated, and on a phone the invitations' buttons stood at the
right of their rows while the people's stood at the left. And the assessor's candidate filter offered
deactivated candidates. Seen with axe-core at 1280 and 390 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import QualityReview
from portfolio.models import Role
from portfolio.services_centre import person_add
from portfolio.services_enrolments import enrolment_withdraw
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import sign_off
from tests.assessments.unit_case import build_case
from tests.browser.conftest import VIEWPORT
from tests.browser.test_eqa_access_journey import PHONE, at_both_widths
from tests.factories import enrol, member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"

# How far each row's first and last buttons stand from the row's left and right edges.
BUTTON_PLACES = """(rows) => rows.map((row) => {
  const buttons = [...row.querySelectorAll(".btn")].map((b) => b.getBoundingClientRect());
  const box = row.getBoundingClientRect();
  return {left: Math.round(buttons[0].left - box.left), right: Math.round(box.right - buttons[buttons.length - 1].right)};
})"""


@pytest.fixture
def case(transactional_db):
    case = build_case()
    person_add(centre=case.centre, added_by=case.grace, email="nina@example.org", first_name="Nina",
               last_name="Example", role=Role.CANDIDATE)
    leaver = member(case.centre, Role.CANDIDATE, first_name="Lee", last_name="Leaver")
    membership_deactivate(centre=case.centre, person=leaver, deactivated_by=case.grace, reason="Left the centre.")
    return case


def _places(page, heading: str) -> list[dict]:
    return page.locator(f"#{heading} ~ .table-responsive").first.locator("tbody tr").evaluate_all(BUTTON_PLACES)


def test_the_counts_agree_and_the_rows_buttons_line_up_on_a_phone(page, case, live_server, login, axe_check, screenshot):
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/centres/{case.centre.pk}/")

    everyone = page.locator("#centre-role option").first
    expect(everyone).to_have_text("Everyone, deactivated too (8)")
    expect(page.locator("#people-heading + p")).to_have_text("8 people: 7 active, 1 deactivated")
    at_both_widths(page, axe_check, screenshot, "centre-counts")

    # Wide, each row's buttons end at its right; on a phone, where rows stack, they start at its left.
    for place in _places(page, "people-heading") + _places(page, "invitations-heading"):
        assert place["right"] < 16, place
    page.set_viewport_size(PHONE)
    for place in _places(page, "people-heading") + _places(page, "invitations-heading"):
        assert place["left"] < 16, place
    page.set_viewport_size(VIEWPORT)

    page.locator("#centre-role").select_option("deactivated")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#people-heading + p")).to_have_text("1 deactivated person")
    expect(page.locator("#people-heading ~ .table-responsive").first.locator("tbody tr")).to_have_count(1)


def test_the_assessors_filter_leaves_out_a_deactivated_candidate_and_says_so_when_asked(
    page, case, live_server, login, axe_check, screenshot
):
    leaver = member(case.centre, Role.CANDIDATE, first_name="Lou", last_name="Leaver")
    enrol(leaver, "HSC331", assessor=case.bob, iqa=case.carol, centre=case.centre)
    membership_deactivate(centre=case.centre, person=leaver, deactivated_by=case.grace, reason="Left the centre.")
    login(page, "bob@example.org", PASSWORD)

    for address in ("/assessments/assess/", "/assessments/assess/candidates/"):
        page.goto(f"{live_server.url}{address}?candidate={leaver.pk}")
        expect(page.locator("#deactivated-chosen")).to_have_text(
            "Lou Leaver is deactivated at the centre, so is not among your candidates to choose; their records are "
            "kept. Showing all your candidates."
        )
        expect(page.locator("select[name=candidate] option", has_text="Leaver")).to_have_count(0)
        expect(page.get_by_role("link", name="Lou Leaver")).to_have_count(0)
        at_both_widths(page, axe_check, screenshot, "assessor-filter-deactivated" + ("-units" if "candidates" in address else ""))
    expect(page.locator("#units-left-out")).to_have_text(
        "Not counted here: 1 unit of deactivated candidates. Their records are kept.")


def test_the_assessors_filter_answers_an_unknown_candidate_in_words_naming_nobody(
    page, case, live_server, login, axe_check, screenshot
):
    login(page, "bob@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/assess/?candidate=999999")
    expect(page.locator("#candidate-not-yours")).to_have_text(
        "That candidate is not one of yours; showing all your candidates.")
    expect(page.locator("#deactivated-chosen")).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "assessor-filter-unknown")


def test_a_deactivated_candidates_open_unit_is_counted_apart_on_the_centre_page_and_in_the_caseloads(
    page, case, live_server, login, axe_check, screenshot
):
    """Dave, deactivated, keeps his HSC331 (Erin's) open: not an active enrolment, nor dropped from
    the caseloads, but counted apart and said (portfolio/enrolment_counts.py). By hand: Alice's two
    units active (Bob's), Dave's one apart; Lee, deactivated too, has no unit."""
    membership_deactivate(centre=case.centre, person=case.dave, deactivated_by=case.grace,
                          reason="Left the centre.")
    login(page, "grace@example.org", PASSWORD)

    page.goto(f"{live_server.url}/assessments/centres/{case.centre.pk}/")
    expect(page.locator("#enrolments-heading + p")).to_have_text("3 enrolments: 2 active, 1 of deactivated candidates")
    people = page.locator("#people-heading ~ .table-responsive").first
    expect(people.locator("thead th").nth(3)).to_have_text("Active units")
    expect(people.locator("tbody tr", has_text="Dave Davies").locator("td").nth(2)).to_have_text(
        "0Not counted: 1 while deactivated")
    expect(people.locator("tbody tr", has_text="Alice Adams").locator("td").nth(2)).to_have_text("2")
    expect(people.locator("tbody tr", has_text="Lee Leaver").locator("td").nth(2)).to_have_text("")
    at_both_widths(page, axe_check, screenshot, "centre-counts-deactivated-candidate")

    page.goto(f"{live_server.url}/ops/centres/{case.centre.pk}/reports/caseload/")
    expect(page.locator("#caseload-left-out")).to_have_text(
        "Not counted here: 1 unit of deactivated candidates, not signed off: shown apart in each assessor’s row; evidence they "
        "submitted waits for no one and is in no waiting figure. Their records are kept, on the centre page.")
    table = page.get_by_role("table")
    expect(table.locator("thead th").nth(6)).to_have_text("Not counted: of deactivated candidates")
    for name, units, apart in (("Bob Baker", "2", "0"), ("Erin Evans", "0", "1")):
        row = table.locator("tbody tr", has_text=name)
        expect(row.locator("td").nth(0)).to_have_text(units)
        expect(row.locator("td").nth(5)).to_have_text(apart)
    at_both_widths(page, axe_check, screenshot, "caseload-deactivated-candidate")


def test_a_finished_learners_unit_stays_in_the_sampling_coverage_and_progress_after_they_are_deactivated(
    page, case, live_server, login, axe_check, screenshot
):
    """Outside trial: Dave's HSC331, signed off and given Carol's final review, dropped out of the
    sampling coverage (the EQA reads it) and the progress report's "Signed off" once Dave, finished,
    was deactivated. It stays in both; only work in progress of a deactivated candidate is left out."""
    now = timezone.now()
    QualityReview.objects.create(
        enrolment=case.dave_hsc331, sign_off=sign_off(case.dave_hsc331), iqa=case.carol, stage=QualityReview.Stage.FINAL,
        outcome=QualityReview.Outcome.COUNTERSIGNED, sampled_at=now, reviewed_at=now,
    )
    membership_deactivate(centre=case.centre, person=case.dave, deactivated_by=case.grace,
                          reason="Left the centre.")
    login(page, "grace@example.org", PASSWORD)

    page.goto(f"{live_server.url}/ops/centres/{case.centre.pk}/reports/sampling/")
    carol = page.get_by_role("table").locator("tbody tr", has_text="Carol Clark")
    # Alice's HSC331 and H3 25 (Bob's), Dave's (Erin's): Dave's reviewed, so one of three sampled.
    expect(carol.locator("td").nth(0).locator("span")).to_have_text("1 of 3 (33%)")
    expect(carol.locator("td").nth(1)).to_have_text("1 of 1")
    expect(carol.locator("td").nth(3)).to_have_text("1 of 2")
    expect(page.get_by_text("Not counted here")).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "sampling-finished-learner")

    enrolment_withdraw(enrolment=case.h3_25, effective_date=timezone.localdate(), reason="Left the job.",
                       changed_by=case.grace)
    page.goto(f"{live_server.url}/ops/centres/{case.centre.pk}/reports/progress/")
    expect(page.locator("#progress-closed")).to_have_text(
        "Not in this report: 1 withdrawn or transferred unit, kept as records on the centre page.")
    expect(page.get_by_role("row", name="Signed off 1", exact=True)).to_be_visible()
    dave = page.get_by_role("row", name="Dave Davies on HSC331 (deactivated) HSC331")
    expect(dave).to_contain_text("Signed off")
    expect(dave.get_by_role("rowheader")).to_have_text("Dave Davies on HSC331 (deactivated)")
    at_both_widths(page, axe_check, screenshot, "progress-finished-learner")
