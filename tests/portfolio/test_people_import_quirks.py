"""What an outside tester found importing candidates (issue 16): a UTF-16 file gained a phantom
last row; a name with a line break in it was taken as one name; a last name changed in a file
imported again was passed over without a word; and a preview replaced by checking a second file
answered its confirmation with a bare "not found".

Grace administers Riverside, where Alice is a candidate."""

# The import's fixtures (confirm, imported) are borrowed from its main test file, so each test's
# arguments name them again: ruff reads that as a redefinition.
# ruff: noqa: F811

import re

import pytest
from django.urls import reverse

from portfolio.models import Invitation, Person
from tests.portfolio.test_people_import import _preview, _upload, confirm, imported  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

CLASS = "First name,Last name,Email\r\nSiân,Zoë,sian@example.org\r\nOwen,Osei,owen@example.org\r\n\r\n"


@pytest.mark.parametrize(
    ("content", "described"),
    [
        (b"\xff\xfe" + CLASS.encode("utf-16-le"), "UTF-16 with its byte-order mark (Excel's Unicode Text)"),
        (b"\xfe\xff" + CLASS.encode("utf-16-be"), "UTF-16, big-endian"),
        (CLASS.encode("utf-8"), "UTF-8"),
        (("\ufeff" + CLASS).encode("utf-8"), "UTF-8 with a BOM"),
    ],
)
def test_blank_trailing_rows_are_ignored_in_every_encoding(client, imported, grace, centre, content, described):
    _url, page = _preview(client, grace, centre, content)

    assert "2 rows" in page and "is missing" not in page and "Not imported</span>" not in page, described
    imported(grace, centre, content)
    assert set(Invitation.objects.values_list("name", flat=True)) == {"Siân Zoë", "Owen Osei"}, described


@pytest.mark.parametrize(
    "first_name", ['"Multi\nLine"', '"Multi\r\nLine"', "Multi\x07Bell", "Multi\u2028Line", "\u202eeniL"]
)
def test_a_name_with_a_line_break_or_control_character_is_refused(client, grace, centre, first_name):
    _url, page = _preview(client, grace, centre, f"First name,Last name,Email\n{first_name},Nash,nia@example.org\n")

    assert "First name has a line break or a control character in it: one name, on one line." in page
    assert "Invite 1 candidate" not in page


def test_a_name_with_accents_hyphens_and_apostrophes_is_taken(client, grace, centre):
    _url, page = _preview(client, grace, centre, "First name,Last name,Email\nZoë-Anne,O’Neill,zoe@example.org\n")

    assert "Invite 1 candidate" in page


def test_a_candidates_name_differing_in_the_file_is_said_and_left_as_it_is(client, imported, grace, centre, alice):
    _url, page = _preview(client, grace, centre, "First name,Last name,Email\nAlice,Adamson,alice@example.org\n")

    assert "The name in the file, Alice Adamson, is not their name here, Alice Adams: importing does not change it" in page
    imported(grace, centre, "First name,Last name,Email\nAlice,Adamson,alice@example.org\n")
    assert Person.objects.get(email="alice@example.org").last_name == "Adams"


def test_an_invitations_name_differing_in_the_file_is_said_and_left_as_it_is(client, imported, grace, centre):
    imported(grace, centre, "First name,Last name,Email\nNia,Nash,nia@example.org\n")

    _url, page = _preview(client, grace, centre, "First name,Last name,Email\nNia,Nash-Smith,nia@example.org\n")

    assert "The name in the file, Nia Nash-Smith, is not the one on their invitation, Nia Nash" in page
    assert Invitation.objects.get().name == "Nia Nash"


def test_the_same_name_says_nothing_of_names(client, grace, centre, alice):
    _url, page = _preview(client, grace, centre, "First name,Last name,Email\nAlice,Adams,alice@example.org\n")

    assert "Already a candidate at this centre." in page and "The name in the file" not in page


