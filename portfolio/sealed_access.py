"""Every request checks, before the page asks anything, what lets its person in: their
installation-wide rights (`person_seals`, from the row read to sign them in: no query), their roles
(`membership_seals`: one put in or changed by hand is put right), the cases they are the candidate,
assessor or IQA of (`case_seals`: one changed by hand is marked, so no page, list, file or count
reaches it, and one put back as the portfolio made it opens again at once) and the grants that make
them an external quality assurer (`grant_seals`: marked, and opening nothing, in the same way).
Three queries (two more for an EQA) and an HMAC a row: a few milliseconds, even for a caseload of a
thousand units."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from . import case_seals, grant_seals, membership_seals, person_seals, registration_seals
from .models import Enrolment, EqaGrant, Membership


class SealedAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = getattr(request, "user", None)
        if person is not None and person.is_authenticated:
            # First the installation's rights of theirs (read with them: no query), then their roles,
            # which every query of theirs reads (`person_seals`, `membership_seals`).
            if not person_seals.vouched(person):  # their sign-in changed by hand: the account is shut
                logout(request)
                messages.error(request, "This account was changed outside the portfolio and is shut until the site "
                                        "administrator opens it again. They have been told.")
                return redirect(settings.LOGIN_URL)
            membership_seals.settle(Membership.objects.filter(person=person.pk))
            theirs = Enrolment.objects.filter(Q(candidate=person.pk) | Q(assessor=person.pk) | Q(iqa=person.pk)).order_by()
            case_seals.vouched_rows(theirs)
            if grant_seals.vouched_rows(EqaGrant.objects.filter(person=person.pk).order_by()) is not None:
                registration_seals.vouched_rows(registration_seals.of_eqa(person))  # what their grants open
        return self.get_response(request)
