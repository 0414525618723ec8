"""Certification claims, for the centre's administrators: what is ready to claim, a page at a time,
marking it claimed, and the claim list of each awarding body as CSV (streamed)."""

from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from portfolio import access, dates, selectors, spreadsheets
from portfolio.counted_pages import KnownCountPaginator, page_counted_in_its_query
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Centre
from portfolio.paging import Pages

from ..claim_models import Claim
from ..claims import (
    ClaimItem,
    changed_since_sign_off,
    claim_items,
    claims_made,
    matching,
    qualification_items,
    ready_and_held_counts,
    ready_sign_offs,
    ready_units_matching,
    unit_items,
)
from ..forms.claims import ClaimMarkForm
from ..sampling_plan import held_from_claim, holds_any
from ..services.claims import claims_csv, claims_mark

READY_PER_PAGE = 50
HELD_SHOWN = 50
CHANGED_SHOWN = 50  # units left off because their record changed: named, with a link each
CLAIMED_PER_PAGE = 50


def _label(item: ClaimItem, deactivated: set[int]) -> str:
    marked = " (deactivated)" if item.candidate.pk in deactivated else ""
    what = "Qualification" if item.kind == "qualification" else "Unit"
    done = f", completed {dates.day(item.completed_at)}" if item.completed_at else ""
    body = item.awarding_body or "no awarding body recorded"
    return f"{item.candidate.get_full_name()}{marked}: {what} {item.code} {item.title} ({body}{done})"


def _ready_page(
    request: AuthenticatedHttpRequest, centre: Centre, words: str
) -> tuple[Page, list[ClaimItem], list[ClaimItem], int]:
    """A page of the units ready to claim (not held), the qualifications ready, the items held shown,
    and the number of units held. Whether a plan holds anything is asked once, and the units ready
    and held are counted together; when no plan holds any, the page's rows carry their count."""
    holding = holds_any(centre)  # else nothing is held, and no unit need be asked
    ready = ready_units_matching(centre, words, holding=holding)
    if holding:
        ready_count, held_count = ready_and_held_counts(centre, words, holding=holding)
        page = KnownCountPaginator(ready, READY_PER_PAGE, ready_count).get_page(request.GET.get("page"))
    else:
        page, held_count = page_counted_in_its_query(ready, READY_PER_PAGE, request.GET.get("page")), 0
    qualifications = [i for i in qualification_items(centre) if _matches(i, words)]
    held_units = matching(ready_sign_offs(centre), words).filter(held_from_claim())
    held = unit_items(centre, held_units[:HELD_SHOWN]) if holding else []
    held += [i for i in qualifications if i.held]
    items = [i for i in qualifications if not i.held] + unit_items(centre, page.object_list)
    return page, items, held, held_count


def _matches(item: ClaimItem, words: str) -> bool:
    text = f"{item.candidate.get_full_name()} {item.code} {item.title}".casefold()
    return all(word.casefold() in text for word in words.split())


def claim_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    words = request.GET.get("q", "").strip()
    page, ready, held, held_count = _ready_page(request, centre, words)
    if request.method == "POST":
        # The items ticked are checked as they are, whatever page they were shown on.
        chosen = [item for item in claim_items(centre, request.POST.getlist("items")) if not item.held]
        # None of those ticked is ready (claimed meanwhile, changed, or never listed): the list as it
        # is, with the form's refusal, rather than a page with no form to say why.
        ready = chosen or ready
    deactivated = selectors.deactivated_at(centre)  # a finished learner is often deactivated: marked, as elsewhere
    form = ClaimMarkForm(request.POST or None, choices=[(item.key, _label(item, deactivated)) for item in ready])
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
    claims = Pages(claims_made(centre), CLAIMED_PER_PAGE).get_page(request.GET.get("claimed_page"))
    context = {
        "centre": centre, "page": page, "query": words, "ready": ready, "held": held, "held_count": held_count,
        "form": form, "claims": claims, "deactivated": deactivated,
        "changed": changed_since_sign_off(centre, CHANGED_SHOWN),
        "bodies": Claim.objects.filter(centre=centre).order_by("awarding_body").values_list("awarding_body", flat=True).distinct(),
    }
    return render(request, "assessments/claim_list.html", context, status=400 if form.is_bound and form.errors else 200)


@require_safe
def claims_download(request: AuthenticatedHttpRequest, centre_id: int) -> StreamingHttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    body = request.GET.get("awarding_body", "")
    lines = claims_csv(centre=centre, awarding_body=body, downloaded_by=request.user)
    name = slugify(f"{centre.code} claims {body or 'no awarding body'}") + ".csv"
    return spreadsheets.streamed_download(name, lines)
