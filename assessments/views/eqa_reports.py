"""The external quality assurer's report to a centre: written as a draft, sent, then answered by the
centre action by action, each action closed or left open by the EQA."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portfolio import access as portfolio_access
from portfolio.audit_sentences import sentence
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.ids import as_id
from portfolio.models import AuditEvent, Centre

from .. import access
from ..audit_actions import AssessmentAction
from ..eqa_models import EqaReport, EqaSample
from ..forms.eqa import ActionAnswerForm, ActionReviewForm, EqaActionFormSet, EqaReportForm
from ..services import eqa_reports
from ..services.eqa_reports import ActionText

_REPORT_EVENTS = [
    AssessmentAction.EQA_REPORT_SUBMITTED, AssessmentAction.EQA_ACTION_ANSWERED, AssessmentAction.EQA_ACTION_REVIEWED,
]


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _detail(report: EqaReport, anchor: str = "") -> str:
    return reverse("assessments:eqa_report_detail", args=[report.pk]) + (f"#{anchor}" if anchor else "")


def _saved(request: AuthenticatedHttpRequest, centre: Centre, report: EqaReport | None) -> HttpResponse:
    """The report form, new or a draft's, saved when sent and valid; else shown again with what is wrong."""
    initial: dict[str, Any] = {}
    actions_initial: list[dict] = []
    if report is not None:
        initial = {
            "visited_on": report.visited_on, "mode": report.mode, "findings": report.findings,
            "outcome": report.outcome, "sample": report.sample_id,
        }
        actions_initial = [{"text": a.text, "due_on": a.due_on} for a in report.actions.order_by("number")]
    else:
        sample = EqaSample.objects.filter(
            eqa=request.user, centre=centre, pk=as_id(request.GET.get("sample", "")) or 0
        ).first()
        if sample is not None:
            initial = {"visited_on": sample.planned_on, "mode": sample.mode, "sample": sample.pk}
    form = EqaReportForm(_posted(request), eqa=request.user, centre=centre, initial=initial)
    actions = EqaActionFormSet(_posted(request), initial=actions_initial, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        given = [ActionText(a["text"], a["due_on"]) for a in actions.cleaned_data if a.get("text")]
        try:
            report = eqa_reports.report_save(eqa=request.user, centre=centre, report=report, actions=given, **form.cleaned_data)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your draft report is saved. Only you can read it until you send it to the centre.")
            return redirect(_detail(report))
    if request.method == "POST" and not actions.is_valid():
        form.add_error(None, "An action needs both what the centre must do and the date it is due by: see the actions below.")
    context = {"form": form, "actions": actions, "centre": centre, "report": report}
    return render(request, "assessments/eqa_report_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def report_create(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    """A new draft report to the centre, on one of the EQA's samples there (?sample=) or on none."""
    centre = access.eqa_centre_for_user(request.user, centre_id)
    return _saved(request, centre, None)


@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report, rights = access.eqa_report_for_user(request.user, pk)
    rights.require_author()
    if not rights.may_edit:
        messages.error(request, "This report has been sent to the centre and is fixed. Write a new report to add to it.")
        return redirect(_detail(report))
    return _saved(request, report.centre, report)


@require_safe
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report, rights = access.eqa_report_for_user(request.user, pk)
    events = AuditEvent.objects.filter(
        centre=report.centre, action__in=[a.value for a in _REPORT_EVENTS], after__report=report.pk
    ).select_related("actor").order_by("at", "pk")
    units = []
    if report.sample is not None:
        units = list(
            report.sample.enrolments.filter(pk__in=portfolio_access.enrolments_visible_to(request.user).values("pk"))
            .select_related("candidate", "unit").order_by("candidate__last_name", "candidate__first_name", "unit__code")
        )
    context = {
        "report": report,
        "rights": rights,
        "actions": list(report.actions.select_related("answered_by").order_by("number")),
        "units": units,
        "history": [(event, sentence(event)) for event in events],
    }
    return render(request, "assessments/eqa_report_detail.html", context)


@require_POST
def report_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report, rights = access.eqa_report_for_user(request.user, pk)
    rights.require_author()
    try:
        eqa_reports.report_submit(report=report, eqa=request.user)
    except PortfolioError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Your report is sent to {report.centre.name}. Its administrators and IQAs are told.")
    return redirect(_detail(report))


@require_http_methods(["GET", "HEAD", "POST"])
def action_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action, rights = access.eqa_action_for_user(request.user, pk)
    rights.require_centre()
    initial: dict[str, Any] = {"response": action.response}
    if action.done_on or action.planned_on:
        done = ActionAnswerForm.DONE if action.done_on else ActionAnswerForm.PLANNED
        initial |= {"progress": done, "on": action.done_on or action.planned_on}
    form = ActionAnswerForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        done = form.cleaned_data["progress"] == ActionAnswerForm.DONE
        try:
            eqa_reports.action_answer(
                action=action, person=request.user, response=form.cleaned_data["response"],
                done_on=form.cleaned_data["on"] if done else None, planned_on=None if done else form.cleaned_data["on"],
            )
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your answer to action {action.number} is sent to {action.report.eqa}.")
            return redirect(_detail(action.report, f"action-{action.number}"))
    context = {"action": action, "report": action.report, "form": form, "verb": "answer"}
    return render(request, "assessments/eqa_action_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def action_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action, rights = access.eqa_action_for_user(request.user, pk)
    rights.require_author()
    form = ActionReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            eqa_reports.action_review(action=action, eqa=request.user, **form.cleaned_data)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Action {action.number}: the centre is told.")
            return redirect(_detail(action.report, f"action-{action.number}"))
    context = {"action": action, "report": action.report, "form": form, "verb": "review"}
    return render(request, "assessments/eqa_action_form.html", context, status=400 if form.is_bound else 200)
