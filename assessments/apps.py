from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessment and quality assurance"

    def ready(self) -> None:
        from portfolio import locks

        from . import audit_sentences  # noqa: F401  (registers the sentences of its audit actions)
        from .selectors import locked_since

        locks.answer_with(locked_since)
