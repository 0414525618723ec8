from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessment and quality assurance"

    def ready(self) -> None:
        from portfolio import last_decision, locks, referrals, signed_files, unit_standing, work_done

        from . import audit_sentences  # noqa: F401  (registers the sentences of its audit actions)
        from .decision_dates import last_decision_at
        from .fixity import changes_since_signed
        from .selectors import countersigned_by_iqa, latest_referral, locked_since, unit_states

        locks.answer_with(locked_since)
        work_done.answer_with(countersigned_by_iqa)
        signed_files.answer_with(changes_since_signed)
        referrals.answer_with(latest_referral)
        last_decision.answer_with(last_decision_at)
        unit_standing.answer_with(lambda enrolment: unit_states([enrolment])[enrolment.pk])
