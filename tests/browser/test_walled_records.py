"""Centres are walled, in the browser (issue 16's leftovers). Alice is a candidate at Riverside and
at Hillside. Hal, her assessor at Hillside, reads her unit there and finds no word of Wendy, who
gave testimony at Riverside; Alice sees each centre's evidence under its name, each numbered from
E1; Grace hands Bob's units over to Erin with the registration waiting for Nia, invited and not yet
accepted; and registers Nia on a qualification at once. Each page checked with axe at 1280 and
390 px wide."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments.services import witness as witness_services
from portfolio import services
from portfolio.models import AssessmentMethod, Membership, PreparedEnrolment, PreparedRegistration, Role
from portfolio.services_centre import person_add
from portfolio.services_centre_invitations import enrolment_prepare
from standards.demo_qualification import demo_qualification
from standards.models import Criterion, Unit
from tests import cast
from tests.assessments.unit_case import photo
from tests.factories import enrol, load_standards, member

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
TESTIMONY = (
    "I saw Alice help Person A phone their sister and plan a visit. She let Person A choose the day "
    "and wrote the plan down with them."
)


def both_widths(page, axe_check, screenshot, name: str) -> None:
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, f"{name}-390")
    page.set_viewport_size(WIDE)


def _evidence(alice, centre, title: str) -> None:
    services.evidence_create(
        candidate=alice, centre=centre, author=alice, title=title, method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=timezone.localdate() - datetime.timedelta(days=3), account="What I did.", uploads=[photo()],
    )


def _wendy_testifies_at_riverside(world) -> None:
    witness_services.testimony_request(
        enrolment=world.hsc331, requested_by=world.people["bob"], witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org", criteria=list(Criterion.objects.filter(reference="HSC331a.1")),
    )
    token = re.search(r"/assessments/witness/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body)).group(1)
    request = witness_services.testimony_request_for_token(token)
    assert request is not None
    witness_services.testimony_give(
        request=request, token=token, testimony=TESTIMONY, seen_on=timezone.localdate() - datetime.timedelta(days=2),
        seen_at="Day centre", witness_name="Wendy Walsh", job_role="Riverside team leader",
        relationship="Line manager", expert=False, confirmed=True,
    )


@pytest.fixture
def world(transactional_db):
    load_standards()
    world = cast.build_world()
    alice = world.people["alice"]
    hal = member(world.other_centre, Role.ASSESSOR, first_name="Hal", last_name="Hart", email="hal@example.org")
    iris = member(world.other_centre, Role.IQA, first_name="Iris", last_name="Irwin", email="iris@example.org")
    Membership.objects.get_or_create(person=alice, centre=world.other_centre, role=Role.CANDIDATE)
    world.there = enrol(alice, "HSC331", assessor=hal, iqa=iris, centre=world.other_centre)
    world.hal = hal
    _wendy_testifies_at_riverside(world)
    _evidence(alice, world.centre, "Riverside visit")
    _evidence(alice, world.other_centre, "Hillside night shift")
    grace = world.people["grace"]
    nia = person_add(centre=world.centre, added_by=grace, email="nia@example.org", first_name="Nia",
                     last_name="Newton", role=Role.CANDIDATE)
    today = timezone.localdate()
    enrolment_prepare(invitation=nia, prepared_by=grace, unit=Unit.objects.get(code="H3 25", version=1),
                      assessor=world.people["bob"], iqa=world.people["carol"], start_date=today,
                      target_date=today + datetime.timedelta(days=120))
    return world


def test_each_centre_sees_its_own_witnesses_and_evidence_numbers(page, world, login, axe_check, screenshot):
    login(page, world.hal.email, PASSWORD)
    page.goto(reverse("assessments:enrolment_detail", args=[world.there.pk]))
    page.get_by_role("tab", name="Evidence").click()
    witnesses = page.get_by_role("region", name="Witnesses and testimony")
    expect(witnesses).to_contain_text("No witnesses yet")
    expect(page.get_by_text("Wendy Walsh")).to_have_count(0)
    expect(page.get_by_text("Riverside team leader")).to_have_count(0)
    both_widths(page, axe_check, screenshot, "walled-witnesses-hillside")

    page.context.clear_cookies()
    login(page, world.people["alice"].email, PASSWORD)
    page.goto(reverse("portfolio:evidence_list"))
    hillside = page.get_by_role("table", name=re.compile("Your evidence at Hillside College"))
    riverside = page.get_by_role("table", name=re.compile("Your evidence at Riverside Training"))
    expect(hillside).to_contain_text("E1")
    expect(hillside).to_contain_text("Hillside night shift")
    expect(hillside).not_to_contain_text("Riverside visit")
    expect(riverside).to_contain_text("Riverside visit")
    both_widths(page, axe_check, screenshot, "walled-evidence-list")


def test_the_administrator_hands_over_and_registers_invited_candidates(page, world, login, axe_check, screenshot):
    centre, people = world.centre, world.people
    login(page, people["grace"].email, PASSWORD)
    page.goto(reverse("portfolio:person_handover", args=[centre.pk, people["bob"].pk]))
    expect(page.get_by_text("Also named on 1 registration waiting for an invited candidate to accept")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("^As assessor"))
    section.get_by_label("New assessor").select_option(label="Erin Evans (erin@example.org)")
    section.get_by_label("Reason").fill("Bob has left the centre.")
    both_widths(page, axe_check, screenshot, "walled-handover")
    section.get_by_role("button", name="Hand over 2 units and 1 waiting registration as assessor").click()
    expect(page.get_by_text(re.compile(
        "Erin Evans is now the assessor of 2 units and 1 registration waiting for its candidate to accept"
    ))).to_be_visible()
    both_widths(page, axe_check, screenshot, "walled-handover-done")
    assert PreparedEnrolment.objects.get().assessor == people["erin"]

    page.goto(reverse("portfolio:qualification_register", args=[centre.pk, demo_qualification().pk]))
    page.get_by_label("Candidate").select_option(label="Nia Newton (nia@example.org), invited, not yet accepted")
    page.get_by_label(re.compile("H3 25 Work within")).check()
    page.get_by_label("Assessor").select_option(label="Erin Evans (erin@example.org)")
    page.get_by_label("Internal quality assurer (IQA)").select_option(label="Carol Clark (carol@example.org)")
    page.get_by_label("Target date").fill((timezone.localdate() + datetime.timedelta(days=300)).isoformat())
    both_widths(page, axe_check, screenshot, "walled-qualification-invited")
    page.get_by_role("button", name=re.compile("^Register")).click()
    expect(page.get_by_text(re.compile("Nia Newton is registered on .* waiting for them to accept"))).to_be_visible()
    both_widths(page, axe_check, screenshot, "walled-qualification-invited-done")
    assert PreparedRegistration.objects.get().invitation.name == "Nia Newton"
