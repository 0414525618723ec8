"""The centre's audit trail page: its administrators' alone (`access.administered_centre_for_user`,
404 to anyone else), the events of running the centre (`events.py`), newest first, 50 a page. The
events shown are checked against their seals and the events they follow (`portfolio.audit_chain`):
any that do not hold are named at the top of the page and marked in their rows."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ops.forms.audit_trail import AuditTrailFilterForm
from portfolio import access, audit_chain, audit_sentences
from portfolio.audit import PortfolioAction
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import AuditEvent, Centre, Person
from portfolio.paging import Pages

from . import findings as trail_findings
from .events import centre_people, events_of

PAGE_SIZE = 50


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    who: str
    sentence: str
    about: str  # the candidate the event is about, when its sentence does not name them
    broken: bool = False  # the event does not hold: changed, put in or following one deleted


def _outsiders_named(events: list[AuditEvent], centre: Centre) -> None:
    """Someone outside the centre who acted with no name kept (the event then kept their address)
    is named by what they are, never by an address the trail does not show (`events.centre_people`)."""
    unnamed = {
        e.actor_id for e in events if e.actor is not None and (e.actor_name or "").lower() == e.actor.email.lower()
    }
    if not unnamed:
        return
    own = set(Person.objects.filter(centre_people(centre), pk__in=unnamed).values_list("pk", flat=True))
    for event in events:
        if event.actor_id in unnamed and event.actor_id not in own:
            outsider = "The site administrator" if event.actor and event.actor.is_superuser else "Someone outside the centre"
            event.actor_shown = outsider  # type: ignore[attr-defined]  # for audit_sentences.actor


def _row(event: AuditEvent, broken: set[int]) -> Row:
    said = audit_sentences.sentence(event)
    candidate = event.candidate
    about = ""
    if candidate is not None:
        name = candidate.get_full_name() or candidate.email
        about = "" if name in said else name
    return Row(event, audit_sentences.actor(event, nobody="The system"), said, about, event.pk in broken)


def audit_trail(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    form = AuditTrailFilterForm(request.GET or None)
    found = events_of(
        centre, words=form.words(), since=form.applied_day("date_from"), until=form.applied_day("date_to")
    ).select_related("actor", "candidate")
    page = Pages(found, PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page)
    audit_sentences.people_read(events)
    _outsiders_named(events, centre)
    problems = audit_chain.page_problems(events)
    broken = {problem.event_id for problem in problems}
    return render(request, "ops/audit_trail.html", {
        "centre": centre, "form": form, "page": page, "rows": [_row(event, broken) for event in events],
        "filter_words": form.chosen_words(), "chain_problems": problems, **_last_finding(centre),
    })


def _last_finding(centre: Centre) -> dict:
    """The last check of the whole trail to find it changed (`findings.tell`): it names events this
    page may not show (an evidence or decision event, which stays on its unit's trail); and the
    centre's record that it dealt with those very problems, if it made one. Apart from it, the newest
    events found deleted since (`findings.tell_tail`), said once and nothing to record: it never
    stands in the way of recording what the centre did about the other."""
    found = AuditEvent.objects.filter(centre=centre, action=PortfolioAction.AUDIT_TRAIL_CHANGED).order_by("-pk")
    last, tail = found.first(), None
    if last is not None and (last.after or {}).get("tail"):  # a second query only then
        last, tail = found.exclude(after__has_key="tail").first(), last
    digest = (last.after or {}).get("digest") if last is not None else None
    dealt_with = AuditEvent.objects.filter(
        centre=centre, action=PortfolioAction.AUDIT_TRAIL_ACKNOWLEDGED, after__digest=digest
    ).select_related("actor").order_by("-pk").first() if digest else None
    return {"last_finding": last, "dealt_with": dealt_with, "tail_finding": tail}


@require_POST
def audit_trail_acknowledge(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    """The centre's administrator records what the centre did about the changes found: the nightly
    check then reports them as known, and fails again only if anything else changes."""
    centre = access.administered_centre_for_user(request.user, centre_id)
    try:
        found = trail_findings.acknowledge(centre, request.user, request.POST.get("note", ""))
    except PortfolioError as refused:
        messages.error(request, str(refused))
    else:
        many = found.count != 1
        messages.success(request, f"Recorded: the {found.count} problem{'s' if many else ''} found in the audit trail "
                                  f"{'are' if many else 'is'} known to the centre. The nightly check will fail again if "
                                  "anything else changes.")
    return redirect("ops:audit_trail", centre.pk)
