from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolios"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from standards import permissions

        # The trail's sentences; the audit event log line; marking an EQA's session at sign-in.
        from . import audit_sentences, audit_sentences_centre, eqa_middleware, name_order, signals  # noqa: F401
        from .grant_sealing import connect as seal_grants_scope_changes
        from .qualification_models import REGISTRATION, QualificationRegistration
        from .selectors import granted_unit_import

        permissions.answer_with(granted_unit_import)
        # A grant's scope changed through the portfolio is re-sealed (`grant_sealing`).
        seal_grants_scope_changes()
        REGISTRATION.connect(QualificationRegistration)
        # Lists of people are ordered by a folding of names SQLite has no function for (`name_order`).
        connection_created.connect(name_order.register_on_sqlite)
