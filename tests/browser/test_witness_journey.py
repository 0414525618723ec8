"""A witness gives testimony through a link: Alice, the candidate, asks her line manager Wendy for
testimony on two criteria of HSC331; Wendy, who has no account, opens the emailed link in her own
browser, writes what she saw and confirms; Alice's unit page then lists Wendy and the evidence.

Bob is Alice's assessor and Carol her IQA.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import TestimonyRequest, Witness
from portfolio.models import AssessmentMethod, Evidence, EvidenceState, Role
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, VIEWPORT, WCAG_TAGS, format_axe_violations
from tests.factories import CentreFactory, enrol, load_standards, member

PASSWORD = "correct horse battery"
TESTIMONY = (
    "On the late shift I saw Alice help Person A phone their sister. She asked Person A what they "
    "wanted to say, let them choose the day of the visit, and wrote the plan down with them."
)


@pytest.fixture(autouse=True)
def standards(transactional_db):
    load_standards()


@pytest.fixture
def alice(standards, settings, live_server):
    settings.PORTFOLIO_SITE_URL = live_server.url
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return alice


def assert_accessible(page) -> None:
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    violation_count = len(violations)
    assert violation_count == 0, format_axe_violations(violations)


def test_a_witness_without_an_account_gives_testimony_through_a_link(
    page, browser, live_server, alice, login, axe_check, screenshot
):
    login(page, alice.email, PASSWORD)
    page.get_by_role("link", name=re.compile(r"^HSC331\s*Support individuals")).click()
    page.get_by_role("tab", name="Evidence").click()
    witnesses = page.get_by_role("region", name="Witnesses and testimony")
    expect(witnesses).to_contain_text("No witnesses yet")
    witnesses.get_by_role("link", name="Ask a witness for testimony").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a witness for testimony")
    page.get_by_label("Witness’s name").fill("Wendy Walsh")
    page.get_by_label("Witness’s email address").fill("wendy@care.example.org")
    page.get_by_role("checkbox", name=re.compile(r"^HSC331a\.1 ")).check()
    page.get_by_role("checkbox", name=re.compile(r"^HSC331a\.2 ")).check()
    axe_check()
    screenshot(page, "witness-request")
    page.get_by_role("button", name="Send the link to the witness").click()

    expect(page.get_by_role("status").filter(has_text="The link was emailed to Wendy Walsh")).to_be_visible()
    expect(witnesses).to_contain_text("Sent to Wendy Walsh")
    expect(witnesses).to_contain_text("HSC331a.1")
    screenshot(page, "witness-request-sent")

    assert len(mail.outbox) == 1
    link = re.search(r"^(http\S+/witness/\S+/)$", mail.outbox[0].body, re.MULTILINE).group(1)
    assert link.startswith(live_server.url)

    # Wendy's own browser: no session, nothing shared with Alice's.
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        wendy = context.new_page()
        wendy.goto(link)
        expect(wendy.get_by_role("heading", level=1)).to_have_text("Witness testimony for Alice Adams")
        about = wendy.get_by_role("region", name="What your testimony is about")
        expect(about).to_contain_text("HSC331a.1")
        expect(about).to_contain_text("HSC331a.2")
        expect(about).not_to_contain_text("HSC331a.3")
        expect(wendy.get_by_role("navigation")).to_have_count(0)
        expect(wendy.get_by_text("alice@example.org")).to_have_count(0)
        assert_accessible(wendy)
        screenshot(wendy, "witness-give")

        wendy.get_by_role("button", name="Send my testimony").click()
        expect(wendy.get_by_role("alert")).to_contain_text("Describe what you saw.")
        expect(wendy.get_by_role("alert")).to_contain_text("Tick the box to confirm")
        assert_accessible(wendy)
        screenshot(wendy, "witness-give-errors")

        wendy.get_by_label("What you saw").fill(TESTIMONY)
        seen_on = timezone.localdate() - datetime.timedelta(days=3)
        wendy.get_by_label("Date you saw it").fill(seen_on.isoformat())
        wendy.get_by_label("Where you saw it").fill("Riverside day centre")
        expect(wendy.get_by_label("Your name")).to_have_value("Wendy Walsh")
        wendy.get_by_label("Your job role").fill("Team leader")
        wendy.get_by_label("Your relationship to the candidate").fill("Line manager")
        wendy.get_by_label("No: I saw the work", exact=False).check()
        wendy.get_by_label("I confirm this is a true account of what I saw.").check()
        wendy.get_by_role("button", name="Send my testimony").click()

        expect(wendy.get_by_role("heading", level=1)).to_have_text("Thank you: your testimony is sent")
        assert_accessible(wendy)
        screenshot(wendy, "witness-thanks")

        response = wendy.goto(link)
        assert response.status == 410
        expect(wendy.get_by_role("heading", level=1)).to_have_text("This link has already been used")
        screenshot(wendy, "witness-link-used")
    finally:
        context.close()

    page.reload()
    expect(witnesses).to_contain_text("Wendy Walsh, Team leader")
    expect(witnesses).to_contain_text("Line manager")
    evidence = Evidence.objects.get(candidate=alice)
    evidence_link = witnesses.get_by_role("link", name=f"{evidence.reference} Witness testimony from Wendy Walsh")
    expect(evidence_link).to_be_visible()
    expect(page.locator("#hsc331a-1")).to_contain_text(f"{evidence.reference} Witness testimony from Wendy Walsh")
    expect(page.locator("#hsc331a-2")).to_contain_text("Submitted for assessment")
    axe_check()
    screenshot(page, "witness-unit-page")

    evidence_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Witness testimony from Wendy Walsh")
    expect(page.get_by_text("The witness confirmed")).to_be_visible()
    screenshot(page, "witness-evidence")

    assert evidence.method == AssessmentMethod.WITNESS_TESTIMONY
    assert evidence.state == EvidenceState.SUBMITTED
    assert evidence.activity_date == seen_on
    assert sorted(evidence.criteria.values_list("reference", flat=True)) == ["HSC331a.1", "HSC331a.2"]
    assert Witness.objects.get(candidate=alice).name == "Wendy Walsh"
    assert TestimonyRequest.objects.get().used_at is not None
