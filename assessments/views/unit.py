from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from portfolio import audit, case_seals, spreadsheets
from portfolio import selectors as portfolio_selectors
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment

from .. import access, audit_trail, scope, selectors, unit_page, unit_panels, unit_versions
from ..after_sign_off import after_sign_off
from ..audit_actions import AssessmentAction
from ..eqa_units import eqa_marks
from ..progress import unit_progress
from ..services.signoff import unlock_refusal
from ..witness_list import witness_status_rows


def enrolment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A candidate's unit, in four tabs: the overview (where it stands, what this person does next,
    progress, the sign-off and the IQA's reviews), the criteria (the whole standard with the
    evidence and decisions beside each item), the evidence (the signed record, the unit's evidence
    with its states, the witnesses) and the audit trail in sentences. The buttons are those the
    person's rights allow."""
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    # A signed-off unit shows its signed record; what is not part of it is listed apart.
    progress = unit_progress(enrolment, viewer=request.user, sign_off=rights.sign_off)
    scope_record = scope.unit_record(enrolment, rights.sign_off)
    quality = unit_panels.quality_panel(enrolment, for_its_assessor=rights.is_assessor)
    evidence = unit_page.unit_evidence(progress)
    waiting = selectors.waiting_for_unit(enrolment) if rights.is_assessor else 0
    signoff = unit_panels.sign_off_panel(enrolment, rights.sign_off)  # first: it marks a broken seal for the state
    state = selectors.unit_states([enrolment])[enrolment.pk]
    return render(
        request,
        "assessments/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "case_changed": "" if case_seals.vouched([enrolment]) else case_seals.what_changed(enrolment),
            "who_puts_it_back": case_seals.who_puts_it_back(),
            "deactivated": portfolio_selectors.deactivated_at(
                enrolment.centre, among=[enrolment.candidate_id, enrolment.assessor_id, enrolment.iqa_id]
            ),
            "rights": rights,
            "tabs": unit_page.TABS,
            "progress": progress,
            "structure": progress.structure,
            "scope": scope_record,
            "missing_scope": scope.without_evidence(scope_record, progress.counted("scope")),
            "signoff": signoff,
            "unlock_refused": unlock_refusal(enrolment, rights.sign_off) if rights.may_unlock else "",
            "record": progress.record,
            "after_sign_off": after_sign_off(progress.record, progress.structure, viewer=request.user) if progress.record else None,
            "state": state,
            "closure": portfolio_selectors.closure_of(enrolment),
            "eqa_marks": eqa_marks([enrolment.pk], viewer=request.user).get(enrolment.pk, []),
            "completed_at": state.completed_at,
            "next": unit_page.next_steps(
                rights, progress, evidence,
                waiting=waiting, referrals=len(quality.open_referrals),
                in_sample=quality.in_sample and quality.agreed_unchanged is None,
                last_review=quality.reviews[0] if quality.reviews else None,
                sign_offs_changed=bool(signoff.sign_offs_changed),
                record_changed=state.changed or bool(signoff.report and not signoff.report.intact),
            ),
            "unit_evidence": evidence,
            "newer_versions": unit_versions.newer_versions(enrolment) if rights.may_move_version else [],
            "quality": quality,
            "witness": unit_panels.witness_panel(enrolment),
            "witness_status": witness_status_rows(Enrolment.objects.filter(pk=enrolment.pk)),
            "audit_trail": unit_panels.audit_trail_panel(enrolment, viewer=request.user, sign_off=rights.sign_off),
        },
    )


@require_safe
def audit_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every event of the unit's audit trail as CSV, oldest first, for everyone on the case, each
    saying where it stands against the signed record (`against_the_record`): the trail is the
    history, so nothing after the sign-off is left out, but nothing is mistaken for the record. The
    download is itself recorded (after the rows are written, so it is in the next one)."""
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    name = slugify(f"{enrolment.candidate.get_full_name()} {enrolment.unit.code} audit trail") + ".csv"
    response = spreadsheets.download(name)
    audit_trail.write_csv(enrolment, response, viewer=request.user, sign_off=rights.sign_off)
    audit.record(
        AssessmentAction.AUDIT_TRAIL_EXPORTED,
        actor=request.user,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=f"{enrolment.unit.code} audit trail of {enrolment.candidate} downloaded as CSV",
    )
    return response
