"""Create, read, update and delete the records of any register.

Every write validates against the declaration, checks the natural key for
duplicates, uses the version column so two clerks cannot overwrite each other,
and writes the change history in the same transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, Table, and_, delete, func, insert, or_, select, update
from sqlalchemy import exc as sa_exc

from putuo_community.domain.accounts import Actor
from putuo_community.domain.errors import (
    ConcurrentEdit,
    DuplicateRecord,
    RecordInUse,
    RecordNotFound,
    ValidationFailed,
    ValidationReport,
)
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.formatting import format_value
from putuo_community.domain.registers import REGISTERS, get_register
from putuo_community.domain.validation import normalise_values, record_problems, validate_record
from putuo_community.services.history import ChangeWriter
from putuo_community.services.permissions import Permissions, action_for
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES, new_id, now

SYSTEM_COLUMNS = ("id", "version", "created_at", "updated_at")


@dataclass(frozen=True)
class Record:
    """One record as the upper layers see it: declared values plus the titles of what it refers to."""

    register: str
    id: int
    version: int
    values: dict[str, Any]
    ref_titles: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        reg = REGISTERS[self.register]
        return format_value(reg.field(reg.title_field), self.values.get(reg.title_field))

    def display(self, key: str) -> str:
        reg = REGISTERS[self.register]
        return format_value(reg.field(key), self.values.get(key), ref_title=self.ref_titles.get(key))


def select_with_titles(register: Register) -> tuple[Select[Any], Table]:
    """SELECT the register's columns plus, for each reference, the referred record's title."""
    if REGISTERS.get(register.key) is register:
        return _declared_select_with_titles(register.key)
    return _build_select_with_titles(register)


@functools.cache
def _declared_select_with_titles(register_key: str) -> tuple[Select[Any], Table]:
    # Built once per register: a Select is immutable, and a list reads its rows block by block.
    return _build_select_with_titles(REGISTERS[register_key])


def _build_select_with_titles(register: Register) -> tuple[Select[Any], Table]:
    table = TABLES[register.key]
    columns: list[Any] = [table]
    joined: Any = table
    for ref_field in register.ref_fields:
        target_register = REGISTERS[ref_field.ref]
        target = TABLES[target_register.key].alias(f"ref_{ref_field.key}")
        columns.append(target.c[target_register.title_field].label(f"{ref_field.key}__title"))
        joined = joined.outerjoin(target, target.c.id == table.c[ref_field.key])
    return select(*columns).select_from(joined), table


def row_to_record(register: Register, row: Any) -> Record:
    mapping = row._mapping
    keys, titled = _record_shape(register.key) if REGISTERS.get(register.key) is register else _shape(register)
    values = {k: mapping[k] for k in keys}
    titles = {}
    for key, label, title_field in titled:
        title = mapping.get(label)
        if title is not None:
            titles[key] = format_value(title_field, title)
    return Record(register.key, mapping["id"], mapping["version"], values, titles)


@functools.cache
def _record_shape(register_key: str) -> tuple[tuple[str, ...], tuple[tuple[str, str, Any], ...]]:
    return _shape(REGISTERS[register_key])


def _shape(register: Register) -> tuple[tuple[str, ...], tuple[tuple[str, str, Any], ...]]:
    """A register's field keys, and for each reference its key, its title's label and the title's field."""
    titled = tuple(
        (f.key, f"{f.key}__title", REGISTERS[f.ref].field(REGISTERS[f.ref].title_field)) for f in register.ref_fields
    )
    return tuple(f.key for f in register.fields), titled


