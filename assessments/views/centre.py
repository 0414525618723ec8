"""The centre administrator's page of the centre. Portfolio reads its people and enrolments; the
page lives here because it also shows where each unit stands (signed off, countersigned), which only
assessments knows."""

from django.http import HttpResponse
from django.shortcuts import render

from portfolio import access
from portfolio.http import AuthenticatedHttpRequest
from portfolio.views.centre import centre_detail_context

from .. import selectors


def centre_detail(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    context = centre_detail_context(request, centre)
    context["states"] = selectors.unit_states(context["enrolments"].object_list)
    return render(request, "assessments/centre_detail.html", context)
