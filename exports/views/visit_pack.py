"""A centre's visit packs for its external quality assurer: choose the sample's units, watch the
pack being built, download it. For the centre's administrators and its EQAs (exports/access.py)."""

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from assessments.sampling import with_state
from assessments.selectors import unit_states
from assessments.unit_state import UnitState
from portfolio import audit
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.ids import ids_from
from portfolio.models import Centre, Enrolment, Person
from portfolio.selectors import deactivated_at

from .. import access, pack_sections, services, zip_seals
from ..audit_actions import ExportAction
from ..models import VisitPack

# The filter's choices of where a unit stands: its words, and the states it takes in.
STATE_FILTERS = {
    "": ("Any state", None),
    "open": ("In progress", [UnitState.IN_PROGRESS]),
    "signed": ("Signed off", [UnitState.AWAITING, UnitState.SIGNED_OFF, UnitState.REFERRED]),
    "countersigned": ("Countersigned by the IQA", [UnitState.COUNTERSIGNED]),
}


def _units(person: Person, centre: Centre, query: str, state: str) -> QuerySet[Enrolment]:
    units = with_state(access.pack_units_for_user(person, centre)).order_by(
        "candidate__last_name", "candidate__first_name", "unit__code", "pk"
    )
    for word in query.split():
        units = units.filter(
            Q(candidate__first_name__icontains=word) | Q(candidate__last_name__icontains=word)
            | Q(unit__code__icontains=word) | Q(unit__title__icontains=word)
            | Q(assessor__first_name__icontains=word) | Q(assessor__last_name__icontains=word)
        )
    states = STATE_FILTERS.get(state, STATE_FILTERS[""])[1]
    return units.filter(state__in=states) if states else units


@require_http_methods(["GET", "HEAD", "POST"])
def pack_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    """The centre's visit packs, and the list of units to build a new one from (filtered by
    candidate, unit or assessor and by state; ticked, then built on the worker)."""
    centre = access.pack_centre_for_user(request.user, centre_id)
    query, state = request.GET.get("q", "").strip(), request.GET.get("state", "")
    error = ""
    if request.method == "POST":
        try:
            ids = ids_from(request.POST.getlist("enrolments"))
            chosen = list(access.pack_units_for_user(request.user, centre).filter(pk__in=ids))
            if len(chosen) != len(set(ids)):
                raise PortfolioError("Something you ticked is not a unit you can put in this centre’s visit pack.")
            pack = services.visit_pack_request(centre=centre, person=request.user, enrolments=chosen)
        except PortfolioError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Visit pack {pack.pk} is being built. This page shows its progress.")
            return redirect("exports:pack_detail", pk=pack.pk)
    units = list(_units(request.user, centre, query, state))
    context = {
        "centre": centre,
        "units": units,
        "states": unit_states(units),
        # Who in the list is deactivated at the centre, marked "(deactivated)": one query.
        "deactivated": deactivated_at(centre, among=list({e.candidate_id for e in units} | {e.assessor_id for e in units})),
        "query": query,
        "state": state,
        "state_filters": [(key, words) for key, (words, _) in STATE_FILTERS.items()],
        "packs": access.visit_packs_for_user(request.user, centre).order_by("-requested_at", "-id")[:20],
        "sections": [section.name for section in pack_sections.sections()],
        "error": error,
        "ticked": set(request.POST.getlist("enrolments")) if error else set(),
    }
    return render(request, "exports/pack_list.html", context, status=400 if error else 200)


@require_safe
def pack_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pack = access.visit_pack_for_user(request.user, pk)
    template = "exports/pack_progress.html" if request.headers.get("HX-Request") else "exports/pack_detail.html"
    if not zip_seals.vouched(pack):  # marked: its page says it serves nothing, and lists no unit
        pack.refresh_from_db()
        return render(request, template, {"pack": pack, "units": []})
    units = pack.enrolments.select_related("candidate", "unit").order_by("candidate__last_name", "unit__code")
    # Those asked for but left out (their record changed since sign-off) are listed apart, not as in it.
    left_out = {unit["enrolment"] for unit in pack.left_out or []}
    return render(request, template, {"pack": pack, "units": [e for e in units if e.pk not in left_out]})


@require_safe
def pack_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The pack's ZIP, after the check of who asks; never at a public address. Recorded."""
    pack = access.visit_pack_for_user(request.user, pk)
    if not zip_seals.vouched(pack):  # its file, centre, requester or units changed in the database: nothing served
        pack.refresh_from_db()
        return render(request, "exports/pack_detail.html", {"pack": pack, "units": []}, status=404)
    if pack.status != VisitPack.Status.DONE:
        messages.info(request, "The visit pack is not ready yet.")
        return redirect("exports:pack_detail", pk=pack.pk)
    audit.record(
        ExportAction.VISIT_PACK_DOWNLOADED, actor=request.user, centre=pack.centre,
        summary=f"Visit pack {pack.pk} downloaded", after={"pack": pack.pk, "sha256": pack.sha256},
    )
    return FileResponse(
        pack.file.open("rb"), as_attachment=True,
        filename=f"{pack.centre.code}-visit-pack-{pack.pk}.zip", content_type="application/zip",
    )
