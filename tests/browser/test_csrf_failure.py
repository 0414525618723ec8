"""A form refused by the CSRF check, in a browser: the evidence page left open in one tab while Alice
signs out and in again in another, then her comment sent from the first tab; and the sign-in form
sent after its cookie went. Each gets the site's own page, in words, checked with axe-core at 1280
and 390 pixels wide, and nothing is saved (config/csrf_failure.py).

Alice is the candidate on HSC331; Bob is her assessor and Carol her IQA."""

import pytest
from playwright.sync_api import expect

from assessments.models import EvidenceComment
from portfolio import services
from portfolio.models import AssessmentMethod
from standards.models import Criterion
from tests.assessments.quality_records import riverside_team
from tests.browser.conftest import EMAIL_LABEL, PASSWORD_LABEL, sign_in, sign_out
from tests.factories import enrol

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
SAYS = (
    "The page was open for too long, or you signed in again in another tab or window since it opened, "
    "so the portfolio could not be sure the form came from you. Nothing was saved."
)


@pytest.fixture
def alice(transactional_db):
    centre, alice, bob, carol = riverside_team()
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    evidence = services.evidence_create(
        candidate=alice,
        centre=centre,
        author=alice,
        title="Supporting a family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=enrolment.start_date,
        account="I supported Person A to phone their sister.",
    )
    services.evidence_map(
        evidence=evidence,
        editor=alice,
        criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[],
        scope_items=[],
    )
    return services.evidence_submit(evidence=evidence, candidate=alice, declared=True)


def _says_so(page, axe_check, screenshot, name: str) -> None:
    expect(page.get_by_role("heading", name="Your form could not be sent")).to_be_visible()
    expect(page.get_by_text(SAYS)).to_be_visible()
    expect(page.get_by_text("Go back, reload the page and send the form again.")).to_be_visible()
    expect(page.get_by_text("CSRF")).to_have_count(0)
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    axe_check()
    screenshot(page, f"{name}-390")


def test_a_comment_sent_from_a_tab_left_open_across_signing_in_again(page, alice, axe_check, screenshot):
    evidence = alice
    sign_in(page, "alice@example.org", PASSWORD)
    page.goto(f"/assessments/evidence/{evidence.pk}/")
    other_tab = page.context.new_page()
    other_tab.goto("/")
    sign_out(other_tab)
    sign_in(other_tab, "alice@example.org", PASSWORD)
    other_tab.close()

    page.get_by_label("Write to your assessor").fill("Is the date right?")
    page.get_by_role("button", name="Send comment").click()

    expect(page.get_by_role("button", name="Signed in as Alice Adams")).to_be_visible()  # still signed in
    _says_so(page, axe_check, screenshot, "csrf-failure")
    assert not EvidenceComment.objects.exists()
    page.get_by_role("link", name="Open the page again").click()
    expect(page.get_by_role("heading", name="Supporting a family visit")).to_be_visible()


def test_the_sign_in_form_sent_after_its_cookie_went(page, alice, axe_check, screenshot):
    page.goto("/accounts/login/")
    page.context.clear_cookies()
    page.get_by_label(EMAIL_LABEL).fill("alice@example.org")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("link", name="Sign in")).to_be_visible()  # nobody was signed in
    _says_so(page, axe_check, screenshot, "csrf-failure-signed-out")
