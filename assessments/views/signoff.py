"""Signing a unit off (the assessor), countersigning it (the candidate), unlocking it (the assessor
or the IQA, with a reason)."""

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from portfolio import held_roles
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment
from standards.selectors import unit_structure

from .. import access, fixity, integrity, scope
from ..claims import unit_claim
from ..forms.signoff import (
    CountersignForm,
    SignatureDeclarationForm,
    SignOffForm,
    UnlockForm,
    reason_field_name,
)
from ..models import ScopeNotApplicable
from ..progress import missing_items
from ..services import signoff as services
from ..services.decisions import require_sign_offs_as_sealed, standing_sign_off
from ..services.fixity_checks import files_check_request
from ..services.seen_signing import decisions_token
from ..signed_record import signed_record


def _done(request: HttpRequest, enrolment: Enrolment, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("assessments:enrolment_detail", pk=enrolment.pk)


def _again(form: SignatureDeclarationForm, name: str, value: str) -> QueryDict:
    """A refused signature's form data, bound to what the page shows now and to be declared afresh."""
    data = cast(QueryDict, form.data).copy()
    data[name] = value
    data.pop("declared", None)
    return data


def _earlier_reasons(enrolment: Enrolment) -> dict[str, str]:
    """The reasons given at the last sign-off, now voided, to start from when signing again."""
    earlier = ScopeNotApplicable.objects.filter(
        sign_off__enrolment=enrolment, sign_off__voided_at__isnull=False
    ).order_by("sign_off__assessor_signed_at", "pk")
    return {reason_field_name(r.category): r.reason for r in earlier.select_related("category")}


def _sign_offs_not_as_made(enrolment: Enrolment) -> str:
    try:
        require_sign_offs_as_sealed(enrolment, "the unit cannot be signed off again")
    except PortfolioError as refusal:
        return str(refusal)
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def sign_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_assessor()
    record = scope.open_record(enrolment)
    # While the candidate is deactivated the page says so, and a posted form is answered the same way.
    # And while a sign-off of it is missing from the database (`sign_off_seals`): signing again would hide it.
    refused = held_roles.deactivated_refusal(enrolment) or _sign_offs_not_as_made(enrolment)
    decisions = integrity.standing_decisions(enrolment)
    form = SignOffForm(
        request.POST if request.method == "POST" and not refused else None, uncovered=[row.category for row in record.not_covered],
        candidate_name=enrolment.candidate.get_full_name(),
        initial={**_earlier_reasons(enrolment), "decisions": decisions_token(decisions)},
    )
    error = ""
    if request.method == "POST" and not refused and form.is_valid():
        try:
            services.unit_sign_off(
                enrolment=enrolment, assessor=request.user, declared=True, not_applicable=form.not_applicable,
                seen_decisions=form.cleaned_data["decisions"],
            )
        except PortfolioError as problem:
            error = str(problem)
            decisions = integrity.standing_decisions(enrolment)
            # The page lists the decisions standing now: the form sent again speaks of them, declared afresh.
            form.data = _again(form, "decisions", decisions_token(decisions))
        else:
            return _done(request, enrolment, f"{enrolment.unit.code} is signed off and locked. "
                         f"{enrolment.candidate.get_full_name()} is asked to countersign it.")
    standing = standing_sign_off(enrolment)
    return render(
        request,
        "assessments/signoff_form.html",
        {
            "enrolment": enrolment,
            "form": form,
            "error": error,
            "standing": standing,
            "report": fixity.page_report(standing) if standing else None,
            "missing": missing_items(enrolment, decisions),
            "decisions": integrity.decisions_part(decisions),
            "evidence_items": integrity.cited_evidence(decisions, also=record.evidence),
            "scope": record,
            "refused": refused,
        },
        status=(403 if refused else 400) if request.method == "POST" else 200,
    )




@require_http_methods(["GET", "HEAD", "POST"])
def countersign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_candidate()
    standing = standing_sign_off(enrolment)
    form = CountersignForm(
        request.POST if request.method == "POST" else None, initial={"sign_off": standing.pk if standing else None}
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_countersign(
                enrolment=enrolment, candidate=request.user, declared=True, seen_sign_off_id=form.cleaned_data["sign_off"]
            )
        except PortfolioError as problem:
            error = str(problem)
        else:
            return _done(request, enrolment, f"You countersigned {enrolment.unit.code}.")
        standing = standing_sign_off(enrolment)
        # The page shows the sign-off standing now: the form sent again speaks of it, declared afresh.
        form.data = _again(form, "sign_off", str(standing.pk) if standing else "")
    structure = unit_structure(enrolment.unit)
    return render(
        request,
        "assessments/countersign.html",
        {
            "enrolment": enrolment,
            "form": form,
            "error": error,
            "sign_off": standing,
            "report": fixity.page_report(standing) if standing else None,
            # What was signed, read from the manifest, with each evidence item's title and each item's words.
            "record": signed_record(enrolment, standing, structure) if standing else None,
            "item_words": {c.reference: c.text for c in structure.criteria}
            | {k.reference: k.text for k in structure.knowledge_items},
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def unlock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_unlocker()
    # While refused, the page says why at once, and a posted reason (a page left open, a forged
    # request) is answered the same way: no form to fill in again.
    refused = services.unlock_refusal(enrolment)
    form = UnlockForm(request.POST if request.method == "POST" and not refused else None)
    error = refused
    if request.method == "POST" and not refused and form.is_valid():
        try:
            services.unit_unlock(enrolment=enrolment, person=request.user, reason=form.cleaned_data["reason"])
        except PortfolioError as problem:
            error = str(problem)
        else:
            return _done(request, enrolment, f"{enrolment.unit.code} is unlocked; its sign-off is void and kept in the record.")
    return render(
        request,
        "assessments/unlock.html",
        {"enrolment": enrolment, "form": form, "error": error, "refused": refused, "sign_off": standing_sign_off(enrolment),
         "claim": unit_claim(enrolment)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def check_files(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Queues a check of the signed files now (the assessor, the IQA or a centre administrator),
    rather than waiting for the next scheduled one; the unit page shows the result when it is done."""
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_file_checker()
    try:
        sign_off = files_check_request(enrolment=enrolment, person=request.user)
    except PortfolioError as problem:
        messages.error(request, str(problem))
    else:
        files = len((sign_off.manifest or {}).get("files") or [])
        messages.success(
            request,
            f"A check of the {files} signed file{'s' if files != 1 else ''} of {enrolment.unit.code} is queued: each is "
            "read from storage and compared with what was signed. The result shows in the sign-off section, with its "
            "time, when it is done: reload the page in a minute or two.",
        )
    return redirect(reverse("assessments:enrolment_detail", args=[enrolment.pk]) + "#signoff-heading")
