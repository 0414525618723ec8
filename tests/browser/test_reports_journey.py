"""The centre's reports and the administrator's "what needs doing", in a browser at 1280 and 390 px:
Grace reads what needs doing on her home, follows "overdue" to the report, narrows the progress
report to a unit and reads the caseload and waiting-time charts, and finds an IQA who has left in
the sampling report; every page is checked with axe and photographed
(test-artifacts/screenshots/reports-*.png).

Alice's HSC331 is overdue, Dave's HSC331 is at risk, Alice's H3 25 is on track; one item of
Alice's has waited 14 working days for Bob. See tests/assessments/unit_case.py."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments.caseload import waited_more_than
from assessments.models import QualityReview
from portfolio.models import Enrolment, Evidence
from portfolio.services_handover import units_hand_over
from portfolio.services_people import membership_deactivate
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def case(transactional_db):
    case = build_case()
    today = timezone.localdate()
    meet(case, case.hsc331, [accepted_evidence(case)], skip=5)
    Enrolment.objects.filter(pk=case.hsc331.pk).update(
        start_date=today - datetime.timedelta(days=200), target_date=today - datetime.timedelta(days=1)
    )
    Enrolment.objects.filter(pk=case.dave_hsc331.pk).update(
        start_date=today - datetime.timedelta(days=100), target_date=today + datetime.timedelta(days=10)
    )
    waiting = submitted_evidence(case, title="Notes from the lunch club", references=["HSC331a.1"])
    Evidence.objects.filter(pk=waiting.pk).update(submitted_at=waited_more_than(14, today) + datetime.timedelta(hours=10))
    return case


def look(page, name: str, axe_check, screenshot) -> None:
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        axe_check()
        screenshot(page, f"reports-{name}-{width}")
        if width < 576:
            fits_a_phone(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()  # the filters open on a wide screen as the page loads


def fits_a_phone(page) -> None:
    """Nothing scrolls sideways: every report table stacks its rows, each cell in view."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    widths = page.eval_on_selector_all(".table-responsive", "regions => regions.map(r => r.scrollWidth - r.clientWidth)")
    assert all(extra <= 1 for extra in widths), widths


