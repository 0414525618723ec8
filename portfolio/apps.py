from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolios"

    def ready(self) -> None:
        from standards import permissions

        # The trail's sentences; the audit event log line; marking an EQA's session at sign-in.
        from . import audit_sentences, audit_sentences_centre, eqa_middleware, signals  # noqa: F401
        from .selectors import granted_unit_import

        permissions.answer_with(granted_unit_import)
