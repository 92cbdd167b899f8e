"""Fast raw inserts for the benchmark's five-year history: millions of rows in seconds.

``bulk_create`` builds a model instance per row and, on SQLite, sends at most a few hundred rows
a statement; two million attendance marks would take many minutes. Here rows are plain tuples
with their primary keys chosen up front (so later tables can point at them without reading
anything back), written with COPY on PostgreSQL and ``executemany`` on SQLite; the sequences
are reset afterwards so that the services' own inserts carry on after them.

Values are passed through the backend's adapters once per distinct value by the caller (see
:class:`Adapt`), never per row: an attendance mark shares its timestamp with its session.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import islice

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

BATCH = 20_000


class Adapt:
    """The current backend's form of a value, as the database column expects it."""

    @staticmethod
    def when(value: dt.datetime) -> object:
        return connection.ops.adapt_datetimefield_value(value)

    @staticmethod
    def day(value: dt.date) -> object:
        return connection.ops.adapt_datefield_value(value)

    @staticmethod
    def time(value: dt.time) -> object:
        return connection.ops.adapt_timefield_value(value)

    @staticmethod
    def money(value: Decimal) -> object:
        return connection.ops.adapt_decimalfield_value(value, 10, 2)

    @staticmethod
    def json(value: object) -> str:
        return json.dumps(value)


def next_id(model: type[Model]) -> int:
    """The first free primary key of ``model``'s table."""
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write ``rows`` (tuples in the order of ``columns``) into ``table``; returns how many.
    ``rows`` must not query the database while it is iterated: on PostgreSQL the connection
    is busy with the COPY until the last row, and a query would wait for ever."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    quoted = connection.ops.quote_name(table)
    written = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        marks = ", ".join(["%s"] * len(columns))
        statement = f"INSERT INTO {quoted} ({names}) VALUES ({marks})"
        while batch := list(islice(rows, BATCH)):
            cursor.executemany(statement, batch)
            written += len(batch)
    return written


class Table:
    """Rows of ``model`` given as tuples of ``fields`` (attribute names, e.g. ``run_id``); every
    other column takes the model's default (``auto_now`` fields: now), computed once."""

    def __init__(self, model: type[Model], fields: Sequence[str]) -> None:
        self.model = model
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        self.given = [by_attname[name] for name in fields]
        # A key not given is left to the database (a many-to-many table's own id).
        rest = [
            field
            for name, field in by_attname.items()
            if name not in fields and not field.primary_key
        ]
        blank = model()
        self.columns = [field.column for field in [*self.given, *rest]]
        self.defaults = tuple(
            field.get_db_prep_save(field.pre_save(blank, add=True), connection) for field in rest
        )

    def write(self, rows: Iterable[Sequence[object]], *, prepared: bool = False) -> int:
        """Insert ``rows``; unless ``prepared``, each value goes through its field's adapter
        (fine for thousands of rows; for millions the caller adapts distinct values once)."""
        defaults, given = self.defaults, self.given
        if prepared:
            full = (tuple(row) + defaults for row in rows)
        else:
            full = (
                tuple(
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(given, row, strict=True)
                )
                + defaults
                for row in rows
            )
        return insert(self.model._meta.db_table, self.columns, full)


def reset_sequences(*models: type[Model]) -> None:
    """After rows were written with chosen keys, make the next insert take the next key."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyse(*models: type[Model]) -> None:
    """Refresh the planner's statistics of tables just filled: until autovacuum gets to them,
    PostgreSQL plans as if they were still nearly empty (nested loops over millions of rows),
    which no centre's database, grown over five years, would do."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
