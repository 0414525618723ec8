"""The external quality assurer's report to the centre: written and changed as a draft (theirs
alone, not yet the centre's record, so not audited), then sent, after which it is fixed: the
centre's administrators and the IQAs it concerns are told, and they answer each action; the EQA
closes each answered action or leaves it open. Every move after sending is audited and notified.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portfolio import audit, dates
from portfolio.errors import PortfolioError
from portfolio.models import Centre, Person
from portfolio.notifications import NotificationKind, notify

from ..access import eqa_report_readers
from ..audit_actions import AssessmentAction
from ..eqa_models import EqaAction, EqaOutcome, EqaReport, EqaReview, EqaSample, VisitMode


@dataclass(frozen=True)
class ActionText:
    text: str
    due_on: datetime.date


def _name(person: Person) -> str:
    return person.get_full_name() or person.email


def _link(report: EqaReport) -> str:
    return reverse("assessments:eqa_report_detail", args=[report.pk])


def _check_draft(report: EqaReport, eqa: Person) -> None:
    if report.eqa_id != eqa.pk:
        raise PortfolioError("Only the external quality assurer who wrote the report changes it.")
    if not report.is_draft:
        raise PortfolioError(
            f"This report was sent to the centre on {dates.day(report.submitted_at)} and is fixed. "
            "Write a new report to add to it."
        )


def report_save(
    *, eqa: Person, centre: Centre, report: EqaReport | None = None, sample: EqaSample | None,
    visited_on: datetime.date, mode: str, findings: str, outcome: str, actions: list[ActionText],
) -> EqaReport:
    """Saves a draft report, new or changed, with its actions as given (numbered in order)."""
    if sample is not None and (sample.eqa_id != eqa.pk or sample.centre_id != centre.pk):
        raise PortfolioError("A report is on one of your own samples at the centre it is sent to.")
    with transaction.atomic():
        if report is None:
            report = EqaReport(eqa=eqa, centre=centre)
        else:
            report = EqaReport.objects.select_for_update().get(pk=report.pk)
            _check_draft(report, eqa)
        report.sample, report.visited_on, report.mode = sample, visited_on, VisitMode(mode)
        report.findings, report.outcome = findings, EqaOutcome(outcome)
        report.full_clean()
        report.save()
        report.actions.all().delete()
        for number, action in enumerate(actions, start=1):
            row = EqaAction(report=report, number=number, text=action.text, due_on=action.due_on)
            row.full_clean()
            row.save()
    return report


def report_submit(*, report: EqaReport, eqa: Person) -> EqaReport:
    """Sends the draft to the centre: from now it is fixed, and its readers are told."""
    with transaction.atomic():
        report = EqaReport.objects.select_for_update(of=("self",)).select_related("centre", "sample").get(pk=report.pk)
        _check_draft(report, eqa)
        actions = list(report.actions.order_by("number"))
        if report.outcome != EqaOutcome.SATISFACTORY and not actions:
            raise PortfolioError(
                f"The outcome “{report.get_outcome_display()}” needs at least one action for the centre: "
                "add the actions, or choose another outcome."
            )
        report.submitted_at = timezone.now()
        report.save(update_fields=["submitted_at", "updated_at"])
        summary = (
            f"{_name(eqa)}, the external quality assurer, sent the report of the "
            f"{report.get_mode_display().lower()} visit of {dates.day(report.visited_on)}: "
            f"{report.get_outcome_display()}"
        )
        audit.record(
            AssessmentAction.EQA_REPORT_SUBMITTED, actor=eqa, centre=report.centre, summary=summary,
            after={
                "report": report.pk, "visited_on": report.visited_on.isoformat(), "mode": report.mode,
                "outcome": report.outcome, "actions": len(actions),
                "sample": report.sample.name if report.sample else "",
            },
        )
        readers = list(eqa_report_readers(report))
        words = f"{summary}, with {len(actions)} action{'s' if len(actions) != 1 else ''} for the centre to answer."
        notify(readers, words, centre=report.centre_id, kind=NotificationKind.EQA_REPORT, link=_link(report))
    return report


def _locked_action(action: EqaAction) -> EqaAction:
    return EqaAction.objects.select_for_update(of=("self",)).select_related("report__centre", "report__eqa").get(pk=action.pk)


def action_answer(
    *, action: EqaAction, person: Person, response: str, done_on: datetime.date | None,
    planned_on: datetime.date | None,
) -> EqaAction:
    """The centre's answer to one action: what it did, done on a date or planned for one."""
    if (done_on is None) == (planned_on is None):
        raise PortfolioError("Give the date it was done, or the date it is planned for.")
    with transaction.atomic():
        action = _locked_action(action)
        report = action.report
        if report.is_draft or not eqa_report_readers(report).filter(pk=person.pk).exists():
            raise PortfolioError("Only the centre’s administrators and its IQAs answer the report’s actions.")
        if action.closed:
            raise PortfolioError("The external quality assurer has closed this action: it needs no more answers.")
        action.response, action.done_on, action.planned_on = response, done_on, planned_on
        action.answered_by, action.answered_at = person, timezone.now()
        action.full_clean()
        action.save()
        when = f"done on {dates.day(done_on)}" if done_on else f"planned for {dates.day(planned_on)}"
        summary = f"{_name(person)} answered action {action.number} of the EQA report of {dates.day(report.visited_on)}: {when}"
        audit.record(
            AssessmentAction.EQA_ACTION_ANSWERED, actor=person, centre=report.centre, summary=summary,
            after={
                "report": report.pk, "number": action.number, "action": action.text, "response": response,
                "done_on": done_on.isoformat() if done_on else None,
                "planned_on": planned_on.isoformat() if planned_on else None,
            },
        )
        notify([report.eqa], summary + ".", centre=report.centre_id, kind=NotificationKind.EQA_ACTION_ANSWERED, link=_link(report))
    return action


def action_review(*, action: EqaAction, eqa: Person, review: str, note: str) -> EqaAction:
    """The EQA closes the action or leaves it open, with a note to the centre."""
    with transaction.atomic():
        action = _locked_action(action)
        report = action.report
        if report.eqa_id != eqa.pk or report.is_draft:
            raise PortfolioError("Only the external quality assurer who sent the report closes its actions.")
        if action.closed:
            raise PortfolioError("You have already closed this action.")
        action.review, action.review_note, action.reviewed_at = EqaReview(review), note, timezone.now()
        action.full_clean()
        action.save()
        done = f"closed action {action.number}" if action.closed else f"left action {action.number} open"
        summary = f"{_name(eqa)}, the external quality assurer, {done} in the report of {dates.day(report.visited_on)}"
        audit.record(
            AssessmentAction.EQA_ACTION_REVIEWED, actor=eqa, centre=report.centre, summary=summary,
            after={"report": report.pk, "number": action.number, "action": action.text, "review": review, "note": note},
        )
        words = summary + (f": “{note}”" if note else "") + "."
        notify(list(eqa_report_readers(report)), words, centre=report.centre_id, kind=NotificationKind.EQA_ACTION_REVIEWED, link=_link(report))
    return action
