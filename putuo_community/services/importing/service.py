"""The import use case: read a sheet, suggest a mapping, plan the rows, commit all or nothing.

The plan is a dry run: each row is new, an update (with the changed fields), unchanged,
an error (with the reason) or a near match a person must confirm. Nothing is written
until `commit`, which writes every accepted row in one transaction and one history batch.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy import exc as sa_exc

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.errors import PermissionDenied, UserError
from putuo_community.domain.parsing import neighbourhood_key
from putuo_community.domain.registers import ESTATE_ALIASES, NEIGHBOURHOODS
from putuo_community.services.backups import BackupService
from putuo_community.services.bulkwork import paused_gc
from putuo_community.services.history import ChangeWriter
from putuo_community.services.importing.kinds import get_import_kind
from putuo_community.services.importing.plan import (
    ImportPlan,
    ImportResult,
    ImportSource,
    NewNeighbourhood,
    RowPlan,
    RowStatus,
)
from putuo_community.services.importing.planner import PROGRESS_STEPS, Planner
from putuo_community.services.importing.references import street_in_text
from putuo_community.services.mappings import MappingStore
from putuo_community.services.permissions import Permissions
from putuo_community.services.records import insert_record, update_record
from putuo_community.storage.bulk import BulkWriter
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES, now

log = logging.getLogger(__name__)


class ImportService:
    def __init__(
        self,
        database: Database,
        *,
        user: str,
        mappings: MappingStore | None = None,
        backups: BackupService | None = None,
        actor: Actor | None = None,
    ) -> None:
        self.database = database
        self.user = user
        self.permissions = Permissions(database, actor or Actor.local(user))
        self.mappings = mappings
        self.backups = backups  # a backup is taken before each commit into an archive that holds records

    # The spreadsheet readers (python-calamine, openpyxl) load with the first file read, not at start-up.

    def sheets(self, path: Path) -> list[str]:
        from putuo_community.io.workbook import sheet_names

        return sheet_names(path)

    def read(self, kind_key: str, path: Path, *, sheet: str | None = None) -> ImportSource:
        """Read a sheet, find its table and suggest a mapping (a remembered one for a known shape)."""
        from putuo_community.io import prefetch
        from putuo_community.io.table import detect_table, header_signature, suggest_mapping
        from putuo_community.io.workbook import read_sheet

        kind = get_import_kind(kind_key)
        with paused_gc():
            grid = prefetch.take(path, sheet)  # read already if the command began it while starting
            if grid is None:
                grid = read_sheet(path, sheet)
            table = detect_table(grid, kind.register)
        signature = header_signature(table)
        mapping = suggest_mapping(table, kind.register, extra=kind.lookups)
        remembered = False
        if self.mappings is not None:
            stored = self.mappings.get(kind.key, signature)
            if stored is not None:
                mapping, remembered = stored, True
        default_street = street_in_text(grid.name) or street_in_text(path.stem)
        with self.database.read() as conn:
            street_id = (
                conn.scalar(select(TABLES["streets"].c.id).where(TABLES["streets"].c.name == default_street))
                if default_street
                else None
            )
        return ImportSource(kind, path, grid.name, table, mapping, signature, street_id, remembered)

    def remember_mapping(self, source: ImportSource, mapping: Mapping[int, str]) -> None:
        if self.mappings is not None:
            self.mappings.put(source.kind.key, source.signature, dict(mapping))

    def plan(
        self,
        source: ImportSource,
        mapping: Mapping[int, str] | None = None,
        *,
        confirmations: Mapping[int, int | None] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportPlan:
        """The dry run: what importing would do to each row. Writes nothing.

        `progress(rows done, rows)` is called every few hundred rows; an exception it raises stops the plan.
        """
        chosen = dict(source.mapping if mapping is None else mapping)
        with self.database.read() as conn, paused_gc():
            planner = Planner(conn, source, chosen, confirmations or {})
            plan = planner.run(progress)
            if self.permissions.street_bound and self.permissions.may(import_action(plan)):
                plan = _refuse_other_streets(conn, plan, self.permissions)
            return plan

    def commit(
        self,
        plan: ImportPlan,
        *,
        skip_rejected: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportResult:
        """Write every accepted row in one transaction, or nothing.

        With rejected rows (errors, unconfirmed near matches) the user must choose to
        import only the valid rows (`skip_rejected`); the result lists the skipped ones.
        `progress(rows written, rows)` is called every few hundred rows; an exception it raises
        rolls the whole import back: no row, no history batch, no change announced.
        """
        self.permissions.require(import_action(plan))
        if plan.problems:
            raise UserError("文件不能导入：" + "；".join(plan.problems))
        if plan.rejected and not skip_rejected:
            raise UserError(f"有 {len(plan.rejected)} 行不能导入（错误或待确认）。请改正后重试，或选择只导入无误的行。")
        register = plan.source.kind.register
        unchanged = plan.count(RowStatus.UNCHANGED)
        if not plan.accepted:
            return ImportResult(None, 0, 0, unchanged, plan.rejected)
        description = f"导入{register.label}：{plan.source.path.name}（{plan.source.sheet}）"
        if self.backups is not None:
            self.backups.before("import")
        try:
            with self.database.transaction() as conn, paused_gc():
                _check_accepted(conn, plan, self.permissions)  # a plan made for another account, or before a move
                writer = ChangeWriter(conn, user=self.user, kind="导入", description=description)
                tally = _WrittenRows(len(plan.accepted), progress)
                neighbourhood_ids = _create_neighbourhoods(conn, plan, writer)
                created = _insert_new(conn, plan, writer, neighbourhood_ids, tally)
                updated, aliases = _apply_updates(conn, plan, writer, neighbourhood_ids, tally)
                batch_id = writer.batch_id
        except sa_exc.IntegrityError as exc:
            # The archive changed after the check (another import, or a clerk, wrote the same records).
            log.info("import of %s refused, the archive changed since its check: %s", plan.source.path.name, exc.orig)
            raise UserError(
                "核对之后，数据库中已有人写入了同样的记录（可能另一项导入同时进行）。"
                "本次导入没有写入任何数据，请重新核对后再导入。"
            ) from exc
        log.info("import batch %s: %s", batch_id, description)
        return ImportResult(batch_id, created, updated, unchanged, plan.rejected, aliases, len(neighbourhood_ids))

    def write_report(self, plan: ImportPlan, path: Path) -> int:
        """The rows not imported, with their original values and the reason, as a workbook that re-imports.

        It names the columns the mapping leaves out as well, with a sample value of each.
        """
        from putuo_community.io.report import LeftOutColumn, write_error_report

        columns = plan.source.table.columns
        lines = {r.line: r for r in plan.rejected}
        rows = [
            (
                row.line,
                [row.cells[c.index] if c.index < len(row.cells) else None for c in columns],
                lines[row.line].reason,
            )
            for row in plan.source.table.rows
            if row.line in lines
        ]
        positions = {c.index: position for position, c in enumerate(columns)}
        left_out = [LeftOutColumn(positions[c.index], c.header, c.sample) for c in plan.unmapped]
        write_error_report(
            path,
            headers=[c.text for c in columns],
            rows=rows,
            title=f"{plan.source.kind.label}导入错误行",
            left_out=left_out,
        )
        return len(rows)


# -- who may import what ---------------------------------------------------------------------


def import_action(plan: ImportPlan) -> Action:
    """Importing credit events records credit (区级监管, 管理员); any other register is an import of records."""
    return Action.RECORD_CREDIT if plan.source.kind.register.key == "credit_events" else Action.IMPORT


def _refuse_other_streets(conn: Connection, plan: ImportPlan, permissions: Permissions) -> ImportPlan:
    """A 街镇经办人's plan: each new or changed row of another 街镇 becomes an error row naming that 街镇,
    so the clerk may import their own rows (`skip_rejected`) and hand the others to whom they belong."""
    register = plan.source.kind.register
    action = import_action(plan)
    writing = [r for r in plan.rows if r.status in (RowStatus.NEW, RowStatus.UPDATE)]
    refused = permissions.refusals(conn, register, [(r.values, r.record_id) for r in writing], action=action)
    why = {r.line: reason for r, reason in zip(writing, refused, strict=True) if reason is not None}
    if not why:
        return plan
    rows = tuple(
        r._replace(status=RowStatus.ERROR, problems=(*r.problems, why[r.line])) if r.line in why else r
        for r in plan.rows
    )
    own = [
        (street_id, name) for street_id, name in plan.new_neighbourhoods if permissions.may_street(action, street_id)
    ]
    return dataclasses.replace(plan, rows=rows, new_neighbourhoods=tuple(own))


def _check_accepted(conn: Connection, plan: ImportPlan, permissions: Permissions) -> None:
    """Refuse the whole import if a row it would write is not the actor's (the plan marks such rows as errors)."""
    action = import_action(plan)
    if not permissions.street_bound:
        return
    register = plan.source.kind.register
    refused = permissions.refusals(conn, register, [(r.values, r.record_id) for r in plan.accepted], action=action)
    reason = next((r for r in refused if r is not None), None)
    if reason is None:
        reason = next(
            (
                permissions.actor.why_not_in_street(action, street_id)
                for street_id, _neighbourhood in plan.new_neighbourhoods
                if not permissions.may_street(action, street_id)
            ),
            None,
        )
    if reason is not None:
        raise PermissionDenied(f"{reason}。本次导入没有写入任何数据")


