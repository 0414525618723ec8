"""The evidence page: the evidence itself with every round of its assessment, and for the assessor
on the case the form to judge it. It lives here because it shows both evidence and judgements."""

from django.http import HttpResponse
from django.shortcuts import render

from portfolio import access
from portfolio.access import EvidenceRights
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import AuditEvent, Evidence, EvidenceState

from .. import fixity
from ..forms.judging import JudgementForm


def evidence_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence, rights = access.evidence_for_user(request.user, pk)
    return render_evidence_page(request, evidence, rights)


def render_evidence_page(
    request: AuthenticatedHttpRequest,
    evidence: Evidence,
    rights: EvidenceRights,
    judgement_form: JudgementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    files = list(evidence.files.all())
    judgements = list(evidence.judgements.select_related("assessor").order_by("judged_at", "pk"))
    may_judge = evidence.state == EvidenceState.SUBMITTED and rights.may_judge
    context = {
        "evidence": evidence,
        "current_files": [f for f in files if f.is_current],
        "removed_files": [f for f in files if not f.is_current],
        "criteria": evidence.criteria.select_related("unit").prefetch_related("points").order_by("unit__code", "position"),
        "knowledge_items": evidence.knowledge_items.select_related("unit").prefetch_related("points")
        .order_by("unit__code", "position"),
        "scope_items": evidence.scope_items.select_related("category__unit").order_by("reference"),
        "revisions": evidence.revisions.select_related("replaced_by"),
        "declarations": evidence.declarations.select_related("declared_by"),
        "events": AuditEvent.objects.filter(evidence_id=evidence.pk).select_related("actor")[:50],
        "rights": rights,
        "judgements": judgements,
        "latest_judgement": judgements[-1] if judgements else None,
        "may_judge": may_judge,
        "judgement_form": (judgement_form or JudgementForm()) if may_judge else None,
        "signed_units": fixity.signed_units_resting_on(evidence),
    }
    return render(request, "assessments/evidence_detail.html", context, status=status)
