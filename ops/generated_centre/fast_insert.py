"""Writing many rows whose ids nothing reads back (mappings, audit events, notifications), a page of
a thousand rows to each INSERT, without Django's per-value preparation of `bulk_create`: at 10,000
candidates the generator writes millions of such rows, and preparing each value through its field
cost more than the database took to store it.

Only for plain values (text, numbers, booleans, dates, times, JSON, foreign keys already saved): the
instances are the generator's own, built with every value given, so nothing needs a default or a
field's own conversion beyond the database adapter's."""

import datetime
import enum
import json
from collections.abc import Sequence

from django.db import connection
from django.db.models import AutoField, BigAutoField, JSONField, Model

PAGE = 1000


def _columns(model: type[Model], *, ids_given: bool) -> list:
    return [f for f in model._meta.concrete_fields if ids_given or not isinstance(f, AutoField | BigAutoField)]


def _plain(value: object, is_json: bool) -> object:
    if is_json:
        return json.dumps(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.datetime) and connection.vendor == "sqlite":
        return connection.ops.adapt_datetimefield_value(value)
    return value


def related_ids_taken(objects: Sequence[Model]) -> None:
    """A related object saved after it was assigned: its id taken now."""
    if not objects:
        return
    for field in type(objects[0])._meta.concrete_fields:
        if field.is_relation:
            name = field.name
            for obj in objects:
                if getattr(obj, field.attname) is None and name in obj._state.fields_cache:
                    related = obj._state.fields_cache[name]
                    setattr(obj, field.attname, related.pk if related is not None else None)


def ids_reserved(model: type[Model], count: int) -> list[int]:
    """`count` ids for rows of `model` that must know their ids before they are written (the audit
    events, each of which names the one before it). Inside the batch's transaction: on SQLite it
    holds the only write lock, so the ids after the highest ever given are free; PostgreSQL's
    sequence hands them out."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 0), "  # noqa: S608 - the model's own table
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))", [table],
        )
        highest = cursor.fetchone()[0]
    return list(range(highest + 1, highest + 1 + count))


def insert(objects: Sequence[Model]) -> None:
    """INSERTs `objects` (all of one model), a page at a time; with the ids they hold, if they hold
    them (`ids_reserved`), or else without, their ids then not set."""
    if not objects:
        return
    model = type(objects[0])
    fields = _columns(model, ids_given=objects[0].pk is not None)
    related_ids_taken(objects)
    json_fields = [isinstance(f, JSONField) for f in fields]
    attnames = [f.attname for f in fields]
    rows = [
        tuple(_plain(getattr(obj, name), is_json) for name, is_json in zip(attnames, json_fields, strict=True))
        for obj in objects
    ]
    # The table and column names are the models' own, quoted; every value goes as a parameter.
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values  # type: ignore[import-untyped]  # no stubs installed

            execute_values(cursor.cursor, statement + "%s", rows, page_size=PAGE)
        else:
            marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
            for start in range(0, len(rows), PAGE):
                cursor.executemany(statement + marks, rows[start:start + PAGE])  # type: ignore[arg-type]  # plain values
