"""Recording, on the evidence page, which of a unit's scope items holistic evidence covers, once the
assessor of another unit it bears on has accepted it (`services/unit_scope.py`). Posted, then back
to the page: a refusal comes back with the boxes as they were ticked and why, kept for the next page
in the session, so a refresh never records it twice; a refusal with no form of the unit left on the
page to show it beside (an outside trial: it came back with no word) is the page's error message."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment, Evidence

from .. import access, scope
from ..forms.unit_scope import UnitScopeForm
from ..models import Judgement
from ..services import unit_scope

# A refused record's boxes and the reason, for the evidence page the assessor is sent back to.
REFUSED = "assessments.unit_scope_refused"


@dataclass
class ScopeToRecord:
    """One unit's form on the evidence page, with where its record stands."""

    recorded: unit_scope.Recorded
    form: UnitScopeForm
    error: str = ""

    @property
    def enrolment(self) -> Enrolment:
        return self.recorded.enrolment

    @property
    def summary_id(self) -> str:
        return f"{_prefix(self.enrolment)}-errors"

    @property
    def first_box(self) -> str:
        """Where the error summary's link goes: the first scope box."""
        return f"{self.form['scope_items'].auto_id}_0"

    @property
    def counted(self) -> list:
        """The unit's items that count now, in the standard's order."""
        return [
            choice.item
            for group in self.form.scope_groups
            for choice in group.choices
            if choice.item.pk in self.recorded.counted
        ]


def _prefix(enrolment: Enrolment) -> str:
    return f"scope-{enrolment.pk}"


def unit_scope_context(request: AuthenticatedHttpRequest, evidence: Evidence, accepted: Judgement) -> dict:
    """The forms the evidence page shows the assessor of another unit the evidence bears on, once
    `accepted` (the judgement it stands accepted by, read by the page) accepted it."""
    refused = request.session.pop(REFUSED, None) or {}
    rows = []
    for enrolment in unit_scope.units_to_record(evidence, request.user, accepted):
        recorded = unit_scope.recorded(evidence, enrolment, accepted)
        again = (
            refused
            if refused.get("evidence") == evidence.pk and refused.get("enrolment") == enrolment.pk
            else {}
        )
        form = UnitScopeForm(
            scope_items=scope.unit_scope_items(enrolment.unit),
            prefix=_prefix(enrolment),
            initial={"scope_items": again.get("ticked", sorted(recorded.ticked))},
        )
        rows.append(ScopeToRecord(recorded, form, again.get("error", "")))
    return {"scope_to_record": rows}


@require_POST
def evidence_scope(request: AuthenticatedHttpRequest, pk: int, enrolment: int) -> HttpResponse:
    evidence, unit = access.unit_scope_for_user(request.user, pk, enrolment)
    form = UnitScopeForm(request.POST, scope_items=scope.unit_scope_items(unit.unit), prefix=_prefix(unit))
    page = reverse("assessments:evidence_detail", args=[evidence.pk]) + f"#{_prefix(unit)}"
    ticked = [int(v) for v in request.POST.getlist(form.add_prefix("scope_items")) if v.isdigit()]
    try:
        if not form.is_valid():
            raise PortfolioError(
                " ".join(str(e) for e in form.errors.get("scope_items") or [])
                or "Tick only scope items of this unit."
            )
        unit_scope.scope_record(
            evidence=evidence,
            enrolment=unit,
            assessor=request.user,
            scope_items=form.cleaned_data["scope_items"],
        )
    except PortfolioError as error:
        if unit not in unit_scope.units_to_record(evidence, request.user):
            # No form of this unit on the page to show it beside (the evidence is no longer accepted,
            # not mapped to the unit, or the unit signed off since the page was read): said at the top.
            messages.error(request, f"{error} Nothing was recorded.")
            return redirect(page)
        request.session[REFUSED] = {
            "evidence": evidence.pk,
            "enrolment": unit.pk,
            "ticked": ticked,
            "error": str(error),
        }
        return redirect(page)
    messages.success(request, f"Recorded which of {unit.unit.code}’s scope {evidence.reference} covers.")
    return redirect(page)
