"""A centre administrator hands over all of one person's units there, as assessor or as IQA, to
someone else (`services_handover`): the page lists their active units in each role and asks whom,
and why. Anyone but an administrator of that centre finds nothing (404)."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from portfolio.http import AuthenticatedHttpRequest

from .. import access_centre, services_handover
from ..errors import PortfolioError
from ..forms.enrolments import HandoverForm
from ..services_enrolments import ROLES


def person_handover(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    posted_role = request.POST.get("role") if request.method == "POST" else None
    sections: list[dict[str, Any]] = []
    for role, (_, word) in ROLES.items():
        units = services_handover.units_held(centre, person, role)
        data = request.POST if role == posted_role else None
        form = HandoverForm(data, centre=centre, role=role, leaving=person)
        if data is not None and form.is_valid():
            try:
                changes = services_handover.units_hand_over(
                    centre=centre, role=role, from_person=person, to_person=form.cleaned_data["person"],
                    reason=form.cleaned_data["reason"], changed_by=request.user,
                )
            except PortfolioError as refused:
                field = getattr(refused, "field", None)
                form.add_error(field if field in form.fields else None, getattr(refused, "refusals", None) or str(refused))
            else:
                new = form.cleaned_data["person"]
                messages.success(
                    request,
                    f"{new} is now the {word} of {len(changes)} unit{'s' if len(changes) != 1 else ''} in place of "
                    f"{person}. Each unit’s history records it, and everyone concerned has been told.",
                )
                return redirect("portfolio:person_detail", centre_id=centre.pk, person_id=person.pk)
        sections.append({"role": role, "word": word, "units": units, "form": form})
    context = {"centre": centre, "person": person, "sections": sections}
    status = 400 if posted_role and any(s["form"].errors for s in sections) else 200
    return render(request, "portfolio/person_handover.html", context, status=status)
