"""Each person's home page, at 1280 and 390 px: what to do next at a glance. Alice's unit cards show
progress by element and the next step; Bob's figures (evidence waiting, ready to sign off, due,
past target) lead to the lists behind them; Carol sees what waits for her review and what her
sample covers; Grace sees the centre's units by where they stand.

Alice is the candidate, Bob her assessor, Carol her IQA, Grace the centre administrator. See
tests/assessments/unit_case.py.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments.sampling_plan_models import SamplingPlan
from assessments.services import iqa
from portfolio.models import Enrolment, Role
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence
from tests.factories import enrol, member

PASSWORD = "correct horse battery"
WIDTHS = ((1280, 900), (390, 844))


@pytest.fixture
def case(transactional_db):
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")], skip=12)
    submitted_evidence(case, title="Notes from the lunch club", references=["HSC331c.1", "HSC331 K5"])
    meet(case, case.h3_25, [accepted_evidence(case, title="Boundaries at the front desk", enrolment=case.h3_25)])
    Enrolment.objects.filter(pk=case.hsc331.pk).update(target_date=timezone.localdate() - datetime.timedelta(days=2))
    iqa.sample_add(iqa=case.carol, enrolments=[case.h3_25])
    return case


@pytest.fixture
def busy_case(case):
    """Bob with seven more candidates on H3 25, one due soon, two overdue, three with evidence waiting."""
    for n, (first, last) in enumerate(
        [("Fay", "Fox"), ("Gus", "Gray"), ("Hana", "Hill"), ("Ian", "Irwin"), ("Jo", "Jones"), ("Kit", "King"), ("Lou", "Lee")]
    ):
        candidate = member(case.centre, Role.CANDIDATE, first_name=first, last_name=last)
        enrolment = enrol(candidate, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
        Enrolment.objects.filter(pk=enrolment.pk).update(target_date=timezone.localdate() + datetime.timedelta(days=20 * n - 30))
        if n % 2:
            submitted_evidence(case, candidate=candidate, title=f"Notes from {first}", enrolment=enrolment,
                               references=["H3 25.1", "H3 25.2"])
    return case


def look(page, name: str, axe_check, screenshot) -> None:
    """The signed-in person's home at both widths, checked with axe and photographed."""
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/")
        axe_check()
        screenshot(page, f"home-{name}-{width}")


def test_the_candidates_home_shows_each_unit_by_element_with_its_next_step(page, case, login, axe_check, screenshot):
    login(page, case.alice.email, PASSWORD)
    page.goto("/")
    hsc331 = page.get_by_role("article", name=re.compile("^HSC331 "))
    expect(hsc331.get_by_role("progressbar", name="HSC331 Performance criteria: met")).to_have_attribute(
        "aria-valuetext", "17 of 17 met"
    )
    expect(hsc331.get_by_role("progressbar", name="HSC331c: met")).to_be_visible()
    expect(hsc331).to_contain_text("Next: Everything has evidence: your assessor is judging it.")
    h3_25 = page.get_by_role("article", name=re.compile("^H3 25 "))
    expect(h3_25).to_contain_text("Next: Everything is met: your assessor can sign the unit off.")
    look(page, "candidate", axe_check, screenshot)


def test_the_assessors_home_counts_what_to_do_and_leads_to_it(page, busy_case, login, axe_check, screenshot):
    case = busy_case
    login(page, case.bob.email, PASSWORD)
    page.goto("/")
    glance = page.get_by_role("list", name="At a glance")
    expect(glance.get_by_role("link", name="4 pieces of evidence waiting for your assessment")).to_be_visible()
    expect(glance).to_contain_text("Longest: ")
    glance.get_by_role("link", name="1 Ready to sign off").click()
    ready = page.get_by_role("region", name="Ready to sign off")
    expect(ready.get_by_role("link", name="Sign off H3 25 for Alice Adams")).to_be_in_viewport()
    expect(glance.get_by_role("link", name="3 Overdue")).to_be_visible()
    caseload = page.get_by_role("region", name="Your caseload")
    expect(caseload).to_contain_text("8 candidates · 9 units · 3 overdue")
    expect(caseload.get_by_role("img", name=re.compile("^Your 9 units: Waiting for you: 4; Ready to sign off: 1"))).to_be_visible()
    candidates = page.get_by_role("list", name="Your candidates")
    first = candidates.get_by_role("listitem").first
    expect(first).to_contain_text("Alice Adams")
    expect(first.get_by_role("link", name="Sign off H3 25 for Alice Adams")).to_be_visible()
    expect(first.get_by_role("img", name="Alice Adams: 53 of 65 items met")).to_be_visible()
    expect(candidates.get_by_role("link", name="Judge 1 waiting for Gus Gray")).to_be_visible()
    # Evidence waiting is counted per unit: the lunch club notes are mapped to HSC331 only.
    units = page.get_by_role("table", name=re.compile("^Your candidates’ units"))
    expect(units.get_by_role("row").nth(1)).to_contain_text("Fay Fox")  # the most overdue first
    expect(units.get_by_role("row", name=re.compile("HSC331")).get_by_role("link", name="1 waiting")).to_be_visible()
    expect(units.get_by_role("row", name=re.compile("H3 25")).get_by_role("cell").last).to_have_text("None")
    look(page, "assessor", axe_check, screenshot)
    # On a phone the evidence waiting stacks its rows: each Judge button is on screen, not off to the right.
    judge = page.get_by_role("table", name=re.compile("^Evidence waiting for your judgement")).get_by_role("link", name=re.compile("^Judge")).first
    judge.scroll_into_view_if_needed()
    expect(judge).to_be_in_viewport(ratio=1)


