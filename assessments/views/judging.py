"""The assessor's work on evidence: the queue of what waits, judging it, and recording their own."""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portfolio import access as portfolio_access
from portfolio import held_roles, locks, mapped_items
from portfolio.access import EvidenceRights, require
from portfolio.counted_pages import KnownCountPaginator
from portfolio.errors import PortfolioError, UploadRejected
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import AssessmentMethod, Enrolment, Evidence, EvidenceState, Person
from portfolio.views.evidence import moved_on, upload_problems

from .. import access, queue_choices, scope, selectors
from ..forms.judging import ACCEPT, AssessorEvidenceForm, JudgementForm
from ..judging_items import met_already
from ..models import Decision
from ..services import judging, other_assessors
from ..services.judging_round import Round, StaleJudgement
from .conversation import assessed_closed_units
from .evidence import form_to_judge, render_evidence_page

QUEUE_PAGE_SIZE = 25


def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.is_assessor(request.user):
        raise Http404("Only assessors have a queue of evidence to judge.")
    choices = queue_choices.queue_choices(request.user)
    chosen = queue_choices.QueueFilter.from_query(request.GET, choices)
    # Counted with the evidence of deactivated candidates left out, in the one query the paginator's count was.
    waiting, left_out = selectors.queue_counts(request.user, chosen)
    page = KnownCountPaginator(selectors.evidence_queue(request.user, chosen), QUEUE_PAGE_SIZE, waiting).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_unit_codes(page.object_list)
    return render(
        request,
        "assessments/queue.html",
        {"page": page, "choices": choices, "chosen": chosen, "left_out": left_out, "now": timezone.now()},
    )


def _judged_words(evidence: Evidence, accepted: bool, judge: Person) -> str:
    # The assessors of the other units it bears on were told too (`other_assessors`): named here.
    others = [f"{assessor} (who assesses {codes})" for assessor, codes in other_assessors.told_of(evidence, judge)]
    also = f" {' and '.join(others)} {'has' if len(others) == 1 else 'have'} been told too." if others else ""
    if not accepted:
        return f"{evidence.reference} is referred back. {evidence.candidate} has been sent your feedback.{also}"
    return f"{evidence.reference} is accepted{_proves_words(evidence)}. {evidence.candidate} has been told.{also}"


def _proves_words(evidence: Evidence) -> str:
    """", and cited as meeting 2 items: HSC331a.1, HSC331 K6", or nothing."""
    standing = Decision.objects.standing().filter(evidence=evidence).select_related("criterion__unit", "knowledge_item__unit")
    # The standard's order, unit by unit: each unit's criteria, then its knowledge.
    met = [
        reference
        for unit in mapped_items.grouped(
            [d.criterion for d in standing if d.criterion], [d.knowledge_item for d in standing if d.knowledge_item], []
        )
        for reference in unit.references
    ]
    return f", and cited as meeting {len(met)} item{pluralize(len(met))}: {', '.join(met)}" if met else ""


def _next_page(assessor: Person, evidence: Evidence) -> tuple[str, str]:
    """The next evidence waiting for this candidate on the same units, or their decisions review
    (one page per evidence item, then the review), and the words that say so."""
    waiting, enrolment = selectors.after_judging(assessor, evidence)
    if waiting is not None:
        return (
            reverse("assessments:evidence_detail", args=[waiting.pk]),
            f"Next waiting from {evidence.candidate}: {waiting.reference}.",
        )
    if enrolment is not None:
        return (
            reverse("assessments:decisions", args=[enrolment.pk]),
            f"Nothing else of {evidence.candidate}’s on {enrolment.unit.code} waits for you: here are its decisions.",
        )
    return reverse("assessments:evidence_detail", args=[evidence.pk]), ""


def _judge_again(form: JudgementForm, evidence: Evidence) -> None:
    """The refused form again, for the submission the page now shows: what the assessor wrote and
    ticked is kept, but not the four VACS confirmations, which they give again for what they read."""
    data = cast(QueryDict, form.data).copy()
    for name in judging.VACS:
        data.pop(name, None)
    seen = Round.of(evidence)
    data["version"], data["submitted"] = str(seen.version), seen.submitted
    form.data = data


