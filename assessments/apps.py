from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessment and quality assurance"

    def ready(self) -> None:
        from portfolio import locks, referrals

        from .selectors import latest_referral, locked_since

        locks.answer_with(locked_since)
        referrals.answer_with(latest_referral)
