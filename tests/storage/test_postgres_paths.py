"""What only a PostgreSQL server runs: the id counters moved past a bulk write's own ids, the advisory lock that
keeps two writers from forking the history chain, a large import's history written without SQLite's copy, the
server's DETAIL kept out of error texts, and attachments and file backups refused plainly.

These need a server: `PUTUO_TEST_DATABASE_URL` (CI's `.ci/run` starts one with `.ci/postgres.sh`).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from pg_support import test_database_url
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, insert, select, text

from putuo_community.domain.errors import DuplicateRecord, UserError
from putuo_community.logs import setup_logging
from putuo_community.services import Services
from putuo_community.services.backups import BackupService
from putuo_community.services.history import BULK_HISTORY_ROWS
from putuo_community.storage import chain
from putuo_community.storage.bulk import BulkWriter
from putuo_community.storage.database import DETAIL_HIDDEN, Database
from putuo_community.storage.schema import TABLES, now

pytestmark = [
    pytest.mark.skipif(
        test_database_url() is None,
        reason="PostgreSQL-only code paths: set PUTUO_TEST_DATABASE_URL to a server (.ci/run does: .ci/postgres.sh)",
    ),
    pytest.mark.server_only,
]
ESTATES = TABLES["estates"]
HISTORY = TABLES["change_history"]


def _estate_row(street_id: int, name: str) -> dict[str, Any]:
    return {c.name: None for c in ESTATES.c if c.name not in {"id", "version", "created_at", "updated_at"}} | {
        "street_id": street_id,
        "name": name,
    }


def _bulk_estates(database: Database, names: list[str], *, advance: bool) -> list[int]:
    with database.transaction() as conn:
        writer = BulkWriter(conn, datetime(2026, 5, 1, 9, 0))
        ids = [writer.add("estates", _estate_row(1, name)) for name in names]
        writer.flush()
        if advance:
            writer.advance_sequences()
    return ids


def test_the_server_is_really_postgresql(database: Database) -> None:
    assert database.engine.dialect.name == "postgresql"
    assert not database.is_sqlite


def test_after_a_bulk_write_the_next_form_gets_the_next_id(database: Database, services: Services) -> None:
    ids = _bulk_estates(database, ["真如一村", "真如二村", "真如三村"], advance=True)
    assert ids == [1, 2, 3]  # the writer's own ids, not the server's counter
    created = services.records.create("estates", {"street_id": 1, "name": "真如四村"})
    assert created == 4
    assert services.records.count("estates") == 4


def test_without_moving_the_counter_the_next_insert_would_collide(database: Database, services: Services) -> None:
    """Why `advance_sequences` exists: the server's counter knows nothing of ids given by the writer."""
    _bulk_estates(database, ["真如一村", "真如二村"], advance=False)
    with pytest.raises(DuplicateRecord):  # the server's id 1 is the writer's 真如一村 already
        services.records.create("estates", {"street_id": 1, "name": "真如三村"})
    assert services.records.count("estates") == 2


def test_moving_the_counter_of_an_emptied_table_still_works(database: Database) -> None:
    """GREATEST(…, 1): setval refuses 0, and an empty table's MAX(id) is NULL."""
    with database.transaction() as conn:
        writer = BulkWriter(conn, datetime(2026, 5, 1, 9, 0))
        writer.add("estates", _estate_row(1, "临时小区"))
        writer.flush()
        conn.execute(ESTATES.delete())
        writer.advance_sequences()
        stamp = now()
        added = conn.execute(
            insert(ESTATES).values(street_id=1, name="新小区", version=1, created_at=stamp, updated_at=stamp)
        )
        assert added.inserted_primary_key is not None
        assert added.inserted_primary_key[0] == 2  # the counter stood at 1, as SQLite would count on


def test_a_writer_of_the_chain_holds_the_advisory_lock_until_it_commits(database: Database) -> None:
    key = chain._PG_CHAIN_LOCK
    with database.transaction() as writer:
        assert chain.head(writer) == chain.GENESIS
        with database.engine.connect() as other:
            assert other.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}) is False
            other.rollback()
    with database.engine.connect() as other:
        assert other.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}) is True
        other.rollback()


