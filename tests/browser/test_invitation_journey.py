"""Centres are walled, end to end (issue 16): Grace, Riverside's administrator, invites Nia as a
candidate and registers her on HSC331 at once; the centre page lists Nia as invited (by the name
Grace typed) and the unit as waiting; Nia opens the emailed link in her own browser, sets her name
and password, and her unit is there; Grace's page now has her among the people, the unit active.
Also the site administrator's page that creates a centre, and the choice of centre a candidate at
two centres makes before adding evidence. Each page is checked with axe-core at 1280 and 390 px."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.invitation_models import Invitation
from portfolio.models import Enrolment, Person, Role
from portfolio.services_centre import person_add
from standards.models import Unit
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, VIEWPORT
from tests.browser.test_eqa_access_journey import _axe, at_both_widths
from tests.factories import CentreFactory, PersonFactory, enrol, load_standards, member, updated

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def standards(transactional_db):
    load_standards()


@pytest.fixture
def riverside(standards, settings, live_server):
    settings.PORTFOLIO_SITE_URL = live_server.url
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    member(centre, Role.ADMINISTRATOR, first_name="Grace", last_name="Gordon", email="grace@example.org")
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    return centre


def test_the_administrator_invites_and_registers_a_candidate_who_accepts_and_finds_her_unit(
    page, browser, live_server, riverside, login, axe_check, screenshot
):
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/assessments/centres/{riverside.pk}/")
    page.get_by_role("link", name="Add a person").first.click()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Newton")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Candidate").check()
    at_both_widths(page, axe_check, screenshot, "person-invite")
    page.get_by_role("button", name="Send the invitation").click()

    expect(page.get_by_text("We have emailed Nia Newton (nia@example.org) an invitation")).to_be_visible()
    invited = page.get_by_role("table", name="Invitations to Riverside Training not yet accepted")
    expect(invited).to_contain_text("Nia Newton")
    expect(invited).to_contain_text("Invited")
    invited.get_by_role("link", name=re.compile("^Register on a unit")).click()
    page.get_by_label("Unit").select_option(value=str(Unit.objects.get(code="HSC331", version=1).pk))
    page.get_by_label("Assessor").select_option(label="Bob Baker (bob@example.org)")
    page.get_by_label("Internal quality assurer (IQA)").select_option(label="Carol Clark (carol@example.org)")
    page.get_by_label("Target date").fill("2030-06-30")
    page.get_by_role("button", name=re.compile("Register")).click()
    expect(page.get_by_text("Nia Newton will be registered on HSC331")).to_be_visible()
    waiting = page.get_by_role("table", name="Registrations waiting for their candidates to accept")
    expect(waiting).to_contain_text("Waiting for acceptance")
    at_both_widths(page, axe_check, screenshot, "centre-invited-and-waiting")
    assert not Enrolment.objects.filter(candidate__email="nia@example.org").exists()

    [invitation] = mail.outbox
    link = re.search(r"^(http\S+/invitations/\S+/)$", invitation.body, re.MULTILINE).group(1)
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        nia = context.new_page()
        nia.goto(link)
        expect(nia.get_by_role("main")).to_contain_text("invites you, Nia Newton, to its evidence portfolio as a candidate")
        at_both_widths(nia, lambda: _axe(nia, axe_check), screenshot, "candidate-invitation")
        nia.get_by_label("First name").fill("Nia")
        nia.get_by_label("Last name").fill("Newton")
        nia.locator("#id_password1").fill("a long Passphrase 2026")
        nia.locator("#id_password2").fill("a long Passphrase 2026")
        nia.get_by_role("button", name="Create my account and accept").click()
        expect(nia.get_by_role("heading", level=1)).to_have_text("Hello, Nia")
        expect(nia.get_by_role("main")).to_contain_text("HSC331")
    finally:
        context.close()

    page.reload()
    people = page.get_by_role("table", name="People at Riverside Training and their roles here")
    expect(people).to_contain_text("Nia Newton")
    expect(page.get_by_role("table", name="Candidates registered on units at Riverside Training")).to_contain_text("Nia Newton")
    expect(page.get_by_role("table", name="Invitations to Riverside Training not yet accepted")).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "centre-after-acceptance")


def test_the_site_administrator_creates_a_centre(page, standards, login, axe_check, screenshot):
    PersonFactory(first_name="Sam", last_name="Site", email="site@example.org", is_superuser=True, is_staff=True)
    login(page, "site@example.org", PASSWORD)
    page.get_by_role("link", name="Create a centre").click()
    page.get_by_label("Centre name").fill("Lakeside Academy")
    page.get_by_label("Centre code").fill("lakeside")
    page.get_by_label("First name").fill("Lee")
    page.get_by_label("Last name").fill("Lake")
    page.get_by_label("Email address").fill("lee@example.org")
    at_both_widths(page, axe_check, screenshot, "centre-create")
    page.get_by_role("button", name="Create the centre and send the invitation").click()

    expect(page.get_by_text("Lakeside Academy is created.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("lakeside")
    at_both_widths(page, axe_check, screenshot, "centre-created")
    assert [m.to for m in mail.outbox] == [["lee@example.org"]]


def test_a_candidate_at_two_centres_chooses_where_evidence_goes(page, riverside, login, axe_check, screenshot):
    hillside = CentreFactory(name="Hillside College", code="hillside")
    yan = member(hillside, Role.ASSESSOR, first_name="Yan", last_name="Young", email="yan@example.org")
    ida = member(hillside, Role.IQA, first_name="Ida", last_name="Iles", email="ida@example.org")
    alice = Person.objects.get(email="alice@example.org")
    enrol(alice, "H3 25", assessor=yan, iqa=ida, centre=hillside)
    login(page, "alice@example.org", PASSWORD)
    page.goto("/portfolio/evidence/new/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Which centre is this evidence for?")
    at_both_widths(page, axe_check, screenshot, "evidence-choose-centre")
    page.get_by_role("link", name="Add evidence at Hillside College").click()
    expect(page.get_by_role("main")).to_contain_text("For your portfolio at Hillside College.")


def test_an_accepted_invitations_old_withdraw_link_says_plainly_there_is_nothing_to_do(
    page, live_server, riverside, login, axe_check, screenshot
):
    grace, alice = Person.objects.get(email="grace@example.org"), Person.objects.get(email="alice@example.org")
    invitation = person_add(centre=riverside, added_by=grace, email="nia@example.org", first_name="Nia",
                            last_name="Newton", role=Role.CANDIDATE)
    updated(Invitation.objects.filter(pk=invitation.pk), accepted_at=timezone.now(), accepted_by=alice)
    login(page, "grace@example.org", PASSWORD)
    page.goto(f"/portfolio/centres/{riverside.pk}/invitations/{invitation.pk}/withdraw/")
    expect(page.get_by_role("heading", name="The invitation of Nia Newton was accepted")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw the invitation")).to_have_count(0)
    at_both_widths(page, axe_check, screenshot, "invitation-closed")
