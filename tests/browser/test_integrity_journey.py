"""The tester's findings on people leaving (issue 16), in the browser: Grace is refused deactivating
Bob while a registration waiting for an invited candidate names him, with a link to hand it over;
she reinstates Dave's unit, whose assessor Ann was deactivated while it was withdrawn, choosing Erin,
and is told who was told; she opens Ola's registration, kept when Ola accepted because Ann had
gone; the progress report leaves out a deactivated candidate's units and says so. Each page is
checked with axe-core at 1280 and 390 pixels wide."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.dates import day
from portfolio.models import DeactivatedMembership, Enrolment, EnrolmentStatus, Membership, Person, Role
from portfolio.services_centre import person_add
from portfolio.services_centre_invitations import enrolment_prepare, prepared_enrolments_open
from portfolio.services_people import membership_deactivate
from standards.models import Unit
from tests.assessments.unit_case import build_case
from tests.browser.conftest import VIEWPORT
from tests.factories import member, put_on_case

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


def at_both_widths(page, axe_check, screenshot, name: str) -> None:
    page.set_viewport_size(VIEWPORT)
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    axe_check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide on a phone"
    screenshot(page, f"{name}-390")
    page.set_viewport_size(VIEWPORT)


@pytest.fixture
def case(transactional_db):
    case = build_case()
    today = timezone.localdate()
    dates = {"start_date": today, "target_date": today + datetime.timedelta(days=120)}
    hsc331, h3_25 = Unit.objects.get(code="HSC331", version=1), Unit.objects.get(code="H3 25", version=1)
    nia = person_add(centre=case.centre, added_by=case.grace, email="nia@example.org", first_name="Nia",
                     last_name="Newton", role=Role.CANDIDATE)
    enrolment_prepare(invitation=nia, prepared_by=case.grace, unit=hsc331, assessor=case.bob, iqa=case.carol, **dates)
    # Ann left before leaving was refused for what named her: Ola's registration and Dave's withdrawn unit.
    ann = member(case.centre, Role.ASSESSOR, first_name="Ann", last_name="Archer", email="ann@example.org")
    ola = person_add(centre=case.centre, added_by=case.grace, email="ola@example.org", first_name="Ola",
                     last_name="Olsen", role=Role.CANDIDATE)
    enrolment_prepare(invitation=ola, prepared_by=case.grace, unit=h3_25, assessor=ann, iqa=case.carol, **dates)
    put_on_case(case.dave_hsc331.pk, assessor=ann, status=EnrolmentStatus.WITHDRAWN)
    Membership.objects.filter(person=ann).delete()
    DeactivatedMembership.objects.create(person=ann, centre=case.centre, roles=["assessor"], deactivated_by=case.grace)
    ola_person = Person.objects.create_user(email="ola@example.org", password=PASSWORD, first_name="Ola",
                                            last_name="Olsen")
    Membership.objects.create(person=ola_person, centre=case.centre, role=Role.CANDIDATE)
    ola.accepted_at, ola.accepted_by = timezone.now(), ola_person
    ola.save(update_fields=["accepted_at", "accepted_by"])
    prepared_enrolments_open(ola, ola_person)
    return case


def test_people_who_leave_leave_nothing_silently_behind(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    centre = case.centre.pk

    page.goto(f"/portfolio/centres/{centre}/people/{case.bob.pk}/deactivate/")
    expect(page.get_by_role("alert")).to_contain_text(
        "is the assessor of 1 registration waiting for invited candidates to accept"
    )
    expect(page.get_by_role("link", name="Hand over their units and waiting registrations")).to_be_visible()
    at_both_widths(page, axe_check, screenshot, "integrity-deactivate-refused")

    # Its target date passed while it was withdrawn: the page offers it, says so, and refuses to keep it.
    passed, new = timezone.localdate() - datetime.timedelta(days=3), timezone.localdate() + datetime.timedelta(days=90)
    Enrolment.objects.filter(pk=case.dave_hsc331.pk).update(target_date=passed)
    page.goto(f"/portfolio/enrolments/{case.dave_hsc331.pk}/reinstate/")
    expect(page.get_by_text("Ann Archer, its assessor before, is no longer an assessor here.")).to_be_visible()
    expect(page.locator("#id_target_date")).to_have_value(passed.isoformat())
    page.get_by_label("Assessor").select_option(label="Erin Evans (erin@example.org)")
    page.get_by_label("Reason").fill("Dave is back at work.")
    at_both_widths(page, axe_check, screenshot, "integrity-reinstate")
    page.get_by_role("button", name="Reinstate").click()
    expect(page.get_by_role("main")).to_contain_text(
        f"Its target date, {day(passed)}, has passed: choose a new one, today or later, that the candidate can still meet."
    )
    at_both_widths(page, axe_check, screenshot, "integrity-reinstate-target-passed")
    page.locator("#id_target_date").fill(new.isoformat())
    page.get_by_role("button", name="Reinstate").click()
    expect(page.get_by_text(
        f"Dave Davies’s HSC331 is active again, with the target date {day(new)}. Dave Davies, Erin Evans and "
        "Carol Clark have been told."
    )).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Changes made by the centre"))).to_contain_text(
        "Target date changed"
    )

    page.goto("/")
    page.get_by_role("link", name="1 registration of candidates who accepted waiting for an assessor or IQA").click()
    row = page.get_by_role("row").filter(has_text="Ola Olsen").filter(has_text="H3 25")
    expect(row).to_contain_text("Accepted: needs an assessor or IQA")
    row.get_by_role("link", name="Manage").click()
    expect(page.get_by_role("alert")).to_contain_text("Ann Archer is no longer an assessor at Riverside Training.")
    page.get_by_label("Assessor").select_option(label="Bob Baker (bob@example.org)")
    at_both_widths(page, axe_check, screenshot, "integrity-held-registration")
    page.get_by_role("button", name="Open the registration").click()
    expect(page.get_by_text("Ola Olsen’s H3 25 is open, with Bob Baker as assessor.")).to_be_visible()

    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")
    page.goto(f"/ops/centres/{centre}/reports/progress/")
    expect(page.get_by_role("main")).to_contain_text("Not counted here: 2 units of deactivated candidates, not signed off (their signed-off units count).")
    expect(page.get_by_role("main")).not_to_contain_text("Alice Adams")
    at_both_widths(page, axe_check, screenshot, "integrity-progress-report")
