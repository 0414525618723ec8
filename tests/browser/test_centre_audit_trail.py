"""The centre's audit trail page (ops/audit_trail), as its administrator opens it from the centre page:
how the centre was run in sentences, narrowed by a person's words, a bad date refused plainly; and
nothing of a candidate's evidence. Seen with axe-core at 1280 and 390 px."""

import pytest
from playwright.sync_api import expect

from portfolio import audit
from portfolio.audit import PortfolioAction
from portfolio.models import Evidence, Role
from portfolio.services_people import membership_deactivate
from tests.assessments.unit_case import build_case
from tests.browser.test_eqa_access_journey import at_both_widths
from tests.factories import member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    case = build_case()
    leaver = member(case.centre, Role.ASSESSOR, first_name="Lee", last_name="Leaver", email="lee@example.org")
    audit.record(PortfolioAction.SIGN_IN_LOCK_CLEARED, actor=case.grace, centre=case.centre,
                 summary="Sign-in lock-out of lee@example.org cleared",
                 after={"person": leaver.pk, "email": leaver.email})
    membership_deactivate(centre=case.centre, person=leaver, deactivated_by=case.grace,
                          reason="Left the centre for a job with a much longer title than most people have.")
    evidence = Evidence.objects.filter(centre=case.centre).first()
    audit.record(PortfolioAction.FILE_VIEWED, actor=case.bob, centre=case.centre, summary="Viewed secret-plan.pdf",
                 evidence=evidence, after={"file": "secret-plan.pdf"})
    return case


def test_the_administrator_reads_the_centres_audit_trail(page, case, live_server, login, axe_check, screenshot):
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assessments/centres/{case.centre.pk}/")
    page.get_by_role("link", name="Audit trail", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    rows = page.locator("tbody tr")
    # Named by name, as the rest of the trail names people, never by address (outside trial); an event
    # recorded with the address alone, before names were kept, reads by the name too.
    expect(rows.first).to_contain_text("Grace Gordon deactivated Lee Leaver at the centre, as assessor")
    expect(rows.nth(1)).to_contain_text("Grace Gordon cleared the sign-in lock-out of Lee Leaver")
    expect(page.locator("main")).not_to_contain_text("lee@example.org")
    expect(page.locator("main")).not_to_contain_text("secret-plan.pdf")
    at_both_widths(page, axe_check, screenshot, "centre-audit-trail")

    page.get_by_label("Person").fill("lee@example")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(2)
    expect(page.locator("summary")).to_contain_text("Person: lee@example")

    page.get_by_label("From").fill("2026-06-02")
    page.get_by_label("To").fill("2026-06-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("The end date must be on or after the start date")
    expect(rows).to_have_count(2)  # neither date applied
    at_both_widths(page, axe_check, screenshot, "centre-audit-trail-refused")


def test_the_administrator_records_what_the_centre_did_about_a_deleted_event(page, case, live_server, login, axe_check, screenshot):
    """An event deleted in the database, found by the nightly check: Grace reads it at the top of the
    trail, records what the centre did, and the page says it is known."""
    import io

    from django.core.management import CommandError, call_command

    from portfolio.models import AuditEvent
    from tests.portfolio import audit_tampering

    audit_tampering.delete(AuditEvent.objects.filter(centre=case.centre, action=PortfolioAction.SIGN_IN_LOCK_CLEARED).get())
    with pytest.raises(CommandError):
        call_command("check_fixity", "--now", stdout=io.StringIO())
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"{live_server.url}/ops/centres/{case.centre.pk}/audit-trail/")
    found = page.locator("#audit-trail-found-changed")
    expect(found).to_contain_text("has been deleted")
    at_both_widths(page, axe_check, screenshot, "centre-audit-trail-found-changed")

    found.get_by_label("What the centre did about it").fill("Compared with the backup of 1 December; told City & Guilds.")
    found.get_by_role("button", name="Record that the centre has dealt with it").click()

    expect(page.get_by_text("Recorded: the 1 problem found in the audit trail is known to the centre.")).to_be_visible()
    expect(page.locator("#audit-trail-found-changed")).to_contain_text("Grace Gordon recorded what the centre did about it")
    expect(page.get_by_role("button", name="Record that the centre has dealt with it")).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "centre-audit-trail-dealt-with")
    call_command("check_fixity", "--now", stdout=io.StringIO())  # known: the nightly check passes


def test_the_administrator_reads_that_the_newest_events_were_deleted(page, case, live_server, login, axe_check, screenshot):
    """The newest events deleted after a nightly check, found by the next one against the heads the
    first recorded outside the database (ops/audit_trail/heads.py): said apart, once, nothing to record."""
    import io

    from django.core.management import CommandError, call_command

    from portfolio.models import AuditEvent
    from tests.portfolio import audit_tampering

    call_command("check_fixity", "--now", stdout=io.StringIO())
    audit_tampering.delete(AuditEvent.objects.filter(centre=case.centre).order_by("-pk").first())
    with pytest.raises(CommandError):
        call_command("check_fixity", "--now", stdout=io.StringIO())
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"{live_server.url}/ops/centres/{case.centre.pk}/audit-trail/")

    found = page.locator("#audit-trail-tail-deleted")
    expect(found).to_contain_text("The latest events were deleted")
    expect(found).to_contain_text("The nightly check says this once")
    expect(page.get_by_role("button", name="Record that the centre has dealt with it")).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "centre-audit-trail-tail-deleted")
