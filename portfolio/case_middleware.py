"""Every request checks the person's roles (`membership_seals`: a role put in by hand is taken away
before the page asks anything) and the cases that let them in (`case_seals`): the enrolments they are the
candidate, assessor or IQA of. One query and an HMAC each (a large caseload of a thousand units: a
few milliseconds); a case changed in the database since the last request is marked before the page
asks anything, so no page, list, file or count reaches it, and one put back as the portfolio made it
is opened again at once."""

from collections.abc import Callable

from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from . import case_seals, membership_seals, person_seals
from .models import Enrolment, Membership


class CaseSealMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = getattr(request, "user", None)
        if person is not None and person.is_authenticated:
            # First the installation's rights of theirs (read with them: no query), then their roles,
            # which every query of theirs reads (`person_seals`, `membership_seals`).
            person_seals.vouched(person)
            membership_seals.settle(Membership.objects.filter(person=person.pk))
            theirs = Enrolment.objects.filter(Q(candidate=person.pk) | Q(assessor=person.pk) | Q(iqa=person.pk)).order_by()
            case_seals.vouched_rows(theirs)
        return self.get_response(request)
