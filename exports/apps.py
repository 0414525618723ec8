from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """The unit PDF, the centre's bulk exports for the awarding body and the EQA's visit pack."""

    name = "exports"

    def ready(self) -> None:
        from . import audit_sentences  # noqa: F401  (registers the sentences of its audit actions)
        from .pack_contents import register_today
        from .pack_quality_records import register_quality_records
        from .zip_sealing import connect as seal_units_set

        seal_units_set()  # an export's or pack's units set through the portfolio are sealed with it (`zip_sealing`)

        register_today()  # the visit pack's sections these records fill (exports/pack_sections.py)
        register_quality_records()  # and those of the centre's quality-assurance records
