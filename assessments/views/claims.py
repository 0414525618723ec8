"""Certification claims, for the centre's administrators: what is ready to claim, marking it
claimed, and the claim list of each awarding body as CSV."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from portfolio import access, dates, spreadsheets
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest

from ..claims import ClaimItem, claim_items, claims_made
from ..forms.claims import ClaimMarkForm
from ..services.claims import claims_csv, claims_mark


def _label(item: ClaimItem) -> str:
    what = "Qualification" if item.kind == "qualification" else "Unit"
    done = f", completed {dates.day(item.completed_at)}" if item.completed_at else ""
    body = item.awarding_body or "no awarding body recorded"
    return f"{item.candidate.get_full_name()}: {what} {item.code} {item.title} ({body}{done})"


def claim_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    items = claim_items(centre)
    ready = [item for item in items if not item.held]
    form = ClaimMarkForm(request.POST or None, choices=[(item.key, _label(item)) for item in ready])
    if request.method == "POST" and form.is_valid():
        try:
            made = claims_mark(
                centre=centre, claimed_by=request.user, keys=form.cleaned_data["items"],
                reference=form.cleaned_data["reference"], claimed_on=form.cleaned_data["claimed_on"],
            )
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{len(made)} marked as claimed under {made[0].reference}.")
            return redirect("assessments:claim_list", centre_id=centre.pk)
    claims = claims_made(centre)
    bodies = sorted({claim.awarding_body for claim in claims})
    context = {
        "centre": centre, "ready": ready, "held": [item for item in items if item.held], "form": form,
        "claims": claims, "bodies": bodies,
    }
    return render(request, "assessments/claim_list.html", context, status=400 if form.is_bound and form.errors else 200)


@require_safe
def claims_download(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    body = request.GET.get("awarding_body", "")
    text = claims_csv(centre=centre, awarding_body=body, downloaded_by=request.user)
    name = slugify(f"{centre.code} claims {body or 'no awarding body'}") + ".csv"
    return spreadsheets.download(name, text)