# -- committing -----------------------------------------------------------------------------

# New rows are written in chunks, so progress (and a cancel) comes between them; a chunk stays large
# enough for executemany and the in-database history copy to keep their speed.
MIN_INSERT_CHUNK = 1000


class _WrittenRows:
    """Counts the rows written and tells `progress` every `step` of them (at most PROGRESS_STEPS times)."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total = total
        self.progress = progress
        self.step = max(total // PROGRESS_STEPS, 1)
        self.done = 0
        self._next_report = self.step
        if progress is not None:
            progress(0, total)

    def add(self, rows: int) -> None:
        self.done += rows
        if self.progress is not None and (self.done >= self._next_report or self.done == self.total):
            self._next_report = (self.done // self.step + 1) * self.step
            self.progress(self.done, self.total)


def _create_neighbourhoods(conn: Connection, plan: ImportPlan, writer: ChangeWriter) -> dict[tuple[int, str], int]:
    created = {}
    for street_id, name in plan.new_neighbourhoods:
        key = (street_id, neighbourhood_key(name))
        values = {f.key: None for f in NEIGHBOURHOODS.fields} | {"street_id": street_id, "name": name}
        created[key] = insert_record(conn, NEIGHBOURHOODS, values, writer)
    return created


def _resolved(values: dict[str, Any], neighbourhood_ids: Mapping[tuple[int, str], int]) -> dict[str, Any]:
    """The row's values with the 居委会 created by this import in place of their placeholders."""
    placeholder = values.get("neighbourhood_id")  # the only field that can hold one
    if isinstance(placeholder, NewNeighbourhood):
        return {**values, "neighbourhood_id": neighbourhood_ids[placeholder.key]}
    return values


