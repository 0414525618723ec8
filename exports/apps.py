from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """The unit PDF and the centre's bulk exports for the awarding body."""

    name = "exports"

    def ready(self) -> None:
        from . import audit_sentences  # noqa: F401  (registers the sentences of its audit actions)
