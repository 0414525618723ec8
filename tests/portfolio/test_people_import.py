"""Importing candidates from a CSV file (issue 16 item 1): every row shown with what would become of
it, nothing saved until the administrator confirms, each new candidate added through
`services_centre.person_add`, the same file twice adding nobody twice, the import audited once.

Grace administers Riverside (Alice and Dave are its candidates); Frank administers Hillside."""

import re
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio import services_people_import
from portfolio.identifiers import uln_check_digit
from portfolio.invitation_models import INVITATION_VALID_FOR, Invitation
from portfolio.models import AuditEvent, Membership, Role
from portfolio.services_centre import person_add
from tests.factories import member

pytestmark = pytest.mark.django_db

CLASS = (
    "First name,Last name,Email,ULN\n"
    "Nia,Nash,nia@example.org,9276308686\n"
    "Owen,Osei,owen@example.org,\n"
)


def _upload(client, person, centre, content: bytes | str, name: str = "class.csv"):
    client.force_login(person)
    raw = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("portfolio:people_import", args=[centre.pk]), {"people_file": SimpleUploadedFile(name, raw)}
    )


def _preview(client, person, centre, content: bytes | str, name: str = "class.csv") -> tuple[str, str]:
    response = _upload(client, person, centre, content, name)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"] + "?show=all")
    assert page.status_code == 200
    return response["Location"], page.content.decode()


def _candidates_at(centre) -> set[str]:
    """The centre's candidates and the addresses it has invited as candidates (everyone added is
    invited: issue 16's walled centres)."""
    members = Membership.objects.filter(centre=centre, role=Role.CANDIDATE).values_list("person__email", flat=True)
    invited = Invitation.objects.filter(centre=centre, role=Role.CANDIDATE, cancelled_at=None).values_list("email", flat=True)
    return set(members) | set(invited)


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    """Confirms a preview as the page does; the background worker's run follows at once."""

    def confirmed(url: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url)

    return confirmed


@pytest.fixture
def imported(client, confirm):
    def run(person, centre, content: bytes | str) -> str:
        url, _page = _preview(client, person, centre, content)
        response = confirm(url)
        assert response.status_code == 302
        return client.get(response["Location"]).content.decode()

    return run


def test_it_shows_every_row_and_saves_nothing_before_confirming(client, grace, centre, alice):
    _url, page = _preview(client, grace, centre, CLASS)

    assert "Nia" in page and "owen@example.org" in page and "Will be invited" in page
    assert "Nobody has been invited yet" in page
    assert 'Invite 2 candidates' in page
    assert _candidates_at(centre) == {"alice@example.org"}
    assert not AuditEvent.objects.filter(action="portfolio.people.imported").exists()


def test_it_invites_each_new_candidate_on_confirming_and_audits_the_import_once(client, confirm, grace, centre, alice):
    url, _page = _preview(client, grace, centre, CLASS)

    response = confirm(url)

    assert response.status_code == 302
    assert _candidates_at(centre) == {"alice@example.org", "nia@example.org", "owen@example.org"}
    report = client.get(response["Location"]).content.decode()
    assert "Candidates imported" in report and "Nia" in report
    event = AuditEvent.objects.get(action="portfolio.people.imported")
    assert event.actor == grace and event.centre == centre
    assert event.after == {
        "file": "class.csv", "rows": 2, "invited": 2, "already_here": 0, "ulns_corrected": 0, "not_imported": 0
    }
    # Confirmed twice (a double click, a second tab): the import runs once.
    assert confirm(url)["Location"] == response["Location"]
    assert AuditEvent.objects.filter(action="portfolio.people.imported").count() == 1


def test_each_bad_row_says_what_is_wrong_in_its_cell_and_is_left_out(client, confirm, grace, centre):
    rows = (
        "First name,Last name,Email,ULN\n"
        ",Nash,nia@example.org,\n"
        "Owen,,owen@example.org,\n"
        "Pia,Park,not-an-address,\n"
        "Rhys,Reid,rhys@example.org,\n"
    )
    url, page = _preview(client, grace, centre, rows)

    assert "First name is missing." in page
    assert "Last name is missing." in page
    assert "This is not an email address." in page
    assert re.search(r"Invite 1 candidate\s*<", page)
    confirm(url)
    assert _candidates_at(centre) == {"rhys@example.org"}
    assert AuditEvent.objects.get(action="portfolio.people.imported").after["not_imported"] == 3


