"""The change history read back as a person reads it: who, when, which field by its label, old → new.

Stored rows hold register and field keys, plain values, the ids of referred records and,
for a created or deleted record, a JSON snapshot. Here every key becomes its declared
label, every referred id the title of its record, and a snapshot a list of "label：value".
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from putuo_community.domain.fields import Field, FieldType, Register
from putuo_community.domain.formatting import format_value, mask_personal
from putuo_community.domain.registers import REGISTERS
from putuo_community.services.history import HISTORY, SETTINGS_LABEL, SETTINGS_REGISTER
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES, change_batches

SNAPSHOT_ACTIONS = ("新增", "删除")
DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class Change:
    changed_at: str
    user: str
    action: str
    register_label: str
    record_title: str
    field_label: str
    old_value: str
    new_value: str
    batch_id: int = 0
    register: str = ""
    record_id: int | None = None
    batch_kind: str = ""  # 新增 / 修改 / 导入 / 撤销 ... of the whole batch
    batch_undone: bool = False
    snapshot_size: int = 0  # how many values a created or deleted record had

    @property
    def text(self) -> str:
        """What changed, in one line: "640 → 660", or a created record's values."""
        if self.action in SNAPSHOT_ACTIONS:
            return self.new_value if self.action == "新增" else self.old_value
        if self.old_value and self.new_value:
            return f"{self.old_value} → {self.new_value}"
        if self.new_value:
            return f"填写“{self.new_value}”"
        return f"清除“{self.old_value}”" if self.old_value else ""


def change_from_row(row: Mapping[str, Any], titles: Mapping[tuple[str, int], str] | None = None) -> Change:
    """A stored history row in labels; `titles` names referred records by (register, id)."""
    register = REGISTERS.get(row["register"])
    field = register.field(row["field"]) if register and row["field"] and register.has_field(row["field"]) else None
    old, new = row["old_value"] or "", row["new_value"] or ""
    if register is not None and row["action"] in SNAPSHOT_ACTIONS:
        old, new = (_snapshot_text(register, old, titles), new) if old else (old, _snapshot_text(register, new, titles))
    elif field is not None and field.type is FieldType.REF and titles is not None:
        old, new = _ref_text(field, old, titles), _ref_text(field, new, titles)
    elif field is not None and field.personal:
        old, new = mask_personal(old), mask_personal(new)
    return Change(
        changed_at=row["changed_at"],
        user=row["user"] or "",
        action=row["action"],
        register_label=register.label if register else _unlisted_label(row["register"]),
        record_title=row["record_title"] or "",
        # A setting's rows name their item in words (there is no declaration to look it up in).
        field_label=field.label if field is not None else ((row["field"] or "") if register is None else ""),
        old_value=old,
        new_value=new,
        batch_id=row.get("batch_id") or 0,
        register=row["register"],
        record_id=row.get("record_id"),
        batch_kind=row.get("batch_kind") or "",
        batch_undone=row.get("batch_undone_at") is not None,
        snapshot_size=len(_snapshot(row["new_value"] or row["old_value"] or ""))
        if row["action"] in SNAPSHOT_ACTIONS
        else 0,
    )


def _unlisted_label(register_key: str) -> str:
    return SETTINGS_LABEL if register_key == SETTINGS_REGISTER else register_key


def _ref_text(field: Field, text: str, titles: Mapping[tuple[str, int], str]) -> str:
    if not text.isdigit():
        return text
    return titles.get((field.ref, int(text)), f"#{text}（已删除）")


def _snapshot(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _snapshot_text(register: Register, text: str, titles: Mapping[tuple[str, int], str] | None) -> str:
    """A created or deleted record's values, "label：value" in declaration order, personal numbers masked."""
    values = _snapshot(text)
    parts = []
    for field in register.fields:
        value = values.get(field.key)
        if value in (None, ""):
            continue
        shown = str(value)
        if field.type is FieldType.REF and titles is not None:
            shown = _ref_text(field, shown, titles)
        elif field.type is FieldType.BOOL:
            shown = "是" if value in (True, "是", "True", "true", 1) else "否"
        if field.personal:
            shown = mask_personal(shown)
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts)


