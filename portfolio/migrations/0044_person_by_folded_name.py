"""On PostgreSQL, an index on the key people are listed by (`portfolio.name_order.by_name`: names
without regard to case or accents), so that a page of a large centre's people reads its first rows
from the index instead of sorting every person (10,000 people: the sort cost about 30 ms a page).

PostgreSQL only: SQLite computes the key with a Python function registered on each connection,
which an index would need on every connection that writes people (the sqlite3 shell too), and its
centres are small. Not in `Person.Meta.indexes` for the same reason. The index is the very
expression `name_order.Folded` compiles to, which the planner must match: a change to that
expression needs a migration that builds this index again."""

from django.db import migrations

NAME = "person_by_folded_name"


def _index():
    from django.db import models

    from portfolio.name_order import Folded

    return models.Index(Folded("last_name"), Folded("first_name"), "email", "id", name=NAME)


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("portfolio", "Person"), _index())


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("portfolio", "Person"), _index())


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0043_deactivation_reason")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
