"""Sign-in rate limiting: the pieces django-axes is configured with (config/settings/security.py).

Five failed sign-ins for one email address from one client address lock that pair out for the
cool-off; the sign-in page then says so, and how long, instead of axes' bare refusal.
"""

import math
from http import HTTPStatus
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from portfolio.models import Person

from .forms.people import SignInForm


class SignInLimitBackend(AxesStandaloneBackend):
    """Refuses a locked-out email address and client address before any password is checked.

    Only sign-ins through a page are counted: they always pass the request (Django's sign-in
    form does). Code that calls authenticate() without one, such as the test client's login(),
    is not a visitor with an address to count, so it is passed on to the next backend.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Person | None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def sign_in_name(request: HttpRequest, credentials: dict | None) -> str:
    """The email address tried, as one key however it was capitalised or spaced."""
    tried = (credentials or {}).get("username") or request.POST.get("username") or ""
    return tried.strip().lower()


def client_address(request: HttpRequest) -> str:
    """The client's address: from the proxy's header when one is configured, else the connection's."""
    header = settings.PORTFOLIO_CLIENT_IP_META_KEY
    forwarded = request.META.get(header, "").strip() if header else ""
    return forwarded or request.META.get("REMOTE_ADDR", "")


def lockout_seconds_left(request: HttpRequest, credentials: dict | None) -> int:
    """How long until this email address may be tried again from this client address.

    The cool-off runs from the failure that locked it: tries during a lock-out do not extend it
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so the time the page gives holds.
    """
    locked_at = AccessAttempt.objects.filter(
        username=sign_in_name(request, credentials), ip_address=client_address(request)
    ).aggregate(latest=Max("attempt_time"))["latest"]
    if locked_at is None:
        return int(settings.AXES_COOLOFF_TIME.total_seconds())
    left = locked_at + settings.AXES_COOLOFF_TIME - timezone.now()
    return max(1, math.ceil(left.total_seconds()))


def lockout_message(seconds_left: int) -> str:
    minutes = max(1, math.ceil(seconds_left / 60))
    wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return f"Too many failed sign-ins. Try again in {wait}, or reset your password."


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The sign-in page again, with the lock-out explained, the address kept and the password not.

    429 Too Many Requests, with Retry-After, for anything that reads status codes.
    """
    seconds_left = lockout_seconds_left(request, credentials)
    messages.error(request, lockout_message(seconds_left))
    next_page = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_page = ""
    form = SignInForm(request, initial={"username": sign_in_name(request, credentials)})
    response = render(
        request,
        "registration/login.html",
        {"form": form, "next": next_page},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(seconds_left)
    return response


class LockOutEndsWithNewPassword:
    """A new password ends any lock-out on the account.

    Listed among the password validators for Django's password_changed() hook, which runs on every
    change: through "Forgotten your password?", the change-password page or the admin. Whoever set
    it has shown they hold the email address, or are an administrator. It refuses no password.
    """

    def validate(self, password: str, user: Person | None = None) -> None:
        return None

    def password_changed(self, password: str, user: Person | None = None) -> None:
        if user is not None and user.email:
            reset(username=user.email.strip().lower())

    def get_help_text(self) -> str:
        return "Setting a new password also ends a sign-in lock-out on your account."


def is_locked_out(person: Person) -> bool:
    """Is the person's email address locked out now, from any client address?"""
    return AccessAttempt.objects.filter(
        username=person.email.strip().lower(),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gt=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()


def clear_lock_out(person: Person) -> None:
    """Forgets every failed sign-in with the person's email address, from every client address."""
    reset(username=person.email.strip().lower())