def _referred_ids(rows: Iterable[Mapping[str, Any]]) -> dict[str, set[int]]:
    """Every referred record id the rows mention, by the register they belong to."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        register = REGISTERS.get(row["register"])
        if register is None:
            continue
        if row["action"] in SNAPSHOT_ACTIONS:
            values = _snapshot(row["new_value"] or row["old_value"] or "")
            for field in register.ref_fields:
                value = values.get(field.key)
                if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                    wanted[field.ref].add(int(value))
        elif row["field"] and register.has_field(row["field"]):
            field = register.field(row["field"])
            if field.type is FieldType.REF:
                wanted[field.ref].update(int(v) for v in (row["old_value"], row["new_value"]) if v and v.isdigit())
    return wanted


def _titles(conn: Connection, wanted: Mapping[str, set[int]]) -> dict[tuple[str, int], str]:
    """The titles of referred records, one query per register."""
    titles: dict[tuple[str, int], str] = {}
    for key, ids in wanted.items():
        register = REGISTERS[key]
        table = TABLES[key]
        title_field = register.field(register.title_field)
        for record_id, title in conn.execute(
            select(table.c.id, table.c[register.title_field]).where(table.c.id.in_(sorted(ids)))
        ):
            titles[(key, record_id)] = format_value(title_field, title)
    return titles


@dataclass(frozen=True)
class HistoryFilter:
    """Which changes a history view lists; every part optional."""

    estate_id: int | None = None
    register: str | None = None
    record_id: int | None = None
    user: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive


class HistoryService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def changes(self, where: HistoryFilter, *, limit: int = DEFAULT_LIMIT) -> list[Change]:
        """The changes `where` selects, newest first, written in labels and record titles."""
        query = (
            select(
                HISTORY,
                change_batches.c.kind.label("batch_kind"),
                change_batches.c.undone_at.label("batch_undone_at"),
            )
            .join(change_batches, change_batches.c.id == HISTORY.c.batch_id)
            .order_by(HISTORY.c.id.desc())
            .limit(limit)
        )
        if where.estate_id is not None:
            query = query.where(HISTORY.c.estate_id == where.estate_id)
        if where.register is not None:
            query = query.where(HISTORY.c.register == where.register)
        if where.record_id is not None:
            query = query.where(HISTORY.c.record_id == where.record_id)
        if where.user:
            query = query.where(HISTORY.c.user == where.user)
        if where.since is not None:
            query = query.where(HISTORY.c.changed_at >= where.since.isoformat())
        if where.until is not None:
            query = query.where(HISTORY.c.changed_at < (where.until + timedelta(days=1)).isoformat())
        with self.database.read() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
            titles = _titles(conn, _referred_ids(rows))
        return [change_from_row(row, titles) for row in rows]

    def for_estate(self, estate_id: int, *, limit: int = 50) -> list[Change]:
        """The most recent changes in one estate's dossier, newest first."""
        return self.changes(HistoryFilter(estate_id=estate_id), limit=limit)

    def users(self, *, estate_id: int | None = None) -> list[str]:
        """Who has changed anything (in one estate's dossier), for a filter."""
        query = select(HISTORY.c.user).distinct().order_by(HISTORY.c.user)
        if estate_id is not None:
            query = query.where(HISTORY.c.estate_id == estate_id)
        with self.database.read() as conn:
            return [u for u in conn.scalars(query) if u]

    def last_change_on(self, estate_id: int) -> datetime | None:
        with self.database.read() as conn:
            value = conn.scalar(
                select(HISTORY.c.changed_at)
                .where(HISTORY.c.estate_id == estate_id)
                .order_by(HISTORY.c.id.desc())
                .limit(1)
            )
        return datetime.fromisoformat(value) if value else None


def registers_in(changes: Sequence[Change]) -> list[tuple[str, str]]:
    """(register key, label) of the registers a list of changes touches, in declaration order."""
    present = {c.register for c in changes}
    return [(key, r.label) for key, r in REGISTERS.items() if key in present]
