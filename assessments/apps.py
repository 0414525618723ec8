from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessment and quality assurance"

    def ready(self) -> None:
        from portfolio import (
            last_decision,
            locks,
            notification_targets,
            referrals,
            signed_files,
            unit_standing,
            work_done,
        )

        from . import audit_sentences  # noqa: F401  (registers the sentences of its audit actions)
        from .access_eqa import eqa_reports_visible_to
        from .decision_dates import last_decision_at
        from .fixity import changes_since_signed
        from .selectors import countersigned_by_iqa, latest_referral, locked_since, unit_states

        locks.answer_with(locked_since)
        work_done.answer_with(countersigned_by_iqa)
        signed_files.answer_with(changes_since_signed)
        referrals.answer_with(latest_referral)
        last_decision.answer_with(last_decision_at)
        unit_standing.answer_with(lambda enrolment: unit_states([enrolment])[enrolment.pk])
        # An EQA report a notification leads to, asked as its page asks (without recording a visit).
        notification_targets.register(
            "assessments:eqa_report_detail",
            lambda person, kwargs: eqa_reports_visible_to(person).filter(pk=kwargs["pk"]).exists(),
        )