class RecordService:
    def __init__(self, database: Database, *, user: str, actor: Actor | None = None) -> None:
        """`actor`: whom the writes are checked against (None: `user` with every right, accounts off)."""
        self.database = database
        self.user = user
        self.permissions = Permissions(database, actor or Actor.local(user))

    # -- reading ---------------------------------------------------------------------------

    def list(
        self,
        register_key: str,
        *,
        filters: Mapping[str, Any] | None = None,
        search: str = "",
        order_by: Sequence[str] = (),
        limit: int | None = None,
    ) -> list[Record]:
        """Records of a register, filtered by exact field values and a text search on its text fields."""
        register = get_register(register_key)
        query, table = select_with_titles(register)
        for key, value in (filters or {}).items():
            register.field(key)  # an unknown filter is a bug, say so early
            query = query.where(table.c[key].is_(None) if value is None else table.c[key] == value)
        if search.strip():
            text_columns = [table.c[f.key] for f in register.fields if f.type in (FieldType.TEXT, FieldType.LONG_TEXT)]
            words = search.split()
            query = query.where(and_(*(or_(*(c.contains(w, autoescape=True) for c in text_columns)) for w in words)))
        sort_keys = order_by or (register.title_field,)
        query = query.order_by(*(table.c[k] for k in sort_keys), table.c.id)
        if limit is not None:
            query = query.limit(limit)
        with self.database.read() as conn:
            return self.permissions.shown_all(row_to_record(register, row) for row in conn.execute(query))

    def count(self, register_key: str, *, filters: Mapping[str, Any] | None = None) -> int:
        table = TABLES[get_register(register_key).key]
        query = select(func.count()).select_from(table)
        for key, value in (filters or {}).items():
            query = query.where(table.c[key] == value)
        with self.database.read() as conn:
            return int(conn.scalar(query) or 0)

    def get(self, register_key: str, record_id: int) -> Record:
        register = get_register(register_key)
        query, table = select_with_titles(register)
        with self.database.read() as conn:
            row = conn.execute(query.where(table.c.id == record_id)).first()
        if row is None:
            raise RecordNotFound(f"{register.label}记录（编号 {record_id}）不存在，可能已被删除。")
        return self.permissions.shown(row_to_record(register, row))

    # -- writing ---------------------------------------------------------------------------

    def create(self, register_key: str, values: Mapping[str, Any], *, batch_description: str = "") -> int:
        """Insert one record after validating it; returns its id."""
        register = get_register(register_key)
        self.permissions.require(action_for(register))  # a role that may not is told so before any checking
        values = normalise_values(register, values)  # as an import or a form would read them: one spelling
        clean = {f.key: values.get(f.key) for f in register.fields}
        report = validate_record(register, values)
        if not report.ok:
            raise ValidationFailed(report)
        with self.database.transaction() as conn:
            self.permissions.check_create(conn, register, clean)
            writer = ChangeWriter(
                conn, user=self.user, kind="新增", description=batch_description or f"新增{register.label}"
            )
            record_id = insert_record(conn, register, clean, writer)
        return record_id

    def update(self, register_key: str, record_id: int, changes: Mapping[str, Any], *, expected_version: int) -> int:
        """Change some fields of a record; returns its new version."""
        register = get_register(register_key)
        self.permissions.require(action_for(register))
        changes = normalise_values(register, changes)
        report = validate_record(register, changes, partial=True)
        if not report.ok:
            raise ValidationFailed(report)
        with self.database.transaction() as conn:
            self.permissions.check_change(conn, register, record_id, changes)
            writer = ChangeWriter(conn, user=self.user, kind="修改", description=f"修改{register.label}")
            return update_record(conn, register, record_id, changes, expected_version, writer)

    def dependants(self, register_key: str, record_id: int) -> tuple[Dependant, ...]:
        """What refers to a record: a delete is refused while this is not empty."""
        register = get_register(register_key)
        with self.database.read() as conn:
            return tuple(find_dependants(conn, register, record_id))

    def delete(self, register_key: str, record_id: int, *, expected_version: int) -> None:
        register = get_register(register_key)
        with self.database.transaction() as conn:
            self.permissions.check_change(conn, register, record_id)
            writer = ChangeWriter(conn, user=self.user, kind="删除", description=f"删除{register.label}")
            delete_record(conn, register, record_id, expected_version, writer)


def _fetch_current(conn: Connection, register: Register, record_id: int) -> dict[str, Any]:
    table = TABLES[register.key]
    row = conn.execute(select(table).where(table.c.id == record_id)).first()
    if row is None:
        raise RecordNotFound(f"{register.label}记录（编号 {record_id}）不存在，可能已被删除。")
    return dict(row._mapping)


