"""A unit moved to another assessor in the database (an outside trial: Erin then read Alice's signed-off
HSC331 and its evidence). Erin finds nothing; Grace, the centre's administrator, is told, and finds
on the unit page and the enrolment's page which column changed and what the portfolio made it, with
nothing offered to change on it. Checked with axe at 1280 and 390 px wide.

Alice is the candidate, Bob her assessor. See tests/assessments/unit_case.py."""

import pytest
from playwright.sync_api import expect

from portfolio import case_seals
from portfolio.models import Enrolment
from tests.browser.test_fixity_journey import PASSWORD, both_widths
from tests.browser.test_fixity_journey import case as case  # the signed-off unit, a fixture


@pytest.fixture
def moved(case):
    Enrolment.objects.filter(pk=case.hsc331.pk).update(assessor=case.erin)
    return case


def test_the_assessor_it_was_moved_to_finds_nothing(page, moved, login, axe_check, screenshot):
    login(page, moved.erin.email, PASSWORD)
    expect(page.get_by_text("Alice Adams")).to_have_count(0)
    response = page.goto(f"/assessments/units/{moved.hsc331.pk}/")
    assert response is not None and response.status == 404
    evidence = moved.alice.evidence.first()
    response = page.goto(f"/assessments/evidence/{evidence.pk}/")
    assert response is not None and response.status == 404


def test_the_administrator_is_told_what_changed_and_offered_no_change(page, moved, login, axe_check, screenshot):
    case_seals.check_every_enrolment()  # the nightly check, or the first request of anyone on the case
    login(page, moved.grace.email, PASSWORD)
    to_do = page.get_by_role("link", name="1 unit whose people were changed outside the portfolio")
    expect(to_do).to_be_visible()
    both_widths(page, axe_check, screenshot, "case-changed-administrator-home")
    to_do.click()
    expect(page.get_by_text("People changed outside the portfolio")).to_be_visible()
    both_widths(page, axe_check, screenshot, "case-changed-portfolios")
    page.goto(f"/assessments/units/{moved.hsc331.pk}/")
    alert = page.locator("[data-case=changed]")
    expect(alert).to_contain_text("The people on this unit were changed outside the portfolio.")
    expect(alert).to_contain_text("The portfolio made Bob Baker its assessor; the database now names Erin Evans.")
    both_widths(page, axe_check, screenshot, "case-changed-unit-administrator")
    page.get_by_role("link", name="Manage this enrolment").click()
    expect(page.get_by_text("were changed outside the portfolio (the portfolio made Bob Baker its assessor")).to_be_visible()
    expect(page.get_by_role("link", name="Change the assessor")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "case-changed-enrolment-administrator")
    page.goto("/portfolio/notifications/")
    expect(page.get_by_text("were changed outside the portfolio").first).to_be_visible()


def test_the_candidate_is_told_the_unit_is_closed_for_now_and_offered_no_way_in(page, moved, login, axe_check, screenshot):
    login(page, moved.alice.email, PASSWORD)  # her own request finds the case changed
    notice = page.locator("[data-case=closed]")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(
        "HSC331 Support individuals to develop and maintain social networks and relationships is closed for now: the "
        "people on it were changed outside the portfolio. Your centre’s administrators have been told; your evidence "
        "is kept."
    )
    expect(notice.get_by_role("link")).to_have_count(0)
    expect(page.locator(f"a[href='/assessments/units/{moved.hsc331.pk}/']")).to_have_count(0)
    expect(page.get_by_text("Erin Evans")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "case-changed-candidate-home")
