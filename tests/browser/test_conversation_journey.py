"""Issue 13 items 5 and 8 in a browser: Alice's draft is hers alone (Bob, her assessor, finds no page
at its address, and she is told only she sees it); on her submitted evidence she writes to Bob, who
is told, follows the notification to the conversation and answers; she reads the answer. The
evidence page is checked with axe-core at 1280 and 390 pixels wide.

Alice is the candidate on HSC331; Bob is her assessor and Carol her IQA.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assessments.models import EvidenceComment
from portfolio import services
from portfolio.models import AssessmentMethod, Role
from standards.models import Criterion
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, VIEWPORT, WCAG_TAGS, format_axe_violations
from tests.factories import CentreFactory, enrol, load_standards, member

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
QUESTION = "Should I add the visit plan Person A and I wrote together, or is the account enough?"
ANSWER = (
    "The account is enough for HSC331a.1. Add the plan if you map this to HSC331b.2 as well: it shows "
    "how Person A chose the day."
)


def _evidence(alice, centre, enrolment, title: str, *, submit: bool):
    evidence = services.evidence_create(
        candidate=alice, centre=centre, author=alice, title=title,
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=enrolment.start_date, location="Day centre",
        account="I supported Person A to phone their sister and plan a visit.",
    )
    services.evidence_map(
        evidence=evidence, editor=alice, criteria=Criterion.objects.filter(reference="HSC331a.1"),
        knowledge_items=[], scope_items=[],
    )
    if submit:
        services.evidence_submit(evidence=evidence, candidate=alice, declared=True)
    return evidence


@pytest.fixture
def case(transactional_db):
    load_standards()
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    enrolment = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return {
        "submitted": _evidence(alice, centre, enrolment, "Supporting a family visit", submit=True),
        "draft": _evidence(alice, centre, enrolment, "Notes for my reflective account", submit=False),
    }


def _check_at_both_widths(page, axe_check, screenshot, name: str) -> None:
    page.set_viewport_size(VIEWPORT)
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    axe_check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a phone"
    screenshot(page, f"{name}-390")
    page.set_viewport_size(VIEWPORT)


def test_a_comment_sent_by_the_candidate_is_answered_by_the_assessor(
    page, browser, live_server, case, login, axe_check, screenshot
):
    submitted_url = f"/assessments/evidence/{case['submitted'].pk}/"
    draft_url = f"/assessments/evidence/{case['draft'].pk}/"

    # Alice's draft is hers: she is told so, and there is no conversation on it yet.
    login(page, "alice@example.org", PASSWORD)
    page.goto(draft_url)
    expect(page.get_by_role("note")).to_have_text("Only you can see this draft. Your assessor sees it once you submit it.")
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("Once you submit E2, you and your assessor can write to each other about it here.")
    expect(conversation.get_by_role("textbox")).to_have_count(0)
    axe_check()
    screenshot(page, "candidate-draft-only-you")

    # She writes to Bob about her submitted evidence.
    page.goto(submitted_url)
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("No comments yet.")
    conversation.get_by_label("Write to your assessor").fill(QUESTION)
    conversation.get_by_role("button", name="Send comment").click()
    expect(page).to_have_url(re.compile(rf"{submitted_url}#conversation$"))
    expect(page.get_by_role("status").filter(has_text="Your comment on E1 is sent. Bob Baker has been told.")).to_be_visible()
    comments = page.get_by_role("region", name="Conversation").get_by_role("listitem")
    expect(comments).to_have_count(1)
    expect(comments.nth(0)).to_contain_text("Alice Adams (candidate)")
    expect(comments.nth(0)).to_contain_text(QUESTION)

    bobs_context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    bobs_context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        bob = bobs_context.new_page()
        login(bob, "bob@example.org", PASSWORD)
        # The draft is not there for him: its address reads as no page at all.
        response = bob.goto(draft_url)
        assert response is not None and response.status == 404
        expect(bob.get_by_text("Notes for my reflective account")).to_have_count(0)

        # He is told, follows the notification to the conversation and answers.
        bob.goto("/")
        menu = bob.get_by_role("navigation", name="Main")
        # One for the submission, one for the comment.
        menu.get_by_role("link", name=re.compile(r"^Notifications 2 unread$")).click()
        bob.get_by_role("link", name="Alice Adams wrote to you about E1 (HSC331) “Supporting a family visit”.").click()
        expect(bob).to_have_url(re.compile(rf"{submitted_url}#conversation$"))
        conversation = bob.get_by_role("region", name="Conversation")
        expect(conversation.get_by_role("listitem").nth(0)).to_contain_text(QUESTION)
        conversation.get_by_label("Write to Alice Adams").fill(ANSWER)
        conversation.get_by_role("button", name="Send comment").click()
        expect(bob.get_by_role("status").filter(has_text="Alice Adams has been told.")).to_be_visible()
        expect(bob.get_by_role("region", name="Conversation").get_by_role("listitem")).to_have_count(2)
        _check_at_both_widths(bob, axe_check_for(bob), screenshot, "assessor-evidence-conversation")
    finally:
        bobs_context.close()

    # Alice reads the answer, below her question.
    page.goto(submitted_url)
    comments = page.get_by_role("region", name="Conversation").get_by_role("listitem")
    expect(comments).to_have_count(2)
    expect(comments.nth(1)).to_contain_text("Bob Baker (assessor)")
    expect(comments.nth(1)).to_contain_text(ANSWER)
    _check_at_both_widths(page, axe_check, screenshot, "candidate-evidence-conversation")

    assert list(EvidenceComment.objects.order_by("sent_at").values_list("author__first_name", "text")) == [
        ("Alice", QUESTION),
        ("Bob", ANSWER),
    ]


def axe_check_for(page):
    """The `axe_check` fixture checks the test's own page; this checks another browser's."""

    def check(context=None) -> None:
        results = Axe().run(
            page, context=context,
            options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
        )
        violations = results.response["violations"]
        violation_count = len(violations)
        assert violation_count == 0, format_axe_violations(violations)

    return check
