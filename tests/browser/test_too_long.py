"""Form fields past DATA_UPLOAD_MAX_MEMORY_SIZE (here made 2,000 so a test can pass it): a form the
browser sends itself shows the product's page that says so; the evidence form, which its own script
sends, says it above the form and keeps everything typed.

Alice is the candidate on HSC331; Bob is her assessor and Carol her IQA."""

import pytest
from playwright.sync_api import expect

from portfolio import services
from portfolio.models import AssessmentMethod, Role
from standards.models import Criterion
from tests.factories import CentreFactory, enrol, load_standards, member

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
SAYS = "What you sent is too long to save: the limit is 2,000 characters."


@pytest.fixture
def alice(transactional_db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    load_standards()
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return alice


def test_a_comment_too_long_to_read_gets_a_page_that_says_so(page, login, alice, axe_check, screenshot):
    evidence = services.evidence_create(
        candidate=alice, centre=alice.memberships.get().centre, author=alice, title="Supporting a family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=alice.enrolments.get().start_date,
        account="I supported Person A to phone their sister.",
    )
    services.evidence_map(evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
                          knowledge_items=[], scope_items=[])
    services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
    login(page, "alice@example.org", PASSWORD)
    page.goto(f"/assessments/evidence/{evidence.pk}/")

    page.get_by_label("Write to your assessor").fill("Is the date right? " * 150)
    page.get_by_role("button", name="Send comment").click()

    expect(page.get_by_role("heading", name="Too long to save")).to_be_visible()
    expect(page.get_by_text(SAYS + " Go back, shorten it and send it again.")).to_be_visible()
    axe_check()
    screenshot(page, "too-long")
    page.set_viewport_size(PHONE)
    axe_check()
    screenshot(page, "too-long-390")


def test_the_evidence_form_says_so_above_itself_and_keeps_what_was_typed(page, login, alice, axe_check):
    login(page, "alice@example.org", PASSWORD)
    page.goto("/portfolio/evidence/new/")
    account = "I supported Person A to phone their sister and plan a visit. " * 40
    page.get_by_label("Title").fill("Supporting a family visit")
    page.get_by_label("Written account").fill(account)

    page.get_by_role("button", name="Save as draft").click()

    alert = page.get_by_role("alert").filter(has_text=SAYS)
    expect(alert).to_be_focused()
    expect(page.get_by_label("Title")).to_have_value("Supporting a family visit")
    expect(page.get_by_label("Written account")).to_have_value(account)
    axe_check()
