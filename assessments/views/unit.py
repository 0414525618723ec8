import csv
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from portfolio import audit, selectors
from portfolio.models import Enrolment, Person

from ..audit_trail import unit_events
from ..integrity import utc_iso
from ..progress import unit_progress


def enrolment_acting_as(person: Person, pk: int, *roles: str) -> Enrolment:
    """The enrolment, if the person holds one of these roles on it ("assessor", "candidate",
    "iqa"); 404 otherwise. Strangers never learn it exists; others on the case may read it on the
    unit page but find no page to act on it."""
    enrolment = selectors.enrolment_for_user(person, pk)
    holders = {"assessor": enrolment.assessor_id, "candidate": enrolment.candidate_id, "iqa": enrolment.iqa_id}
    if not any(holders[role] == person.pk for role in roles):
        raise Http404("Not yours to act on.")
    return enrolment


def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A candidate's unit: the whole standard with the evidence and decisions beside each item."""
    enrolment = selectors.enrolment_for_user(request.user, pk)
    progress = unit_progress(enrolment)
    return render(
        request,
        "assessments/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "progress": progress,
            "structure": progress.structure,
            "is_candidate": enrolment.candidate_id == request.user.pk,
        },
    )


# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


@require_GET
def audit_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every event of the unit's audit trail as CSV, oldest first, for everyone on the case. The
    download is itself recorded (after the rows are written, so it is in the next one)."""
    enrolment = selectors.enrolment_for_user(request.user, pk)
    name = slugify(f"{enrolment.candidate.get_full_name()} {enrolment.unit.code} audit trail") + ".csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    writer = csv.writer(response)
    writer.writerow(["at (UTC)", "actor", "action", "summary", "before", "after"])
    for event in unit_events(enrolment).order_by("at", "id").iterator():
        actor = f"{event.actor} <{event.actor.email}>" if event.actor else "(the system)"
        writer.writerow(
            [
                utc_iso(event.at),
                _cell(actor),
                event.action,
                _cell(event.summary),
                json.dumps(event.before, ensure_ascii=False, sort_keys=True),
                json.dumps(event.after, ensure_ascii=False, sort_keys=True),
            ]
        )
    audit.record(
        "assessments.audit_trail.exported",
        actor=request.user,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=f"{enrolment.unit.code} audit trail of {enrolment.candidate} downloaded as CSV",
    )
    return response
