from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolios"

    def ready(self) -> None:
        from . import audit_sentences, signals  # noqa: F401  (the trail's sentences; the audit event log line)