def find_duplicate(
    conn: Connection, register: Register, values: Mapping[str, Any], *, exclude_id: int | None = None
) -> int | None:
    """The id of another record with the same natural key, if any."""
    if not register.natural_key or any(values.get(k) is None for k in register.natural_key):
        return None
    table = TABLES[register.key]
    query = select(table.c.id).where(*(table.c[k] == values[k] for k in register.natural_key))
    if exclude_id is not None:
        query = query.where(table.c.id != exclude_id)
    return conn.scalar(query.limit(1))


def _duplicate_message(conn: Connection, register: Register, values: Mapping[str, Any]) -> str:
    parts = []
    for key in register.natural_key:
        fld = register.field(key)
        value = values[key]
        if fld.type is FieldType.REF:
            target = REGISTERS[fld.ref]
            title = conn.scalar(
                select(TABLES[target.key].c[target.title_field]).where(TABLES[target.key].c.id == value)
            )
            parts.append(f"{fld.label}“{format_value(target.field(target.title_field), title)}”")
        else:
            parts.append(f"{fld.label}“{format_value(fld, value)}”")
    return f"{register.label}已存在：{'，'.join(parts)}的记录已经登记过。"


def _check_unique_fields(
    conn: Connection, register: Register, values: Mapping[str, Any], exclude_id: int | None
) -> None:
    table = TABLES[register.key]
    title_field = register.field(register.title_field)
    for fld in register.fields:
        value = values.get(fld.key)
        if fld.unique and value not in (None, ""):
            query = select(table.c.id, table.c[title_field.key]).where(table.c[fld.key] == value)
            if exclude_id is not None:
                query = query.where(table.c.id != exclude_id)
            other = conn.execute(query.limit(1)).first()
            if other is None:
                continue
            shown = format_value(fld, value)
            if fld.key == title_field.key:
                raise DuplicateRecord(f"{register.label}的{fld.label}“{shown}”已经登记过，不能重复登记。")
            owner = format_value(title_field, other[1])
            raise DuplicateRecord(f"{fld.label}“{shown}”已登记在{register.label}“{owner}”名下，不能重复登记。")


def insert_record(conn: Connection, register: Register, values: Mapping[str, Any], writer: ChangeWriter) -> int:
    if find_duplicate(conn, register, values) is not None:
        raise DuplicateRecord(_duplicate_message(conn, register, values))
    _check_unique_fields(conn, register, values, None)
    stamp = now()
    row = {**values, "version": 1, "created_at": stamp, "updated_at": stamp}
    try:
        record_id = new_id(conn.execute(insert(TABLES[register.key]).values(row)))
    except sa_exc.IntegrityError as exc:
        raise _integrity_problem(register, exc) from exc
    writer.created(register, record_id, values)
    return record_id


def update_record(
    conn: Connection,
    register: Register,
    record_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    writer: ChangeWriter,
) -> int:
    current = _fetch_current(conn, register, record_id)
    if current["version"] != expected_version:
        raise ConcurrentEdit(
            f"{register.label}“{current.get(register.title_field)}”已被他人修改（您看到的是第 {expected_version} 版，"
            f"现在是第 {current['version']} 版）。请重新打开后再修改，您的修改未保存。"
        )
    changed = {k: v for k, v in changes.items() if current.get(k) != v}
    if not changed:
        return expected_version
    merged = {**current, **changed}
    # Rules across fields (end after start, points that match the band) look at the whole record;
    # only problems this change brings in are refused, so an old inconsistency never blocks other edits.
    before = set(record_problems(register, current))
    introduced = tuple(p for p in record_problems(register, merged) if p not in before and not p.warning)
    if introduced:
        raise ValidationFailed(ValidationReport(introduced))
    if any(k in changed for k in register.natural_key) and find_duplicate(conn, register, merged, exclude_id=record_id):
        raise DuplicateRecord(_duplicate_message(conn, register, merged))
    _check_unique_fields(conn, register, changed, record_id)
    table = TABLES[register.key]
    new_version = expected_version + 1
    try:
        result = conn.execute(
            update(table)
            .where(table.c.id == record_id, table.c.version == expected_version)
            .values(**changed, version=new_version, updated_at=now())
        )
    except sa_exc.IntegrityError as exc:
        raise _integrity_problem(register, exc) from exc
    if result.rowcount != 1:  # someone saved between our read and our write
        raise ConcurrentEdit(f"{register.label}记录已被他人修改，您的修改未保存。请重新打开后再修改。")
    writer.updated(register, record_id, {k: current.get(k) for k in changed}, changed, merged)
    return new_version


