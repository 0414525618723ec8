"""The answer to a form Django's CSRF check refuses (403), set as CSRF_FAILURE_VIEW.

It happens to people, not only to attackers: a form left open past its token (a page open all day),
or a second tab's form sent after signing out and in again, which gives the session a new token.
Django's own answer is a bare page naming the technical reason; this one says in the product's look
what happened, that nothing was saved and what to do. The reason is not shown: Django's CSRF
middleware logs it ("Forbidden (<reason>): <path>", logger django.security.csrf, a warning) as it
returns this page. The request may have no session or user (a sign-in form posted with no cookie),
so the page asks nothing of either."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", {"form_page": _form_page(request)}, status=403)


def _form_page(request: HttpRequest) -> str:
    """The page the form was on, when the browser said and it is one of ours: opening it again gets
    a form that can be sent. "" otherwise."""
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and safe else ""