def test_a_uln_that_fails_its_check_is_a_warning_and_the_candidate_is_invited_without_it(
    client, confirm, grace, centre
):
    """A mistyped ULN does not keep a learner out of the class: the centre records it later."""
    rows = "First name,Last name,Email,ULN\nQuin,Quay,quin@example.org,9276308687\nNia,Nash,nia@example.org,9276308686\n"
    url, page = _preview(client, grace, centre, rows)

    assert "its last digit does not match the others" in page  # the ULN's check digit
    assert "Will be invited without the ULN: enter the right one from their Identifiers" in page
    assert "1 candidate is invited without the ULN given" in page
    assert re.search(r"Invite 2 candidates\s*<", page)
    assert "not yet kept" not in page and "A ULN is kept with the invitation" in page
    report = client.get(confirm(url)["Location"]).content.decode()
    assert "Invited without the ULN: enter the right one" in report and "its last digit does not match the others" in report
    assert Invitation.objects.get(email="quin@example.org").uln == ""
    assert Invitation.objects.get(email="nia@example.org").uln == "9276308686"
    assert AuditEvent.objects.get(action="portfolio.people.imported").after["not_imported"] == 0


def test_a_repeated_address_in_the_file_is_refused_after_its_first_row(client, confirm, grace, centre):
    rows = "First name,Last name,Email\nNia,Nash,nia@example.org\nNia,Nash,NIA@example.org\n"
    url, page = _preview(client, grace, centre, rows)

    assert "The same email address is on row 2: each person once." in page
    confirm(url)
    assert _candidates_at(centre) == {"nia@example.org"}


def test_candidates_already_here_or_invited_are_skipped(client, confirm, grace, centre, alice, bob):
    now = timezone.now()
    Invitation.objects.create(
        centre=centre, name="Pia Park", email="pia@example.org", role=Role.CANDIDATE, token_digest="x" * 64,
        invited_by=grace, sent_at=now, expires_at=now + INVITATION_VALID_FOR,
    )
    rows = (
        "First name,Last name,Email\n"
        "Alice,Adams,ALICE@example.org\n"
        "Pia,Park,pia@example.org\n"
        "Bob,Baker,bob@example.org\n"  # an assessor here becomes a candidate too
    )
    url, page = _preview(client, grace, centre, rows)

    assert "Already a candidate at this centre." in page
    assert "Already invited as a candidate" in page
    assert "Invite 1 candidate" in page
    assert "Already here as an assessor. They will be invited as a candidate too." in page
    response = confirm(url)
    assert _candidates_at(centre) == {"alice@example.org", "pia@example.org", "bob@example.org"}
    report = client.get(response["Location"]).content.decode()
    assert "Already here as an assessor. They were invited as a candidate too." in report


def test_addresses_recorded_in_capitals_are_found_whatever_the_files_case(client, grace, centre):
    member(centre, Role.CANDIDATE, first_name="Mo", last_name="Mills", email="Mo.Mills@Example.org")
    member(centre, Role.IQA, first_name="Ida", last_name="Iles", email="IDA@example.org")
    now = timezone.now()
    Invitation.objects.create(
        centre=centre, name="Pia Park", email="Pia@Example.org", role=Role.CANDIDATE, token_digest="x" * 64,
        invited_by=grace, sent_at=now, expires_at=now + INVITATION_VALID_FOR,
    )
    rows = "First name,Last name,Email\nMo,Mills,mo.mills@example.org\nPia,Park,PIA@example.org\nIda,Iles,ida@Example.org\n"

    _url, page = _preview(client, grace, centre, rows)

    assert "Already a candidate at this centre." in page
    assert "Already invited as a candidate" in page
    assert "Already here as an internal quality assurer. They will be invited as a candidate too." in page


