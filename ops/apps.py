from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the product: backups and restore, the demo centre, the generator of a large centre
    and the benchmark. The highest layer: it may use every other app; none uses it."""

    name = "ops"
