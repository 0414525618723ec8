"""Two outside-trial findings, seen in the browser with axe-core at 1280 and 390 px.

Carol agreed with the decisions so far on Alice's HSC331 at an interim review, then added it to her
sample again: her sample page lists it apart, "with nothing new to review", not under "Waiting for
your review". And Bob, told of Alice's unit before he was taken off it, opens that notification:
a plain page says it is no longer open to him, not a bare 404.

Bob assesses Alice Adams on HSC331; Carol is its IQA; Grace administers the centre; Erin assesses."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import QualityReview
from assessments.services import iqa as iqa_services
from portfolio import services_enrolments
from portfolio.models import Role
from portfolio.notification_kinds import NotificationKind
from portfolio.notifications import notify
from tests.assessments.quality_records import accepted_evidence, decide, riverside_team
from tests.browser.test_eqa_access_journey import at_both_widths
from tests.factories import enrol, member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    centre, alice, bob, carol = riverside_team()
    hsc331 = enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    decide(hsc331, accepted_evidence(hsc331, title="Social networks"), count=3)
    grace = member(
        centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Green", email="grace@example.org"
    )
    erin = member(centre, Role.ASSESSOR, first_name="Erin", last_name="Evans", email="erin@example.org")
    return type("Case", (), dict(centre=centre, bob=bob, carol=carol, grace=grace, erin=erin, hsc331=hsc331))


def test_agreed_and_added_again_is_listed_apart_not_waiting(
    page, case, live_server, login, axe_check, screenshot
):
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    iqa_services.review_record(
        review_or_enrolment=case.hsc331, iqa=case.carol, outcome=QualityReview.Outcome.COUNTERSIGNED
    )
    iqa_services.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    login(page, "carol@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/quality/")

    expect(page.get_by_text("No unit in your sample is waiting for your review.")).to_be_visible()
    expect(
        page.get_by_role("table", name="Units in your sample whose review you have not recorded yet")
    ).to_have_count(0)
    apart = page.get_by_role("list", name="Also in your sample, with nothing new to review")
    expect(apart).to_contain_text("Alice Adams, HSC331, assessed by Bob Baker: agreed at interim review")
    expect(apart).to_contain_text("nothing new since")
    at_both_widths(page, axe_check, screenshot, "iqa-agreed-sampled-again")

    page.get_by_role("list", name="Also in your sample, with nothing new to review").get_by_role(
        "link", name="Alice Adams"
    ).click()
    expect(page.locator("#iqa-nothing-new")).to_contain_text("so nothing new waits for review")
    expect(page.get_by_role("main")).not_to_contain_text("waiting for your review")
    at_both_widths(page, axe_check, screenshot, "iqa-agreed-sampled-again-unit")


def test_a_notification_of_a_unit_he_was_taken_off_says_it_is_no_longer_open(
    page, case, live_server, login, axe_check, screenshot
):
    notify(
        [case.bob],
        "Alice Adams submitted E1 for assessment.",
        centre=case.centre,
        kind=NotificationKind.EVIDENCE_SUBMITTED,
        link=reverse("assessments:enrolment_detail", args=[case.hsc331.pk]),
    )
    services_enrolments.enrolment_reassign(
        enrolment=case.hsc331,
        role="assessor",
        person=case.erin,
        reason="Caseloads shared out.",
        changed_by=case.grace,
    )
    login(page, "bob@example.org", PASSWORD)
    page.goto(f"{live_server.url}/portfolio/notifications/")
    page.get_by_role("link", name="Alice Adams submitted E1 for assessment.").click()

    expect(page.get_by_role("heading", name="This page is no longer open to you")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "you were taken off the unit or your role at the centre changed"
    )
    expect(page.get_by_role("main")).not_to_contain_text("Erin")
    at_both_widths(page, axe_check, screenshot, "notification-no-longer-open")
    page.get_by_role("link", name="Back to your notifications").click()
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
