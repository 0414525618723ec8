"""Importing candidates from a spreadsheet (issue 16): upload a CSV file, read what would become of
every row, then confirm; the background worker invites them and the report says what became of
each. Nothing is added before the confirmation. The file waits on the server under a random token
(`PeopleImport`), found only by the administrator who uploaded it at their centre, so the
confirmation posts nothing but that token and is checked again from the file itself. Anyone but an
administrator of the centre finds nothing (404)."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .. import access, people_import, services_people_import, spreadsheets
from ..errors import PortfolioError
from ..forms.people_import import PeopleImportForm
from ..http import AuthenticatedHttpRequest
from ..models import Centre
from ..paging import Pages
from ..people_import import COLUMN_WORDS, EMAIL, FIRST_NAME, LAST_NAME, OUTCOME_WORDS, ULN, PeopleRow
from ..people_import_models import PeopleImport

ROWS_PER_PAGE = 100
# Which rows the preview and the report list: every row, or those of one outcome.
SHOWN = {"all": "Every row", people_import.PROBLEM: "Not imported", people_import.HERE: "Already here",
         people_import.CORRECT: "ULN to correct", people_import.INVITE: "To be invited"}


def people_import_upload(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    posted = request.method == "POST"
    form = PeopleImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            started = services_people_import.people_import_start(
                centre=centre, uploaded_by=request.user, text=form.cleaned_data["text"],
                file_name=form.cleaned_data["file_name"],
            )
        except PortfolioError as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("portfolio:people_import_preview", centre_id=centre.pk, token=started.token)
    status = 400 if posted else 200
    return render(request, "portfolio/people_import.html", {"centre": centre, "form": form}, status=status)


def _import_for(request: AuthenticatedHttpRequest, centre: Centre, token: str) -> PeopleImport:
    """The administrator's own import at this centre; anyone else's, or none, is 404."""
    return get_object_or_404(PeopleImport, centre=centre, uploaded_by=request.user, token=token)


def _replaced(request: AuthenticatedHttpRequest, centre: Centre, draft: PeopleImport) -> HttpResponse:
    """A preview whose administrator checked another file since (confirmed from a tab left open,
    say): it is gone (410), and the page says why and what to do rather than "not found"."""
    context = {"centre": centre, "draft": draft, "posted": request.method == "POST"}
    return render(request, "portfolio/people_import_replaced.html", context, status=410)


def people_import_template(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    access.administered_centre_for_user(request.user, centre_id)
    return spreadsheets.download("candidates.csv", people_import.template_csv())


def people_import_preview(request: AuthenticatedHttpRequest, centre_id: int, token: str) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    draft = _import_for(request, centre, token)
    if draft.status == PeopleImport.Status.REPLACED:
        return _replaced(request, centre, draft)
    if draft.status != PeopleImport.Status.DRAFT:
        return redirect("portfolio:people_import_report", centre_id=centre.pk, token=token)
    error = ""
    if request.method == "POST":
        try:
            services_people_import.people_import_confirm(people_import_=draft, confirmed_by=request.user)
        except PortfolioError as refused:
            error = str(refused)
        else:
            messages.success(request, f"The candidates from “{draft.file_name}” are being invited.")
            return redirect("portfolio:people_import_report", centre_id=centre.pk, token=token)
    people = services_people_import.people_preview(draft)
    context = _listing(request, people.rows) | {
        "centre": centre, "draft": draft, "unused_columns": people.unused_columns, "error": error,
        "still_importing": services_people_import.still_importing(draft, people),
    }
    return render(request, "portfolio/people_import_preview.html", context, status=400 if error else 200)


def people_import_report(request: AuthenticatedHttpRequest, centre_id: int, token: str) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    run = _import_for(request, centre, token)
    if run.status == PeopleImport.Status.REPLACED:
        return _replaced(request, centre, run)
    if run.status == PeopleImport.Status.DRAFT:
        return redirect("portfolio:people_import_preview", centre_id=centre.pk, token=token)
    if request.headers.get("HX-Request"):
        # The progress box asking again: while the worker runs it gets itself back; then the page reloads.
        if run.working:
            return render(request, "portfolio/people_import_progress.html", {"centre": centre, "run": run})
        return HttpResponse(headers={"HX-Refresh": "true"})
    rows = services_people_import.reported_rows(run)
    context = _listing(request, rows, invite_words="Invited", correct_words="ULN corrected") | {"centre": centre, "run": run}
    return render(request, "portfolio/people_import_report.html", context)


def _listing(
    request: AuthenticatedHttpRequest, rows: list[PeopleRow], *, invite_words: str = "", correct_words: str = ""
) -> dict[str, Any]:
    """The counts, and a page of the rows of the outcome asked for, each cell with its problem."""
    tally = people_import.counts(people_import.PeopleFile(rows=rows, unused_columns=[]))
    done_words = {people_import.INVITE: invite_words, people_import.CORRECT: correct_words}
    shown = request.GET.get("show", "all")
    if shown not in SHOWN:
        shown = "all"
    chosen = rows if shown == "all" else [row for row in rows if row.outcome == shown]
    page = Pages(chosen, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "counts": tally,
        "shown": shown,
        "filters": [
            (value, done_words.get(value, "") or words, tally["rows"] if value == "all" else tally[value])
            for value, words in SHOWN.items()
            # A kind of row no file of this centre's has is not offered (most imports correct no ULN).
            if value != people_import.CORRECT or tally[value]
        ],
        "page": page,
        "rows": [_row_shown(row) for row in page.object_list],
        "columns": [COLUMN_HEADINGS[column] for column in _CELLS],
    }


_CELLS = (FIRST_NAME, LAST_NAME, EMAIL, ULN)
COLUMN_HEADINGS = {column: COLUMN_WORDS[column].capitalize() if column != ULN else "ULN" for column in _CELLS}


def _row_shown(row: PeopleRow) -> dict[str, Any]:
    values = {FIRST_NAME: row.first_name, LAST_NAME: row.last_name, EMAIL: row.email, ULN: row.uln}
    return {
        "line": row.line,
        "cells": [
            (COLUMN_HEADINGS[column], values[column], row.problems.get(column, ""), row.warnings.get(column, ""))
            for column in _CELLS
        ],
        "without_uln": ULN in row.warnings,
        "outcome": row.outcome,
        "outcome_words": OUTCOME_WORDS[row.outcome],
        "note": row.note,
    }
