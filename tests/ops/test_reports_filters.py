"""The reports' filters as an outside tester found them, and the sampling report's deactivated
candidates. The centre is tests/ops/test_reports.py's: Carol is the IQA of Alice's HSC331 and H3 25
(Bob assesses both) and of Dave's HSC331 (Erin); she has countersigned Alice's H3 25."""

import pytest
from django.urls import reverse

from ops.forms.reports import ReportFilterForm
from portfolio import spreadsheets
from portfolio.services_people import membership_deactivate
from tests.ops.test_reports import _csv, _get, case  # noqa: F401  (case: the fixture of that centre)

pytestmark = pytest.mark.django_db


def test_a_wrong_status_is_shown_like_the_other_filters_and_no_csv_is_offered(client, case):  # noqa: F811
    """Tester's finding: ?status=bogus showed "showing everything" with no error, while the page's own
    CSV link kept status=bogus and the CSV answered 400."""
    response = _get(client, case.grace, "report_progress", case.centre, "?status=bogus")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert ("Choose a status from the list: the one asked for is not one of on track, at risk, overdue or "
            "signed off, so the report is not narrowed by status.") in " ".join(page.split())
    assert 'id="id_status" class="form-select is-invalid" aria-describedby="id_status-error"' in page
    assert "Download as CSV" not in page and "correct the filter first" in page
    # The page ignores the wrong status and shows every unit, as it does any wrong filter.
    assert "3 units." in " ".join(page.split())

    # A right status narrows the page, is said in the filter's line, and its CSV agrees.
    page = _get(client, case.grace, "report_progress", case.centre, "?status=at-risk").content.decode()
    assert "There is a problem" not in page and "Status: At risk" in page
    csv_url = reverse("ops:report_progress_csv", args=[case.centre.pk]) + "?status=at-risk"
    assert f'href="{csv_url}" download' in page
    client.force_login(case.grace)
    assert [(r["candidate"], r["status"]) for r in _csv(client.get(csv_url))] == [("Dave Davies", "At risk")]


@pytest.mark.parametrize("name", ["report_progress", "report_overdue", "report_caseload", "report_decisions", "report_sampling"])
def test_no_report_offers_a_csv_its_filter_would_refuse(client, case, name):  # noqa: F811
    page = _get(client, case.grace, name, case.centre, "?date_from=2026-02-01&date_to=2026-01-01").content.decode()
    assert "The end date must be on or after the start date." in page
    assert "Download as CSV" not in page
    assert "Download as CSV" in _get(client, case.grace, name, case.centre, "?date_from=2026-01-01").content.decode()


def test_sampling_leaves_out_deactivated_candidates_and_says_how_many(client, case):  # noqa: F811
    """Tester's finding: the sampling report still counted the units and candidates of a candidate
    deactivated at the centre, which progress, overdue and caseloads leave out."""
    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")
    carol = {r["IQA"]: r for r in _csv(_get(client, case.grace, "report_sampling_csv", case.centre))}["Carol Clark"]
    # Left: Dave's HSC331 (Erin), not sampled. Alice's two units, one of them sampled, are not counted.
    assert (carol["units quality-assured"], carol["units sampled"], carol["per cent sampled"]) == ("1", "0", "0")
    assert (carol["assessors sampled"], carol["assessors"], carol["candidates sampled"], carol["candidates"]) == ("0", "1", "0", "1")
    page = " ".join(_get(client, case.grace, "report_sampling", case.centre).content.decode().split())
    assert ("Not counted here: 2 units of deactivated candidates, not signed off (their signed-off units count, with the "
            "sampling of them). The CSV gives each IQA’s;") in page
    assert carol["units not signed off of deactivated candidates (not counted)"] == "2"
    assert "0 of 1 (0%)" in page
    # Narrowed to Erin's units, Alice's are not among them, so none is said to be left out.
    page = _get(client, case.grace, "report_sampling", case.centre, f"?assessor={case.erin.pk}").content.decode()
    assert "Not counted here" not in page


def _summary(page: str) -> str:
    start = page.index('<span class="fw-semibold">Filter</span>')
    return " ".join(page[start:page.index("</summary>", start)].replace('<span class="fw-semibold">Filter</span>', "Filter")
                    .replace('<span class="text-body-secondary">', "").replace("</span>", "").split())


@pytest.mark.parametrize("name", ["report_progress", "report_decisions"])
def test_the_filters_summary_says_only_the_dates_applied(client, case, name):  # noqa: F811
    """An outside trial: a From date after the To date was refused with an error, yet the summary
    still said "Filter · From 1 December 2027". A refused range applies neither end, and says neither."""
    page = _get(client, case.grace, name, case.centre, "?date_from=2027-12-01&date_to=2026-01-01").content.decode()
    assert "The end date must be on or after the start date." in page
    assert _summary(page) == "Filter · showing everything"
    assert "No dates were applied" in page
    # Either date refused, neither applies (an outside trial: the To date was applied beside the
    # From date's error), and the error says so.
    for query in ("?date_from=9999-12-01&date_to=2026-01-01", "?date_from=2026-13-45&date_to=2026-11-30",
                  "?date_from=2026-01-01&date_to=soon"):
        page = _get(client, case.grace, name, case.centre, query).content.decode()
        assert _summary(page) == "Filter · showing everything"
        assert "No dates were applied: the report covers every date until this is corrected." in page
    page = _get(client, case.grace, name, case.centre, "?date_from=2027-12-01").content.decode()
    assert "There is a problem" not in page and _summary(page) == "Filter · From 1 December 2027"