@dataclass(frozen=True)
class Dependant:
    """Records of one register that refer to a record (the lifts of a building)."""

    register_key: str
    register_label: str
    field_label: str
    count: int
    examples: tuple[str, ...]  # a few of their titles

    @property
    def counted(self) -> str:
        """“2 台电梯”, “1 个加装电梯项目”."""
        return f"{self.count} {MEASURE_WORDS.get(self.register_key, '条')}{self.register_label}"


# The measure word a clerk says before each register's label.
MEASURE_WORDS = {
    "streets": "个",
    "neighbourhoods": "个",
    "companies": "家",
    "managers": "名",
    "estates": "个",
    "estate_aliases": "个",
    "buildings": "幢",
    "units": "个",
    "committee_terms": "届",
    "committee_members": "名",
    "contracts": "份",
    "projects": "个",
    "lifts": "台",
    "lift_projects": "个",
    "attachments": "份",
}
EXAMPLES = 3


def find_dependants(conn: Connection, register: Register, record_id: int) -> list[Dependant]:
    """Every register whose records refer to this one, with how many and a few of their titles.

    One query per referring field (the count rides along as a window function); the change
    history refers to nothing by a declared reference, so it never holds a record back.
    """
    found = []
    for child in REGISTERS.values():
        table = TABLES[child.key]
        title = table.c[child.title_field]
        for ref_field in child.ref_fields:
            if ref_field.ref != register.key:
                continue
            rows = conn.execute(
                select(title, func.count().over().label("total"))
                .where(table.c[ref_field.key] == record_id)
                .order_by(title, table.c.id)
                .limit(EXAMPLES)
            ).all()
            if rows:
                examples = tuple(format_value(child.field(child.title_field), row[0]) for row in rows)
                found.append(Dependant(child.key, child.label, ref_field.label, int(rows[0].total), examples))
    return found


def dependants_message(register: Register, title: str, dependants: Sequence[Dependant]) -> str:
    """Why a record cannot be deleted, naming what refers to it."""
    parts = []
    for d in dependants:
        sample = "、".join(e for e in d.examples if e)
        more = "等" if d.count > len(d.examples) else ""
        parts.append(d.counted + (f"（{sample}{more}）" if sample else ""))
    listed = "、".join(parts)
    return f"{register.label}“{title}”下还登记了 {listed}，不能删除。请先删除这些记录，或把它们改挂到别的记录下。"


def delete_record(
    conn: Connection, register: Register, record_id: int, expected_version: int, writer: ChangeWriter
) -> None:
    current = _fetch_current(conn, register, record_id)
    if current["version"] != expected_version:
        raise ConcurrentEdit(f"{register.label}记录已被他人修改，未删除。请刷新后再试。")
    # Never let the database cascade or blank references behind the clerk's back (nor outside the history).
    dependants = find_dependants(conn, register, record_id)
    if dependants:
        title = format_value(register.field(register.title_field), current.get(register.title_field))
        raise RecordInUse(dependants_message(register, title, dependants))
    table = TABLES[register.key]
    writer.deleted(register, record_id, {f.key: current.get(f.key) for f in register.fields})
    try:
        conn.execute(delete(table).where(table.c.id == record_id, table.c.version == expected_version))
    except sa_exc.IntegrityError as exc:
        raise RecordInUse(
            f"{register.label}“{current.get(register.title_field)}”仍被其他记录引用（例如合同、记分或小区），不能删除。"
        ) from exc


def _integrity_problem(register: Register, exc: sa_exc.IntegrityError) -> Exception:
    text = str(exc.orig).lower()
    if "foreign key" in text:
        return RecordNotFound(f"{register.label}引用的记录不存在（可能已被删除）。")
    if "unique" in text or "duplicate" in text:
        return DuplicateRecord(f"{register.label}与已有记录重复。")
    return exc
