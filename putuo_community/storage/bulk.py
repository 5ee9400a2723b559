"""Fast bulk inserts of many new records (demo data, large imports), parents before children.

Ids are assigned here rather than by the database so children can refer to their
parents without a query per row. On SQLite the rows are bound the way SQLAlchemy
would bind them, without its per-row overhead; other databases go through Core.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnClause,
    Connection,
    LargeBinary,
    String,
    Table,
    case,
    cast,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
)

from putuo_community.domain.fields import FieldType
from putuo_community.domain.registers import REGISTERS
from putuo_community.storage.chain import sqlite_linker
from putuo_community.storage.schema import TABLES

Row = dict[str, Any]
SYSTEM_COLUMNS = frozenset({"id", "version", "created_at", "updated_at"})

# Parents come before children in REGISTERS, so flushing in that order keeps every reference valid.
WRITE_ORDER: tuple[str, ...] = tuple(key for key in REGISTERS if key != "streets")


class _SqliteRows:
    """Binds row dicts the way SQLAlchemy would on SQLite, without its per-row overhead (3–4× faster).

    The statement is the Core insert compiled for the connection's dialect, with the system columns as
    literals; values are converted as the column types would (Date → ISO text, ExactDecimal → float,
    the DateTime stamp → SQLAlchemy's text; sqlite3 stores bool as 0/1 itself). Tests compare the stored
    values with an ordinary Core insert.

    A column no row of a chunk fills is left out of the statement (it is NULL all the same): binding
    the empty columns of a register took four fifths of a large import's insert time.
    """

    def __init__(self, conn: Connection, table: Table, stamp: datetime) -> None:
        register = REGISTERS[table.name]
        self.fields = tuple(c.name for c in table.c if c.name not in SYSTEM_COLUMNS)  # the declared, and any extra
        processor = table.c.created_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        stamp_text: ColumnClause[Any] = literal_column(f"'{processor(stamp) if processor else stamp}'")
        system = {"version": literal_column("1"), "created_at": stamp_text, "updated_at": stamp_text}
        self._statement = insert(table).values(**system)
        self._dialect = conn.dialect
        self._compiled: dict[tuple[str, ...], str] = {}  # the filled columns → the statement that binds them
        self._dates = frozenset(f.key for f in register.fields if f.type is FieldType.DATE)
        self._decimals = frozenset(f.key for f in register.fields if f.type is FieldType.DECIMAL)

    def sql(self, filled: tuple[str, ...]) -> str:
        """The insert of these columns (and the id); the others take their default, NULL."""
        sql = self._compiled.get(filled)
        if sql is None:
            compiled = self._statement.compile(dialect=self._dialect, column_keys=["id", *filled])
            sql = self._compiled[filled] = str(compiled)
        return sql

    def filled(self, rows: list[Row]) -> tuple[str, ...]:
        """The columns some row has a value for, in the table's order."""
        return tuple(key for key in self.fields if any(row[key] is not None for row in rows))

    def tuples(self, rows: list[Row], filled: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """The rows' `filled` columns as parameter tuples; their dates and decimals are converted in place."""
        for key in self._dates.intersection(filled):
            for row in rows:
                value = row[key]
                if value is not None:
                    row[key] = value.isoformat()
        for key in self._decimals.intersection(filled):
            for row in rows:
                value = row[key]
                if value is not None:
                    row[key] = float(value)
        if not filled:  # itemgetter of one key gives the value itself, not a tuple of it
            return [(row["id"],) for row in rows]
        return list(map(itemgetter("id", *filled), rows))


class BulkWriter:
    """Hands out ids and inserts rows per table with executemany, in chunks, parents first.

    Ids are assigned here rather than by the database so children can refer to parents
    without a query per row. Every row must carry every column but the system ones (a history row its
    `chain_hash`, see `storage.chain`).
    """

    def __init__(self, conn: Connection, stamp: datetime, *, chunk: int = 5000, fast: bool | None = None) -> None:
        self.conn = conn
        self.chunk = chunk
        self.counts: dict[str, int] = dict.fromkeys(WRITE_ORDER, 0)
        self._buffers: dict[str, list[Row]] = {key: [] for key in WRITE_ORDER}
        self._next_id: dict[str, int] = {}
        self._stamp = stamp
        self._fast = conn.dialect.name == "sqlite" if fast is None else fast
        self._sqlite: dict[str, _SqliteRows] = {}

    def add(self, key: str, row: Row) -> int:
        """Queue a row; returns its id. The row may still be changed until the next `checkpoint`."""
        row_id = self._next_id.get(key)
        if row_id is None:  # first row for this table: set it up now, so unused tables cost nothing
            row_id = int(self.conn.scalar(select(func.max(TABLES[key].c.id))) or 0) + 1
            if self._fast:
                self._sqlite[key] = _SqliteRows(self.conn, TABLES[key], self._stamp)
        self._next_id[key] = row_id + 1
        row["id"] = row_id
        self._buffers[key].append(row)
        return row_id

    def checkpoint(self) -> None:
        """Write out the buffers once one of them is full (with every table before it, for references)."""
        last_full = -1
        for index, key in enumerate(WRITE_ORDER):
            if len(self._buffers[key]) >= self.chunk:
                last_full = index
        if last_full >= 0:
            self._flush(WRITE_ORDER[: last_full + 1])

    def flush(self) -> None:
        self._flush(WRITE_ORDER)

    def _flush(self, keys: tuple[str, ...]) -> None:
        for key in keys:
            rows = self._buffers[key]
            if rows:
                fast = self._sqlite.get(key)
                if fast is not None:
                    filled = fast.filled(rows)
                    self.conn.exec_driver_sql(fast.sql(filled), fast.tuples(rows, filled))
                else:
                    stamp = self._stamp
                    self.conn.execute(
                        insert(TABLES[key]),
                        [{**row, "version": 1, "created_at": stamp, "updated_at": stamp} for row in rows],
                    )
                self.counts[key] += len(rows)
                self._buffers[key] = []

    def advance_sequences(self) -> None:
        """PostgreSQL keeps its own id counters: move them past the ids written here."""
        if self.conn.dialect.name != "postgresql":
            return
        for key in self._next_id:
            self.conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{key}', 'id'), GREATEST((SELECT MAX(id) FROM {key}), 1))")
            )


def copy_created_to_history(
    conn: Connection,
    register_key: str,
    first_id: int,
    last_id: int,
    fixed: dict[str, Any],
    stamp: datetime,
    *,
    given: Collection[str] | None = None,
) -> int:
    """SQLite: one history row per record with ids `first_id`..`last_id`, its values as JSON, in one statement.

    The snapshot is built by SQLite's json functions from the stored row, as the Python
    path would build it from the values (no empty values, decimals at their scale, true/false),
    so a 50,000-row import spends no Python time per history row. `given`: the fields the records
    were given values for (None: any), the others being empty in every row, which no snapshot shows.
    Returns the rows written.
    """
    register = REGISTERS[register_key]
    table = TABLES[register_key]
    history = TABLES["change_history"]
    pairs: list[Any] = []
    for field in register.fields:
        if given is not None and field.key not in given:
            continue
        column: Any = table.c[field.key]
        if field.type is FieldType.BOOL:
            value: Any = case((column == 1, func.json("true")), (column == 0, func.json("false")))
        elif field.type is FieldType.DECIMAL:
            value = case((column.is_not(None), func.printf(f"%.{field.decimals}f", column)))  # printf(NULL) is 0.00
        elif field.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE):
            value = func.nullif(column, "")
        else:
            value = column
        pairs += [literal(field.key), value]
    estate = table.c.id if register.is_estate else table.c[register.estate_field]
    title = func.coalesce(func.substr(cast(table.c[register.title_field], String), 1, 200), "")
    values: dict[str, Any] = {
        **{key: literal(value, type_=history.c[key].type) for key, value in fixed.items() if key != "new_value"},
        "record_id": table.c.id,
        "record_title": title,
        "estate_id": estate,
        "new_value": func.json_patch("{}", func.json_object(*pairs)),
        "version": literal(1),
        "created_at": literal(stamp, type_=history.c.created_at.type),
        "updated_at": literal(stamp, type_=history.c.updated_at.type),
    }
    # By ascending rowid, which SQLite reads without a sort. LIMIT -1 (no limit) keeps the rows in a
    # co-routine: each snapshot is built once, and the rows reach the chain in the order their ids are given.
    rows = (
        select(*(value.label(key) for key, value in values.items()))
        .where(table.c.id.between(first_id, last_id))
        .order_by(table.c.id)
        .limit(-1)
        .subquery("created")
    )
    varying = ("record_id", "record_title", "estate_id", "new_value")
    linker = sqlite_linker(conn, {key: value for key, value in fixed.items() if key not in varying}, varying)
    # The long texts go to Python as their UTF-8 bytes: decoding 50,000 snapshots only to encode them again
    # for the hash was a tenth of a large import's history time.
    texts = {"record_title", "new_value"}
    chained = getattr(func, linker.name)(
        *(cast(rows.c[key], LargeBinary) if key in texts else rows.c[key] for key in varying)
    )
    source = select(*(rows.c[key] for key in values), chained)
    result = conn.execute(insert(history).from_select([*values, "chain_hash"], source))
    written = int(result.rowcount)
    last_hash = conn.scalar(select(history.c.chain_hash).order_by(history.c.id.desc()).limit(1))
    if written and last_hash != linker.last():  # rows chained out of order: never leave a false break behind
        raise RuntimeError(f"history chain for {register_key} {first_id}..{last_id} was built out of order")
    return written
