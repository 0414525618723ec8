"""The decisions page: the assessor records each criterion and knowledge item as met, citing accepted
evidence, or withdraws a decision with a reason; everyone else on the case reads it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portfolio import access as portfolio_access
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.ids import ids_in
from portfolio.models import Enrolment
from standards.models import Criterion, KnowledgeItem
from standards.templatetags.standard_text import anchor_id

from .. import access, fixity
from ..forms.decisions import DecisionRecordForm, WithdrawForm
from ..progress import unit_decisions
from ..services import decisions as services
from ..services.decisions import standing_sign_off

# Why the last "Record as met" was refused, kept for the page the assessor is sent back to.
REFUSED = "assessments.decision_refused"


def _page(request: AuthenticatedHttpRequest, enrolment: Enrolment, rights: access.EnrolmentRights) -> HttpResponse:
    refused = request.session.pop(REFUSED, None) or {}
    if refused.get("enrolment") != enrolment.pk:
        refused = {}
    return render(
        request,
        "assessments/decision_list.html",
        {
            "enrolment": enrolment,
            "decisions": unit_decisions(enrolment, rights.sign_off),
            "sign_off": rights.sign_off,
            "report": fixity.page_report(rights.sign_off) if rights.sign_off else None,
            "rights": rights,
            "today": timezone.localdate(),
            "error_for": refused.get("item", ""),
            "error": refused.get("error", ""),
            "posted": refused.get("posted", {}),
        },
    )


def _back_to_item(enrolment: Enrolment, item: Criterion | KnowledgeItem | None) -> HttpResponse:
    url = reverse("assessments:decisions", args=[enrolment.pk])
    return redirect(url + f"#{anchor_id(item.reference)}" if item else url)


def _refused(request: HttpRequest, enrolment: Enrolment, key: str, item: Criterion | KnowledgeItem | None,
             problem: str, posted: dict) -> HttpResponse:
    """Back to the item on the decisions page (the record address takes only a POST), saying why at
    the top of the page and again beside the item, with the evidence ticked and the date given."""
    messages.error(request, f"{item.reference}: {problem}" if item else problem)
    request.session[REFUSED] = {"enrolment": enrolment.pk, "item": key, "error": problem, "posted": posted}
    return _back_to_item(enrolment, item)


@require_safe
def decision_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, *access.enrolment_for_user(request.user, pk))


def _item(key: str) -> Criterion | KnowledgeItem:
    kind, pk = key.split("-")
    model = Criterion if kind == "criterion" else KnowledgeItem
    return get_object_or_404(model, pk=int(pk))  # type: ignore[return-value]  # one of the two models


@require_POST
def decision_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_assessor()
    form = DecisionRecordForm(request.POST)
    key = request.POST.get("item", "")
    evidence_ids = set(ids_in(request.POST.getlist("evidence")))
    posted = {"evidence": sorted(evidence_ids), "decided_on": request.POST.get("decided_on", "")}
    valid = form.is_valid()
    item = _item(form.cleaned_data["item"]) if "item" in form.cleaned_data else None
    if not valid:
        problem = "Give the date of the decision." if "decided_on" in form.errors else "The form was incomplete."
        return _refused(request, enrolment, key, item, problem, posted)
    assert item is not None  # a valid form names its item
    seen = form.cleaned_data["seen"]
    try:
        services.decision_record(
            enrolment=enrolment,
            assessor=request.user,
            criterion=item if isinstance(item, Criterion) else None,
            knowledge_item=item if isinstance(item, KnowledgeItem) else None,
            evidence=list(portfolio_access.evidence_visible_to(request.user).filter(pk__in=evidence_ids)),
            decided_on=form.cleaned_data["decided_on"],
            seen_decision_id=int(seen) if seen else None,
        )
    except PortfolioError as problem:
        return _refused(request, enrolment, key, item, str(problem), posted)
    messages.success(request, f"{item.reference} is recorded as met.")
    return _back_to_item(enrolment, item)


@require_http_methods(["GET", "HEAD", "POST"])
def decision_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision, rights = access.decision_for_user(request.user, pk)
    rights.require_assessor()
    enrolment = decision.enrolment
    item = decision.item
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_withdraw(decision=decision, assessor=request.user, reason=form.cleaned_data["reason"])
        except PortfolioError as problem:
            error = str(problem)
        else:
            messages.success(request, f"The decision on {item.reference} is withdrawn; it stays in the history.")
            return redirect(reverse("assessments:decisions", args=[enrolment.pk]) + f"#{anchor_id(item.reference)}")
    return render(
        request,
        "assessments/decision_withdraw.html",
        {"enrolment": enrolment, "decision": decision, "item": item, "form": form, "error": error,
         "sign_off": standing_sign_off(enrolment)},
        status=400 if request.method == "POST" else 200,
    )