def test_a_preview_replaced_by_a_newer_file_says_so_when_confirmed(client, confirm, grace, centre):
    first, _page = _preview(client, grace, centre, "First name,Last name,Email\nNia,Nash,nia@example.org\n")
    second, _page = _preview(client, grace, centre, "First name,Last name,Email\nOwen,Osei,owen@example.org\n")

    response = confirm(first)

    assert response.status_code == 410
    page = response.content.decode()
    assert "This preview was replaced by a newer one" in page and "Check the file again" in page
    assert not Invitation.objects.exists()
    assert client.get(first).status_code == 410
    assert confirm(second).status_code == 302
    assert set(Invitation.objects.values_list("email", flat=True)) == {"owen@example.org"}


def test_a_replaced_preview_is_still_not_found_for_another_administrator(client, grace, frank, centre):
    first, _page = _preview(client, grace, centre, "First name,Last name,Email\nNia,Nash,nia@example.org\n")
    _upload(client, grace, centre, "First name,Last name,Email\nOwen,Osei,owen@example.org\n")
    client.force_login(frank)

    assert client.get(first).status_code == 404


# Excel's "Unicode Text" (issue 16, tester's finding): tab-separated UTF-16 with a byte-order mark,
# saved as .txt, was refused as having no First name, Last name or Email column. ---------------

UNICODE_TEXT = (
    "First name\tLast name\tEmail\tULN\tNotes\r\n"
    "Siân\tO’Neill-Zoë\tsian@example.org\t\tEvenings, from May\r\n"
    "Owen\tOsei\towen@example.org\t9276308686\t\r\n"
    "\t\t\t\t\r\n"
)


@pytest.mark.parametrize(
    ("content", "described"),
    [
        (b"\xff\xfe" + UNICODE_TEXT.encode("utf-16-le"), "Excel's Unicode Text: UTF-16-LE with its byte-order mark"),
        (b"\xfe\xff" + UNICODE_TEXT.encode("utf-16-be"), "UTF-16, big-endian"),
        (UNICODE_TEXT.encode("utf-8"), "UTF-8, tab-separated"),
        (UNICODE_TEXT.replace("’", "'").encode("cp1252"), "Excel's Text (Tab delimited): Windows-1252"),
    ],
)
def test_a_tab_separated_file_is_read_in_every_encoding(client, imported, grace, centre, content, described):
    _url, page = _preview(client, grace, centre, content, name="class.txt")

    assert "2 rows" in page and "Not imported</span>" not in page, described
    assert "Notes" in page  # the column it does not read, named as the file wrote it
    report = imported(grace, centre, content)
    assert "Invited" in report
    names = set(Invitation.objects.values_list("name", flat=True))
    assert names in ({"Siân O’Neill-Zoë", "Owen Osei"}, {"Siân O'Neill-Zoë", "Owen Osei"}), described
    assert Invitation.objects.get(email="owen@example.org").uln == "9276308686"


def test_the_page_says_excels_unicode_text_works_and_offers_txt_files(client, grace, centre):
    client.force_login(grace)
    page = client.get(reverse("portfolio:people_import", args=[centre.pk])).content.decode()

    assert "“Unicode Text”" in page
    assert re.search(r'accept="[^"]*\.txt', page)


def test_a_second_preview_before_the_first_import_ran_says_so_and_confirming_it_invites_nobody_twice(
    client, grace, centre, django_capture_on_commit_callbacks, mailoutbox,
):
    """An outside trial: the same file previewed again seconds after confirming it, before the
    worker ran, showed "Will be invited" again. Each run checks the centre again as it goes (and the
    database refuses a second waiting invitation), so the second invites nobody twice; its preview says
    the first is still being processed."""
    from tests.portfolio.test_people_import import CLASS

    first, _page = _preview(client, grace, centre, CLASS)
    with django_capture_on_commit_callbacks() as first_run:  # confirmed, the worker not yet run
        assert client.post(first).status_code == 302
    second, page = _preview(client, grace, centre, CLASS)
    assert "Will be invited" in page
    assert "An import of the same people, from “class.csv”" in page and "is still being processed" in page
    with django_capture_on_commit_callbacks() as second_run:
        assert client.post(second).status_code == 302
    for run in [*first_run, *second_run]:
        run()

    for email in ("nia@example.org", "owen@example.org"):
        assert Invitation.objects.filter(centre=centre, email=email).count() == 1
        assert sum(email in message.to for message in mailoutbox) == 1
    report = client.get(second, follow=True).content.decode()  # the second's report: nobody new
    assert "Candidates imported" in report and "Will be invited" not in report
