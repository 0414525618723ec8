from django.urls import path

from .views import (
    candidates,
    centre,
    claims,
    claims_all,
    competence,
    conversation,
    decisions,
    eqa,
    eqa_reports,
    evidence,
    iqa,
    judging,
    qualifications,
    quality_records,
    sampling_plan,
    signoff,
    unit,
    unit_scope,
    versions,
    witness,
    witness_status,
)

app_name = "assessments"
urlpatterns = [
    # The candidate's unit, as everyone on the case sees it.
    path("units/<int:pk>/", unit.enrolment_detail, name="enrolment_detail"),
    path("units/<int:pk>/audit.csv", unit.audit_export, name="audit_export"),
    # The centre's people and where each unit stands, for its administrators.
    path("centres/<int:centre_id>/", centre.centre_detail, name="centre_detail"),
    # Every portfolio of a centre, read-only, for its external quality assurers and administrators.
    path("centres/<int:centre_id>/portfolios/", centre.centre_portfolios, name="centre_portfolios"),
    # A candidate's qualification and its progress, for everyone on the case.
    path("qualifications/<int:pk>/", qualifications.registration_detail, name="registration_detail"),
    # Certification claims, for the centre's administrators.
    path("centres/<int:centre_id>/claims/", claims.claim_list, name="claim_list"),
    path("centres/<int:centre_id>/claims.csv", claims.claims_download, name="claims_download"),
    path("centres/<int:centre_id>/claims/all/", claims_all.claims_mark_all, name="claims_mark_all"),
    # A piece of evidence with its judgements, for everyone on the case.
    path("evidence/<int:pk>/", evidence.evidence_detail, name="evidence_detail"),
    # The conversation about it between the candidate and their assessor (read with the evidence).
    path("evidence/<int:pk>/comments/", conversation.evidence_comment, name="evidence_comment"),
    # The scope of one of the candidate's units that holistic evidence covers, recorded by that unit's
    # assessor once the assessor of another unit has accepted it.
    path("evidence/<int:pk>/scope/<int:enrolment>/", unit_scope.evidence_scope, name="evidence_scope"),
    # Judging evidence (the assessor).
    path("assess/", judging.queue, name="queue"),
    path("assess/candidates/", candidates.candidate_units, name="candidate_units"),
    path("evidence/<int:pk>/judge/", judging.judge, name="judge"),
    path("units/<int:pk>/observation/new/", judging.assessor_evidence_create, name="assessor_evidence_create"),
    # Decisions on criteria and knowledge items.
    path("units/<int:pk>/decisions/", decisions.decision_page, name="decisions"),
    path("units/<int:pk>/decisions/record/", decisions.decision_record, name="decision_record"),
    path("decisions/<int:pk>/withdraw/", decisions.decision_withdraw, name="decision_withdraw"),
    # Sign-off, countersignature and unlocking.
    path("units/<int:pk>/sign-off/", signoff.sign_off, name="sign_off"),
    path("units/<int:pk>/countersign/", signoff.countersign, name="countersign"),
    path("units/<int:pk>/unlock/", signoff.unlock, name="unlock"),
    # Moving the candidate to another version of the unit (a centre administrator).
    path("units/<int:pk>/version/", versions.move_version, name="move_version"),
    # Reading the signed files now, on the worker, instead of at the next scheduled check.
    path("units/<int:pk>/check-files/", signoff.check_files, name="check_files"),
    # Witness testimony: requested by the candidate or assessor, given through a single-use link.
    path("units/<int:pk>/testimony/new/", witness.testimony_request_create, name="testimony_request"),
    path("witness/<str:token>/", witness.testimony_give, name="testimony_give"),
    # The witness status list (RF03): a witness who testified before it was asked confirms their status.
    path("units/<int:pk>/witnesses/<int:witness_id>/ask/", witness_status.witness_status_ask, name="witness_status_ask"),
    path("witness-status/<str:token>/", witness_status.witness_status_confirm, name="witness_status_confirm"),
    path("centres/<int:centre_id>/witnesses/", quality_records.centre_witnesses, name="centre_witnesses"),
    # Standardisation meetings, recorded by the centre's IQAs and administrators.
    path("centres/<int:centre_id>/standardisation/", quality_records.standardisation_list, name="standardisation_list"),
    path("centres/<int:centre_id>/standardisation/new/", quality_records.standardisation_create,
         name="standardisation_create"),
    path("standardisation/<int:pk>/", quality_records.standardisation_detail, name="standardisation_detail"),
    # Occupational competence and CPD: each assessor's and IQA's own, read by the IQAs, administrators and EQAs.
    path("centres/<int:centre_id>/competence/", competence.competence_overview_page, name="competence_overview"),
    path("centres/<int:centre_id>/competence/<int:person_id>/", competence.competence_person, name="competence_person"),
    path("centres/<int:centre_id>/competence/qualifications/new/", competence.held_qualification_add,
         name="held_qualification_add"),
    path("centres/<int:centre_id>/competence/experience/new/", competence.experience_add, name="experience_add"),
    path("centres/<int:centre_id>/competence/cpd/new/", competence.cpd_add, name="cpd_add"),
    path("competence-files/<int:pk>/", competence.competence_file, name="competence_file"),
    # Internal quality assurance.
    path("quality/", iqa.sample_page, name="iqa_sample"),
    path("units/<int:pk>/review/", iqa.review, name="iqa_review"),
    path("reviews/<int:pk>/actions-done/", iqa.actions_done, name="iqa_actions_done"),
    # The IQAs' sampling plans: each IQA's own, read by the centre's administrators and EQAs.
    path("centres/<int:centre_id>/iqa-plans/", sampling_plan.plan_list, name="sampling_plan_list"),
    path("centres/<int:centre_id>/iqa-plans/<int:iqa_id>/", sampling_plan.plan_detail, name="sampling_plan"),
    path("centres/<int:centre_id>/iqa-plans/<int:iqa_id>/edit/", sampling_plan.plan_edit, name="sampling_plan_edit"),
    # External quality assurance: the EQA's units, samples and reports (theirs to write), and the
    # centre's answers to a report's actions.
    path("eqa/", eqa.units_page, name="eqa_units"),
    path("eqa/samples/new/", eqa.sample_create, name="eqa_sample_create"),
    path("eqa/samples/<int:pk>/", eqa.sample_detail, name="eqa_sample_detail"),
    path("eqa/samples/<int:pk>/change/", eqa.sample_edit, name="eqa_sample_edit"),
    path("eqa/samples/<int:pk>/delete/", eqa.sample_delete, name="eqa_sample_delete"),
    path("eqa/centres/<int:centre_id>/reports/new/", eqa_reports.report_create, name="eqa_report_create"),
    path("eqa/reports/<int:pk>/", eqa_reports.report_detail, name="eqa_report_detail"),
    path("eqa/reports/<int:pk>/change/", eqa_reports.report_edit, name="eqa_report_edit"),
    path("eqa/reports/<int:pk>/send/", eqa_reports.report_submit, name="eqa_report_submit"),
    path("eqa/actions/<int:pk>/answer/", eqa_reports.action_answer, name="eqa_action_answer"),
    path("eqa/actions/<int:pk>/review/", eqa_reports.action_review, name="eqa_action_review"),
]
