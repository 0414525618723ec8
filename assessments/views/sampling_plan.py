"""The IQA's sampling plan: read by the IQA, the centre's administrators and its EQAs (with what has
been done against it, under the CAMERA headings), and changed by the IQA alone."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from portfolio import access as portfolio_access
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Person, Role
from portfolio.paging import Pages

from .. import access, sampling_plan
from ..forms.sampling_plan import SamplingPlanForm
from ..sampling_plan_models import DEFAULT_SHARES, RiskRating, SamplingPlan
from ..sampling_plan_summary import plan_summaries
from ..services import sampling_plan as plan_services


def _shares(plan: SamplingPlan | None) -> list[tuple[str, int, int]]:
    """(rating, the plan's share, the default share) of each risk rating."""
    return [
        (RiskRating(rating).label, plan.share_of(rating) if plan else default, default)
        for rating, default in DEFAULT_SHARES.items()
    ]


PLANS_PER_PAGE = 10


@require_safe
def plan_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    """The centre's IQAs and their plans, for its administrators and EQAs."""
    centre = portfolio_access.overseen_centre_for_user(request.user, centre_id)
    query = request.GET.get("q", "").strip()
    iqas = Person.objects.filter(memberships__centre=centre, memberships__role=Role.IQA).distinct()
    for word in query.split():
        iqas = iqas.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    page = Pages(iqas.order_by("last_name", "first_name", "pk"), PLANS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"centre": centre, "page": page, "query": query, "rows": plan_summaries(centre, list(page.object_list))}
    return render(request, "assessments/sampling_plan_list.html", context)


@require_safe
def plan_detail(request: AuthenticatedHttpRequest, centre_id: int, iqa_id: int) -> HttpResponse:
    centre, iqa, rights = access.sampling_plan_for_user(request.user, centre_id, iqa_id)
    plan = sampling_plan.plan_shown(iqa, centre.pk)
    context = {
        "centre": centre, "iqa": iqa, "plan": plan, "rights": rights,
        "compliance": sampling_plan.compliance(plan) if plan else None,
        "shares": _shares(plan),
        # The plan names candidates' units; an EQA whose access covers only some units reads the
        # names of those alone (the counts stay whole: they name nobody).
        "named": set(portfolio_access.enrolments_visible_to(request.user).filter(centre=centre).values_list("pk", flat=True)),
    }
    return render(request, "assessments/sampling_plan_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def plan_edit(request: AuthenticatedHttpRequest, centre_id: int, iqa_id: int) -> HttpResponse:
    centre, iqa, rights = access.sampling_plan_for_user(request.user, centre_id, iqa_id)
    rights.require_iqa()
    plan = sampling_plan.plan_shown(iqa, centre.pk)
    form = SamplingPlanForm(
        request.POST if request.method == "POST" else None, plan=plan,
        assessors=plan_services.plan_assessors(iqa, centre), units=plan_services.plan_enrolments(iqa, centre),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.sampling_plan_save(
                iqa=iqa, centre=centre, plan=plan, period_start=form.cleaned_data["period_start"],
                shares=form.shares(), ratings=form.ratings(), methods=form.cleaned_data["methods"],
                locations=form.cleaned_data["locations"], must_sample=list(form.cleaned_data["must_sample"]),
            )
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your sampling plan is saved.")
            return redirect(reverse("assessments:sampling_plan", args=[centre.pk, iqa.pk]))
    context = {"centre": centre, "iqa": iqa, "plan": plan, "form": form, "shares": _shares(plan)}
    return render(request, "assessments/sampling_plan_form.html", context, status=400 if form.is_bound else 200)
