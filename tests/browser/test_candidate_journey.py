"""Issue 3's journey: a candidate adds a photo and a PDF as one evidence item, maps it across a
unit's criteria and knowledge, submits it with the declaration, and sees her unit's progress move.

Alice is the candidate, registered on HSC331 and H3 25; Bob is her assessor and Carol her IQA.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portfolio.models import Evidence, EvidenceState, Role
from tests.factories import CentreFactory, enrol, load_standards, member
from tests.portfolio import hostile_files

PASSWORD = "correct horse battery"
ACCOUNT = "I supported Person A to phone their sister and plan a visit. They chose the date themselves."


@pytest.fixture(autouse=True)
def standards(transactional_db):
    load_standards()


@pytest.fixture
def alice(standards):
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)
    enrol(alice, "H3 25", assessor=bob, iqa=carol, centre=centre)
    return alice


def written(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def fill_in_the_evidence_form(page, title: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Assessment method").select_option(label="Reflective account")
    page.get_by_label("Date of the activity").fill("2024-05-14")
    page.get_by_label("Where it happened").fill("Day centre")
    page.get_by_label("Written account").fill(ACCOUNT)


def home_link(page):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")


def file_queue(page):
    return page.locator("[data-file-queue] li")


def tick_after_filtering(page, reference: str) -> None:
    page.get_by_label("Filter by reference or words").fill(reference)
    checkbox = page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(reference)} "))
    expect(checkbox).to_be_visible()
    checkbox.check()


def test_a_candidate_adds_maps_and_submits_evidence_and_sees_her_progress(
    page, alice, login, axe_check, screenshot, tmp_path
):
    photo = written(tmp_path, "visit-photo.jpg", hostile_files.jpeg_photo((640, 480)))
    plan = written(tmp_path, "visit-plan.pdf", hostile_files.pdf_document("Visit plan agreed with Person A."))

    login(page, alice.email, PASSWORD)
    unit_link = page.get_by_role("link", name=re.compile(r"^HSC331\s*Support individuals"))
    unit_link.click()
    progress = page.get_by_role("region", name="Progress")
    expect(progress).to_contain_text("Performance criteria 0 of 17 with evidence")
    expect(progress).to_contain_text("Knowledge items 0 of 17 with evidence")

    home_link(page).click()
    page.get_by_role("link", name="Add evidence", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add evidence")
    fill_in_the_evidence_form(page, "Supporting a family visit")
    page.locator('input[type="file"][name="files"]').set_input_files([photo, plan])
    expect(file_queue(page)).to_have_count(2)
    expect(file_queue(page).nth(0)).to_contain_text("visit-photo.jpg")
    expect(file_queue(page).nth(1)).to_contain_text(re.compile(r"visit-plan\.pdf \(\d+(\.\d)? KB\)"))
    expect(page.get_by_role("button", name="Remove visit-plan.pdf")).to_be_visible()
    axe_check()
    screenshot(page, "candidate-add-evidence")

    # Hold the upload on its way, to see the progress bar the candidate sees on a slow line.
    held = []
    page.route("**/evidence/new/", lambda route: held.append(route))
    page.get_by_role("button", name="Save as draft").click()
    upload_progress = page.get_by_role("progressbar", name="Upload progress")
    expect(upload_progress).to_be_visible()
    expect(page.get_by_role("button", name="Save as draft")).to_be_disabled()
    screenshot(page, "candidate-add-evidence-uploading")
    assert len(held) == 1
    held[0].continue_()
    page.unroute("**/evidence/new/")

    expect(page).to_have_url(re.compile(r"/portfolio/evidence/\d+/map/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Map E1 “Supporting a family visit”")
    expect(page.get_by_role("status").filter(has_text="is saved as a draft")).to_be_visible()
    axe_check()
    screenshot(page, "candidate-map-evidence")

    tick_after_filtering(page, "HSC331a.1")
    expect(page.locator("#mapping-filter-count")).to_have_text(re.compile(r"^1 of \d+ shown$"))
    tick_after_filtering(page, "HSC331b.2")
    # Enter in the filter, as people press it in any search box, filters and stays on the page.
    page.get_by_label("Filter by reference or words").fill("HSC331 K6")
    page.get_by_label("Filter by reference or words").press("Enter")
    expect(page).to_have_url(re.compile(r"/portfolio/evidence/\d+/map/$"))
    expect(page.locator("#mapping-filter-count")).to_have_text(re.compile(r"^1 of \d+ shown$"))
    tick_after_filtering(page, "HSC331 K6")
    expect(page.locator("[data-chosen-count]")).to_have_text("3 ticked")
    screenshot(page, "candidate-map-evidence-filtered")
    page.get_by_role("button", name="Save mapping").click()

    expect(page).to_have_url(re.compile(r"/assessments/evidence/\d+/$"))
    proves = page.get_by_role("region", name="What it proves")
    expect(proves).to_contain_text("HSC331a.1")
    expect(proves).to_contain_text("HSC331b.2")
    expect(proves).to_contain_text("HSC331 K6")
    page.get_by_role("link", name="Submit for assessment").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Submit E1")
    expect(page.locator(".who-judges")).to_contain_text("Once submitted, Bob Baker judges it")
    axe_check()
    screenshot(page, "candidate-submit-evidence")
    page.get_by_label("I confirm this declaration").check()
    page.get_by_role("button", name="Submit for assessment").click()

    expect(page).to_have_url(re.compile(r"/assessments/evidence/\d+/$"))
    expect(page.locator("header .state-badge")).to_have_text("Submitted for assessment")
    expect(page.get_by_text("E1 is submitted. Bob Baker has been told it is waiting.")).to_be_visible()
    expect(page.get_by_role("link", name="Change", exact=True)).to_have_count(0)
    files = page.get_by_role("region", name="Files")
    expect(files.get_by_role("link", name="Download visit-photo.jpg", exact=True)).to_be_visible()
    expect(files.get_by_role("link", name="Download visit-plan.pdf", exact=True)).to_be_visible()
    expect(page.get_by_text("Declared by Alice Adams")).to_be_visible()
    axe_check()
    screenshot(page, "candidate-evidence-submitted")

    home_link(page).click()
    expect(page.locator(".unit-card", has_text="HSC331")).to_contain_text("2 of 17 with evidence")
    unit_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HSC331")
    expect(progress).to_contain_text("Performance criteria 2 of 17 with evidence")
    expect(progress).to_contain_text("Knowledge items 1 of 17 with evidence")
    expect(page.locator("#hsc331a-1")).to_contain_text("E1 Supporting a family visit")
    expect(page.locator("#hsc331a-1")).to_contain_text("Submitted for assessment")
    expect(page.locator("#hsc331-k6")).to_contain_text("E1 Supporting a family visit")
    expect(page.locator("#hsc331a-2")).to_contain_text("No evidence yet")
    axe_check()
    screenshot(page, "candidate-unit-hsc331")
    page.get_by_role("tab", name="Criteria").click()
    expect(page.get_by_text("Criteria with no evidence (15)")).to_be_visible()
    axe_check()
    screenshot(page, "candidate-unit-hsc331-criteria")

    evidence = Evidence.objects.get(candidate=alice)
    assert evidence.state == EvidenceState.SUBMITTED
    assert evidence.declarations.count() == 1


def test_a_refused_file_is_named_beside_it_and_can_be_removed_before_sending_again(
    page, alice, login, axe_check, screenshot, tmp_path
):
    photo = written(tmp_path, "visit-photo.png", hostile_files.png_image((320, 240)))
    fake = written(tmp_path, "observation.pdf", hostile_files.HTML_PAGE)

    login(page, alice.email, PASSWORD)
    page.goto("/portfolio/evidence/new/")
    fill_in_the_evidence_form(page, "Helping Person A plan a visit")
    page.locator('input[type="file"][name="files"]').set_input_files([photo, fake])
    expect(file_queue(page)).to_have_count(2)
    page.get_by_role("button", name="Save as draft").click()

    problems = page.get_by_role("alert").filter(has_text="Nothing was saved")
    expect(problems).to_be_visible()
    expect(problems).to_contain_text("1 file was not accepted")
    expect(problems).to_contain_text("“observation.pdf” is an HTML page, not a PDF")
    expect(page.locator("[data-error-summary]")).to_be_focused()  # the error summary, around the alert
    refused = file_queue(page).filter(has_text="observation.pdf")
    expect(refused).to_contain_text("is an HTML page, not a PDF")
    expect(file_queue(page)).to_have_count(2)
    expect(file_queue(page).filter(has_text="visit-photo.png")).not_to_contain_text("not a PDF")
    expect(page.get_by_label("Title")).to_have_value("Helping Person A plan a visit")
    expect(page.get_by_label("Written account")).to_have_value(ACCOUNT)
    expect(page).to_have_url(re.compile(r"/portfolio/evidence/new/$"))
    assert not Evidence.objects.exists()
    axe_check()
    screenshot(page, "candidate-add-evidence-refused")

    page.get_by_role("button", name="Remove observation.pdf").click()
    expect(file_queue(page)).to_have_count(1)
    expect(file_queue(page)).to_contain_text("visit-photo.png")
    page.get_by_role("button", name="Save as draft").click()

    expect(page).to_have_url(re.compile(r"/portfolio/evidence/\d+/map/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Map E1 “Helping Person A plan a visit”")
    evidence = Evidence.objects.get(candidate=alice)
    assert list(evidence.files.values_list("original_name", flat=True)) == ["visit-photo.png"]
