"""A centre administrator's bulk exports: choose units, watch the progress, download the ZIP."""

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper
from django.http import FileResponse, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from assessments.fixity import found_changed_since_sign_off
from assessments.models import SignOff
from assessments.sign_off_seals import sign_offs_changed
from portfolio import audit, dates, selectors
from portfolio.counted_pages import KnownCountPaginator
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.ids import as_id, ids_from
from portfolio.models import Centre, Enrolment, EnrolmentStatus

from .. import access, choosing, services, zip_seals
from ..audit_actions import ExportAction
from ..models import BulkExport

UNITS_PER_PAGE = 50


class FilterRefused(Exception):
    """The filter sent names something the centre does not offer: nothing is exported."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(*problems)
        self.problems = problems


class ConfirmFirst(Exception):
    """"All N matching" asked for: the confirmation comes first, saying how many units and which, and
    carrying their fingerprint (`choosing.matching_figures`); only the confirmation builds the
    export. `problem` is why it is shown again: the units matching changed after it was shown."""

    def __init__(self, asked: choosing.UnitFilter, problem: str = "") -> None:
        super().__init__(problem)
        self.asked, self.problem = asked, problem


class DayRefused(Exception):
    """"Signed off since" is no date, or not one within the span every filter keeps, or missing from
    the form that asks for nothing else: nothing is exported. The message says which."""


def _filter_posted(request: AuthenticatedHttpRequest, centre: Centre) -> choosing.UnitFilter:
    """The filter a posted form stands on. The form before issue 16 ("everything signed off since",
    `choice=since`) asked for nothing but the date: any other field sent with it is not read."""
    if request.POST.get("choice") == "since":
        date_only = QueryDict(mutable=True)
        date_only["signed_off_since"] = request.POST.get("signed_off_since", "")
        return choosing.unit_filter(centre, date_only)
    return choosing.unit_filter(centre, request.POST)


def _export_asked(request: AuthenticatedHttpRequest, centre: Centre) -> tuple[BulkExport, bool]:
    """The export the form asked for: every unit matching the filter sent with it, or the units ticked."""
    choice = request.POST.get("choice")
    if choice in ("since", "matching"):
        asked = _filter_posted(request, centre)
        if asked.problems:
            raise FilterRefused(asked.problems)
        if asked.since_problem or (choice == "since" and not asked.since):
            raise DayRefused(asked.since_error or choosing.NOT_A_DATE)
        shown = request.POST.get("shown", "")
        if not shown:
            raise ConfirmFirst(asked)
        # Both export the units the confirmation showed or nothing, so a unit signed off or
        # registered while it was read never leaves the product unseen.
        try:
            said = as_id(request.POST.get("count", ""))  # the number the confirmation said
            chosen = choosing.units_confirmed(centre, asked, shown, said)
        except choosing.UnitsChanged as changed:
            raise ConfirmFirst(asked, str(changed)) from changed
        description = _description(choice, asked, len(chosen))
    else:
        ticked = set(ids_from(request.POST.getlist("enrolments")))
        chosen = list(Enrolment.objects.filter(centre=centre, pk__in=ticked))
        if len(chosen) != len(ticked):  # never which one: it may be another centre's
            raise PortfolioError("Some of the units ticked are not this centre’s units to export. Nothing was exported. "
                                 "Tick the units again.")
        if closed := sum(unit.status != EnrolmentStatus.ACTIVE for unit in chosen):
            raise PortfolioError(
                f"{closed} of the units ticked {'is' if closed == 1 else 'are'} withdrawn or transferred: a unit closed "
                "before sign-off is no claim, so it is not exported. Nothing was exported. Tick the units again."
            )
        description = f"{len(chosen)} chosen unit{pluralize(len(chosen))}"
    return services.bulk_export_request(centre=centre, administrator=request.user, enrolments=chosen, description=description)


def _description(choice: str | None, asked: choosing.UnitFilter, count: int) -> str:
    if choice == "since" and asked.since:
        return f"Everything signed off since {dates.day(asked.since)}"
    every = "The 1 unit" if count == 1 else f"All {count} units"  # never "All 1 unit"
    return f"{every}: {asked.describe()}"


def _confirmation(request: AuthenticatedHttpRequest, centre: Centre, confirm: ConfirmFirst) -> HttpResponse:
    """How many units "All matching" takes and which, with their fingerprint: counting and
    fingerprinting every unit of a centre is done here, once, not on every page of the list."""
    figures = choosing.matching_figures(centre, confirm.asked)
    context = {
        "centre": centre, "asked": confirm.asked, "count": figures.count, "closed": figures.others, "shown": figures.fingerprint,
        "choice": request.POST.get("choice"), "error": confirm.problem,
        "back": reverse("exports:export_list", args=[centre.pk]) + choosing.query_of(confirm.asked),
    }
    return render(request, "exports/export_confirm.html", context, status=400 if confirm.problem else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def export_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.exporting_centre_for_user(request.user, centre_id)
    error: str | tuple[str, ...] = ""
    error_anchor = ""
    if request.method == "POST":
        try:
            export, new = _export_asked(request, centre)
        except ConfirmFirst as confirm:
            return _confirmation(request, centre, confirm)
        except FilterRefused as refused:
            error, error_anchor = refused.problems, "filter-qualification"
        except DayRefused as refused:
            error, error_anchor = str(refused), "signed-off-since"
        except PortfolioError as refused:
            error, error_anchor = str(refused), "export-units"
        else:
            said = "is being built" if new else "was asked for already and is still being built: it is not built twice"
            messages.success(request, f"Export {export.pk} {said}. This page shows its progress.")
            return redirect("exports:export_detail", pk=export.pk)
    # A refused form comes back as it was sent, with what to fix at its top.
    asked = _filter_posted(request, centre) if error else choosing.unit_filter(centre, request.GET)
    if asked.problems and not error:  # an address naming what the centre does not offer
        error, error_anchor = asked.problems, "filter-qualification"
    # A wrong filter lists nothing, so "All matching units" can never stand for the whole centre.
    matching = choosing.units_matching(centre, asked) if not asked.refused else Enrolment.objects.none()
    # How many match, and how many withdrawn and transferred units match, not offered. Their
    # fingerprint is taken when "All N matching" is confirmed (`_confirmation`).
    count, closed = choosing.matching_counts(centre, asked) if not asked.refused else (0, 0)
    # A unit whose sign-off was deleted by hand (`sign_off_seals`): marked, and exported so marked.
    rows = matching.select_related("candidate", "unit", "assessor").annotate(
        sign_offs_changed=ExpressionWrapper(sign_offs_changed(), output_field=BooleanField())
    )
    page = KnownCountPaginator(rows, UNITS_PER_PAGE, count).get_page(request.GET.get("page"))
    signed = {
        s.enrolment_id: s for s in SignOff.objects.standing().without_record().filter(enrolment__in=list(page.object_list))
        # Marked as the export will find it: changed since sign-off, and so left out of the export.
        .annotate(changed=ExpressionWrapper(found_changed_since_sign_off(), output_field=BooleanField()))
    }
    named = [person for e in page.object_list for person in (e.candidate_id, e.assessor_id)]
    context = {
        "centre": centre, "page": page, "asked": asked, "closed": closed,
        "rows": [(e, signed.get(e.pk)) for e in page.object_list],
        "deactivated": selectors.deactivated_at(centre, among=named),
        "qualifications": choosing.qualifications_at(centre), "units": choosing.units_at(centre),
        "assessors": choosing.assessor_choices(centre), "states": [(choosing.SIGNED, "Signed off"), (choosing.NOT_SIGNED, "Not signed off")],
        "exports": BulkExport.objects.filter(centre=centre).select_related("requested_by")[:20],
        "error": error, "error_anchor": error_anchor,
        "posted": {"choice": request.POST.get("choice", ""), "ticked": set(request.POST.getlist("enrolments"))} if error else None,
    }
    return render(request, "exports/export_list.html", context, status=400 if error and request.method == "POST" else 200)


@require_safe
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    export = access.export_for_user(request.user, pk)
    if not zip_seals.vouched(export):
        export.refresh_from_db()  # marked: its page says it serves nothing
    template = "exports/export_progress.html" if request.headers.get("HX-Request") else "exports/export_detail.html"
    return render(request, template, {"export": export})


@require_safe
def export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    export = access.export_for_user(request.user, pk)
    if not zip_seals.vouched(export):  # its file, centre, requester or units changed in the database: nothing served
        export.refresh_from_db()
        return render(request, "exports/export_detail.html", {"export": export}, status=404)
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
