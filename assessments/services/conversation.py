"""The conversation about an evidence item: the candidate and their assessor write to each other
beside the evidence, and the other side is told. A comment is sent once and kept with the item as
written (`EvidenceComment`); the IQA, the administrators and the EQA read it as they read the
evidence. A draft has no conversation: nobody but its candidate can see it (`access.shown_to`)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from portfolio import access, audit, judged_by, locks
from portfolio.errors import PortfolioError
from portfolio.models import Enrolment, Evidence, Person, Role
from portfolio.notifications import NotificationKind, evidence_named, notify

from ..audit_actions import AssessmentAction
from ..models import EvidenceComment

# The evidence's title as a notification names it (a message holds 300 characters).
TITLE_CHARS = 80


def conversation_link(evidence: Evidence) -> str:
    """The conversation on the evidence page, where a notification of a comment leads."""
    return reverse("assessments:evidence_detail", args=[evidence.pk]) + "#conversation"


def comments_on(evidence: Evidence) -> list[EvidenceComment]:
    """The conversation in the order it was written, each with its author and `by_candidate`
    (written by the candidate, not by an assessor)."""
    comments = list(EvidenceComment.objects.filter(evidence=evidence).select_related("author").order_by("sent_at", "pk"))
    for comment in comments:
        comment.by_candidate = comment.author_id == evidence.candidate_id  # for the template
    return comments


def others_in_conversation(evidence: Evidence, author: Person) -> list[Person]:
    """Who is told of a comment: the candidate and every assessor of theirs at the evidence's
    centre who judges it (`access.judges_of`: the assessors of the units it bears on), but the person
    who wrote it."""
    everyone = [evidence.candidate, *access.judges_of(evidence)]
    return [person for person in {p.pk: p for p in everyone}.values() if person.pk != author.pk]


def closed_units_told(evidence: Evidence) -> list[Enrolment]:
    """The units the item bears on when each is closed while the centre checks who is on it (its
    people changed outside the portfolio: `portfolio.case_seals`) and nobody judges it: a comment on
    it then goes to the centre's administrators, who alone may open those units; [] otherwise."""
    units = judged_by.changed_cases_only(evidence)
    return units if units and not access.judges_of(evidence) else []


def administrators_told(evidence: Evidence, author: Person) -> list[Person]:
    """The centre's administrators, but the author: told of a comment that reaches no assessor."""
    return list(
        Person.objects.filter(memberships__centre=evidence.centre_id, memberships__role=Role.ADMINISTRATOR)
        .exclude(pk=author.pk).distinct().order_by("last_name", "first_name", "pk")
    )


def closed_units_words(units: list[Enrolment]) -> str:
    """“H3 25 is closed for now: the people on it were changed outside the portfolio”."""
    codes = " and ".join(e.unit.code for e in units)
    several = len(units) > 1
    return (f"{codes} {'are' if several else 'is'} closed for now: the people on {'them' if several else 'it'} were "
            "changed outside the portfolio")


def _check(evidence: Evidence, author: Person, text: str) -> None:
    rights = access.evidence_rights(author, evidence)
    if not (rights.is_candidate or rights.is_assessor):
        raise PortfolioError("Only the candidate and their assessor write in the conversation about evidence.")
    if rights.is_draft:
        raise PortfolioError(
            f"{evidence.reference} is a draft, seen by nobody else yet: submit it, then write to your assessor about it."
        )
    # Bearing only on withdrawn or transferred units, it waits for nobody: nothing is written on it.
    locks.require_not_closed_only(evidence)
    if not (rights.is_candidate or rights.judges):
        # Another assessor's evidence (`judged_by`): they read it, and write nothing in it.
        raise PortfolioError(judged_by.judged_elsewhere_words(evidence) or "Only its assessor writes about it.")
    if not text:
        raise PortfolioError("Write your comment before sending it.")
    if len(text) > EvidenceComment.MAX_CHARS:
        raise PortfolioError(
            f"A comment can be up to {EvidenceComment.MAX_CHARS:,} characters long; this one has {len(text):,}."
        )


def evidence_comment(*, evidence: Evidence, author: Person, text: str) -> EvidenceComment:
    """Sends a comment on the evidence: kept with it for good, recorded in the audit trail of every
    unit it is mapped to, and told to the other side of the conversation."""
    text = text.strip()
    with transaction.atomic():
        # Read again: the page the comment was written on may be older than the evidence's state.
        evidence = Evidence.objects.select_related("candidate", "centre").get(pk=evidence.pk)
        _check(evidence, author, text)
        comment = EvidenceComment(evidence=evidence, author=author, text=text, sent_at=timezone.now())
        comment.full_clean()
        comment.save()
        told = others_in_conversation(evidence, author)
        closed = closed_units_told(evidence)
        administrators = administrators_told(evidence, author) if closed else []
        audit.record(
            AssessmentAction.EVIDENCE_COMMENTED,
            actor=author,
            centre=evidence.centre,
            evidence=evidence,
            summary=f"{author} wrote to {_names(told + administrators)} about {evidence.reference} “{evidence.title}”",
            after={"comment": text},
        )
        named = evidence_named(evidence)
        title = Truncator(evidence.title).chars(TITLE_CHARS)
        notify(
            told, f"{author} wrote to you about {named} “{title}”.", subject=f"{author} wrote to you about {named}",
            centre=evidence.centre_id, kind=NotificationKind.COMMENT, link=conversation_link(evidence),
        )
        if administrators:
            # No assessor may open the unit while the centre checks who is on it: its administrators can.
            notify(
                administrators,
                f"{author} wrote about {named} “{title}”. No assessor is told: {closed_units_words(closed)}. "
                "Only the centre’s administrators can open it.",
                subject=f"{author} wrote about {named}, whose unit is closed", centre=evidence.centre_id,
                kind=NotificationKind.COMMENT, link=conversation_link(evidence),
            )
    return comment


def _names(people: list[Person]) -> str:
    names = [str(person) for person in people] or ["nobody else"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
