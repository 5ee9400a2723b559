"""The change history is chained: every way the program writes it keeps the chain, and any edit made behind its
back (plain SQL on its own connection) breaks it at that row, which `check` names and `undo` refuses to follow."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text

from putuo_community.domain.errors import UserError
from putuo_community.services import Services
from putuo_community.services.history import BULK_HISTORY_ROWS
from putuo_community.storage import chain
from putuo_community.storage.database import Database, open_database, sqlite_url

STORED_0001 = Path(__file__).parents[1] / "data" / "db" / "schema-0001.sqlite3"


def _estates_register(path: Path, rows: int, *, start: int = 0) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["街镇", "小区名称", "地址", "户数"])
    for i in range(start, start + rows):
        sheet.append(["长征镇", f"梅岭北路{i}弄", f"梅岭北路{i}号", 100 + i])
    book.save(path)
    return path


def _import(services: Services, path: Path) -> int:
    plan = services.imports.plan(services.imports.read("estates", path))
    result = services.imports.commit(plan)
    return result.batch_id


def _history(database: Database) -> list[tuple[int, str | None]]:
    with database.read() as conn:
        return [(r[0], r[1]) for r in conn.exec_driver_sql("SELECT id, chain_hash FROM change_history ORDER BY id")]


def _break(database: Database) -> chain.Break | None:
    with database.read() as conn:
        return chain.first_break(conn)


def _behind_the_programs_back(database: Database, sql: str, **params: object) -> int | None:
    """Run `sql` on a connection of its own, as another tool would (on SQLite or on the server); the new max id."""
    with database.engine.begin() as raw:
        raw.execute(text(sql), params)
        return raw.execute(text("SELECT max(id) FROM change_history")).scalar()


@pytest.fixture
def written(services: Services, database: Database, tmp_path: Path) -> Services:
    """A history written every way the program writes it: a large import (SQLite copies the rows), a small one,
    a form's create, update and delete, and an undo."""
    _import(services, _estates_register(tmp_path / "大.xlsx", BULK_HISTORY_ROWS + 30))
    small = _import(services, _estates_register(tmp_path / "小.xlsx", 3, start=5000))
    estate = services.records.create("estates", {"street_id": 1, "name": "兰溪青年公寓", "households": 640})
    version = services.records.get("estates", estate).version
    services.records.update("estates", estate, {"households": 650}, expected_version=version)
    services.records.delete("estates", estate, expected_version=version + 1)
    services.batches.undo(small)
    return services


def test_every_way_of_writing_history_keeps_one_unbroken_chain(written: Services, database: Database) -> None:
    rows = _history(database)
    assert len(rows) > BULK_HISTORY_ROWS + 30 + 3 + 3
    assert all(hash_ is not None and len(hash_) == 64 for _, hash_ in rows)
    assert len({hash_ for _, hash_ in rows}) == len(rows)
    assert _break(database) is None
    assert written.integrity.check() == []


# Each tampering, and which row (by position in the history) `check` must name for it.
TAMPERINGS = {
    "a value changed": ("UPDATE change_history SET new_value = '9999' WHERE id = :id", 2, 2),
    "a row deleted": ("DELETE FROM change_history WHERE id = :id", 5, 6),  # the row after the gap no longer follows
    "the operator changed": ("""UPDATE change_history SET "user" = '他人' WHERE id = :id""", 7, 7),
    "a hash cleared": ("UPDATE change_history SET chain_hash = NULL WHERE id = :id", -1, -1),
}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_an_edit_behind_the_programs_back_is_named_by_its_row(
    written: Services, database: Database, tampering: str
) -> None:
    sql, edited, named = TAMPERINGS[tampering]
    ids = [row_id for row_id, _ in _history(database)]
    _behind_the_programs_back(database, sql, id=ids[edited])
    problems = written.integrity.check()
    assert len(problems) == 1
    assert f"变更记录第 {ids[named]} 条" in problems[0]
    assert "在程序之外被改动、删除或插入过" in problems[0]


def test_a_row_inserted_by_hand_breaks_the_chain(written: Services, database: Database) -> None:
    forged = _behind_the_programs_back(
        database,
        "INSERT INTO change_history (version, created_at, updated_at, changed_at, action, register, record_title)"
        " VALUES (1, '2026-11-01 09:00', '2026-11-01 09:00', '2026-11-01 09:00', '新增', 'estates', '假小区')",
    )
    found = _break(database)
    assert found is not None
    assert found.id == forged
    assert "假小区" in chain.describe_break(found)


def test_undo_refuses_to_follow_an_edited_history_and_changes_nothing(
    services: Services, database: Database, tmp_path: Path
) -> None:
    batch = _import(services, _estates_register(tmp_path / "小.xlsx", 3))
    # Make the undo "restore" a different estate name.
    _behind_the_programs_back(
        database, "UPDATE change_history SET record_title = '别的小区' WHERE batch_id = :b", b=batch
    )
    before = services.records.count("estates")
    with pytest.raises(UserError) as refused:
        services.batches.undo(batch)
    assert "撤销只依据完好的变更记录" in refused.value.message
    assert "数据未改动" in refused.value.message
    assert services.records.count("estates") == before


def test_undo_of_a_later_batch_is_not_blocked_by_its_own_sound_rows(services: Services, tmp_path: Path) -> None:
    _import(services, _estates_register(tmp_path / "一.xlsx", 3))
    second = _import(services, _estates_register(tmp_path / "二.xlsx", 2, start=100))
    assert services.batches.undo(second) == 2


def test_an_archive_from_before_the_chain_joins_it_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / STORED_0001.name
    shutil.copy(STORED_0001, path)
    db = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    try:
        rows = _history(db)
        assert len(rows) == 4
        assert all(hash_ for _, hash_ in rows)
        assert _break(db) is None
        services = Services.build(db, user="测试员")
        estate = services.records.list("estates", order_by=("id",))[0]
        services.records.update("estates", estate.id, {"households": 999}, expected_version=estate.version)
        assert _break(db) is None  # the program's next write goes on from the migrated chain
        with closing(sqlite3.connect(path)) as raw, raw:
            raw.execute("UPDATE change_history SET user = '他人' WHERE id = 2")
        found = _break(db)
        assert found is not None
        assert found.id == 2
    finally:
        db.dispose()
