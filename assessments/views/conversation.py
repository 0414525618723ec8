"""The conversation about an evidence item, on the evidence page: what the page shows of it, and
sending a comment (post, then back to the page: a refused comment comes back with its words and
why, kept for the next page in the session, so a refresh never sends it twice)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from portfolio import access, held_roles, locks
from portfolio.access import EvidenceRights, require
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment, EnrolmentStatus, Evidence, Person

from ..forms.conversation import CommentForm
from ..models import EvidenceComment
from ..services import conversation

# A refused comment's words and the reason, for the evidence page the writer is sent back to.
REFUSED = "assessments.comment_refused"
# The id of the error summary above the comment box (templates/assessments/evidence_conversation.html).
COMMENT_ERRORS = "comment-errors"


def conversation_context(
    request: AuthenticatedHttpRequest, evidence: Evidence, rights: EvidenceRights, *, closed: str | None = None
) -> dict:
    """What the evidence page shows of the conversation; nothing on a draft (it has none). `closed`:
    the page's `locks.closed_refusal`, when it has asked it already."""
    if rights.is_draft:
        return {"comments": [], "comment_form": None}
    refused = request.session.pop(REFUSED, None) or {}
    if refused.get("evidence") != evidence.pk:
        refused = {}
    closed = closed_conversation(evidence, rights, units_closed=closed, person=request.user)
    form = CommentForm(initial={"text": refused.get("text", "")}) if rights.may_comment and not closed else None
    return {
        "comments": conversation.comments_on(evidence),
        "comment_form": form,
        "comment_error": refused.get("error", ""),
        "conversation_closed": closed,
    }


def closed_conversation(
    evidence: Evidence, rights: EvidenceRights, *, units_closed: str | None = None, person: Person | None = None
) -> str:
    """Why the candidate or assessor is offered no comment box, or "". Evidence bearing only on
    withdrawn or transferred units waits for nobody (`locks.closed_refusal`, which the page says
    above): nothing is written about it. So says the page to the assessor of those units too, whose
    right to write went with them (an outside trial: judged evidence of a withdrawn unit showed its
    assessor no comment box and no word why). A deactivated candidate signs in to nothing, so a
    comment would reach nobody; the conversation waits, kept, for their return."""
    if rights.is_assessor and not rights.judges and not rights.is_candidate and not rights.is_draft:
        # Another assessor's evidence (`judged_by`): read, never written to, by this one.
        if units_closed is None:
            units_closed = locks.closed_refusal(evidence)
        if not units_closed:
            return (
                f"The conversation about {evidence.reference} is between the candidate and the assessor of the "
                "units it bears on."
            )
    if not rights.may_comment and not (person is not None and assessed_closed_units(person, evidence)):
        return ""
    if units_closed is None:
        units_closed = locks.closed_refusal(evidence)
    if units_closed:
        return (
            f"The conversation about {evidence.reference} is closed while the units it bears on are no longer "
            "open; what was written is kept."
        )
    if not rights.may_comment or rights.is_candidate or not held_roles.deactivated_refusal(evidence):
        return ""
    return (
        f"{evidence.candidate} is deactivated at {evidence.centre} and can open nothing here, so nothing can be "
        "written to them until the centre reactivates them. The conversation so far is kept."
    )


def assessed_closed_units(person: Person, evidence: Evidence) -> bool:
    """The person assesses a withdrawn or transferred unit of the evidence's candidate at its centre."""
    return Enrolment.objects.filter(
        candidate_id=evidence.candidate_id, centre_id=evidence.centre_id, assessor=person
    ).exclude(status=EnrolmentStatus.ACTIVE).exists()


@require_POST
def evidence_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence, rights = access.evidence_for_user(request.user, pk)
    # Asked before the right to write: the assessor of the withdrawn or transferred units the
    # evidence bears on lost that right with them, and is told why as the candidate is, not a bare 403.
    closed = closed_conversation(evidence, rights, person=request.user)
    if closed:
        # A page left open, a forged request: nothing is sent, and the page says why.
        messages.error(request, f"{closed} Your comment was not sent.")
        return redirect(reverse("assessments:evidence_detail", args=[evidence.pk]) + "#conversation")
    require(rights.may_comment, "Only the candidate and their assessor write in the conversation about evidence.")
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise PortfolioError(form.errors["text"][0])
        conversation.evidence_comment(evidence=evidence, author=request.user, text=form.cleaned_data["text"])
    except PortfolioError as error:
        text = request.POST.get("text", "")[: 2 * EvidenceComment.MAX_CHARS]
        request.session[REFUSED] = {"evidence": evidence.pk, "text": text, "error": str(error)}
        # To the error summary at the top of the comment box: the browser focuses it there.
        return redirect(reverse("assessments:evidence_detail", args=[evidence.pk]) + f"#{COMMENT_ERRORS}")
    told = conversation.others_in_conversation(evidence, request.user)
    names = " and ".join(str(person) for person in told)
    shut = conversation.closed_units_told(evidence)
    messages.success(
        request,
        f"Your comment on {evidence.reference} is sent."
        + (f" {names} {'has' if len(told) == 1 else 'have'} been told." if told else "")
        + (f" {conversation.closed_units_words(shut)}, so the centre’s administrators have been told." if shut else ""),
    )
    return redirect(conversation.conversation_link(evidence))