def test_while_the_worker_has_not_finished_the_report_says_how_far_it_is(client, grace, centre):
    url, _page = _preview(client, grace, centre, CLASS)

    response = client.post(url)  # the worker has not started: nothing runs until the commit

    page = client.get(response["Location"]).content.decode()
    assert "Inviting the candidates" in page and "Waiting to start." in page
    assert client.get(url)["Location"] == response["Location"]  # the preview is not offered again
    # It asks again by itself (as an export's progress does), and "Check again" stays for no JavaScript.
    assert f'hx-get="{response["Location"]}" hx-trigger="every 2s"' in page and "Check again" in page
    box = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "Waiting to start." in box.content.decode() and "<html" not in box.content.decode()


def test_once_finished_the_progress_box_reloads_the_page_with_the_report(client, confirm, grace, centre):
    url, _page = _preview(client, grace, centre, CLASS)
    report = confirm(url)["Location"]
    assert client.get(report, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    page = client.get(report).content.decode()
    assert "Invited (2)" in page and "To be invited" not in page


def test_a_run_that_stops_part_way_keeps_who_was_invited_and_the_same_file_adds_the_rest(
    client, confirm, imported, grace, centre, monkeypatch
):
    added = []

    def fails_second_time(**fields):
        if added:
            raise RuntimeError("the mail server went away")
        added.append(fields["email"])
        return person_add(**fields)

    monkeypatch.setattr(services_people_import, "person_add", fails_second_time)
    url, _page = _preview(client, grace, centre, CLASS)
    page = client.get(confirm(url)["Location"]).content.decode()

    assert "The import stopped part-way" in page
    assert _candidates_at(centre) == {"nia@example.org"}
    monkeypatch.undo()
    report = imported(grace, centre, CLASS)
    assert "Candidates imported" in report
    assert _candidates_at(centre) == {"nia@example.org", "owen@example.org"}


def test_the_same_file_twice_adds_nobody_twice(client, confirm, imported, grace, centre):
    imported(grace, centre, CLASS)
    memberships = Membership.objects.count()

    url, page = _preview(client, grace, centre, CLASS)

    assert "No row is ready to invite." in page and "Already invited as a candidate" in page
    invitations = Invitation.objects.count()
    confirm(url)
    assert Membership.objects.count() == memberships and Invitation.objects.count() == invitations
    assert AuditEvent.objects.filter(action="portfolio.people.imported").first().after["invited"] == 0


def test_an_address_with_an_account_elsewhere_reads_as_any_new_address(client, grace, centre, frank, other_centre):
    """Nothing on the preview tells Grace that Erin of Hillside has an account, or her name there."""
    member(other_centre, Role.CANDIDATE, first_name="Erin", last_name="Elsewhere", email="known@example.org")
    _url, known = _preview(client, grace, centre, "First name,Last name,Email\nKay,Known,known@example.org\n")
    _url, new = _preview(client, grace, centre, "First name,Last name,Email\nKay,Known,fresh@example.org\n")

    assert "Elsewhere" not in known
    assert _same_but_for_secrets(known, "known@example.org") == _same_but_for_secrets(new, "fresh@example.org")


def _same_but_for_secrets(page: str, email: str) -> str:
    page = page.replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.mark.parametrize(
    ("content", "described"),
    [
        (b"\xef\xbb\xbfFirst name,Last name,Email\nSi\xc3\xa2n,Zo\xc3\xab,sian@example.org\n", "UTF-8 with a BOM"),
        (b"First name,Last name,Email\nSi\xc3\xa2n,Zo\xc3\xab,sian@example.org\n", "UTF-8"),
        (b"First name,Last name,Email\r\nSi\xe2n,Zo\xeb,sian@example.org\r\n", "Excel's Windows-1252"),
        (b"Forename;Surname;E-mail address\r\nSi\xe2n;Zo\xeb;sian@example.org\r\n", "semicolons, loose headings"),
        (b"first_name,last_name,email\nSi\xc3\xa2n,Zo\xc3\xab,sian@example.org\n", "snake case headings"),
    ],
)
def test_encodings_separators_and_headings_as_spreadsheets_save_them(imported, grace, centre, content, described):
    imported(grace, centre, content)

    assert Invitation.objects.get(email="sian@example.org").name == "Siân Zoë", described


def test_a_file_without_the_columns_says_which_are_missing(client, grace, centre):
    response = _upload(client, grace, centre, "Name,Address\nNia Nash,1 High Street\n")

    assert response.status_code == 400
    page = response.content.decode()
    assert "No column for first name, last name or email address was found" in page
    assert "“Name”, “Address”" in page


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "empty.csv", "is empty"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "class.csv", "only a CSV file can be imported"),
        (b"First name,Last name,Email\n", "class.csv", "no one listed under them"),
    ],
)
def test_a_file_that_is_not_a_list_of_people_is_refused(client, grace, centre, content, name, words):
    response = _upload(client, grace, centre, content, name)

    assert response.status_code == 400
    assert words in response.content.decode()