@require_POST
def judge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Accepts the evidence with what it proves, or refers it back; then on to the next evidence
    waiting. A refused submit shows the page again with what was entered and why, at the top."""
    evidence, rights = portfolio_access.evidence_for_user(request.user, pk)
    if not rights.may_judge and assessed_closed_units(request.user, evidence) and locks.closed_refusal(evidence):
        return _judging_closed(request, evidence, rights)
    if rights.is_assessor and not rights.may_judge and evidence.state == EvidenceState.SUBMITTED:
        # Another assessor's to judge (`judged_by`): the page, read-only, says whose and why.
        return render_evidence_page(request, evidence, rights, status=403)
    require(rights.may_judge, "Only the candidate's assessor judges their evidence.")
    if held_roles.deactivated_refusal(evidence) or locks.closed_refusal(evidence):
        # A page left open, a forged request: answered as the page is, read-only, with no form.
        return render_evidence_page(request, evidence, rights, status=403)
    form = form_to_judge(evidence, request.user, request.POST)
    if form.is_valid():
        accepting = form.cleaned_data["decision"] == ACCEPT
        try:
            if accepting:
                judging.evidence_accept(
                    evidence=evidence,
                    assessor=request.user,
                    feedback=form.cleaned_data["feedback"],
                    scope_items=form.cleaned_data["scope_items"],
                    proves=form.items_proved,
                    decided_on=form.cleaned_data["decided_on"],
                    seen=form.seen,
                    **{name: form.cleaned_data[name] for name in judging.VACS},
                )
            else:
                judging.evidence_refer_back(
                    evidence=evidence, assessor=request.user, feedback=form.cleaned_data["feedback"],
                    notes=form.notes, seen=form.seen,
                )
        except StaleJudgement as error:
            evidence.refresh_from_db()
            _judge_again(form, evidence)
            form.add_error(None, str(error))
        except PortfolioError as error:
            if not Evidence.objects.filter(pk=evidence.pk, state=EvidenceState.SUBMITTED).exists():
                messages.error(request, str(error))  # judged meanwhile: its page says how it stands now
                return redirect("assessments:evidence_detail", pk=evidence.pk)
            form.add_error(None, str(error))
        else:
            url, next_words = _next_page(request.user, evidence)
            messages.success(request, f"{_judged_words(evidence, accepting, request.user)} {next_words}".strip())
            return redirect(url)
    return render_evidence_page(request, evidence, rights, judgement_form=form, status=400)


def _judging_closed(request: AuthenticatedHttpRequest, evidence: Evidence, rights: EvidenceRights) -> HttpResponse:
    """A judgement posted by the assessor of the withdrawn or transferred units the evidence bears
    on, whose right to judge went with them (a page left open): the page, read-only, saying why
    (above it, when the evidence waits; else in the message), and nothing recorded."""
    why = "" if evidence.state == EvidenceState.SUBMITTED else f" {locks.closed_refusal(evidence)}"
    messages.error(request, f"Your judgement of {evidence.reference} was not recorded, and nothing was changed.{why}")
    return render_evidence_page(request, evidence, rights, status=403)


def _recording_refused(request: AuthenticatedHttpRequest, enrolment: Enrolment, refused: str) -> HttpResponse:
    """The page says why, with no form to fill in; a posted one is answered the same way, unread."""
    return render(
        request, "assessments/assessor_evidence_form.html",
        {"enrolment": enrolment, "refused": refused, "questioning": request.GET.get("method") == AssessmentMethod.QUESTIONING},
        status=403 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def assessor_evidence_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_assessor()
    if rights.deactivated:
        return _recording_refused(request, enrolment, rights.deactivated)
    criteria, knowledge_items = selectors.unit_items(enrolment)
    method = request.GET.get("method", AssessmentMethod.DIRECT_OBSERVATION)
    if method not in judging.ASSESSOR_METHODS:
        method = AssessmentMethod.DIRECT_OBSERVATION
    form = AssessorEvidenceForm(
        request.POST or None,
        request.FILES or None,
        criteria=criteria,
        knowledge_items=knowledge_items,
        scope_items=scope.unit_scope_items(enrolment.unit),
        met=met_already(enrolment),
        initial={
            "method": method,
            "activity_date": timezone.localdate(),
            "title": "Observation" if method == AssessmentMethod.DIRECT_OBSERVATION else "Questions and answers",
        },
    )
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        problems = upload_problems(request)
        if form.is_valid() and not problems:
            fields = form.cleaned_data
            try:
                evidence = judging.assessor_evidence_record(
                    enrolment=enrolment,
                    assessor=request.user,
                    uploads=fields["files"],
                    **{k: fields[k] for k in ("method", "title", "activity_date", "location", "account")},
                    criteria=fields["criteria"],
                    knowledge_items=fields["knowledge_items"],
                    scope_items=fields["scope_items"],
                )
            except UploadRejected as error:
                problems = upload_problems(request, error)
            except PortfolioError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"{evidence.reference} “{evidence.title}” is on {enrolment.candidate}’s portfolio, "
                    f"accepted as your own record{_proves_words(evidence)}.",
                )
                return moved_on(request, reverse("assessments:evidence_detail", args=[evidence.pk]))
    return render(
        request,
        "assessments/assessor_evidence_form.html",
        {"form": form, "problems": problems, "enrolment": enrolment,
         "max_file_bytes": settings.EVIDENCE_MAX_FILE_BYTES},
        status=400 if request.method == "POST" else 200,
    )
