"""The site administrator's catalogue page (issue 14 item 5): the catalogue of units is the
installation's, so the site administrator imports units and says which centre administrators may
import them too. Only the site administrator (a superuser, who may hold no role at any centre)
finds it; for everyone else there is no such page (404)."""

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .. import access, selectors, services_catalogue
from ..errors import PortfolioError
from ..forms.catalogue import ImportRightsForm
from ..http import AuthenticatedHttpRequest


def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_site_administrator(request.user)
    administrators = list(selectors.centre_administrators())
    form = ImportRightsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services_catalogue.import_rights_set(
                shown=form.cleaned_data["shown"], granted=form.cleaned_data["granted"],
                site_administrator=request.user,
            )
        except PortfolioError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _saved(changed))
            return redirect("portfolio:catalogue")
    if form.is_bound:
        ticked = {str(value) for value in request.POST.getlist("granted")}
    else:
        ticked = {str(membership.pk) for membership in administrators if membership.may_import_units}
    context: dict[str, Any] = {
        "form": form,
        "centres": [
            (centre, [(membership, str(membership.pk) in ticked) for membership in members])
            for centre, members in groupby(administrators, key=lambda membership: membership.centre)
        ],
    }
    return render(request, "portfolio/catalogue.html", context, status=400 if form.is_bound else 200)


def _saved(changed: list[Any]) -> str:
    if not changed:
        return "Nothing had changed, so nothing was saved."
    names = ", ".join(f"{m.person} ({'may now import' if m.may_import_units else 'may no longer import'})" for m in changed)
    return f"Saved, and each of them told: {names}."
