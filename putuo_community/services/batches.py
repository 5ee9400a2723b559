"""Batches of changes (an import, an edit, the demo) and undoing one as a whole.

Undo is refused, with nothing changed, when anything the batch wrote has been
changed since or has gained records of its own (buildings under an imported estate):
undoing must never silently throw away someone's later work.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.errors import UserError
from putuo_community.domain.fields import Field, FieldType
from putuo_community.domain.formatting import plain_value
from putuo_community.domain.parsing import parse_cell
from putuo_community.domain.registers import REGISTERS
from putuo_community.services.backups import BackupService
from putuo_community.services.history import HISTORY, ChangeWriter
from putuo_community.services.permissions import Permissions
from putuo_community.services.records import update_record
from putuo_community.storage import chain
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES, change_batches, now

CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit


@dataclass(frozen=True)
class BatchInfo:
    id: int
    started_at: datetime
    user: str
    kind: str
    description: str
    changes: int
    undone_at: datetime | None
    summary: str = ""  # what the batch changed, e.g. "新增小区 36 条；修改楼栋 2 条"


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def from_plain(field: Field, text: str) -> Any:
    """A value back from its history text (ISO dates, plain decimals, 是/否, ids)."""
    if text == "":
        return None
    if field.type is FieldType.REF:
        return int(text)
    parsed = parse_cell(field, text)
    if parsed.problem:
        raise ValueError(f"history value {text!r} does not fit {field.key}: {parsed.problem}")
    return parsed.value


class BatchService:
    def __init__(
        self, database: Database, *, user: str, backups: BackupService | None = None, actor: Actor | None = None
    ) -> None:
        self.database = database
        self.user = user
        self.permissions = Permissions(database, actor or Actor.local(user))
        self.backups = backups  # a backup is taken before each undo of an archive that holds records

    def list(self, *, kind: str | None = None, limit: int = 200) -> list[BatchInfo]:
        counts = select(HISTORY.c.batch_id, func.count().label("n")).group_by(HISTORY.c.batch_id).subquery()
        query = (
            select(change_batches, func.coalesce(counts.c.n, 0).label("n"))
            .outerjoin(counts, counts.c.batch_id == change_batches.c.id)
            .order_by(change_batches.c.id.desc())
            .limit(limit)
        )
        if kind is not None:
            query = query.where(change_batches.c.kind == kind)
        with self.database.read() as conn:
            batches = list(conn.execute(query))
            summaries = _summaries(conn, [r.id for r in batches])
        return [
            BatchInfo(r.id, r.started_at, r.user, r.kind, r.description, int(r.n), r.undone_at, summaries.get(r.id, ""))
            for r in batches
        ]

    def undo(self, batch_id: int) -> int:
        """Undo every change of one batch, or nothing; returns how many records were restored or removed.

        A 街镇经办人 may undo only a batch whose every record is of their 街镇 (before and after it)."""
        self.permissions.require(Action.UNDO)
        if self.backups is not None:
            self.backups.before("undo")
        with self.database.transaction() as conn:
            batch = conn.execute(select(change_batches).where(change_batches.c.id == batch_id)).first()
            if batch is None:
                raise UserError(f"没有编号为 {batch_id} 的变更批次。")
            if batch.undone_at is not None:
                raise UserError(f"批次 {batch_id}（{batch.description}）已于 {batch.undone_at:%Y-%m-%d %H:%M} 撤销过。")
            rows = list(
                conn.execute(select(HISTORY).where(HISTORY.c.batch_id == batch_id).order_by(HISTORY.c.id.desc()))
            )
            if rows:  # undo follows the history it reads only when nothing has edited it behind the program's back
                broken = chain.first_break(conn, from_id=rows[-1].id)
                if broken is not None:
                    raise UserError(
                        f"{chain.describe_break(broken)}撤销只依据完好的变更记录，数据未改动。"
                        "请运行“检查”（check 命令），或恢复最近的备份。"
                    )
            if any(r.register not in REGISTERS for r in rows):  # a district setting, kept outside the registers
                raise UserError("设置的修改不能整批撤销，请在“工具”菜单的相应设置中改回原值。")
            _check_undo_allowed(conn, rows, self.permissions)
            writer = ChangeWriter(conn, user=self.user, kind="撤销", description=f"撤销：{batch.description}")
            restored = _revert_updates(conn, [r for r in rows if r.action == "修改"], writer)
            removed = _remove_created(conn, [r for r in rows if r.action == "新增"], writer)
            if any(r.action == "删除" for r in rows):
                raise UserError("该批次删除过记录，删除不能整批撤销；请按变更记录中的原值重新登记。")
            conn.execute(update(change_batches).where(change_batches.c.id == batch_id).values(undone_at=now()))
            return restored + removed


def _check_undo_allowed(conn: Connection, rows: list[Any], permissions: Permissions) -> None:
    """Refuse the undo if any record it would touch (or any estate, 街镇 … a change it reverts pointed at)
    is not the actor's: per register, one query per chunk of distinct records."""
    if not permissions.street_bound:
        return
    touched: dict[str, set[int]] = {}
    pointed: dict[str, set[int]] = {}  # what the reverted values point at again (an estate moved back)
    for row in rows:
        register = REGISTERS[row.register]
        touched.setdefault(row.register, set()).add(row.record_id)
        if row.action == "修改" and row.old_value and register.has_field(row.field):
            target = register.field(row.field)
            if target.type is FieldType.REF and row.field in (register.parent_field, "street_id"):
                pointed.setdefault(target.ref, set()).add(int(row.old_value))
    for register_key, ids in touched.items():
        permissions.check_records(conn, Action.UNDO, REGISTERS[register_key], ids)
    for register_key, ids in pointed.items():
        permissions.check_targets(conn, Action.UNDO, REGISTERS[register_key], ids)


