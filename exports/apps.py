from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """The unit PDF and the centre's bulk exports for the awarding body."""

    name = "exports"
