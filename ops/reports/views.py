"""The centre's reports: an index, each report's page and its CSV download (streamed, a row at a
time). Who may read which is `ops.access`; the figures are `assessments.caseload` and
`caseload_staff`, through `ops.reports.units` and `staff`."""

from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from assessments.caseload import LATE_WORKING_DAYS, RAG_RULES
from ops.access import report_centre_for_user
from ops.forms.reports import ReportFilterForm
from portfolio import spreadsheets
from portfolio.access import roles_at
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Role

from .registry import BY_SLUG, REPORTS, Report


def reports_index(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = report_centre_for_user(request.user, centre_id, about_staff=True)
    is_administrator = Role.ADMINISTRATOR in roles_at(request.user, centre.pk)
    shown = [r for r in REPORTS if is_administrator or r.about_staff]
    return render(request, "ops/reports/index.html", {"centre": centre, "reports": shown, "is_administrator": is_administrator})


def report_page(request: AuthenticatedHttpRequest, centre_id: int, report: str) -> HttpResponse:
    found: Report = BY_SLUG[report]
    centre = report_centre_for_user(request.user, centre_id, about_staff=found.about_staff)
    form = ReportFilterForm(request.GET or None, centre=centre, with_status=found.has_status, with_iqa=found.has_iqa)
    narrowed = form.narrowed()
    is_administrator = Role.ADMINISTRATOR in roles_at(request.user, centre.pk)
    context = {
        "centre": centre, "report": found, "form": form, "rules": RAG_RULES, "late_days": LATE_WORKING_DAYS,
        "reports": [r for r in REPORTS if is_administrator or r.about_staff], "is_administrator": is_administrator,
        **found.build(centre, narrowed, request.GET),
    }
    context["filter_words"] = form.chosen_words()
    return render(request, f"ops/reports/report_{found.slug}.html", context)


def report_csv(request: AuthenticatedHttpRequest, centre_id: int, report: str) -> HttpResponse | StreamingHttpResponse:
    found: Report = BY_SLUG[report]
    centre = report_centre_for_user(request.user, centre_id, about_staff=found.about_staff)
    # A parameter the report does not have (a status for a report with no Status filter) is ignored.
    form = ReportFilterForm(request.GET or None, centre=centre, with_status=found.has_status, with_iqa=found.has_iqa)
    # The page shows a wrong filter and ignores it (and offers no download until it is put right); a
    # download would quietly hold every row, which someone could take for the narrowed figures, so
    # it is refused, saying which filter is wrong.
    problems = form.problems() if request.GET else []
    if problems:
        return HttpResponseBadRequest(
            "The report was not downloaded: a filter is not right.\n" + "\n".join(problems)
            + "\nGo back to the report, correct the filter and download it again.\n",
            content_type="text/plain; charset=utf-8",
        )
    narrowed = form.narrowed()
    name = slugify(f"{centre.code} {found.slug} {timezone.localdate():%Y-%m-%d}")
    return spreadsheets.streamed(found.header, found.rows(centre, narrowed, request.GET), file_name=f"{name}.csv")
