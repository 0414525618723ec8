"""The home page. Portfolio reads each role's section; the assessor's section gains what only
assessments knows: the queue of evidence waiting for judgement and the IQA's referrals."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portfolio.models import Person, Role
from portfolio.views.home import home_context

from .. import selectors

QUEUE_SHOWN_AT_HOME = 10


def _assessor_extras(person: Person, query) -> dict:
    choices = selectors.queue_choices(person)
    chosen = selectors.QueueFilter.from_query(query, choices)
    queue = selectors.evidence_queue(person, chosen)
    return {
        "template": "assessments/home_assessor.html",
        "queue": selectors.with_unit_codes(queue[:QUEUE_SHOWN_AT_HOME]),
        "queue_count": queue.count(),
        "choices": choices,
        "chosen": chosen,
        "referrals": list(selectors.referrals_for(person)),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = home_context(request.user)
    for section in context["sections"]:
        if section["role"] == Role.ASSESSOR:
            section.update(_assessor_extras(request.user, request.GET))
    return render(request, "portfolio/home.html", {**context, "now": timezone.now()})
