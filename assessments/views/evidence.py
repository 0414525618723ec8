"""The evidence page: the evidence itself with every round of its assessment, and for the assessor
on the case the form to judge it. It lives here because it shows both evidence and judgements."""

from django.db.models import Prefetch, Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import render

from portfolio import access, document_text, evidence_judges, held_roles, judged_by, locks, mapped_items
from portfolio.access import EvidenceRights
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment, Evidence, EvidenceState, Person
from standards.models import ScopeItem

from .. import evidence_history, fixity, scope
from ..forms.judging import JudgementForm
from ..judging_items import offered_units
from ..models import Judgement, ReferralNote
from ..services import other_assessors
from ..services.judging_round import Round
from .conversation import conversation_context
from .unit_scope import unit_scope_context


def form_to_judge(evidence: Evidence, assessor: Person, data: QueryDict | None = None) -> JudgementForm:
    """The form to judge the evidence; the scope boxes, and the boxes of the criteria and knowledge
    items it proves, start as the candidate mapped them."""
    offered = scope.scope_items_to_judge(evidence, assessor)
    return JudgementForm(
        data, scope_items=offered, offered=offered_units(evidence, assessor),
        initial={
            "scope_items": [s.pk for s in scope.as_the_candidate_mapped(evidence, offered)],
            "version": evidence.version, "submitted": Round.of(evidence).submitted,
        },
    )


def evidence_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence, rights = access.evidence_for_user(request.user, pk)
    return render_evidence_page(request, evidence, rights)


def _units_of(evidence: Evidence, viewer: Person) -> list[Enrolment]:
    """The candidate's units the evidence is mapped to that `viewer` may open, by unit code: where
    the breadcrumb leads back to."""
    mapped = (
        Q(unit_id__in=evidence.criteria.values("unit_id"))
        | Q(unit_id__in=evidence.knowledge_items.values("unit_id"))
        | Q(unit_id__in=evidence.scope_items.values("category__unit_id"))
    )
    # One query, with the mapping as subqueries, whatever the evidence is mapped to.
    return list(
        access.enrolments_visible_to(viewer)
        .filter(mapped, candidate_id=evidence.candidate_id, centre_id=evidence.centre_id)
        .order_by("unit__code")
    )


def _judgements(evidence: Evidence) -> list:
    """The evidence's judgements, oldest first, with their scope and referral notes."""
    return list(
        evidence.judgements.select_related("assessor")
        .prefetch_related(
            Prefetch("scope_items", queryset=ScopeItem.objects.select_related("category")),
            Prefetch("notes", queryset=ReferralNote.objects.select_related("criterion", "knowledge_item")),
        )
        .order_by("judged_at", "pk")
    )


def _left_to_others(request: AuthenticatedHttpRequest, evidence: Evidence, judgements: list, rights: EvidenceRights) -> dict:
    """What is left to the assessors of the other units the evidence bears on once one judged it."""
    latest, viewer = (judgements[-1] if judgements else None), request.user
    theirs = bool(latest and rights.is_assessor and latest.assessor_id != viewer.pk)
    # Judged by the assessor of another unit it bears on: what is still this assessor's to decide,
    # while that judgement stands (a referral answered by a new version is theirs to judge again).
    standing = bool(latest and theirs and other_assessors.still_stands(evidence, latest))
    # The judgement it stands accepted by (`unit_scope.acceptance`), from the judgements already read.
    accepted = latest if latest and evidence.state == EvidenceState.ACCEPTED and latest.outcome == Judgement.Outcome.ACCEPTED else None
    # Accepted after this assessor referred an earlier version: the page reminds them, as the notice does.
    referral = other_assessors.earlier_referral(judgements, accepted, viewer) if accepted and standing else None
    return {
        "left_to_you": other_assessors.units_left_to(evidence, latest.assessor, viewer) if latest and standing else [],
        "your_referral": other_assessors.referral_reminder(accepted, referral) if accepted and referral else "",
        # Once accepted, the scope of their units it covers is theirs to record (`unit_scope`).
        **(unit_scope_context(request, evidence, accepted) if theirs and accepted else {"scope_to_record": []}),
        # Accepted, bearing on another assessor's open units too: the candidate reads who decides those.
        "others_deciding": other_assessors.others_deciding(evidence, latest.assessor)
        if latest and rights.is_candidate and latest.outcome == Judgement.Outcome.ACCEPTED else [],
    }