def _insert_new(
    conn: Connection,
    plan: ImportPlan,
    writer: ChangeWriter,
    neighbourhood_ids: Mapping[tuple[int, str], int],
    tally: _WrittenRows,
) -> int:
    register = plan.source.kind.register
    new_rows = [r for r in plan.rows if r.status is RowStatus.NEW]
    if not new_rows:
        return 0
    bulk = BulkWriter(conn, now())
    empty = dict.fromkeys(register.field_keys)
    chunk = max(tally.step, MIN_INSERT_CHUNK)
    for start in range(0, len(new_rows), chunk):
        created = []
        for row in new_rows[start : start + chunk]:
            given = _resolved(row.values, neighbourhood_ids)
            record_id = bulk.add(register.key, empty | given)
            created.append((record_id, given))
        bulk.flush()
        writer.created_many(register, created)  # the chunk's ids are consecutive: history copies them in SQL
        tally.add(len(created))
    bulk.advance_sequences()
    return len(new_rows)


def _apply_updates(
    conn: Connection,
    plan: ImportPlan,
    writer: ChangeWriter,
    neighbourhood_ids: Mapping[tuple[int, str], int],
    tally: _WrittenRows,
) -> tuple[int, int]:
    updated = aliases = 0
    for row in plan.rows:
        if row.status is RowStatus.UPDATE:
            row_updated, alias_added = _apply_update(conn, plan, row, writer, neighbourhood_ids)
            updated += row_updated
            aliases += alias_added
            tally.add(1)
    return updated, aliases


def _apply_update(
    conn: Connection,
    plan: ImportPlan,
    row: RowPlan,
    writer: ChangeWriter,
    neighbourhood_ids: Mapping[tuple[int, str], int],
) -> tuple[bool, bool]:
    """Write one row's changes (and the estate name it used, as an alias): (record updated, alias added)."""
    register = plan.source.kind.register
    if row.record_id is None or row.version is None:
        return False, False
    changes = {c.key: _resolved(row.values, neighbourhood_ids)[c.key] for c in row.changes}
    if changes:
        update_record(conn, register, row.record_id, changes, row.version, writer)
    name = row.values.get("name")
    if register.is_estate and isinstance(name, str):
        current = conn.scalar(select(TABLES["estates"].c.name).where(TABLES["estates"].c.id == row.record_id))
        alias_table = TABLES["estate_aliases"]
        known = conn.scalar(
            select(alias_table.c.id).where(alias_table.c.estate_id == row.record_id, alias_table.c.alias == name)
        )
        if current != name and known is None:
            values = {"estate_id": row.record_id, "alias": name, "source": "导入确认"}
            insert_record(conn, ESTATE_ALIASES, values, writer)
            return True, True
    return bool(changes), False
