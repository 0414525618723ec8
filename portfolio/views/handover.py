"""A centre administrator hands over all of one person's units there, as assessor or as IQA, to
someone else (`services_handover`): the page lists their active units in each role and asks whom,
and why. Anyone but an administrator of that centre finds nothing (404)."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from portfolio.http import AuthenticatedHttpRequest

from .. import access_centre, selectors, services_handover, work_done
from ..errors import PortfolioError
from ..forms.enrolments import HandoverForm
from ..models import Person
from ..services_enrolments import ROLES


def person_handover(request: AuthenticatedHttpRequest, centre_id: int, person_id: int) -> HttpResponse:
    centre, person = access_centre.person_at_centre_for_user(request.user, centre_id, person_id)
    posted_role = request.POST.get("role") if request.method == "POST" else None
    sections: list[dict[str, Any]] = []
    for role, (_, word) in ROLES.items():
        units, kept = services_handover.units_and_kept(centre, person, role)
        waiting = services_handover.prepared_waiting(centre, person, role)
        data = request.POST if role == posted_role else None
        form = HandoverForm(data, centre=centre, role=role, leaving=person)
        if data is not None and form.is_valid():
            try:
                handover = services_handover.units_hand_over(
                    centre=centre, role=role, from_person=person, to_person=form.cleaned_data["person"],
                    reason=form.cleaned_data["reason"], changed_by=request.user,
                )
            except PortfolioError as refused:
                field = getattr(refused, "field", None)
                form.add_error(field if field in form.fields else None, getattr(refused, "refusals", None) or str(refused))
            else:
                messages.success(request, _handed_over(handover, new=form.cleaned_data["person"], old=person, role=role))
                return redirect("portfolio:person_detail", centre_id=centre.pk, person_id=person.pk)
        sections.append({
            "role": role, "word": word, "units": units, "still": work_done.STILL[role],
            "kept": services_handover.kept_words(kept, person, role), "waiting": waiting, "form": form,
        })
    # A deactivated candidate's open unit is handed over too (it is the centre's record); they are not told.
    deactivated = selectors.deactivated_at(centre, among=[e.candidate_id for s in sections for e in s["units"]])
    context = {"centre": centre, "person": person, "sections": sections, "deactivated": deactivated}
    status = 400 if posted_role and any(s["form"].errors for s in sections) else 200
    return render(request, "portfolio/person_handover.html", context, status=status)


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'s' if number != 1 else ''}"


def _who_was_told(handover: services_handover.Handover) -> str:
    """Everyone concerned, or all but the candidates deactivated here, whom nothing tells."""
    untold, candidates = handover.candidates_not_told, handover.candidates
    if not untold:
        return "everyone concerned has been told"
    if untold == candidates:
        whom = "the candidate" if untold == 1 else f"the {untold} candidates"
    else:
        whom = f"{untold} of the {candidates} candidates"
    return f"everyone concerned has been told except {whom}, deactivated here and so not told"


def _handed_over(handover: services_handover.Handover, *, new: object, old: Person, role: str) -> str:
    word = ROLES[role][1]
    units, waiting = len(handover.changes), len(handover.prepared)
    moved = [_count(units, "unit")] if units else []
    if waiting:
        moved.append(f"{_count(waiting, 'registration')} waiting for {'its' if waiting == 1 else 'their'} "
                     "candidate to accept")
    told = f" Each unit’s history records it, and {_who_was_told(handover)}." if units else ""
    kept = " The centre’s audit trail records each waiting registration’s change." if waiting else ""
    stay = f" {services_handover.kept_words(handover.kept, old, role)}" if handover.kept else ""
    return f"{new} is now the {word} of {' and '.join(moved)} in place of {old}.{told}{kept}{stay}"