def _summaries(conn: Connection, batch_ids: list[int]) -> dict[int, str]:
    """For each batch, how many records of which register it created, changed or deleted."""
    counted: dict[int, list[str]] = {}
    for chunk in _chunks(batch_ids):
        query = (
            select(HISTORY.c.batch_id, HISTORY.c.action, HISTORY.c.register, func.count(HISTORY.c.record_id.distinct()))
            .where(HISTORY.c.batch_id.in_(chunk))
            .group_by(HISTORY.c.batch_id, HISTORY.c.action, HISTORY.c.register)
            .order_by(HISTORY.c.batch_id, HISTORY.c.action, HISTORY.c.register)
        )
        for batch_id, action, register_key, count in conn.execute(query):
            register = REGISTERS.get(register_key)
            label = register.label if register is not None else register_key
            counted.setdefault(batch_id, []).append(f"{action}{label} {count} 条")
    return {batch_id: "；".join(parts) for batch_id, parts in counted.items()}


def _revert_updates(conn: Connection, rows: list[Any], writer: ChangeWriter) -> int:
    by_record: dict[tuple[str, int], list[Any]] = {}
    for row in rows:
        by_record.setdefault((row.register, row.record_id), []).append(row)
    for (register_key, record_id), changes in by_record.items():
        register = REGISTERS[register_key]
        table = TABLES[register_key]
        current = conn.execute(select(table).where(table.c.id == record_id)).first()
        if current is None:
            raise UserError(f"{register.label}“{changes[0].record_title}”在此批次之后已被删除，不能整批撤销。")
        values = current._mapping
        restore = {}
        for change in changes:
            if plain_value(values[change.field]) != (change.new_value or ""):
                raise UserError(
                    f"{register.label}“{change.record_title}”的{register.field(change.field).label}在此批次之后"
                    f"又被改为“{plain_value(values[change.field])}”，不能整批撤销，数据未改动。"
                )
            restore[change.field] = from_plain(register.field(change.field), change.old_value or "")
        update_record(conn, register, record_id, restore, values["version"], writer)
    return len(by_record)


def _remove_created(conn: Connection, rows: list[Any], writer: ChangeWriter) -> int:
    created: dict[str, list[int]] = {}
    for row in rows:
        created.setdefault(row.register, []).append(row.record_id)
    created_sets = {key: set(ids) for key, ids in created.items()}
    # Children first (reverse declaration order), so nothing is removed from under a reference.
    for register_key in reversed(list(REGISTERS)):
        ids = created.get(register_key)
        if not ids:
            continue
        register = REGISTERS[register_key]
        table = TABLES[register_key]
        snapshots = {}
        for chunk in _chunks(ids):
            for record in conn.execute(select(table).where(table.c.id.in_(chunk))):
                if record.version != 1:
                    title = record._mapping[register.title_field]
                    raise UserError(f"{register.label}“{title}”在导入后已被修改，不能整批撤销，数据未改动。")
                snapshots[record.id] = dict(record._mapping)
        _refuse_if_referenced(conn, register_key, ids, created_sets)
        writer.deleted_many(register, [(i, snapshots[i]) for i in ids if i in snapshots])
        for chunk in _chunks(ids):
            conn.execute(delete(table).where(table.c.id.in_(chunk)))
    return sum(len(ids) for ids in created.values())


def _refuse_if_referenced(conn: Connection, register_key: str, ids: list[int], created: dict[str, set[int]]) -> None:
    """Records of this batch that others (not of this batch) now refer to cannot be removed."""
    for child_key, child in REGISTERS.items():
        for ref in child.ref_fields:
            if ref.ref != register_key:
                continue
            table = TABLES[child_key]
            ours = created.get(child_key, set())
            for chunk in _chunks(ids):
                for child_id, parent_id in conn.execute(
                    select(table.c.id, table.c[ref.key]).where(table.c[ref.key].in_(chunk))
                ):
                    if child_id not in ours:
                        parent = REGISTERS[register_key]
                        raise UserError(
                            f"{parent.label}（编号 {parent_id}）在导入后已登记了{child.label}，"
                            "不能整批撤销，数据未改动。"
                        )
