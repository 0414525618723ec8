"""Issue 4's judging journey: the candidate submits evidence, the assessor (in a browser of his own)
refers it back with feedback, the candidate reads the feedback, changes the evidence and submits it
again, and the assessor accepts it as valid, authentic, current and sufficient. Both rounds stay.

Alice is the candidate on HSC331; Bob is her assessor and Carol her IQA.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from assessments.models import Judgement
from portfolio import services
from portfolio.models import AssessmentMethod, Evidence, EvidenceState, Role
from standards.models import Criterion, KnowledgeItem
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, VIEWPORT, WCAG_TAGS, format_axe_violations
from tests.factories import CentreFactory, enrol, load_standards, member
from tests.portfolio import hostile_files

PASSWORD = "correct horse battery"
FEEDBACK = "Say what Person A chose and how you checked they were happy with the plan."
CHANGED_ACCOUNT = (
    "Person A chose to visit their sister on Sunday. I asked them afterwards and they said they "
    "were happy with the plan; I recorded this in their support notes."
)


@pytest.fixture
def case(transactional_db, tmp_path):
    load_standards()
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    # The draft is made through the services: adding and mapping evidence has its own journey.
    photo = tmp_path / "visit-photo.jpg"
    photo.write_bytes(hostile_files.jpeg_photo((640, 480)))
    plan = tmp_path / "visit-plan.pdf"
    plan.write_bytes(hostile_files.pdf_document("Visit plan agreed with Person A."))
    evidence = services.evidence_create(
        candidate=alice, centre=centre, author=alice, title="Supporting a family visit",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=enrolment.start_date, location="Day centre",
        account="I supported Person A to phone their sister and plan a visit.",
        uploads=[
            SimpleUploadedFile("visit-photo.jpg", photo.read_bytes(), content_type="image/jpeg"),
            SimpleUploadedFile("visit-plan.pdf", plan.read_bytes(), content_type="application/pdf"),
        ],
    )
    services.evidence_map(
        evidence=evidence, editor=alice,
        criteria=Criterion.objects.filter(reference__in=["HSC331a.1", "HSC331b.2"]),
        knowledge_items=KnowledgeItem.objects.filter(reference="HSC331 K6"), scope_items=[],
    )
    return {"alice": alice, "bob": bob, "evidence": evidence}


def check_accessibility(page) -> None:
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    violation_count = len(violations)
    assert violation_count == 0, format_axe_violations(violations)


def submit(page, link: str = "Submit for assessment") -> None:
    page.get_by_role("link", name=link).click()
    page.get_by_label("I confirm this declaration").check()
    page.get_by_role("button", name="Submit for assessment").click()
    expect(page.locator("header .state-badge")).to_have_text("Submitted for assessment")


def test_the_assessor_refers_evidence_back_and_accepts_it_once_the_candidate_has_changed_it(
    page, browser, live_server, case, login, axe_check, screenshot
):
    evidence = case["evidence"]
    evidence_url = f"/assessments/evidence/{evidence.pk}/"

    # Alice submits her evidence.
    login(page, "alice@example.org", PASSWORD)
    page.goto(evidence_url)
    submit(page)

    # Bob, in his own browser, is told; the queue shows what waits; he opens it and refers it back.
    bobs_context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    bobs_context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        bob = bobs_context.new_page()
        login(bob, "bob@example.org", PASSWORD)
        menu = bob.get_by_role("navigation", name="Main")
        expect(menu.get_by_role("link", name=re.compile(r"^Notifications 1 unread$"))).to_be_visible()
        expect(bob.get_by_role("region", name="Evidence waiting for you")).to_contain_text("E1 Supporting a family visit")
        screenshot(bob, "assessor-home-with-queue")
        menu.get_by_role("link", name="Evidence to judge").click()
        expect(bob.get_by_role("heading", level=1)).to_have_text("Evidence to judge")
        expect(bob.get_by_role("row", name=re.compile("E1 Supporting a family visit"))).to_contain_text("Alice Adams")
        check_accessibility(bob)
        screenshot(bob, "assessor-queue")

        bob.get_by_role("link", name="Judge E1").click()
        expect(bob).to_have_url(re.compile(rf"{evidence_url}#judge$"))
        judging = bob.get_by_role("region", name="Judge E1")
        expect(bob.get_by_role("img", name=re.compile(r"^Photo: visit-photo\.jpg"))).to_be_visible()
        pdf_link = bob.get_by_role("link", name="Open visit-plan.pdf in a new tab", exact=True)
        expect(pdf_link).to_have_attribute("target", "_blank")
        for label in ("Valid", "Authentic", "Current", "Sufficient"):
            expect(judging.get_by_role("checkbox", name=label, exact=True)).not_to_be_checked()
        check_accessibility(bob)
        screenshot(bob, "assessor-judging-page")

        judging.get_by_label("Feedback to the candidate").fill(FEEDBACK)
        judging.get_by_role("button", name="Refer back to the candidate").click()
        expect(bob.get_by_role("status").filter(has_text="E1 is referred back.")).to_be_visible()
        # Nothing else waits for Bob: he is on HSC331's decisions; E1's page says where it stands.
        expect(bob.get_by_role("heading", level=1)).to_contain_text("Decisions on HSC331")
        bob.goto(evidence_url)
        expect(bob.locator("header .state-badge")).to_have_text("Referred back")
        expect(bob.get_by_role("region", name="Judge E1")).to_have_count(0)

        # Alice reads the feedback, changes the evidence and submits it again.
        page.goto("/")
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Notifications 1 unread"))).to_be_visible()
        page.goto(evidence_url)
        referral = page.get_by_role("region", name="Your assessor referred E1 back to you")
        expect(referral).to_contain_text(FEEDBACK)
        axe_check()
        screenshot(page, "candidate-evidence-referred")
        expect(page.get_by_role("link", name="Submit again")).to_be_visible()
        page.get_by_role("link", name="Change", exact=True).click()
        page.get_by_label("Written account").fill(CHANGED_ACCOUNT)
        page.get_by_role("button", name="Save changes").click()
        expect(page).to_have_url(re.compile(rf"{evidence_url}$"))
        expect(page.locator("summary", has_text="Version 1:")).to_be_visible()
        submit(page, "Submit again")

        # Bob accepts the changed version, confirming each of VACS.
        bob.goto(evidence_url)
        expect(bob.get_by_role("region", name="Written account")).to_contain_text("Person A chose to visit")
        judging = bob.get_by_role("region", name="Judge E1")
        judging.get_by_role("button", name="Accept").click()
        expect(bob.get_by_role("alert")).to_contain_text("Confirm the evidence is valid, or refer it back.")
        for label in ("Valid", "Authentic", "Current", "Sufficient"):
            judging.get_by_role("checkbox", name=label, exact=True).check()
        judging.get_by_role("button", name="Accept").click()
        expect(bob.get_by_role("status").filter(has_text="E1 is accepted")).to_be_visible()
        bob.goto(evidence_url)
        rounds = bob.get_by_role("region", name="Assessment")
        expect(rounds.get_by_role("listitem")).to_have_count(2)
        expect(rounds.get_by_role("listitem").nth(0)).to_contain_text("Referred back")
        expect(rounds.get_by_role("listitem").nth(1)).to_contain_text("Round 2 · version 2")
        check_accessibility(bob)
        screenshot(bob, "assessor-evidence-accepted")

        bob.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence to judge").click()
        expect(bob.get_by_text("Nothing is waiting for your judgement.")).to_be_visible()
    finally:
        bobs_context.close()

    # Alice sees the evidence accepted, with both rounds and their feedback.
    page.goto(evidence_url)
    expect(page.locator("header .state-badge")).to_have_text("Accepted")
    rounds = page.get_by_role("region", name="Assessment")
    expect(rounds).to_contain_text(FEEDBACK)
    expect(rounds).to_contain_text("Confirmed valid, authentic, current and sufficient.")
    axe_check()
    screenshot(page, "candidate-evidence-accepted")

    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.get_by_role("listitem").filter(has_text="Bob Baker accepted E1")).to_be_visible()
    axe_check()
    screenshot(page, "candidate-notifications")

    evidence = Evidence.objects.get(pk=evidence.pk)
    assert evidence.state == EvidenceState.ACCEPTED
    assert list(Judgement.objects.filter(evidence=evidence).values_list("version", "outcome")) == [
        (1, "referred"),
        (2, "accepted"),
    ]


def test_the_assessor_records_an_observation_from_the_unit_page(page, case, login, axe_check, screenshot):
    login(page, "bob@example.org", PASSWORD)
    # The home lists Alice twice (her candidate card and her unit's row); the row opens the unit page.
    page.get_by_role("rowheader").get_by_role("link", name="Alice Adams").click()
    panel = page.get_by_role("region", name="What to do next")
    expect(panel).not_to_contain_text("waits for your judgement")
    panel.get_by_role("link", name="Record an observation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record an observation")
    page.get_by_role("textbox", name="Title").fill("Observation: planning a visit with Person A")
    page.get_by_role("textbox", name="Where").fill("Day centre")
    page.get_by_role("textbox", name="What you saw").fill("Alice helped Person A phone their sister and let them choose the day.")
    page.get_by_role("checkbox", name=re.compile(r"^HSC331a\.1 ")).check()
    page.get_by_role("checkbox", name=re.compile(r"^HSC331 K6 ")).check()
    axe_check()
    screenshot(page, "assessor-record-observation")
    page.get_by_role("button", name="Save to the portfolio").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Observation: planning a visit with Person A")
    expect(page.locator("header").get_by_text("Recorded by the assessor", exact=True)).to_be_visible()
    expect(page.locator("header .state-badge")).to_have_text("Accepted")
    expect(page.get_by_role("region", name="What the assessor saw")).to_contain_text("let them choose the day")
    axe_check()
    screenshot(page, "assessor-observation-recorded")
    observation = Evidence.objects.get(title="Observation: planning a visit with Person A")
    assert observation.created_by == case["bob"]
    assert observation.candidate == case["alice"]