def test_the_template_is_a_csv_file_with_the_headings(client, grace, centre):
    client.force_login(grace)
    response = client.get(reverse("portfolio:people_import_template", args=[centre.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").strip() == "First name,Last name,Email,ULN"


def test_another_centres_administrator_finds_nothing(client, grace, frank, centre):
    url, _page = _preview(client, grace, centre, CLASS)
    client.force_login(frank)

    for name in ("portfolio:people_import", "portfolio:people_import_template"):
        assert client.get(reverse(name, args=[centre.pk])).status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert _candidates_at(centre) == set()


def test_the_centre_page_links_to_the_import(client, grace, centre):
    client.force_login(grace)
    page = client.get(reverse("assessments:centre_detail", args=[centre.pk])).content.decode()

    assert reverse("portfolio:people_import", args=[centre.pk]) in page


def _uln(n: int) -> str:
    """The n-th of a run of ULNs that pass their check ("" where nine digits take no check digit)."""
    first_nine = str(100_000_000 + n)
    digit = uln_check_digit(first_nine)
    return "" if digit is None else f"{first_nine}{digit}"


def _class_of(size: int) -> str:
    lines = ["First name,Last name,Email,ULN"]
    lines += [f"Learner{n},Number{n},learner{n}@example.org,{_uln(n) if n % 2 else ''}" for n in range(size)]
    return "\n".join(lines) + "\n"


def test_five_thousand_rows_preview_in_a_few_queries_and_confirm(client, confirm, grace, centre, capsys):
    response = _upload(client, grace, centre, _class_of(5000))
    assert response.status_code == 302
    url = response["Location"]

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    preview_seconds, preview_queries = time.perf_counter() - started, len(queries)
    assert page.status_code == 200 and "Invite 5000 candidates" in page.content.decode()
    # The session, the sign-in, the centre, the import, the centre's candidates, its invitations (in
    # every role), those it deactivated and who here holds the file's ULNs: nothing per row, and
    # nothing about anyone outside the centre (people are read through the centre's memberships or
    # its own record of identifiers); and her roles, the cases and the grants that let her in, checked on every request.
    assert 3 < len(queries) < 19, [q["sql"] for q in queries.captured_queries]
    centres_own = ("membership", "portfolio_candidateidentifiers")
    assert not any(
        '"portfolio_person"' in q["sql"] and not any(table in q["sql"] for table in centres_own)
        for q in queries.captured_queries[2:]
    )
    tracemalloc.start()
    client.get(url)
    _, preview_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    started = time.perf_counter()
    response = confirm(url)
    confirm_seconds = time.perf_counter() - started
    assert response.status_code == 302
    assert len(_candidates_at(centre)) == 5000
    assert "5000 rows" in client.get(response["Location"]).content.decode()
    with capsys.disabled():
        print(
            f"\n5,000 rows: preview {preview_seconds:.2f} s, {preview_queries} queries, "
            f"peak {preview_peak / 1e6:.1f} MB allocated; confirm (the worker's run) {confirm_seconds:.1f} s"
        )
