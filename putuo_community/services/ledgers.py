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

from sqlalchemy import Select, func, select

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.errors import UserError
from putuo_community.domain.fields import Field, FieldType
from putuo_community.domain.formatting import mask_personal
from putuo_community.services.importing.kinds import ImportKind, get_import_kind
from putuo_community.services.permissions import Permissions
from putuo_community.services.queries import filtered_query, street_filter_kind
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

# Units whose column total means something (households, areas, money, counts); not rates, years or floors.
SUMMED_UNITS = frozenset({"㎡", "户", "幢", "万元", "元", "台"})
DISTRICT = "普陀区"


class NothingToExport(UserError):
    """The ledger would have no rows (an empty register, or a filter that matches nothing): no file is written."""


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
    def __init__(self, database: Database, *, actor: Actor | None = None) -> None:
        """`actor`: who may export personal numbers in full (None: accounts off, anyone)."""
        self.database = database
        self.permissions = Permissions(database, actor or Actor.local(""))

    def _street_in_view(self, kind: ImportKind, street_id: int | None) -> int | None:
        """A 街镇经办人's ledgers hold their own 街镇 only; a register of no 街镇 (companies) is not narrowed."""
        return self.permissions.street_in_view(street_id) if street_filter_kind(kind.register) else street_id

    def count(self, kind_key: str, *, street_id: int | None = None, search: str = "") -> int:
        kind = get_import_kind(kind_key)
        street_id = self._street_in_view(kind, street_id)
        query, _table = filtered_query(
            kind.register, street_id=street_id, search=search, personal=self.permissions.sees_personal
        )
        with self.database.read() as conn:
            ids = query.with_only_columns(TABLES[kind.register.key].c.id).subquery()
            return int(conn.scalar(select(func.count()).select_from(ids)) or 0)

    def export(
        self,
        kind_key: str,
        path: Path,
        *,
        today: date,
        street_id: int | None = None,
        search: str = "",
        ids: frozenset[int] | None = None,
        ids_label: str = "",
        include_personal: bool = False,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> LedgerResult:
        """Write the ledger of one import kind (one 街镇 or the whole district) to `path`, atomically.

        `ids`: only these records, the list behind a figure of the 概览 page, which `ids_label` names
        (it goes into the ledger's scope, so the file says what it holds)."""
        from putuo_community.io.ledger import LedgerSpec, write_ledger  # openpyxl loads on the first export

        if include_personal:  # refused before a file is begun
            self.permissions.require(Action.EXPORT_PERSONAL)
        kind = get_import_kind(kind_key)
        fields = ledger_fields(kind)
        street_id = self._street_in_view(kind, street_id)
        query = ledger_query(kind, street_id=street_id, search=search, personal=self.permissions.sees_personal)
        if ids is not None:  # the id rides along and is dropped: no IN list of tens of thousands of ids
            query = query.add_columns(TABLES[kind.register.key].c.id)
        with self.database.read() as conn:
            scope = (
                DISTRICT
                if street_id is None
                else str(conn.scalar(select(TABLES["streets"].c.name).where(TABLES["streets"].c.id == street_id)))
            )
            rows: Sequence[Any] = conn.execute(query).all()
        if ids is not None:
            rows = [row[:-1] for row in rows if row[-1] in ids]
            scope = f"{scope}（{ids_label}）" if ids_label else scope
        if not rows:  # an empty ledger reports nothing; a blank form to fill in is the import template
            matching = f"含“{search}”的" if search else ""
            raise NothingToExport(f"{scope}没有{matching}{kind.label}记录，没有可导出的内容，未生成文件。")
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


def ledger_query(kind: ImportKind, *, street_id: int | None, search: str, personal: bool = True) -> Select[Any]:
    """The filtered records, one result column per ledger column, in ledger order.

    References come as the names they point at and the lookup columns as the estate's 街镇
    and name (through the term, for committee members); only the ledger's own columns are
    read, so no time goes into converting ids and timestamps nobody sees.
    """
    register = kind.register
    query, table = filtered_query(register, street_id=street_id, search=search, personal=personal)
    estates = TABLES["estates"].alias("lk_estate")
    streets = TABLES["streets"].alias("lk_street")
    joined: Any = query.get_final_froms()[0]
    order: list[Any] = []
    if register.has_field("term_id") and not register.estate_field:
        terms = TABLES["committee_terms"].alias("lk_term")
        joined = joined.outerjoin(terms, terms.c.id == table.c.term_id)
        joined = joined.outerjoin(estates, estates.c.id == terms.c.estate_id)
    elif register.has_field("estate_id"):
        joined = joined.outerjoin(estates, estates.c.id == table.c.estate_id)
    if register.has_field("estate_id") or register.has_field("term_id"):
        joined = joined.outerjoin(streets, streets.c.id == estates.c.street_id)
        order = [streets.c.id, estates.c.name]
    lookups = {"_street": streets.c.name, "_estate_code": estates.c.code, "_estate": estates.c.name}
    columns: list[Any] = []
    for f in ledger_fields(kind):
        if f.key in lookups:
            columns.append(lookups[f.key].label(f.key))
        elif f.type is FieldType.REF:
            columns.append(query.selected_columns[f"{f.key}__title"])
        else:
            columns.append(table.c[f.key])
    if register.is_estate:
        order += [table.c.street_id, table.c.name]
    else:
        order.append(table.c[register.title_field])
    return query.select_from(joined).with_only_columns(*columns).order_by(*order, table.c.id)


class LedgerRows:
    """One result row of `ledger_query` → the ledger's cells: 是/否, 第3届, masked personal numbers.

    Most columns pass through untouched; only the few that need it are converted, by position.
    """

    def __init__(self, kind: ImportKind, fields: Sequence[Field], *, include_personal: bool) -> None:
        self.steps: list[tuple[int, Callable[[Any], object]]] = []
        for position, f in enumerate(fields):
            step = self._step(f, include_personal)
            if step is not None:
                self.steps.append((position, step))

    def __call__(self, row: Sequence[Any]) -> list[object]:
        cells = list(row)
        for position, step in self.steps:
            value = cells[position]
            if value is not None:
                cells[position] = step(value)
        return cells

    @staticmethod
    def _step(f: Field, include_personal: bool) -> Callable[[Any], object] | None:
        if f.type is FieldType.REF and f.ref == "committee_terms":
            return term_label
        if f.type is FieldType.BOOL:
            return lambda value: "是" if value else "否"
        if f.personal and not include_personal:
            return lambda value: mask_personal(value) if value else value
        return None
