"""The assessor's observation form keeps the files chosen when the server refuses the form: Bob
attaches a photo, forgets to tick what it proves, reads why it was refused, ticks a criterion and
saves, without choosing the photo again.

Alice is the candidate on HSC331; Bob is her assessor and Carol her IQA.
"""

import re

import pytest
from playwright.sync_api import expect

from portfolio.models import Evidence, EvidenceState, Role
from tests.factories import CentreFactory, enrol, load_standards, member
from tests.portfolio import hostile_files

PASSWORD = "correct horse battery"
ACCOUNT = "Alice helped Person A phone their sister and let them choose the day of the visit."


@pytest.fixture
def hsc331(transactional_db):
    load_standards()
    centre = CentreFactory(name="Riverside Training", code="riverside")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    return enrol(alice, "HSC331", assessor=bob, iqa=carol, centre=centre)


def file_queue(page):
    return page.locator("[data-file-queue] li")


def test_a_refused_observation_keeps_its_photo_until_it_is_saved(page, hsc331, login, axe_check, tmp_path):
    photo = tmp_path / "observation-photo.jpg"
    photo.write_bytes(hostile_files.jpeg_photo((640, 480)))

    login(page, hsc331.assessor.email, PASSWORD)
    page.goto(f"/assessments/units/{hsc331.pk}/")
    page.get_by_role("link", name="Record an observation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an observation")
    page.get_by_role("textbox", name="Title").fill("Observation: planning a family visit")
    page.get_by_role("textbox", name="Where").fill("Day centre")
    page.get_by_role("textbox", name="What you saw").fill(ACCOUNT)
    page.locator('input[type="file"][name="files"]').set_input_files(photo)
    expect(file_queue(page)).to_have_count(1)
    page.get_by_role("button", name="Save to the portfolio").click()

    refusal = page.get_by_role("alert").filter(has_text="Tick at least one criterion or knowledge item")
    expect(refusal).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_be_focused()  # the error summary, around the alert
    expect(file_queue(page)).to_have_count(1)
    expect(file_queue(page)).to_contain_text("observation-photo.jpg")
    expect(page.get_by_role("textbox", name="What you saw")).to_have_value(ACCOUNT)
    expect(page).to_have_url(re.compile(rf"/assessments/units/{hsc331.pk}/observation/new/"))
    assert not Evidence.objects.exists()
    axe_check()

    page.get_by_role("checkbox", name=re.compile(r"^HSC331a\.1 ")).check()
    page.get_by_role("button", name="Save to the portfolio").click()

    expect(page).to_have_url(re.compile(r"/assessments/evidence/\d+/$"))
    expect(page.get_by_role("status").filter(has_text="accepted as your own record")).to_be_visible()
    files = page.get_by_role("region", name="Files")
    expect(files.get_by_role("link", name="Download observation-photo.jpg", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="What it proves")).to_contain_text("HSC331a.1")
    evidence = Evidence.objects.get()
    assert evidence.state == EvidenceState.ACCEPTED
    assert list(evidence.files.values_list("original_name", flat=True)) == ["observation-photo.jpg"]
