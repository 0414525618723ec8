from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolios"

    def ready(self) -> None:
        from standards import permissions

        from . import audit_sentences, signals  # noqa: F401  (the trail's sentences; the audit event log line)
        from .selectors import granted_unit_import

        permissions.answer_with(granted_unit_import)
