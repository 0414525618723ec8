"""A centre administrator's bulk exports: choose units, watch the progress, download the ZIP."""

import datetime

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods, require_safe

from portfolio import audit, dates
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.ids import ids_from
from portfolio.models import Enrolment

from .. import access, services
from ..audit_actions import ExportAction
from ..models import BulkExport


@require_http_methods(["GET", "HEAD", "POST"])
def export_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.exporting_centre_for_user(request.user, centre_id)
    enrolments = (
        Enrolment.objects.filter(centre=centre)
        .select_related("candidate", "unit", "assessor")
        .prefetch_related("sign_offs")
        .order_by("candidate__last_name", "candidate__first_name", "unit__code")
    )
    error, error_anchor = "", ""
    if request.method == "POST":
        since = request.POST.get("signed_off_since", "")
        try:
            if request.POST.get("choice") == "since":
                day = datetime.date.fromisoformat(since)
                chosen = list(services.enrolments_signed_off_since(centre, day))
                description = f"Everything signed off since {dates.day(day)}"
            else:
                chosen = list(enrolments.filter(pk__in=ids_from(request.POST.getlist("enrolments"))))
                description = f"{len(chosen)} chosen unit{pluralize(len(chosen))}"
            export = services.bulk_export_request(
                centre=centre, administrator=request.user, enrolments=chosen, description=description
            )
        except ValueError:
            error, error_anchor = "Give the date as day, month and year.", "signed-off-since"
        except PortfolioError as refused:
            error, error_anchor = str(refused), "export-units"
        else:
            messages.success(request, f"Export {export.pk} is being built. This page shows its progress.")
            return redirect("exports:export_detail", pk=export.pk)
    rows = [(e, next((s for s in e.sign_offs.all() if s.is_standing), None)) for e in enrolments]
    context = {
        "centre": centre,
        "rows": rows,
        "exports": BulkExport.objects.filter(centre=centre).select_related("requested_by")[:20],
        "error": error,
        "error_anchor": error_anchor,
        # Refused: the form comes back as it was sent, with what to fix at its top.
        "posted": {
            "choice": request.POST.get("choice", ""),
            "since": request.POST.get("signed_off_since", ""),
            "ticked": set(request.POST.getlist("enrolments")),
        } if error else None,
    }
    return render(request, "exports/export_list.html", context, status=400 if error else 200)


@require_safe
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    export = access.export_for_user(request.user, pk)
    template = "exports/export_progress.html" if request.headers.get("HX-Request") else "exports/export_detail.html"
    return render(request, template, {"export": export})


@require_safe
def export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    export = access.export_for_user(request.user, pk)
    if export.status != BulkExport.Status.DONE:
        messages.info(request, "The export is not ready yet.")
        return redirect("exports:export_detail", pk=export.pk)
    audit.record(
        ExportAction.EXPORT_DOWNLOADED, actor=request.user, centre=export.centre,
        summary=f"Bulk export {export.pk} downloaded", after={"export": export.pk, "sha256": export.sha256},
    )
    response = FileResponse(
        export.file.open("rb"), as_attachment=True,
        filename=f"{export.centre.code}-export-{export.pk}.zip", content_type="application/zip",
    )
    return response
