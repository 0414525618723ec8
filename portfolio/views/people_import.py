"""Importing candidates from a spreadsheet (issue 16): upload a CSV file, read what would become of
every row, then confirm. Nothing is added before the confirmation. Between the two the file's text
waits in the administrator's own session under a random token (as a unit's text does before its
import, views/catalogue.py), so the confirmation posts nothing but that token and is checked again
from the file itself. Anyone but an administrator of the centre finds nothing (404)."""

import secrets
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from .. import access, people_import, services_people_import
from ..errors import PortfolioError
from ..forms.people_import import PeopleImportForm
from ..http import AuthenticatedHttpRequest
from ..models import Centre
from ..people_import import COLUMN_WORDS, EMAIL, FIRST_NAME, LAST_NAME, OUTCOME_WORDS, ULN, PeopleRow

_DRAFT, _REPORT = "people-import:", "people-import-report:"
ROWS_PER_PAGE = 100
# Which rows the preview and the report list: every row, or those of one outcome.
SHOWN = {"all": "Every row", people_import.PROBLEM: "Not imported", people_import.HERE: "Already here",
         people_import.INVITE: "To be invited"}


def people_import_upload(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    posted = request.method == "POST"
    form = PeopleImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        _forget_earlier_imports(request)
        token = secrets.token_urlsafe(12)
        request.session[_DRAFT + token] = {
            "centre": centre.pk, "text": form.cleaned_data["text"], "file": form.cleaned_data["file_name"],
        }
        return redirect("portfolio:people_import_preview", centre_id=centre.pk, token=token)
    status = 400 if posted else 200
    return render(request, "portfolio/people_import.html", {"centre": centre, "form": form}, status=status)


def _forget_earlier_imports(request: AuthenticatedHttpRequest) -> None:
    """One import waits at a time: a file can be thousands of rows, and the session is read on every page."""
    for key in [key for key, _value in request.session.items() if key.startswith((_DRAFT, _REPORT))]:
        del request.session[key]


def people_import_template(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    access.administered_centre_for_user(request.user, centre_id)
    # The byte-order mark tells Excel the file is UTF-8, so names such as Siân and Zoë open as typed.
    response = HttpResponse("\ufeff" + people_import.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="candidates.csv"'
    return response


def _saved(request: AuthenticatedHttpRequest, prefix: str, centre: Centre, token: str) -> dict[str, Any]:
    saved = request.session.get(prefix + token)
    if not isinstance(saved, dict) or saved.get("centre") != centre.pk:
        raise Http404("This import has been done or has expired: start again.")
    return saved


def people_import_preview(request: AuthenticatedHttpRequest, centre_id: int, token: str) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    draft = _saved(request, _DRAFT, centre, token)
    error = ""
    if request.method == "POST":
        try:
            people = services_people_import.people_import_confirm(
                centre=centre, imported_by=request.user, text=draft["text"], file_name=draft["file"]
            )
        except (PortfolioError, people_import.UnreadableFile) as refused:
            error = str(refused)
        else:
            del request.session[_DRAFT + token]
            request.session[_REPORT + token] = {"centre": centre.pk, "file": draft["file"], "rows": _kept(people.rows)}
            tally = people_import.counts(people)
            messages.success(request, f"{tally[people_import.INVITE]} candidate{'s' if tally[people_import.INVITE] != 1 else ''} invited from “{draft['file']}”.")
            return redirect("portfolio:people_import_report", centre_id=centre.pk, token=token)
    people = services_people_import.people_preview(centre=centre, text=draft["text"])
    context = _listing(request, people.rows) | {
        "centre": centre, "draft": draft, "token": token, "unused_columns": people.unused_columns, "error": error,
    }
    return render(request, "portfolio/people_import_preview.html", context, status=400 if error else 200)


def _kept(rows: list[PeopleRow]) -> list[list[Any]]:
    """Each row as the report needs it, compactly: the session holds it until the next import."""
    return [
        [row.line, row.first_name, row.last_name, row.email, row.uln, row.outcome, row.note, row.problems]
        for row in rows
    ]


def people_import_report(request: AuthenticatedHttpRequest, centre_id: int, token: str) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    report = _saved(request, _REPORT, centre, token)
    rows = [
        PeopleRow(line=line, first_name=first, last_name=last, email=email, uln=uln, outcome=outcome, note=note,
                  problems=problems)
        for line, first, last, email, uln, outcome, note, problems in report["rows"]
    ]
    context = _listing(request, rows) | {"centre": centre, "report": report}
    return render(request, "portfolio/people_import_report.html", context)


def _listing(request: AuthenticatedHttpRequest, rows: list[PeopleRow]) -> dict[str, Any]:
    """The counts, and a page of the rows of the outcome asked for, each cell with its problem."""
    tally = people_import.counts(people_import.PeopleFile(rows=rows, unused_columns=[]))
    shown = request.GET.get("show", "all")
    if shown not in SHOWN:
        shown = "all"
    chosen = rows if shown == "all" else [row for row in rows if row.outcome == shown]
    page = Paginator(chosen, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "counts": tally,
        "shown": shown,
        "filters": [(value, words, tally["rows"] if value == "all" else tally[value]) for value, words in SHOWN.items()],
        "page": page,
        "rows": [_row_shown(row) for row in page.object_list],
        "columns": [COLUMN_WORDS[column].capitalize() if column != ULN else "ULN" for column in _CELLS],
    }


_CELLS = (FIRST_NAME, LAST_NAME, EMAIL, ULN)


def _row_shown(row: PeopleRow) -> dict[str, Any]:
    values = {FIRST_NAME: row.first_name, LAST_NAME: row.last_name, EMAIL: row.email, ULN: row.uln}
    return {
        "line": row.line,
        "cells": [(values[column], row.problems.get(column, "")) for column in _CELLS],
        "outcome": row.outcome,
        "outcome_words": OUTCOME_WORDS[row.outcome],
        "note": row.note,
    }