def test_the_administrator_reads_what_needs_doing_and_the_reports(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto("/")
    to_do = page.get_by_role("region", name="What needs doing")
    expect(to_do.get_by_role("link", name="1 piece of evidence waiting more than 10 working days")).to_be_visible()
    expect(to_do).to_contain_text("No claim ready to make")
    # One centre takes the page's width (at half, its figures' notes stood a word to a line).
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("article.card").first.bounding_box()["width"] > 1000
    look(page, "home", axe_check, screenshot)

    to_do.get_by_role("link", name="1 unit overdue").click()
    expect(page.get_by_role("heading", name="Overdue units", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Alice Adams on HSC331"))).to_contain_text("29 of 34 met (85%)")
    look(page, "overdue", axe_check, screenshot)

    page.get_by_role("navigation", name="Other reports").get_by_role("link", name="Progress by candidate").click()
    chart = page.get_by_role("img", name="Units by status")
    expect(chart).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Dave Davies on HSC331"))).to_contain_text("At risk")
    look(page, "progress", axe_check, screenshot)
    page.get_by_label("Unit", exact=True).select_option(value=str(case.h3_25.unit_id))
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name=re.compile("^Units by candidate"))
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("On track")

    # On a phone the filters fold behind "Filter", which says what the report is narrowed to; the
    # rows stack, so each unit's status is on screen without scrolling sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("ops:report_progress", args=[case.centre.pk]) + "?status=at-risk")
    filters = page.locator("details.report-filters")
    expect(filters.locator("summary")).to_have_text(re.compile(r"Filter\s+· Status: At risk"))
    expect(page.get_by_label("Unit", exact=True)).to_be_hidden()
    row = page.get_by_role("row", name=re.compile("Dave Davies on HSC331"))
    expect(row.locator(".rag")).to_have_text(re.compile("At risk"))
    row.scroll_into_view_if_needed()
    expect(row.locator(".rag")).to_be_in_viewport(ratio=1)
    fits_a_phone(page)
    filters.locator("summary").click()
    expect(page.get_by_label("Unit", exact=True)).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("navigation", name="Other reports").get_by_role("link", name="Assessors’ caseloads and waiting times").click()
    expect(page.get_by_role("img", name="Evidence waiting for each assessor, by working days waited")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Bob Baker"))).to_contain_text("14 working days")
    look(page, "caseload", axe_check, screenshot)

    for name in ("Decisions per assessor per month", "IQA sampling coverage"):
        page.get_by_role("navigation", name="Other reports").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
        look(page, name.split()[0].lower(), axe_check, screenshot)


def test_a_filter_with_an_error_reads_at_aa_and_keeps_the_row_in_line(page, case, login, axe_check, screenshot):
    """Tester's finding: the red message under a filter was 4.29:1 on the filter card's grey (axe:
    colour contrast, serious), and it pushed the fields beside it out of line."""
    login(page, case.grace.email, PASSWORD)
    page.goto(reverse("ops:report_progress", args=[case.centre.pk]) + "?date_from=2026-02-01&date_to=2026-01-01&status=bogus")
    message = page.locator("#id_date_to-error")
    expect(message).to_have_text(
        "The end date must be on or after the start date. No dates were applied: the report covers every date until this is corrected."
    )
    expect(page.locator("#id_status-error")).to_contain_text("Choose a status from the list")
    expect(page.get_by_role("link", name=re.compile("Download as CSV"))).to_have_count(0)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        expect(message).to_be_visible()
        axe_check()
        screenshot(page, f"reports-filter-error-{width}")
        if width < 576:
            fits_a_phone(page)
            continue
        # One row on a wide screen: every field's box, and the button, start at one height.
        tops = page.eval_on_selector_all(
            "form[aria-label='Narrow the report'] .row > div > :is(select, input, button)",
            "controls => controls.map(c => Math.round(c.getBoundingClientRect().top))",
        )
        assert len(tops) == 7 and len(set(tops)) == 1, tops


def test_an_iqa_who_has_left_keeps_their_row_and_is_offered_in_the_filter(page, case, login, axe_check, screenshot):
    """Carol countersigned Alice's H3 25, handed her three units to Ivan and left: the sampling report
    keeps her row, marked, with the figures she left with, and its IQA filter offers her, marked."""
    now = timezone.now()
    QualityReview.objects.create(enrolment=case.h3_25, iqa=case.carol, stage=QualityReview.Stage.INTERIM,
                                 outcome=QualityReview.Outcome.COUNTERSIGNED, sampled_at=now, reviewed_at=now)
    units_hand_over(centre=case.centre, role="iqa", from_person=case.carol, to_person=case.ivan,
                    reason="Carol is leaving the centre", changed_by=case.grace)
    membership_deactivate(centre=case.centre, person=case.carol, deactivated_by=case.grace,
                          reason="Left the centre.")
    login(page, case.grace.email, PASSWORD)
    page.goto(reverse("ops:report_sampling", args=[case.centre.pk]))
    table = page.get_by_role("table", name="Each IQA’s sampling coverage")
    carol = table.get_by_role("row", name=re.compile(r"^Carol Clark \(deactivated\)"))
    expect(carol.get_by_role("img", name="Carol Clark (deactivated): units sampled 1 of 3 (33%)")).to_be_visible()
    expect(carol).to_contain_text("No current plan")
    expect(carol.get_by_role("link")).to_have_count(0)  # her plan's page is an IQA's of today
    expect(table.get_by_role("row", name=re.compile("^Ivan Ives"))).to_contain_text("0 of 3 (0%)")
    look(page, "sampling-leaver", axe_check, screenshot)

    choice = page.get_by_label("IQA", exact=True)
    expect(choice.locator("option")).to_have_text(["All", "Ivan Ives", "Carol Clark (deactivated)"])
    choice.select_option(label="Carol Clark (deactivated)")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("details.report-filters summary")).to_have_text(re.compile(r"IQA: Carol Clark \(deactivated\)"))
    expect(table.get_by_role("row")).to_have_count(2)  # the header and hers
    # The sampling report's filters, an IQA among them, stand in one row on a wide screen.
    tops = page.eval_on_selector_all(
        "form[aria-label='Narrow the report'] .row > div > :is(select, input, button)",
        "controls => controls.map(c => Math.round(c.getBoundingClientRect().top))",
    )
    assert len(tops) == 7 and len(set(tops)) == 1, tops
    look(page, "sampling-leaver-chosen", axe_check, screenshot)
