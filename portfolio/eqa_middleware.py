"""An external quality assurer's visit to a centre: the centre's terms accepted before anything of
the centre's is opened, and every page and file they open there written to the centre's log.

The terms stand before the granting centre's pages only. Someone with nothing else here (no role at
any centre, no other grant open) is sent to them from every page, as there is nothing else to see;
someone who is also a candidate or on the staff elsewhere, or who reads another centre under a grant
already open, keeps their own pages, and is sent to the terms from a page of the waiting centre (its
`centre_id` in the address) or from a record page an EQA reads that was not found (the grant opens
nothing until the terms are accepted, so the waiting centre's unit, evidence or file is not found;
sent whether or not the record exists, so the redirect tells nothing about it).

Only a session marked as an EQA's pays for this (one query a request): the mark is set when they
sign in, accept an invitation or open their home page with a grant current, so nobody else's pages
cost a query more."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone

from . import access, eqa_visits
from .eqa_models import EqaVisit
from .models import Person

SESSION_KEY = "portfolio_eqa"
# What the person may open while the centre's terms wait for them.
_BEFORE_TERMS = {"portfolio:eqa_terms", "portfolio:invitation_accept", "logout", "login"}


def remember(request: HttpRequest, person: Person) -> None:
    """Mark the session as an EQA's while any accepted grant of theirs has not ended or run out."""
    if not person.is_authenticated:
        return
    has_grant = person.eqa_grants.filter(
        ended_at__isnull=True, end_date__gte=access.local_today()
    ).exists()
    if has_grant:
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


@receiver(user_logged_in, dispatch_uid="portfolio.eqa_signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Person, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember(request, user)


def _resolved(request: HttpRequest) -> tuple[str, dict[str, Any]]:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return "", {}
    return match.view_name, match.kwargs


def _terms_first(person: Person, waiting: dict[int, int], open_centres: frozenset[int], kwargs: dict[str, Any]) -> bool:
    """Whether the page must wait for a centre's terms before it is even answered."""
    if kwargs.get("centre_id") in waiting:
        return True
    return not open_centres and not person.memberships.exists()


def _not_found_while_waiting(request: HttpRequest, url_name: str, response: HttpResponse) -> bool:
    """A record page an EQA reads, not found for someone whose terms wait somewhere: most likely
    the waiting centre's."""
    return request.method in ("GET", "HEAD") and response.status_code == 404 and url_name in eqa_visits.PAGE_NAMES


def _opened_whole(request: HttpRequest, response: HttpResponse) -> bool:
    """A page or file answered in full, or a file's first part (a viewer asks for it in parts).
    Not a page refreshing a part of itself (htmx's request: a visit pack's progress, every 2
    seconds while it is built), which opens nothing the page had not."""
    if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
        return False
    if response.status_code == 206:
        return response.get("Content-Range", "").startswith("bytes 0-")
    return response.status_code == 200


class EqaVisitMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = request.user
        if not request.session.get(SESSION_KEY) or not person.is_authenticated:
            return self.get_response(request)
        grants = list(access.eqa_grants_current(person).values_list("pk", "centre_id", "terms_accepted_at"))
        waiting: dict[int, int] = {}  # centre -> its first grant whose terms wait
        for pk, centre, accepted in grants:
            if accepted is None:
                waiting.setdefault(centre, pk)
        open_centres = frozenset(centre for _, centre, accepted in grants if accepted is not None)
        url_name, kwargs = _resolved(request)
        gated = bool(waiting) and url_name not in _BEFORE_TERMS
        if gated and _terms_first(person, waiting, open_centres, kwargs):
            return redirect("portfolio:eqa_terms", waiting.get(kwargs.get("centre_id", 0), next(iter(waiting.values()))))
        token = eqa_visits.begin(open_centres)
        try:
            response = self.get_response(request)
        finally:
            reading = eqa_visits.end(token)
        if gated and _not_found_while_waiting(request, url_name, response):
            return redirect("portfolio:eqa_terms", next(iter(waiting.values())))
        if reading is not None and reading.opened and _opened_whole(request, response):
            now = timezone.now()
            EqaVisit.objects.bulk_create(
                EqaVisit(person=person, centre_id=centre, path=request.get_full_path()[:500], what=what, opened_at=now)
                for centre, what in reading.described(url_name).items()
            )
        return response
