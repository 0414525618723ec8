"""A candidate at two centres, deactivated at one while its evidence form was open (an outside
trial's finding), seen in the browser with axe-core at 1280 and 390 px: saving the form is refused,
saying so, what was typed kept, and the form then names her other centre; saved again, it goes there.
With two centres left, the form offers the choice of them."""

import pytest
from playwright.sync_api import expect

from portfolio.models import Evidence, Role
from portfolio.services_people import membership_deactivate
from tests.assessments.unit_case import build_case
from tests.browser.test_candidate_journey import fill_in_the_evidence_form
from tests.factories import CentreFactory, enrol, member

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))
GONE = "You can no longer add evidence at the centre this form was for, so nothing was saved."


@pytest.fixture
def case(transactional_db):
    case = build_case()
    case.hillside = CentreFactory(name="Hillside College")
    case.hillside_admin = member(case.hillside, Role.ADMINISTRATOR, first_name="Hal", last_name="Hill")
    enrol(case.alice, "HSC331", assessor=member(case.hillside, Role.ASSESSOR),
          iqa=member(case.hillside, Role.IQA), centre=case.hillside)
    return case


def _open_the_form_then_deactivated(page, case, login) -> None:
    login(page, case.alice.email, PASSWORD)
    page.goto(f"/portfolio/evidence/new/?centre={case.hillside.pk}")
    expect(page.get_by_text("For your portfolio at Hillside College.")).to_be_visible()
    fill_in_the_evidence_form(page, "Planning a visit")
    membership_deactivate(centre=case.hillside, person=case.alice, deactivated_by=case.hillside_admin,
                          reason="Left the course.")
    page.get_by_role("button", name="Save as draft").click()


def test_the_form_is_refused_then_names_her_other_centre(page, case, login, axe_check, screenshot):
    _open_the_form_then_deactivated(page, case, login)

    expect(page.get_by_text(GONE)).to_be_visible()
    assert not Evidence.objects.filter(candidate=case.alice).exists()
    expect(page.get_by_text(f"For your portfolio at {case.centre.name}.")).to_be_visible()
    expect(page.get_by_text("Hillside College")).to_have_count(0)
    expect(page.get_by_label("Title")).to_have_value("Planning a visit")
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        axe_check()
        screenshot(page, f"evidence-stale-centre-{width}")

    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/map/**")
    assert Evidence.objects.get(candidate=case.alice).centre == case.centre


def test_with_two_centres_left_the_form_offers_the_choice(page, case, login, axe_check, screenshot):
    lakeside = CentreFactory(name="Lakeside College")
    member(lakeside, Role.CANDIDATE, email=case.alice.email)
    enrol(case.alice, "HSC331", assessor=member(lakeside, Role.ASSESSOR), iqa=member(lakeside, Role.IQA),
          centre=lakeside)
    _open_the_form_then_deactivated(page, case, login)

    expect(page.get_by_text(GONE)).to_be_visible()
    choice = page.get_by_role("group", name="Which centre is this evidence for?")
    expect(choice.get_by_role("radio")).to_have_count(2)
    expect(page.get_by_text("For your portfolio at")).to_have_count(0)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        axe_check()
        screenshot(page, f"evidence-stale-centre-choice-{width}")

    choice.get_by_label("Lakeside College").check()
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/map/**")
    assert Evidence.objects.get(candidate=case.alice).centre == lakeside