def test_two_clients_writing_at_once_keep_one_unbroken_chain(database: Database, services: Services) -> None:
    second = Services.build(database, user="第二位经办人")
    failures: list[BaseException] = []

    def write(who: Services, prefix: str) -> None:
        try:
            for n in range(8):
                who.records.create("estates", {"street_id": 1, "name": f"{prefix}{n}号小区"})
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            failures.append(exc)

    threads = [threading.Thread(target=write, args=args) for args in ((services, "甲"), (second, "乙"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert services.records.count("estates") == 16
    with database.read() as conn:
        assert conn.scalar(select(func.count()).select_from(HISTORY)) == 16
        assert chain.first_break(conn) is None
    assert services.integrity.check() == []


def _register(path: Path, rows: int) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["街镇", "小区名称", "户数"])
    for i in range(rows):
        sheet.append(["长征镇", f"梅岭北路{i}弄", 100 + i])
    book.save(path)
    return path


def test_a_large_import_writes_its_history_row_by_row_and_the_next_form_gets_a_new_id(
    services: Services, database: Database, tmp_path: Path
) -> None:
    rows = BULK_HISTORY_ROWS + 1  # large enough that SQLite would copy the history in one statement
    plan = services.imports.plan(services.imports.read("estates", _register(tmp_path / "长征镇.xlsx", rows)))
    result = services.imports.commit(plan)
    assert result.created == rows
    with database.read() as conn:
        history = conn.execute(
            select(HISTORY.c.record_id, HISTORY.c.new_value).where(HISTORY.c.batch_id == result.batch_id)
        ).all()
        assert chain.first_break(conn) is None
    assert len(history) == rows
    assert len({record_id for record_id, _ in history}) == rows
    assert all('"name"' in new_value for _, new_value in history)
    created = services.records.create("estates", {"street_id": 1, "name": "兰溪青年公寓"})
    assert created == rows + 1


def test_the_servers_detail_never_quotes_a_personal_number(database: Database, tmp_path: Path) -> None:
    """PostgreSQL's DETAIL quotes the whole failing row; hide_parameters alone does not hide it."""
    setup_logging(tmp_path / "logs" / "test.log")
    row = {
        "term_id": 999_999,
        "name": None,  # NOT NULL: the server answers with the failing row
        "role": "委员",
        "id_number": "310107196503124417",
        "phone": "13812345678",
        "version": 1,
        "created_at": now(),
        "updated_at": now(),
    }
    with pytest.raises(sa_exc.IntegrityError) as caught, database.transaction() as conn:
        conn.execute(insert(TABLES["committee_members"]), [row])
    logging.getLogger(__name__).error("failed", exc_info=caught.value)
    said = str(caught.value) + str(caught.value.orig)
    assert "not-null constraint" in said  # what went wrong is still said
    assert DETAIL_HIDDEN.strip() in said
    logged = (tmp_path / "logs" / "test.log").read_text(encoding="utf-8")
    for text_ in (said, logged):
        assert "310107196503124417" not in text_
        assert "13812345678" not in text_


def test_attachments_are_refused_on_a_server_and_nothing_is_stored(services: Services, tmp_path: Path) -> None:
    estate = services.records.create("estates", {"street_id": 1, "name": "梅川一村"})
    scan = tmp_path / "备案证明.pdf"
    scan.write_bytes(b"%PDF-1.4 scan\n" * 50)
    with pytest.raises(UserError) as refused:
        services.attachments.add(estate, scan, kind="其他")
    assert "当前数据库在服务器上" in refused.value.message
    assert "不能添加或打开附件" in refused.value.message
    assert services.records.count("attachments") == 0


def test_file_backups_are_refused_on_a_server_the_servers_own_backup_applies(
    database: Database, tmp_path: Path
) -> None:
    backups = BackupService(database, tmp_path / "backups")
    assert not backups.available
    with pytest.raises(UserError, match=r"服务器上的数据库用 pg_dump 备份，备份文件的扩展名应为 \.dump"):
        backups.backup(out=tmp_path / "拷贝.sqlite3")  # pg_dump backups: see test_server_clients.py
    assert backups.before("导入") is None  # an import on a server goes ahead without a file copy
    assert backups.ensure_daily() is None
    assert not (tmp_path / "拷贝.sqlite3").exists()
    assert not (tmp_path / "backups").exists()
