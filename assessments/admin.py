"""The Django admin, for support staff. Records here are read-only: every change to an assessment
goes through the services, which check the rules and write the audit trail."""

from django.contrib import admin

from portfolio.admin import ReadOnlyAdmin

from .models import (
    CitationAddition,
    Decision,
    EvidenceComment,
    FixityCheck,
    Judgement,
    QualityReview,
    ReferralNote,
    ScopeNotApplicable,
    SignOff,
    TestimonyRequest,
    Witness,
)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "criterion", "knowledge_item", "decided_by", "decided_at", "withdrawn_at"]
    list_filter = ["enrolment__unit"]


@admin.register(CitationAddition)
class CitationAdditionAdmin(ReadOnlyAdmin):
    list_display = ["decision", "evidence", "added_by", "added_at"]


@admin.register(Judgement)
class JudgementAdmin(ReadOnlyAdmin):
    list_display = ["evidence", "outcome", "assessor", "judged_at"]
    list_filter = ["outcome"]


@admin.register(ReferralNote)
class ReferralNoteAdmin(ReadOnlyAdmin):
    list_display = ["judgement", "criterion", "knowledge_item"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "assessor", "assessor_signed_at", "candidate_signed_at", "voided_at"]


@admin.register(ScopeNotApplicable)
class ScopeNotApplicableAdmin(ReadOnlyAdmin):
    list_display = ["sign_off", "category", "reason"]


@admin.register(FixityCheck)
class FixityCheckAdmin(ReadOnlyAdmin):
    list_display = ["sign_off", "checked_at", "boundary", "intact", "files_checked", "requested_by"]
    list_filter = ["boundary", "intact"]


@admin.register(QualityReview)
class QualityReviewAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "iqa", "stage", "outcome", "sampled_at", "reviewed_at"]
    list_filter = ["stage", "outcome"]


@admin.register(Witness)
class WitnessAdmin(ReadOnlyAdmin):
    list_display = ["name", "job_role", "relationship", "candidate"]


@admin.register(TestimonyRequest)
class TestimonyRequestAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "witness_name", "requested_at", "expires_at", "used_at"]
    exclude = ["token_digest"]


@admin.register(EvidenceComment)
class EvidenceCommentAdmin(ReadOnlyAdmin):
    """A comment is never changed or deleted once sent, by support staff neither."""

    list_display = ["evidence", "author", "sent_at"]
