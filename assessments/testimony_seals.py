"""A witness's testimony link found not as the portfolio made it: put in, or its unit, the witness's
address, the link's digest, who asked or its expiry changed, in the database (an outside trial put
a request in by SQL, with the digest of a link of its own, and wrote evidence into a candidate's
portfolio through it: the digest is a plain SHA-256, which anyone can make).

Each request is sealed as the portfolio saves it (`TestimonyRequest.SEALED`, `portfolio.row_sealing`).
Checked where a link is looked up (`services.witness.testimony_request_for_token`, the witness's page
and its form): one that does not hold opens nothing, the witness seeing the page a link nobody sent
gets; it is marked (`seal_broken_at`), recorded on the centre's audit trail and told to the centre's
administrators once. `manage.py check_fixity` and a restore check every request. Put back as the
portfolio made it, the next check clears the mark."""

from django.urls import reverse
from django.utils import timezone

from portfolio import audit
from portfolio.models import Person, Role
from portfolio.notifications import NotificationKind, notify
from portfolio.row_sealing import row_holds

from .audit_actions import AssessmentAction
from .models import TestimonyRequest


def holds(request: TestimonyRequest) -> bool:
    values = {column: getattr(request, column) for column in request.SEALED} | {"access_seal": request.access_seal}
    return row_holds(request._meta.label_lower, request.pk, request.SEALED, values)


def vouched(request: TestimonyRequest) -> bool:
    """True when the request is as the portfolio made it; otherwise it is marked (told once) and False."""
    if holds(request):
        if request.seal_broken_at is not None:
            TestimonyRequest.objects.filter(pk=request.pk).update(seal_broken_at=None)
            request.seal_broken_at = None
        return True
    mark(request)
    return False


def said(request: TestimonyRequest) -> str:
    """The finding, in words, for the audit trail, the administrators and the fixity check."""
    enrolment = request.enrolment
    what = f"A witness testimony link for {enrolment.unit.code} of {enrolment.candidate}, to {request.witness_email},"
    if not request.access_seal:
        return f"{what} was put in the database, not sent through the portfolio: it opens nothing."
    return (f"{what} was changed in the database (its unit, the witness's address, its secret, who asked or its "
            "expiry): it opens nothing.")


def mark(request: TestimonyRequest) -> bool:
    """Marks the request changed and tells the administrators of its unit's centre, once. True if
    this marked it."""
    if not TestimonyRequest.objects.filter(pk=request.pk, seal_broken_at__isnull=True).update(seal_broken_at=timezone.now()):
        return False
    request = TestimonyRequest.objects.select_related("enrolment__centre", "enrolment__unit", "enrolment__candidate").get(
        pk=request.pk
    )
    words, centre = said(request), request.enrolment.centre
    audit.record(
        AssessmentAction.WITNESS_REQUEST_CHANGED, actor=None, centre=centre, summary=words[:300],
        after={"request": request.pk, "enrolment": request.enrolment_id, "said": words},
    )
    administrators = Person.objects.filter(memberships__centre=centre, memberships__role=Role.ADMINISTRATOR)
    notify(
        list(administrators.distinct()),
        f"{words} No testimony can be given through it. Find out with whoever runs the installation who changed it.",
        subject=f"A witness link at {centre.name} changed outside the portfolio", centre=centre.pk,
        kind=NotificationKind.INTEGRITY_FAILURE, link=reverse("assessments:enrolment_detail", args=[request.enrolment_id]),
    )
    return True


def check_every_request() -> list[str]:
    """Every testimony request checked (one query, an HMAC each): each not as the portfolio made it
    marked, told once, and said; each marked that holds again cleared."""
    found = []
    rows = TestimonyRequest.objects.select_related("enrolment__unit", "enrolment__candidate").order_by("pk")
    for request in rows.iterator():
        if not vouched(request):
            found.append(said(request))
    return found
