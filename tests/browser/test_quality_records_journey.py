"""The centre's quality-assurance records in a browser (issue 15 items 5 and 6), each page checked
with axe-core at 1280 and 390 pixels wide: Carol, the IQA, records a standardisation meeting; Bob,
the assessor, adds his TAQA award with its certificate and a CPD entry; Wendy, a witness, gives
testimony with her status, which shows on the unit's witness status list, the centre's, and in the
unit PDF. Heidi, the EQA, reads them all."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.services import witness as witness_services
from exports.unit_pdf import render_unit_pdf
from portfolio.models import Role
from standards.models import Criterion
from tests.browser.test_witness_journey import assert_accessible
from tests.factories import CentreFactory, enrol, load_standards, member
from tests.portfolio import hostile_files

PASSWORD = "correct horse battery"
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def case(transactional_db, settings, live_server):
    load_standards()
    settings.PORTFOLIO_SITE_URL = live_server.url
    centre = CentreFactory(name="Riverside Training", code="riverside")
    people = {
        "alice": member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org"),
        "bob": member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org"),
        "carol": member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org"),
        "heidi": member(centre, Role.EQA, first_name="Heidi", last_name="Hughes", email="heidi@example.org"),
    }
    unit = enrol(people["alice"], "HSC331", assessor=people["bob"], iqa=people["carol"], centre=centre)
    return {"centre": centre, "unit": unit, **people}


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


def test_the_iqa_records_a_standardisation_meeting(page, case, login, axe_check, screenshot):
    login(page, case["carol"].email, PASSWORD)
    page.get_by_role("link", name="Standardisation meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Standardisation meetings at Riverside Training")
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a standardisation meeting")
    _check_at_both_widths(page, axe_check, screenshot, "standardisation-form")

    page.get_by_role("button", name="Record the meeting").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Give the date of the meeting.")
    expect(alert).to_contain_text("Choose who attended.")
    _check_at_both_widths(page, axe_check, screenshot, "standardisation-form-errors")

    held_on = timezone.localdate() - datetime.timedelta(days=7)
    page.get_by_label("Date of the meeting").fill(held_on.isoformat())
    page.get_by_role("checkbox", name="Bob Baker").check()
    page.get_by_role("checkbox", name="Carol Clark").check()
    page.get_by_label("Evidence or decisions looked at").fill("Three observation records of HSC331a.2.")
    page.get_by_label("Agreed outcome").fill("An observation record names each criterion it shows.")
    page.get_by_label("Action 1", exact=True).fill("Rewrite the observation template")
    page.get_by_label("Who does action 1").select_option(label="Bob Baker")
    page.get_by_label("Action 1 due by").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Record the meeting").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Standardisation meeting of")
    expect(page.get_by_role("main")).to_contain_text("Bob Baker, Carol Clark")
    expect(page.get_by_role("table")).to_contain_text("Rewrite the observation template")
    _check_at_both_widths(page, axe_check, screenshot, "standardisation-detail")


def test_an_assessor_adds_a_taqa_award_with_its_certificate_and_cpd(page, case, login, axe_check, screenshot, tmp_path):
    certificate = tmp_path / "cava-certificate.png"
    certificate.write_bytes(hostile_files.png_image((64, 48)))
    login(page, case["bob"].email, PASSWORD)
    page.get_by_role("link", name="My competence and CPD").click()
    _check_at_both_widths(page, axe_check, screenshot, "competence-empty")

    page.get_by_role("link", name="Add a qualification").click()
    page.get_by_label("Kind of qualification").select_option(label="TAQA Assessor Award (e.g. CAVA)")
    page.get_by_label("Title").fill("Level 3 Certificate in Assessing Vocational Achievement")
    page.get_by_label("Awarding body").fill("City & Guilds")
    page.get_by_label("Date achieved").fill("2019-06-03")
    page.get_by_label("Certificate (optional)").set_input_files(str(certificate))
    _check_at_both_widths(page, axe_check, screenshot, "competence-qualification-form")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Record CPD").click()
    page.get_by_label("Activity").fill("Safeguarding update for assessors")
    page.get_by_label(re.compile(r"^\s*Date\W*$")).fill((timezone.localdate() - datetime.timedelta(days=10)).isoformat())
    page.get_by_label("Hours").fill("3.5")
    page.get_by_label("Reflection").fill("I now ask about consent before every observation.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My competence and CPD")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Level 3 Certificate in Assessing Vocational Achievement")
    expect(main).to_contain_text("3.5 hours of CPD in the last 12 months")
    expect(page.get_by_role("link", name=re.compile("cava-certificate.png"))).to_be_visible()
    _check_at_both_widths(page, axe_check, screenshot, "competence-person")

    page.context.clear_cookies()
    login(page, case["heidi"].email, PASSWORD)
    page.get_by_role("link", name=re.compile(r"^competence and CPD")).click()
    expect(page.get_by_role("table")).to_contain_text("Level 3 Certificate in Assessing Vocational Achievement")
    expect(page.get_by_role("row", name=re.compile("Bob Baker"))).to_contain_text("3.5")
    _check_at_both_widths(page, axe_check, screenshot, "competence-overview")
    with page.expect_download() as download:
        page.goto(f"/assessments/centres/{case['centre'].pk}/competence/{case['bob'].pk}/")
        page.get_by_role("link", name=re.compile("cava-certificate.png")).click()
    assert download.value.suggested_filename == "cava-certificate.png"


def test_a_witness_gives_testimony_with_their_status_and_it_shows_on_the_list_and_in_the_pdf(
    page, browser, case, login, axe_check, screenshot
):
    witness_services.testimony_request(
        enrolment=case["unit"], requested_by=case["bob"], witness_name="Wendy Walsh",
        witness_email="wendy@care.example.org", criteria=Criterion.objects.filter(reference="HSC331a.1"),
    )
    link = re.search(r"^(http\S+/witness/\S+/)$", mail.outbox[-1].body, re.MULTILINE).group(1)
    context = browser.new_context(viewport=VIEWPORT)
    wendy = context.new_page()
    wendy.goto(link)
    wendy.get_by_label("What you saw").fill(
        "I saw Alice help Person A phone their sister and plan a visit, letting Person A choose the day."
    )
    wendy.get_by_label("Date you saw it").fill((timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    wendy.get_by_label("Where you saw it").fill("Riverside day centre")
    wendy.get_by_label("Your job role").fill("Registered manager")
    wendy.get_by_label("Your relationship to the candidate").fill("Line manager")
    wendy.get_by_label(re.compile(r"^\s*Yes: I am an expert witness")).check()
    wendy.get_by_label("I confirm this is a true account of what I saw.").check()
    wendy.get_by_role("button", name="Send my testimony").click()
    expect(wendy.get_by_role("alert")).to_contain_text("Say why you are an expert witness")
    wendy.set_viewport_size(PHONE)
    assert_accessible(wendy)
    screenshot(wendy, "witness-status-errors-390")
    wendy.set_viewport_size(VIEWPORT)
    wendy.get_by_label("If you are an expert witness: why").fill("Registered manager, twelve years in day services")
    wendy.get_by_role("button", name="Send my testimony").click()
    expect(wendy.get_by_role("heading", level=1)).to_have_text("Thank you: your testimony is sent")
    context.close()

    login(page, case["carol"].email, PASSWORD)
    page.goto(f"/assessments/units/{case['unit'].pk}/#evidence")
    status_list = page.get_by_role("region", name="Witness status list")
    expect(status_list).to_contain_text("Registered manager")
    expect(status_list).to_contain_text("Yes: Registered manager, twelve years in day services")
    _check_at_both_widths(page, axe_check, screenshot, "unit-witness-status")
    page.goto(f"/assessments/centres/{case['centre'].pk}/witnesses/")
    expect(page.get_by_role("region", name="Witness status list")).to_contain_text("witness for Alice Adams")
    _check_at_both_widths(page, axe_check, screenshot, "centre-witness-status")

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_unit_pdf(case["unit"]))).pages)
    assert "Witness status list" in text and "Wendy Walsh" in text and "twelve years in day services" in text