def test_the_iqas_home_shows_what_waits_for_review_and_the_samples_coverage(page, case, login, axe_check, screenshot):
    SamplingPlan.objects.create(
        iqa=case.carol, centre=case.centre, period_start=timezone.localdate(),
        period_end=timezone.localdate() + datetime.timedelta(days=364),
    )
    login(page, case.carol.email, PASSWORD)
    page.goto("/")
    waiting = page.get_by_role("region", name="Waiting for your review, the longest first")
    expect(waiting).to_contain_text("Alice Adams · H3 25")
    expect(waiting.get_by_role("link", name="Review H3 25 of Alice Adams")).to_be_visible()
    assessors = page.get_by_role("list", name="Your assessors")
    bob = assessors.get_by_role("listitem").filter(has_text="Bob Baker")
    expect(bob).to_contain_text("1 candidate · 2 units")
    expect(bob).to_contain_text("1 waiting for your review")
    expect(bob).to_contain_text("Plan: interim 0 of 2 planned, summative 0 of 2 planned · Behind plan")
    expect(page.get_by_role("list", name="Quality assurance at a glance")).to_contain_text("2 Assessors behind your plan")
    expect(bob.get_by_role("img", name="Bob Baker: 0 of 2 units signed off")).to_be_visible()
    expect(bob.get_by_role("link", name="Sample Bob Baker’s units")).to_have_attribute(
        "href", re.compile(rf"/quality/\?assessor={case.bob.pk}$")
    )
    coverage = page.get_by_role("region", name="What your sample covers")
    # Alice's two units and Dave's: one of them (H3 25) in the sample; of the two unit standards, one.
    expect(coverage.get_by_role("progressbar", name="Candidates’ units your sample covers")).to_have_attribute(
        "aria-valuetext", "1 of 3")
    expect(coverage.get_by_role("progressbar", name="Unit standards your sample covers")).to_have_attribute(
        "aria-valuetext", "1 of 2")
    expect(assessors.get_by_role("link", name=re.compile("^Sample ")).last).to_have_class(re.compile(r"btn-(outline-)?primary"))
    look(page, "iqa", axe_check, screenshot)


def test_an_iqa_with_no_sampling_plan_is_told_so(page, case, login, axe_check, screenshot):
    login(page, case.carol.email, PASSWORD)
    page.goto("/")
    glance = page.get_by_role("list", name="Quality assurance at a glance")
    expect(glance.get_by_role("link", name="No sampling plan yet")).to_be_visible()
    expect(glance).not_to_contain_text("behind your plan")
    look(page, "iqa-no-plan", axe_check, screenshot)


def test_the_administrators_home_says_where_the_centres_units_stand(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto("/")
    expect(page.get_by_text("3 in progress: 1 past its target date")).to_be_visible()
    look(page, "administrator", axe_check, screenshot)


def test_the_centre_page_reads_on_a_phone(page, busy_case, login, axe_check, screenshot):
    """The centre page at 390 px: its tables stack their rows, so nothing scrolls sideways and no
    row stands tall and empty beside buttons wrapped one under another."""
    case = busy_case
    login(page, case.grace.email, PASSWORD)
    url = reverse("assessments:centre_detail", args=[case.centre.pk])
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        axe_check()
        screenshot(page, f"centre-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Before: a person's row stood 600 px tall, its buttons wrapped word by word. A stacked
    # enrolment (name, unit, people, dates, an Overdue mark, state, Manage) is about 270 px.
    rows = page.eval_on_selector_all("main tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(rows) < 330, max(rows)
    buttons = page.eval_on_selector_all(
        "main tbody .btn", "buttons => buttons.map(b => [b.innerText, b.getBoundingClientRect().height])"
    )
    assert buttons and all(height < 45 for _, height in buttons), buttons  # each button on one line
    manage = page.get_by_role("link", name=re.compile(r"^Manage\W+Alice Adams$"))
    manage.scroll_into_view_if_needed()
    expect(manage).to_be_in_viewport(ratio=1)
