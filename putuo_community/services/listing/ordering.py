"""Ordering a list in SQL: referred titles joined as needed, texts ranked once by the Chinese collator."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, func, select
from sqlalchemy.schema import CreateTable

from putuo_community.domain.credit import (
    WarningLevel,
)
from putuo_community.domain.fields import Register
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.registers.votes import Verdict
from putuo_community.services.listing.model import COMMITTEE_STATES, Assessment, TextKey
from putuo_community.storage.schema import TABLES


class _Joins:
    """The referred titles an id query needs, joined as it asks for them (or taken from a searching query)."""

    def __init__(self, register: Register, table: Any, query: Any | None) -> None:
        self.register = register
        self.table = table
        self.query = query
        self.joined: Any = table
        self._aliases: dict[str, Any] = {}

    def title(self, key: str) -> Any:
        if self.query is not None:
            return self.query.selected_columns[f"{key}__title"].element
        target = REGISTERS[self.register.field(key).ref]
        alias = self._aliases.get(key)
        if alias is None:
            alias = self._aliases[key] = TABLES[target.key].alias(f"ref_{key}")
            self.joined = self.joined.outerjoin(alias, alias.c.id == self.table.c[key])
        return alias.c[target.title_field]


# Computed columns that sort on a stored column: (register, key) → (column, runs against the order).
_SQL_SORTS: dict[tuple[str, str], tuple[str, bool] | None] = {
    ("lifts", "age_years"): ("first_use_on", True),  # older first use, greater age
    ("lifts", "assessment"): ("first_use_on", False),  # the due date is first use + 15 years
    ("lifts", "monitoring"): ("remote_monitoring", False),
    ("committee_terms", "days_to_end"): ("end_on", False),
    ("committee_terms", "street"): ("estate.street_id", False),  # 街镇 in their official order
    ("lift_projects", "street"): ("estate.street_id", False),
}


def _native(value: Any) -> Any:
    """A computed value as a sort key: levels by rank, term states by their place, lift assessments by date."""
    if isinstance(value, WarningLevel):
        return value.rank
    if isinstance(value, Assessment):
        return value.due_on
    if isinstance(value, str) and value in COMMITTEE_STATES:
        return COMMITTEE_STATES.index(value)
    if isinstance(value, Verdict):  # a vote's verdict sorts by its text: 通过 apart from 未通过
        return value.text
    return value


def _sorted_ids(rows: Iterable[Sequence[Any]], *, descending: bool, text_key: TextKey | None) -> list[int]:
    """Row ids by their sort value (row[1]), then by the default order (row[2:]); blanks last either way.

    Text sorts by each distinct value's place in collation order, so rows compare integers.
    """
    filled: list[Sequence[Any]] = []
    blank: list[Sequence[Any]] = []
    for row in rows:
        (blank if row[1] is None or row[1] == "" else filled).append(row)
    texts = {r[1] for r in filled if isinstance(r[1], str)}
    rank = _text_ranks(texts, text_key)

    def primary(value: Any) -> Any:
        return rank[value] if isinstance(value, str) else value

    keyed = [(primary(r[1]), *r[2:], r[0]) for r in filled]
    rest = [(*r[2:], r[0]) for r in blank]
    try:
        keyed.sort(reverse=descending)
        rest.sort()
    except TypeError:  # a blank among the tie-breakers: compare (is blank, value) pairs instead
        keyed.sort(key=_blank_safe, reverse=descending)
        rest.sort(key=_blank_safe)
    return [k[-1] for k in keyed] + [k[-1] for k in rest]


# Texts' places in collation order, for SQL to sort a list by (one per connection, for one query).
_RANKS = Table(
    "list_text_ranks",
    MetaData(),
    Column("value", String, primary_key=True),
    Column("place", Integer, nullable=False),
    Column("plain_place", Integer),  # among the plain ASCII texts alone, in natural order
    prefixes=["TEMPORARY"],
)


@dataclass(frozen=True)
class _Ranks:
    """A column's distinct texts by place: in the list's text order, and (ASCII ones) in natural order."""

    places: dict[str, int]
    plain_places: dict[str, int]

    @property
    def all_plain(self) -> bool:
        return len(self.plain_places) == len(self.places)


def _rank_table(conn: Connection, ranks: _Ranks) -> Table:
    """The places in a temporary table of this connection (gone with its read transaction)."""
    conn.execute(CreateTable(_RANKS, if_not_exists=True))
    conn.execute(_RANKS.delete())
    if ranks.places:
        plain = ranks.plain_places
        rows = [(v, p, plain.get(v)) for v, p in ranks.places.items()]
        if conn.dialect.name == "sqlite":
            # One statement, not 20,000: each row the driver steps lets go of Python's lock and waits
            # to take it back, which the UI thread, when busy, makes slow.
            conn.exec_driver_sql(
                f"INSERT INTO {_RANKS.name} (value, place, plain_place) SELECT json_extract(value, '$[0]'),"
                " json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)",
                (json.dumps(rows, ensure_ascii=False),),
            )
        else:
            conn.execute(_RANKS.insert(), [{"value": v, "place": p, "plain_place": q} for v, p, q in rows])
    return _RANKS


def _column_values(conn: Connection, query: Any) -> list[Any]:
    """The first column of every row, in order.

    On SQLite as one JSON array (one row): the driver lets go of Python's lock for each row it steps
    and must wait to take it back, so 150,000 rows cost a second while the UI thread is busy. SQLite
    aggregates the rows of an ordered subquery in its order.
    """
    if conn.dialect.name == "sqlite":
        inner = query.subquery()
        (text,) = conn.execute(select(func.json_group_array(next(iter(inner.c))))).one()
        values: list[Any] = json.loads(text)
        return values
    return list(conn.scalars(query).all())


def _blank_safe(values: Sequence[Any]) -> tuple[Any, ...]:
    return tuple((v is None, "" if v is None else v) for v in values)


_DIGITS = re.compile(r"(\d+)")


def _natural_key(text: str) -> tuple[Any, ...]:
    """2弄 before 10弄 for plain ASCII text, as the collator's numeric mode orders it."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(text))


def _text_ranks(values: set[str], text_key: TextKey | None) -> dict[str, int]:
    """Each distinct text's place in order. Codes (ASCII) need no collator, and are the long lists."""
    if text_key is None or all(v.isascii() for v in values):
        ordered = sorted(values, key=_natural_key)
    else:
        ordered = sorted(values, key=text_key)
    return {v: i for i, v in enumerate(ordered)}


def _ids_clause(column: Any, ids: Sequence[int] | None) -> list[Any]:
    return [] if ids is None else [column.in_(list(ids))]
