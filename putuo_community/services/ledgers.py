"""Excel ledgers (台账): a register's records as a clerk reports them, in the columns its import reads.

A ledger has the import kind's columns (the lookup columns such as 街镇 first, then every
declared field) with references written as names, so a ledger re-imports with no change.
Personal data is masked unless asked for; the importer recognises a masked cell and keeps
the stored value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select

from putuo_community.domain.fields import Field, FieldType, Register
from putuo_community.domain.formatting import mask_personal
from putuo_community.io.ledger import LedgerSpec, write_ledger
from putuo_community.services.import_kinds import ImportKind, get_import_kind
from putuo_community.services.queries import filtered_query
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

# Units whose column total means something (households, areas, money, counts); not rates, years or floors.
SUMMED_UNITS = frozenset({"㎡", "户", "幢", "万元", "元", "台"})
DISTRICT = "普陀区"


@dataclass(frozen=True)
class LedgerResult:
    path: Path
    rows: int
    kind_label: str
    scope: str


def summed_fields(fields: Sequence[Field]) -> frozenset[str]:
    return frozenset(
        f.key for f in fields if f.type in (FieldType.INTEGER, FieldType.DECIMAL) and f.unit in SUMMED_UNITS
    )


def term_label(term_no: object) -> str:
    """How a ledger names a committee term: 第3届 (the importer reads the digits)."""
    return f"第{term_no}届"


class LedgerService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def count(self, kind_key: str, *, street_id: int | None = None, search: str = "") -> int:
        kind = get_import_kind(kind_key)
        query, _table = filtered_query(kind.register, street_id=street_id, search=search)
        with self.database.read() as conn:
            return len(conn.execute(query.with_only_columns(TABLES[kind.register.key].c.id)).all())

    def export(
        self,
        kind_key: str,
        path: Path,
        *,
        today: date,
        street_id: int | None = None,
        search: str = "",
        include_personal: bool = False,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> LedgerResult:
        """Write the ledger of one import kind (one 街镇 or the whole district) to `path`, atomically."""
        kind = get_import_kind(kind_key)
        fields = ledger_fields(kind)
        query = ledger_query(kind, street_id=street_id, search=search)
        with self.database.read() as conn:
            scope = (
                DISTRICT
                if street_id is None
                else str(conn.scalar(select(TABLES["streets"].c.name).where(TABLES["streets"].c.id == street_id)))
            )
            rows = conn.execute(query).all()
        spec = LedgerSpec(
            title=f"{kind.label}台账",
            scope=scope,
            as_of=today,
            fields=fields,
            totals=summed_fields(fields),
            sheet_title=kind.label,
        )
        total = len(rows)
        converter = LedgerRows(kind, fields, include_personal=include_personal)
        written = write_ledger(
            spec,
            (converter(row) for row in rows),
            path,
            progress=(lambda done: progress(done, total)) if progress else None,
            cancelled=cancelled,
        )
        return LedgerResult(path, written, kind.label, scope)


def ledger_fields(kind: ImportKind) -> tuple[Field, ...]:
    """The ledger's columns: the kind's lookup columns (街镇, 小区名称) first, as its import template has them."""
    return (*kind.lookups, *kind.register.fields)


def ledger_query(kind: ImportKind, *, street_id: int | None, search: str) -> Select[Any]:
    """The filtered records plus the names the lookup columns show (the estate's 街镇, a member's 小区)."""
    register = kind.register
    query, table = filtered_query(register, street_id=street_id, search=search)
    estates = TABLES["estates"].alias("lk_estate")
    streets = TABLES["streets"].alias("lk_street")
    joined: Any = query.get_final_froms()[0]
    if register.has_field("term_id") and not register.estate_field:
        terms = TABLES["committee_terms"].alias("lk_term")
        joined = joined.outerjoin(terms, terms.c.id == table.c.term_id)
        joined = joined.outerjoin(estates, estates.c.id == terms.c.estate_id)
    elif register.has_field("estate_id"):
        joined = joined.outerjoin(estates, estates.c.id == table.c.estate_id)
    else:
        return query.order_by(*_order(register, query, table))
    joined = joined.outerjoin(streets, streets.c.id == estates.c.street_id)
    query = query.select_from(joined).add_columns(
        streets.c.name.label("_street"), estates.c.name.label("_estate"), streets.c.id.label("_street_id")
    )
    return query.order_by(streets.c.id, estates.c.name, *_order(register, query, table))


def _order(register: Register, query: Select[Any], table: Any) -> list[Any]:
    if register.key == "estates":
        return [table.c.street_id, table.c.name, table.c.id]
    return [table.c[register.title_field], table.c.id]


class LedgerRows:
    """One database row → the ledger cells: names for references, 是/否, masked personal data."""

    def __init__(self, kind: ImportKind, fields: Sequence[Field], *, include_personal: bool) -> None:
        self.steps: list[Callable[[Any], object]] = [self._step(f, include_personal) for f in fields]

    def __call__(self, row: Any) -> list[object]:
        mapping = row._mapping
        return [step(mapping) for step in self.steps]

    @staticmethod
    def _step(f: Field, include_personal: bool) -> Callable[[Any], object]:
        key = f.key
        if key.startswith("_"):
            return lambda m: m.get(key)
        if f.type is FieldType.REF:
            title = f"{key}__title"
            if f.ref == "committee_terms":
                return lambda m: term_label(m[title]) if m[title] is not None else None
            return lambda m: m[title]
        if f.type is FieldType.BOOL:
            return lambda m: None if m[key] is None else ("是" if m[key] else "否")
        if f.personal and not include_personal:
            return lambda m: mask_personal(m[key]) if m[key] else m[key]
        return lambda m: m[key]