@pytest.mark.parametrize("name", ["report_progress", "report_overdue", "report_caseload", "report_decisions", "report_sampling"])
@pytest.mark.parametrize("query", ["?date_to=9999-12-31", "?date_from=0001-01-01"])
def test_a_date_at_the_calendars_end_is_refused_like_any_wrong_date(client, case, name, query):  # noqa: F811
    """Tester's finding: ?date_to=9999-12-31 answered 500 on every report (the day after it is no
    date), and the CSV answered 200 with the header row only: the error came after it was sent."""
    response = _get(client, case.grace, name, case.centre, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter a date between 1 January 1900 and 31 December 2199." in page
    assert "Download as CSV" not in page
    refused = _get(client, case.grace, f"{name}_csv", case.centre, query)
    assert refused.status_code == 400
    assert "Enter a date between 1 January 1900 and 31 December 2199." in refused.content.decode()
    # The last day of the span is a date like any other.
    last_day = _get(client, case.grace, f"{name}_csv", case.centre, "?date_to=2199-12-31")
    assert last_day.status_code == 200
    # Read to its end, as a browser would: a stream left unread holds its database cursor open.
    assert b"".join(last_day.streaming_content).startswith("\ufeff".encode())


def _failing_rows(after: int):
    yield from ([f"row {n}"] for n in range(after))
    raise RuntimeError("the figures could not be worked out")


def test_a_csv_that_fails_before_its_first_row_is_an_error_not_a_file_of_headers():
    with pytest.raises(RuntimeError):
        spreadsheets.streamed(["name"], _failing_rows(0), file_name="a.csv")


def test_a_csv_cut_short_says_so_in_its_last_line():
    response = spreadsheets.streamed(["name"], _failing_rows(2), file_name="a.csv")
    sent = []
    with pytest.raises(RuntimeError):
        for chunk in response.streaming_content:
            sent.append(chunk)
    text = b"".join(sent).decode()
    assert text.startswith("\ufeffname\r\nrow 0\r\nrow 1\r\n")
    assert text.endswith("THIS FILE IS INCOMPLETE: the download stopped before the end. Download it again.\r\n")


def test_a_csv_never_read_lets_go_of_its_rows_when_the_response_closes():
    """A HEAD request, or a browser gone before the first byte: the first row was read before the
    response (a database cursor open under the rows), and closing the response must close them
    while the request's connection is still there, not at some later garbage collection."""
    closed = []

    def rows():
        try:
            yield from (["row 0"], ["row 1"])
        finally:
            closed.append(True)

    response = spreadsheets.streamed(["name"], rows(), file_name="a.csv")
    assert closed == []
    response.close()
    assert closed == [True]


@pytest.mark.parametrize("query", [
    {"date_from": "2026-13-45", "date_to": "2026-11-30"}, {"date_from": "2026-01-01", "date_to": "9999-12-31"},
    {"date_from": "2026-12-01", "date_to": "2026-01-01"},
])
def test_a_refused_date_applies_neither_date_to_any_report(client, case, query):  # noqa: F811
    """What the page's figures and the CSV are narrowed to: no date at all, as the summary says."""
    narrowed = ReportFilterForm(query, centre=case.centre, with_status=True, with_iqa=True).narrowed()
    assert (narrowed.date_from, narrowed.date_to) == (None, None)
    everything = _get(client, case.grace, "report_decisions", case.centre).content.decode()
    asked = "?" + "&".join(f"{k}={v}" for k, v in query.items())
    refused = _get(client, case.grace, "report_decisions", case.centre, asked).content.decode()
    assert refused[refused.index("<table"):refused.index("</table>")] == everything[everything.index("<table"):everything.index("</table>")]
    csv = _get(client, case.grace, "report_decisions_csv", case.centre, asked)
    assert csv.status_code == 400 and "No dates were applied" in csv.content.decode()


def test_a_wrong_choice_or_date_says_which_filter_and_what_to_do(client, case):  # noqa: F811
    """An outside trial: Django's "Select a valid choice. That choice is not one of the available
    choices." and "Enter a valid date." said neither which filter nor what to do."""
    page = " ".join(_get(client, case.grace, "report_progress", case.centre,
                         f"?assessor={case.frank.pk}&unit=abc&date_from=notadate").content.decode().split())
    assert ("Choose an assessor from the list: the one asked for is not one of this centre&#x27;s assessors, so the "
            "report is not narrowed by assessor.") in page
    assert "Choose a unit from the list: the one asked for is not one of this centre&#x27;s units" in page
    assert "Enter a real date, as a day, month and year: for example 1 September 2026." in page
    assert "No dates were applied: the report covers every date until this is corrected." in page
    assert "Select a valid choice" not in page and "Enter a valid date" not in page


def test_the_filter_chosen_stays_chosen_and_names_are_written_as_text(client, case):  # noqa: F811
    """The filters' options are built in one pass (`portfolio_extras.options`): the one asked for is
    the one selected when the page comes back, and a name is text, never markup."""
    case.bob.last_name = "Baker <b>"
    case.bob.save(update_fields=["last_name"])
    page = _get(client, case.grace, "report_progress", case.centre, f"?assessor={case.bob.pk}&status=overdue").content.decode()
    assert f'<option value="{case.bob.pk}" selected>Bob Baker &lt;b&gt;</option>' in page
    assert '<option value="overdue" selected>Overdue</option>' in page
    assert page.count(" selected>") == 2, "only the two chosen"
    assert "Baker <b>" not in page
