"""Outside trials' findings on the tables of candidates' units, at 1280 and 390 px:

- "with evidence" is one figure: Alice's home card and Bob's table count her submitted evidence
  alike, and her card says a draft waits to be submitted (it counted the draft before);
- Bob, an assessor at two centres, sees each unit's centre on his home and his candidates' units;
- the unit cell reads the same on Bob's list and on Grace's centre's portfolios.

Alice is the candidate, Bob her assessor, Grace the centre administrator (tests/assessments/unit_case.py)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio import services
from portfolio.models import AssessmentMethod, Centre, Role
from standards.models import Criterion
from tests.assessments.unit_case import build_case, submitted_evidence
from tests.factories import enrol, member

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def case(transactional_db):
    case = build_case()
    submitted_evidence(case, title="Notes from the lunch club", references=["HSC331a.1", "HSC331 K5"])
    draft = services.evidence_create(
        candidate=case.alice,
        centre=case.centre,
        author=case.alice,
        title="Planning a family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=timezone.localdate() - datetime.timedelta(days=3),
        account="I helped Person A plan a visit to their sister.",
        uploads=[],
    )
    services.evidence_map(
        evidence=draft,
        editor=case.alice,
        knowledge_items=[],
        criteria=list(
            Criterion.objects.filter(unit=case.hsc331.unit, reference__in=["HSC331a.2", "HSC331a.3"])
        ),
        scope_items=[],
    )
    return case


@pytest.fixture
def two_centres(case):
    """Bob assesses Dora on HSC331 at Hillside College too."""
    hillside = Centre.objects.get(code="hillside")
    dora = member(hillside, Role.CANDIDATE, first_name="Dora", last_name="Dunn")
    ivy = member(hillside, Role.IQA, first_name="Ivy", last_name="Ince")
    enrol(dora, "HSC331", assessor=case.bob, iqa=ivy, centre=hillside)
    return case


def each_width(page, address: str, name: str, axe_check, screenshot) -> None:
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(address)
        axe_check()
        screenshot(page, f"{name}-{width}")


def test_the_candidate_and_the_assessor_count_the_same_evidence(page, case, login, axe_check, screenshot):
    login(page, case.alice.email, PASSWORD)
    page.goto("/")
    card = page.get_by_role("article", name=re.compile("^HSC331 "))
    # Two criteria have only a draft: not counted, and the card says it waits.
    expect(card).to_contain_text("Performance criteria 1 of 17 with evidence")
    expect(card).to_contain_text(
        "1 draft mapped here waits for you to submit it: evidence counts once submitted."
    )
    expect(card).to_contain_text("submit your draft when ready")
    each_width(page, "/", "units-tables-candidate-home", axe_check, screenshot)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.get_by_role("article", name=re.compile("^HSC331 ")).get_by_role("link", name="Open HSC331").click()
    expect(page.get_by_text("1 of 17 with evidence · 0 of 17 met").first).to_be_visible()

    page.context.clear_cookies()
    login(page, case.bob.email, PASSWORD)
    page.goto("/assessments/assess/candidates/")
    row = page.get_by_role("row", name=re.compile("Alice Adams")).filter(has_text="HSC331")
    expect(row.get_by_role("cell").nth(2)).to_have_text("1 of 17")  # criteria with evidence, as on her card


def test_an_assessor_at_two_centres_sees_each_units_centre(page, two_centres, login, axe_check, screenshot):
    case = two_centres
    login(page, case.bob.email, PASSWORD)
    page.goto("/assessments/assess/candidates/")
    table = page.get_by_role("table", name=re.compile("^Your candidates’ units"))
    expect(table.get_by_role("columnheader", name="Centre")).to_be_visible()
    dora = table.get_by_role("row", name=re.compile("Dora Dunn"))
    expect(dora).to_contain_text("Hillside College")
    expect(table.get_by_role("row", name=re.compile("Alice Adams")).first).to_contain_text(
        "Riverside Training"
    )
    each_width(
        page, "/assessments/assess/candidates/", "units-tables-two-centres-list", axe_check, screenshot
    )
    each_width(page, "/", "units-tables-two-centres-home", axe_check, screenshot)
    home = page.get_by_role("table", name=re.compile("^Your candidates’ units"))
    expect(home.get_by_role("row", name=re.compile("Dora Dunn"))).to_contain_text("Hillside College")


def test_an_assessor_at_one_centre_sees_no_centre_column(page, case, login):
    login(page, case.bob.email, PASSWORD)
    page.goto("/assessments/assess/candidates/")
    table = page.get_by_role("table", name=re.compile("^Your candidates’ units"))
    expect(table.get_by_role("columnheader", name="Unit")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Centre")).to_have_count(0)


def test_the_centres_portfolios_show_the_unit_as_the_assessors_list_does(
    page, case, login, axe_check, screenshot
):
    login(page, case.grace.email, PASSWORD)
    address = f"/assessments/centres/{case.centre.pk}/portfolios/"
    each_width(page, address, "units-tables-centre-portfolios", axe_check, screenshot)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(address)
    row = page.get_by_role("row", name=re.compile("Alice Adams on HSC331"))
    expect(row.get_by_role("cell").first).to_have_text(
        re.compile(r"^HSC331 v\S+ · \w+ Support individuals to develop and maintain social networks")
    )
