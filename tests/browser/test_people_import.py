"""Issue 16 item 1 in the browser: Grace, Riverside's administrator, imports a class of candidates
from a CSV file: from the centre page to the upload, the preview with a row to fix and a candidate
already there, the confirmation, and the report. Checked with axe at 1280 and 390 px wide."""

from playwright.sync_api import expect

from portfolio.models import Invitation, Role
from tests.assessments.unit_case import build_case

PASSWORD = "correct horse battery"
NARROW = {"width": 390, "height": 844}

CLASS = (
    b"Forename,Surname,Email address,ULN\n"
    b"Nia,Nash,nia.nash@example.org,9276308686\n"
    b"Owen,Osei,owen.osei@example.org,\n"
    b"Alice,Adams,alice@example.org,\n"
    b",Park,pia.park@example,12345\n"
)


def _check(page, axe_check, screenshot, name):
    axe_check()
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    axe_check()
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_imports_a_class_of_candidates(page, transactional_db, login, axe_check, screenshot):
    case = build_case()
    login(page, case.grace.email, PASSWORD)
    page.goto(f"/assessments/centres/{case.centre.pk}/")
    page.get_by_role("link", name="Import candidates").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import candidates")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert").first).to_contain_text("Choose the CSV file")
    _check(page, axe_check, screenshot, "people-import-refused")

    page.get_by_label("The list of candidates (CSV)").set_input_files(
        files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": CLASS}]
    )
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the candidates before importing them")
    expect(page.get_by_text("First name is missing.")).to_be_visible()
    expect(page.get_by_text("This is not an email address.")).to_be_visible()
    expect(page.get_by_text("Already a candidate at this centre.")).to_be_visible()
    _check(page, axe_check, screenshot, "people-import-preview")
    assert not Invitation.objects.filter(email="nia.nash@example.org").exists()

    page.get_by_role("button", name="Invite 2 candidates").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Candidates imported")
    expect(page.get_by_text("are being invited")).to_be_visible()
    _check(page, axe_check, screenshot, "people-import-report")
    # Everyone added is invited: they are the centre's candidates once they accept.
    assert set(
        Invitation.objects.filter(centre=case.centre, role=Role.CANDIDATE).values_list("email", flat=True)
    ) >= {"nia.nash@example.org", "owen.osei@example.org"}
