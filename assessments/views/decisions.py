"""The decisions page: one form for the whole unit, on which the assessor ticks, for as many items as
they like, the accepted evidence that proves each (recording it as met, or adding the evidence to
the decision already standing on it), with filters for what is not met yet and what has accepted
evidence; or withdraws a decision with a reason. Everyone else on the case reads it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portfolio import access as portfolio_access
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.ids import NotAChoice
from portfolio.models import Enrolment
from standards.models import Criterion, KnowledgeItem
from standards.templatetags.standard_text import anchor_id

from .. import access, fixity, scope
from ..forms.decisions import DecisionsForm, Ticked, WithdrawForm
from ..progress import UnitDecisions, unit_decisions
from ..services import decide
from ..services import decisions as services
from ..services.decisions import standing_sign_off

FILTERS = ("not_met", "with_evidence")


def _filters(query: QueryDict) -> dict[str, bool]:
    return {name: query.get(name) == "1" for name in FILTERS}


def _address(enrolment: Enrolment, filters: dict[str, bool]) -> str:
    chosen = {name: "1" for name, on in filters.items() if on}
    url = reverse("assessments:decisions", args=[enrolment.pk])
    return url + (f"?{urlencode(chosen)}" if chosen else "")


def _ticked_for_all(shown: UnitDecisions) -> dict[str, list[int]]:
    """Every box shown, ticked: "Tick all shown" is an address (`?tick=all`), so it works without a
    script; nothing is recorded until the assessor presses the button."""
    return {row.key: [e.pk for e in row.to_cite] for row in shown.rows if row.to_cite}


def _page(
    request: AuthenticatedHttpRequest, enrolment: Enrolment, rights: access.EnrolmentRights,
    filters: dict[str, bool], form: DecisionsForm | None = None, status: int | None = None,
) -> HttpResponse:
    decisions = unit_decisions(enrolment, rights.sign_off)
    shown = decisions.shown(**filters)
    offer_sign_off = rights.may_sign_off and not decisions.not_met
    tick_all = form is None and request.GET.get("tick") == "all" and rights.may_record_decisions
    address = _address(enrolment, filters)
    return render(
        request,
        "assessments/decision_list.html",
        {
            "enrolment": enrolment,
            "decisions": decisions,
            "shown": shown,
            "filters": filters,
            "address": address,
            "tick_all_address": address + ("&" if "?" in address else "?") + "tick=all",
            "tick_all": tick_all,
            "shown_to_tick": sum(1 for row in shown.rows if row.to_cite) if rights.may_record_decisions else 0,
            "sign_off": rights.sign_off,
            "report": fixity.page_report(rights.sign_off) if rights.sign_off else None,
            "rights": rights,
            "today": timezone.localdate(),
            "form": form,
            "posted": form.posted() if form is not None else _ticked_for_all(shown) if tick_all else {},
            "offer_sign_off": offer_sign_off,
            "to_cite": rights.may_record_decisions and any(row.to_cite for row in decisions.rows),
            "scope_not_covered": scope.open_record(enrolment).not_covered if offer_sign_off else [],
        },
        status=status or (400 if form is not None else 200),
    )


@require_safe
def decision_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, *access.enrolment_for_user(request.user, pk), _filters(request.GET))


def _proofs(request: AuthenticatedHttpRequest, enrolment: Enrolment, ticked: list[Ticked]) -> list[decide.Proof]:
    """The items ticked, of this unit, each with the evidence ticked that the assessor may see."""
    criteria = Criterion.objects.filter(unit=enrolment.unit_id, pk__in=[t.item_id for t in ticked if t.kind == "criterion"])
    knowledge = KnowledgeItem.objects.filter(
        unit=enrolment.unit_id, pk__in=[t.item_id for t in ticked if t.kind == "knowledge"]
    )
    items: dict[tuple[str, int], Criterion | KnowledgeItem] = {("criterion", c.pk): c for c in criteria}
    items |= {("knowledge", k.pk): k for k in knowledge}
    wanted = {pk for t in ticked for pk in t.evidence_ids}
    evidence = {e.pk: e for e in portfolio_access.evidence_visible_to(request.user).filter(pk__in=wanted)}
    if wanted - evidence.keys() or any((t.kind, t.item_id) not in items for t in ticked):
        raise NotAChoice()
    proofs = [
        decide.Proof(item=items[(t.kind, t.item_id)], evidence=[evidence[pk] for pk in t.evidence_ids], seen=t.seen)
        for t in ticked
    ]
    return sorted(proofs, key=lambda p: (isinstance(p.item, KnowledgeItem), p.item.position))


def _done_words(done: decide.Decided) -> str:
    said = []
    if done.recorded:
        refs = ", ".join(d.item.reference for d in done.recorded)
        said.append(f"{len(done.recorded)} item{pluralize(len(done.recorded))} recorded as met ({refs})")
    if done.cited:
        refs = ", ".join(d.item.reference for d in done.cited)
        said.append(f"evidence added to {len(done.cited)} decision{pluralize(len(done.cited))} ({refs})")
    words = "; ".join(said)
    return words[:1].upper() + words[1:] + "." if said else "Nothing new was ticked: every item ticked already cites it."


@require_POST
def decision_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_assessor()
    filters = _filters(request.POST)
    if rights.deactivated:
        # A page left open, a forged request: answered as the page is, with the refusal and no form.
        return _page(request, enrolment, rights, filters, status=403)
    form = DecisionsForm(request.POST)
    if not form.is_valid():
        return _page(request, enrolment, rights, filters, form)
    try:
        done = decide.decisions_record(
            enrolment=enrolment, assessor=request.user, proofs=_proofs(request, enrolment, form.cleaned_data["ticked"]),
            decided_on=form.cleaned_data["decided_on"],
        )
    except PortfolioError as problem:
        form.add_error(None, str(problem))
        return _page(request, enrolment, rights, filters, form)
    messages.success(request, _done_words(done))
    return redirect(_address(enrolment, filters))


@require_http_methods(["GET", "HEAD", "POST"])
def decision_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision, rights = access.decision_for_user(request.user, pk)
    rights.require_assessor()
    enrolment = decision.enrolment
    item = decision.item
    refused = rights.deactivated
    form = WithdrawForm(request.POST if request.method == "POST" and not refused else None)
    error = ""
    if request.method == "POST" and not refused and form.is_valid():
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
         "sign_off": standing_sign_off(enrolment), "refused": refused},
        status=(403 if refused else 400) if request.method == "POST" else 200,
    )