def render_evidence_page(
    request: AuthenticatedHttpRequest, evidence: Evidence, rights: EvidenceRights,
    judgement_form: JudgementForm | None = None, status: int = 200,
) -> HttpResponse:
    files = list(evidence.files.all())
    current_files = [f for f in files if f.is_current]
    judgements = _judgements(evidence)
    waiting = evidence.state == EvidenceState.SUBMITTED
    # Bearing only on withdrawn or transferred units (`locks.bears_only_on_closed_units`): it waits for
    # nobody; the page says why, once, to everyone, read-only, with no form and no comment box.
    closed = locks.closed_refusal(evidence, to_candidate=rights.is_candidate) if not rights.is_draft else ""
    # Waiting, but its candidate is deactivated here: the page says so, read-only, with no form.
    deactivated = held_roles.deactivated_refusal(evidence) if waiting and rights.may_judge else ""
    # Mapped only to units another assessor assesses: read here, judged by them (waiting or not).
    elsewhere = rights.is_assessor and not rights.judges and not closed and not rights.is_draft
    judging_refused = deactivated or (judged_by.judged_elsewhere_words(evidence) if elsewhere else "")
    may_judge = waiting and rights.may_judge and not judging_refused and not closed
    context = {
        "evidence": evidence,
        "current_files": current_files,
        # Each shown as its kind allows (a picture, a PDF, a player, a document's text).
        "shown_files": document_text.shown_files(current_files),
        "removed_files": [f for f in files if not f.is_current],
        # Unit by unit: its criteria, then its knowledge, then its scope.
        "mapped_units": mapped_items.by_unit(evidence),
        "revisions": evidence.revisions.select_related("replaced_by"),
        "declarations": evidence.declarations.select_related("declared_by"),
        "events": evidence_history.history(evidence),
        "file_reads": evidence_history.file_reads(evidence),
        "rights": rights,
        "judgements": judgements,
        "latest_judgement": judgements[-1] if judgements else None,
        # Who judges it, named where two assessors do (the candidate was told "your assessor").
        "judges": evidence_judges.judges_of(evidence),
        **_left_to_others(request, evidence, judgements, rights),
        "may_judge": may_judge,
        "judging_refused": judging_refused,
        "closed_units": closed if waiting else "",
        # Evidence the candidate could change, at a centre where none of their units is open: no
        # Change, Map or Submit (each refused), but why, as their home says it.
        "no_open_unit": locks.no_open_unit_for(evidence)
        if rights.is_candidate and evidence.candidate_may_change and not evidence.is_assessors else "",
        # Waiting, but mapped only to signed-off units: judging it cannot change their records.
        "signed_off_only": locks.signed_off_only([evidence]).get(evidence.pk, []) if waiting else [],
        "judgement_form": (judgement_form or form_to_judge(evidence, request.user)) if may_judge else None,
        **conversation_context(request, evidence, rights, closed=closed),
        "signed_units": fixity.signed_units_resting_on(evidence),
        "units": _units_of(evidence, request.user),
        "assesses_candidate": access.assesses_candidate(request.user, evidence),
    }
    if deactivated and context["conversation_closed"]:
        # The deactivation is said once, at the top; the conversation says only what it means there.
        context["conversation_closed"] = (
            f"Nothing can be written to {evidence.candidate} while they are deactivated (as said above). "
            "The conversation so far is kept."
        )
    return render(request, "assessments/evidence_detail.html", context, status=status)
