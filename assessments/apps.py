from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessment and quality assurance"

    def ready(self) -> None:
        from portfolio import locks

        from .selectors import locked_since

        locks.answer_with(locked_since)
