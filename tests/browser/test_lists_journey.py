"""The lists a busy centre works from, in a real browser with axe-core: the assessor's home with its
link to every one of their candidates' units (filtered to those with evidence waiting), and the
centre's enrolment list saying where each unit stands."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.models import Role
from tests.assessments.judging_people import submitted
from tests.assessments.quality_records import signed_off_through_the_services
from tests.factories import CentreFactory, enrol, load_standards, member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def busy_centre(transactional_db):
    load_standards()
    centre = CentreFactory(name="Harbour Training", code="harbour")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    grace = member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Gale", email="grace@example.org")
    units = []
    for number in range(12):
        candidate = member(centre, Role.CANDIDATE, first_name=f"Candidate{number:02d}", last_name="Smith")
        units.append(enrol(candidate, "HSC331", assessor=bob, iqa=carol, centre=centre))
    # One unit past its target, one signed off, and one with evidence waiting for Bob.
    late = units[0]
    late.start_date = timezone.localdate() - datetime.timedelta(days=400)
    late.target_date = timezone.localdate() - datetime.timedelta(days=3)
    late.save()
    signed_off_through_the_services(units[1])
    submitted(units[2].candidate, units[2], title="Visit notes")
    return {"centre": centre, "bob": bob, "grace": grace, "units": units}


def test_an_assessor_goes_from_the_home_page_to_every_unit_and_narrows_them(page, busy_centre, login, axe_check, screenshot):
    login(page, "bob@example.org", PASSWORD)
    units = page.get_by_role("region", name=re.compile("Your candidates’ units"))
    expect(units.get_by_role("row")).to_have_count(11)  # the ten nearest their target, and the header
    page.get_by_role("link", name=re.compile(r"See all your candidates’ units \(12\)")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your candidates’ units")
    axe_check()
    page.get_by_label("Show", exact=True).select_option(label="With evidence waiting")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"show=waiting"))
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("Candidate02 Smith")
    screenshot(page, "assessor-units-waiting")
    axe_check()


def test_the_centre_page_says_where_each_unit_stands(page, busy_centre, login, axe_check, screenshot):
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/assessments/centres/{busy_centre['centre'].pk}/")
    enrolments = page.get_by_role("table", name=re.compile("Candidates registered on units"))
    signed = enrolments.get_by_role("row").filter(has_text="Candidate01 Smith")
    expect(signed).to_contain_text("Signed off")
    expect(signed).to_contain_text("when the candidate countersigned")
    expect(enrolments.get_by_role("row").filter(has_text="Candidate05 Smith")).to_contain_text("In progress")
    screenshot(page, "centre-unit-states")
    axe_check()


def test_an_eqa_goes_from_home_to_the_centres_portfolios_and_reads_a_unit(page, busy_centre, login, axe_check, screenshot):
    member(busy_centre["centre"], Role.EQA, first_name="Heidi", last_name="Hughes", email="heidi@example.org")
    login(page, "heidi@example.org", PASSWORD)
    page.get_by_role("link", name=re.compile(r"^Harbour Training\s*:\s*its portfolios")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolios at Harbour Training")
    portfolios = page.get_by_role("table", name=re.compile("Candidates' units at Harbour Training"))
    expect(portfolios.get_by_role("row")).to_have_count(13)
    expect(portfolios.get_by_role("row").filter(has_text="Candidate01 Smith")).to_contain_text("Signed off")
    screenshot(page, "eqa-centre-portfolios")
    axe_check()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "eqa-centre-portfolios-phone")
    axe_check()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name=re.compile("Candidate01 Smith")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HSC331")
    expect(page.get_by_role("button", name=re.compile("Sign off|Unlock|Countersign"))).to_have_count(0)
    axe_check()


def test_a_page_past_the_end_of_a_list_says_which_page_it_shows(page, busy_centre, login, axe_check, screenshot):
    """A bookmark to page 3 of Bob's units, now that they fit on one: the units, and why page 3 is not there."""
    login(page, "bob@example.org", PASSWORD)
    page.goto("/assessments/assess/candidates/?page=3")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your candidates’ units")
    expect(page.get_by_role("status").filter(has_text="There is no page 3")).to_have_text(
        "There is no page 3 of this list: it fits on one page."
    )
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(13)
    for width, name in ((1280, "units-page-not-there"), (390, "units-page-not-there-390")):
        page.set_viewport_size({"width": width, "height": 900})
        axe_check()
        screenshot(page, name)
