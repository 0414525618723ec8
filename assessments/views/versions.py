"""Moving a candidate's enrolment to another version of its unit (a centre administrator), with a
preview of what carries over."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.ids import as_id
from portfolio.models import Enrolment
from standards.models import Unit

from .. import access, unit_versions
from ..forms.versions import UnitVersionMoveForm
from ..services import versions as services
from ..witness_list import links_paused


def _chosen(request: AuthenticatedHttpRequest, versions: list[Unit]) -> Unit | None:
    """The version the preview is of: the one asked for (`?to=` or the form's), else the newest."""
    wanted = as_id(request.POST.get("to_unit") or request.GET.get("to"))
    return next((u for u in versions if u.pk == wanted), versions[-1] if versions else None)


@require_http_methods(["GET", "HEAD", "POST"])
def move_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_administrator()
    versions = unit_versions.newer_versions(enrolment)
    chosen = _chosen(request, versions)
    posted = request.method == "POST"
    form = UnitVersionMoveForm(
        request.POST if posted else None, versions=versions, initial={"to_unit": chosen.pk if chosen else None}
    )
    error = ""
    if posted and form.is_valid():
        to_unit = form.cleaned_data["to_unit"]
        try:
            move = services.enrolment_move_version(enrolment=enrolment, to_unit=to_unit, administrator=request.user)
        except PortfolioError as problem:
            error = str(problem)
        else:
            flagged = len(move.changed) + len(move.gone)
            messages.success(
                request,
                f"{enrolment.candidate}’s {to_unit.code} is now on version {to_unit.version}: {len(move.carried)} "
                f"items carried over, {flagged} flagged for the assessor. The candidate and the assessor have been told.",
            )
            return redirect("assessments:enrolment_detail", pk=enrolment.pk)
    return render(
        request, "assessments/version_move.html",
        {
            "enrolment": enrolment, "form": form, "error": error, "versions": versions, "chosen": chosen,
            "signed_off": rights.signed_off, "plan": _plan(enrolment, chosen, rights.signed_off),
            # A deactivated candidate's links still in date wait for no witness (`links_paused`).
            "links_paused": links_paused(enrolment),
        },
        status=400 if posted else 200,
    )


def _plan(enrolment: Enrolment, chosen: Unit | None, signed_off: bool) -> unit_versions.VersionMove | None:
    return unit_versions.plan(enrolment, chosen) if chosen is not None and not signed_off else None
