"""What an outside tester found on the import and identifiers pages (issue 16), in a browser: Grace,
Riverside's administrator, checks a file whose row gives a ULN the centre holds for Alice, whose
name has a line break in it, and which names Alice differently; checks a second file, so confirming
the first says it was replaced; and is refused Alice's ULN for Dave on his identifiers page. Each
page checked with axe at 1280 and 390 px."""

from playwright.sync_api import expect

from portfolio.models import CandidateIdentifiers, Invitation
from tests.assessments.unit_case import build_case
from tests.browser.test_eqa_access_journey import at_both_widths

PASSWORD = "correct horse battery"
ULN = "9276308686"

CLASS = (
    b"First name,Last name,Email,ULN\n"
    b"Nia,Nash,nia.nash@example.org,9276308686\n"
    b'"Multi\nLine",Osei,owen.osei@example.org,\n'
    b"Alice,Adamson,alice@example.org,\n"
    b"Pia,Park,pia.park@example.org,\n"
)


def _check_file(page, centre, content: bytes) -> None:
    page.goto(f"/portfolio/centres/{centre.pk}/people/import/")
    page.get_by_label("The list of candidates (CSV)").set_input_files(
        files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the candidates before importing them")


def test_clashing_ulns_broken_names_changed_names_and_a_replaced_preview(page, transactional_db, login, axe_check, screenshot):
    case = build_case()
    CandidateIdentifiers.objects.create(candidate=case.alice, centre=case.centre, uln=ULN)
    login(page, case.grace.email, PASSWORD)

    _check_file(page, case.centre, CLASS)
    main = page.get_by_role("main")
    expect(main).to_contain_text("This ULN is already recorded at this centre for Alice Adams (alice@example.org)")
    expect(main).to_contain_text("First name has a line break or a control character in it")
    expect(main).to_contain_text("The name in the file, Alice Adamson, is not their name here, Alice Adams")
    at_both_widths(page, axe_check, screenshot, "people-import-clashes")
    first = page.url

    _check_file(page, case.centre, b"First name,Last name,Email\nPia,Park,pia.park@example.org\n")
    page.goto(first)
    expect(page.get_by_role("heading", level=1)).to_have_text("This preview was replaced by a newer one")
    at_both_widths(page, axe_check, screenshot, "people-import-replaced")
    page.get_by_role("link", name="Check the file again").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import candidates")
    assert not Invitation.objects.exists()

    page.goto(f"/portfolio/centres/{case.centre.pk}/candidates/{case.dave.pk}/identifiers/")
    page.get_by_label("Unique Learner Number (ULN)").fill(ULN)
    page.get_by_role("button", name="Save").click()
    expect(main).to_contain_text("This ULN is already recorded at this centre for Alice Adams (alice@example.org)")
    at_both_widths(page, axe_check, screenshot, "identifiers-uln-taken")
