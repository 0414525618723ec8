from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import selectors
from .permissions import is_site_administrator, may_import_units


# The published standards are public: anyone may read the catalogue without an account.
@login_not_required
def unit_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    units = selectors.units_matching(query)
    context = {
        "units": units, "query": query, "may_import": may_import_units(request.user),
        "site_administrator": is_site_administrator(request.user),
    }
    return render(request, "standards/unit_list.html", context)


@login_not_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_by_code(code)
    if unit is None:
        raise Http404("No unit has that code.")
    if code != unit.slug:
        # One address per unit: /standards/HSC331/ and /standards/H3 25/ lead to the same page.
        return redirect("standards:unit_detail", code=unit.slug, permanent=True)
    structure = selectors.unit_structure(unit)
    return render(
        request, "standards/unit_detail.html",
        {"unit": unit, "structure": structure, "other_versions": selectors.other_versions(unit)},
    )
