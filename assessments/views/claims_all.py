"""Marking every unit that matches the claims page's search as claimed, at once: a confirmation that
states how many and which search, then one transaction (`services.claims.claims_mark_matching`),
refused with nothing changed if the units matching changed in between."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from portfolio import access
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest

from ..claims import digest_of, ready_units_matching
from ..forms.claims import ClaimMarkAllForm
from ..services.claims import ClaimsChanged, claims_mark_matching


def claims_mark_all(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    words = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    count, digest = digest_of(ready_units_matching(centre, words))
    form = ClaimMarkAllForm(request.POST or None, initial={"q": words, "confirmed": digest})
    if request.method == "POST" and form.is_valid():
        try:
            made = claims_mark_matching(
                centre=centre, claimed_by=request.user, words=words, confirmed=form.cleaned_data["confirmed"],
                reference=form.cleaned_data["reference"], claimed_on=form.cleaned_data["claimed_on"],
            )
        except PortfolioError as error:
            if isinstance(error, ClaimsChanged):
                # The confirmation shown again carries the units matching now, to be confirmed anew.
                posted = request.POST.copy()
                posted["confirmed"] = digest
                form = ClaimMarkAllForm(posted)
                form.is_valid()
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{len(made)} unit{'' if len(made) == 1 else 's'} marked as claimed under "
                                      f"{made[0].reference}.")
            return redirect("assessments:claim_list", centre_id=centre.pk)
    back = reverse("assessments:claim_list", args=[centre.pk]) + (f"?{urlencode({'q': words})}" if words else "")
    context = {"centre": centre, "form": form, "count": count, "query": words, "back": back}
    return render(request, "assessments/claims_mark_all.html", context, status=400 if form.errors else 200)
