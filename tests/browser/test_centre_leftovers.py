"""Four things a centre lacked (issue 16), seen in the browser with axe-core at 1280 and 390 px: the
administrator's home counts people invited beside each role; an invited candidate's waiting
qualification registration has its own manage page; the claims page marks all units matching as
claimed after a confirmation; the assessor's home and queue leave out a deactivated candidate's units
and evidence."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Claim
from portfolio.models import PreparedRegistration, Role
from portfolio.services_centre import person_add
from portfolio.services_centre_invitations import enrolment_prepare
from portfolio.services_people import membership_deactivate
from portfolio.services_prepared_registrations import qualification_prepare
from standards.demo_qualification import demo_qualification
from standards.models import Unit
from tests.assessments.test_claims_mark_all import complete
from tests.assessments.unit_case import build_case, submitted_evidence
from tests.browser.conftest import VIEWPORT
from tests.browser.test_eqa_access_journey import PHONE, at_both_widths
from tests.factories import enrol, member

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def case(transactional_db):
    case = build_case()
    demo_qualification()
    return case


def invite(case, n: int, role: str = Role.CANDIDATE):
    return person_add(centre=case.centre, added_by=case.grace, email=f"new{n}@example.org", first_name="Nina",
                      last_name=f"Example{n}", role=role)


def test_the_administrators_home_counts_people_invited(page, case, login, axe_check, screenshot):
    for n in range(3):
        invite(case, n)
    invite(case, 9, Role.ASSESSOR)
    login(page, "grace@example.org", PASSWORD)

    figures = page.locator("dl").first
    expect(figures).to_contain_text("3 invited")
    expect(page.get_by_role("link", name="3 invited candidates not yet accepted")).to_be_visible()
    expect(page.get_by_role("link", name="1 invited assessor not yet accepted")).to_be_visible()
    at_both_widths(page, axe_check, screenshot, "admin-home-invited")
    page.get_by_role("link", name="3 invited candidates not yet accepted").click()
    expect(page).to_have_url(re.compile(r"\?role=candidate#invitations-heading$"))


def test_a_waiting_qualification_registration_is_managed_on_its_own_page(page, case, login, axe_check, screenshot):
    invitation = invite(case, 1)
    today = timezone.localdate()
    qualification_prepare(
        invitation=invitation, prepared_by=case.grace, qualification=demo_qualification(),
        optional_units=[Unit.objects.get(code="H3 25", version=1)], assessor=case.bob, iqa=case.carol,
        start_date=today, target_date=today + datetime.timedelta(days=300),
    )
    enrolment_prepare(  # and one on a unit: the two tables are one include (centre_prepared.html)
        invitation=invite(case, 2), prepared_by=case.grace, unit=Unit.objects.get(code="HSC331", version=1),
        assessor=case.bob, iqa=case.carol, start_date=today, target_date=today + datetime.timedelta(days=200),
    )
    member(case.centre, Role.ASSESSOR, first_name="Adam", last_name="Ash", email="adam@example.org")
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/#prepared-heading")

    waiting = page.get_by_role("table", name="Registrations on qualifications waiting for their candidates to accept")
    expect(waiting).to_contain_text("Nina Example1")
    expect(waiting).to_contain_text("Waiting for acceptance")
    on_units = page.get_by_role("table", name="Registrations waiting for their candidates to accept")
    expect(on_units).to_contain_text("Nina Example2")
    expect(on_units.get_by_role("link", name=re.compile(r"^Manage ?: Nina Example2, HSC331$"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("1 registration of invited candidates on units. Each becomes an enrolment")
    at_both_widths(page, axe_check, screenshot, "centre-prepared-qualifications")
    page.set_viewport_size(PHONE)  # on a phone both tables stack their rows, the second too: no sideways scroll
    for table in (waiting, on_units):
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth"), table
    page.set_viewport_size(VIEWPORT)
    waiting.get_by_role("link", name=re.compile("^Manage")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nina Example1")
    expect(page.get_by_role("main")).to_contain_text("H3 25, HSC331")
    at_both_widths(page, axe_check, screenshot, "prepared-qualification-manage")
    page.get_by_label("Assessor").select_option(label="Adam Ash (adam@example.org)")
    page.get_by_role("button", name="Save the changes").click()

    expect(page.get_by_text("registration on", exact=False).first).to_be_visible()
    assert PreparedRegistration.objects.get().assessor.email == "adam@example.org"


def test_the_administrator_marks_all_matching_units_as_claimed(page, case, login, axe_check, screenshot):
    fay = member(case.centre, Role.CANDIDATE, first_name="Fay", last_name="Fox", email="fay@example.org")
    fays = enrol(fay, "H3 25", assessor=case.bob, iqa=case.carol, centre=case.centre)
    for enrolment in (case.h3_25, case.hsc331, fays):
        complete(case, enrolment)
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/claims/?q=H3")

    page.get_by_role("link", name="Mark all 2 matching units as claimed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark all 2 units as claimed")
    expect(page.get_by_role("main")).to_contain_text("2 units ready to claim match your search “H3”")
    page.get_by_label("Claim reference").fill("SQA-2026-0100")
    at_both_widths(page, axe_check, screenshot, "claims-mark-all-confirm")
    page.get_by_role("button", name="Mark 2 units as claimed").click()

    expect(page.get_by_text("2 units marked as claimed under SQA-2026-0100.")).to_be_visible()
    assert Claim.objects.filter(reference="SQA-2026-0100").count() == 2


def test_the_assessors_home_leaves_out_a_deactivated_candidate(page, case, login, axe_check, screenshot):
    submitted_evidence(case, title="Waiting from Alice")
    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")
    login(page, "bob@example.org", PASSWORD)

    # With no unit left to list, the empty list says why, once, with the count (no "Not counted here" above it).
    expect(page.locator("#caseload-left-out")).to_have_count(0)
    expect(page.locator(".every-deactivated")).to_have_text(
        "Every candidate assigned to you has been deactivated at their centre, so none of their 2 units is work for "
        "you here; their records are kept. You can still read their 2 units.")
    expect(page.locator(".every-deactivated").get_by_role("link", name="their 2 units")).to_have_attribute(
        "href", re.compile(r"show=deactivated"))
    expect(page.get_by_role("main")).to_contain_text("No evidence is waiting for your assessment")
    left_out = "Not counted here: 1 piece of evidence of deactivated candidates. Their records are kept."
    expect(page.locator("#queue-left-out")).to_have_text(left_out)
    at_both_widths(page, axe_check, screenshot, "assessor-home-deactivated-left-out")
    page.goto("/assessments/assess/")
    expect(page.get_by_role("status")).to_have_text("Nothing is waiting for your judgement.")
    expect(page.locator("#queue-left-out")).to_have_text(left_out)
    at_both_widths(page, axe_check, screenshot, "assessor-queue-deactivated-left-out")


def test_deactivating_names_the_invitation_it_withdraws_and_the_home_counts_the_overdue_unit_apart(
    page, case, login, axe_check, screenshot
):
    """An outside tester's findings: a deactivated person came back through a waiting invitation,
    and the administrator's home said both "No unit overdue" and "1 past its target date"."""
    from portfolio.models import Enrolment

    person_add(centre=case.centre, added_by=case.grace, email=case.dave.email, first_name="Dave", last_name="D",
               role=Role.ASSESSOR)
    Enrolment.objects.filter(pk=case.dave_hsc331.pk).update(target_date=timezone.localdate() - datetime.timedelta(days=2))
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/portfolio/centres/{case.centre.pk}/people/{case.dave.pk}/deactivate/")
    expect(page.get_by_role("main")).to_contain_text("Their invitation here as assessor, sent")
    at_both_widths(page, axe_check, screenshot, "deactivate-withdraws-invitation")
    page.get_by_label("Reason").fill("Left the centre before starting.")
    page.get_by_role("button", name=re.compile("^Deactivate")).click()
    expect(page.get_by_role("main")).to_contain_text("Left the centre before starting.")
    page.goto("/")
    expect(page.get_by_role("main")).to_contain_text("No unit overdue")
    expect(page.get_by_role("main")).to_contain_text(
        "1 unit of deactivated candidates, not signed off, 1 of them past its target date: nobody works on it.")
    at_both_widths(page, axe_check, screenshot, "admin-home-overdue-left-out")
