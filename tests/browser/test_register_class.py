"""A class registered on a unit in one form, in the browser (issue 16, a tester's finding): Grace
finds her new learners with the filter box, ticks them with an invited candidate and, by mistake,
Alice (already on H3 25); the form comes back naming Alice's refusal and registering nobody; she
unticks Alice and registers the rest in one go. Checked with axe at 1280 and 390 px wide."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.models import Enrolment, Invitation, PreparedEnrolment, Role
from standards.models import Unit
from tests.assessments.unit_case import build_case
from tests.factories import member

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
LEARNERS = [("Lena", "Lowe"), ("Omar", "Okafor"), ("Priya", "Patel"), ("Sam", "Stone")]


@pytest.fixture
def case(transactional_db):
    case = build_case()
    for first, last in LEARNERS:
        member(case.centre, Role.CANDIDATE, first_name=first, last_name=last, email=f"{first.lower()}@learners.example.org")
    now = timezone.now()
    Invitation.objects.create(
        centre=case.centre, name="Nia Newton", email="nia@learners.example.org", role=Role.CANDIDATE,
        token_digest="n" * 64, invited_by=case.grace, sent_at=now, expires_at=now + datetime.timedelta(days=14),
    )
    return case


def both_widths(page, axe_check, screenshot, name: str) -> None:
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, f"{name}-390")
    page.set_viewport_size(WIDE)


def test_the_administrator_registers_a_class_on_a_unit_in_one_form(page, case, login, axe_check, screenshot):
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/")
    page.get_by_role("link", name="Register candidates on a unit").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register candidates on a unit")
    expect(page.get_by_text("Registering needs at least one candidate")).to_have_count(0)

    page.get_by_label("Find by name or email address").fill("learners")
    expect(page.get_by_text("5 of 7 shown; 0 ticked")).to_be_visible()
    expect(page.get_by_label("Dave Davies (dave@example.org)")).to_be_hidden()
    for first, last in LEARNERS:
        page.get_by_label(f"{first} {last} ({first.lower()}@learners.example.org)").check()
    page.get_by_label("Nia Newton (nia@learners.example.org), invited, not yet accepted").check()
    page.get_by_label("Find by name or email address").fill("alice")
    page.get_by_label("Alice Adams (alice@example.org)").check()
    expect(page.get_by_text("1 of 7 shown; 6 ticked")).to_be_visible()
    page.get_by_label("Find by name or email address").fill("")
    page.get_by_role("combobox", name=re.compile(r"^Unit")).select_option(value=str(Unit.objects.get(code="H3 25", version=1).pk))
    page.get_by_label("Assessor").select_option(label="Erin Evans (erin@example.org)")
    page.get_by_label("Internal quality assurer (IQA)").select_option(label="Carol Clark (carol@example.org)")
    page.get_by_label("Target date").fill((timezone.localdate() + datetime.timedelta(days=180)).isoformat())
    both_widths(page, axe_check, screenshot, "register-class")

    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Alice Adams is already registered on H3 25")
    both_widths(page, axe_check, screenshot, "register-class-refused")
    assert not Enrolment.objects.filter(candidate__email__endswith="@learners.example.org").exists()

    page.get_by_label("Alice Adams (alice@example.org)").uncheck()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_text(re.compile(
        r"Lena Lowe, Omar Okafor, Priya Patel and Sam Stone are registered on H3 25, with Erin Evans as assessor"
    ))).to_be_visible()
    expect(page.get_by_text("Nia Newton will be registered on H3 25")).to_be_visible()
    assert Enrolment.objects.filter(unit__code="H3 25", candidate__email__endswith="@learners.example.org").count() == 4
    assert PreparedEnrolment.objects.filter(unit__code="H3 25").count() == 1


def test_the_administrator_hands_over_an_assessors_units_and_changes_a_waiting_registration(
    page, case, login, axe_check, screenshot
):
    from portfolio.services_centre_invitations import enrolment_prepare

    nia = Invitation.objects.get(name="Nia Newton")
    enrolment_prepare(
        invitation=nia, prepared_by=case.grace, unit=Unit.objects.get(code="HSC331", version=1),
        assessor=case.bob, iqa=case.carol, start_date=timezone.localdate(),
        target_date=timezone.localdate() + datetime.timedelta(days=90),
    )
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/portfolio/centres/{case.centre.pk}/people/{case.bob.pk}/")
    page.get_by_role("link", name="Hand over their units to another assessor or IQA").click()
    expect(page.get_by_role("heading", name=re.compile("As assessor: 2 active units"))).to_be_visible()
    page.get_by_label("New assessor").select_option(label="Erin Evans (erin@example.org)")
    page.locator("#id_assessor-reason").fill("Bob has left the centre.")
    both_widths(page, axe_check, screenshot, "person-handover")
    # Nia's registration, waiting for her to accept, names Bob too: it moves with his units.
    page.get_by_role("button", name="Hand over 2 units and 1 waiting registration as assessor").click()
    expect(page.get_by_text(
        "Erin Evans is now the assessor of 2 units and 1 registration waiting for its candidate to accept in place "
        "of Bob Baker."
    )).to_be_visible()
    assert PreparedEnrolment.objects.get().assessor == case.people["erin"]

    page.goto(f"/assessments/centres/{case.centre.pk}/")
    page.get_by_role("link", name=re.compile(r"^Manage\W+Nia Newton, HSC331$")).click()
    expect(page.get_by_label("Target date")).to_have_value((timezone.localdate() + datetime.timedelta(days=90)).isoformat())
    both_widths(page, axe_check, screenshot, "prepared-manage")
    page.get_by_label("Internal quality assurer (IQA)").select_option(label="Ivan Ives (ivan@example.org)")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("Nia Newton’s registration on HSC331 is changed.")).to_be_visible()
    assert PreparedEnrolment.objects.get().iqa == case.people["ivan"]

    # Nia accepts while the page is kept open: it then says her registration is active, and leads there.
    from portfolio.services_invitations import invitation_accept_new, invitation_renew

    page.go_back()
    token = invitation_renew(nia, sent_by=case.grace)
    invitation_accept_new(invitation=nia, token=token, first_name="Nia", last_name="Newton", password="a long Passphrase 2026")
    page.reload()
    expect(page.get_by_text("Nia Newton accepted the invitation, and this registration on HSC331 is now active.")).to_be_visible()
    both_widths(page, axe_check, screenshot, "prepared-opened")
    page.get_by_role("link", name=re.compile("^Manage the registration on HSC331")).click()
    expect(page.get_by_role("main")).to_contain_text("HSC331")
    assert Enrolment.objects.filter(candidate__email=nia.email, unit__code="HSC331").exists()
