"""Moving the test database to a migration and back, for the tests of data migrations: they build
rows as an older schema had them, migrate forward, and read what the migration made of them."""

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest() -> list[tuple[str, str]]:
    """The newest migration of every app: where a test returns the database when it is done."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate_to(targets: list[tuple[str, str]]) -> Apps:
    """Migrates to `targets` and gives the models as they stood there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
