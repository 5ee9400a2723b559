"""What a district server must survive: two clients saving the same estate, an import by one client while another
reads, a connection lost in the middle of a save, and backups taken and put back with pg_dump and pg_restore.

Each client is a `Services` on an engine of its own, as two computers would be. The two-client save runs on a
SQLite file too; the rest is about the server (`PUTUO_TEST_DATABASE_URL`; CI's `.ci/run` starts one).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from openpyxl import Workbook
from pg_support import test_database_url
from sqlalchemy import Engine, create_engine, event, func, select, text, update
from sqlalchemy.engine import make_url

from putuo_community.domain.errors import ConcurrentEdit, ConnectionLost, UserError
from putuo_community.services import Services, server_backup
from putuo_community.services import backups as backups_module
from putuo_community.services.backups import BackupService, BadBackup
from putuo_community.services.server_backup import conninfo, find_server_tools, tool_complaint
from putuo_community.storage import chain
from putuo_community.storage.database import HEAD_REVISION, Database, open_database
from putuo_community.storage.schema import TABLES, now

_NEEDS_SERVER = pytest.mark.skipif(
    test_database_url() is None, reason="a PostgreSQL server: set PUTUO_TEST_DATABASE_URL (.ci/run: .ci/postgres.sh)"
)
F = TypeVar("F", bound=Callable[..., None])


def server_only(test: F) -> F:
    """A test about the server alone: given the server's database, and skipped without one."""
    return _NEEDS_SERVER(pytest.mark.server_only(test))  # type: ignore[no-any-return]


ESTATES = TABLES["estates"]
HISTORY = TABLES["change_history"]
TODAY = date(2026, 5, 11)


@pytest.fixture
def other_database(database: Database) -> Iterator[Database]:
    """The same database opened by a second client: an engine (and pool) of its own."""
    other = open_database(database.url.render_as_string(hide_password=False))
    yield other
    other.dispose()


@pytest.fixture
def other(other_database: Database) -> Services:
    return Services.build(other_database, user="第二位经办人")


@pytest.fixture
def admin(database: Database) -> Iterator[Engine]:
    """A third connection to the server, for what an operator would do: watch sessions, end one."""
    engine = create_engine(database.url, isolation_level="AUTOCOMMIT", hide_parameters=True)
    yield engine
    engine.dispose()


def _history_rows(database: Database) -> int:
    with database.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(HISTORY)) or 0)


# -- two clients, one estate ------------------------------------------------------------------------


def test_the_second_of_two_clients_saving_one_estate_is_refused_and_sees_both_versions(
    services: Services, other: Services
) -> None:
    estate_id = services.records.create("estates", {"street_id": 1, "name": "曹杨新村", "households": 500})
    mine_before = services.records.get("estates", estate_id)
    theirs_before = other.records.get("estates", estate_id)
    assert mine_before.version == theirs_before.version == 1

    services.records.update("estates", estate_id, {"households": 640}, expected_version=1)
    attempted = {"households": 999, "fee": Decimal("1.20")}
    with pytest.raises(ConcurrentEdit) as refused:
        other.records.update("estates", estate_id, attempted, expected_version=theirs_before.version)
    assert "您看到的是第 1 版，现在是第 2 版" in refused.value.message
    assert "您的修改未保存" in refused.value.message

    # What the conflict dialog shows the second clerk: the version now stored (read through their own engine)
    # beside their own edits, which they still hold; nothing of theirs was written.
    stored = other.records.get("estates", estate_id)
    assert stored.version == 2
    assert stored.values["households"] == 640
    assert stored.values["fee"] is None
    assert [c.field_label for c in services.history.for_estate(estate_id) if c.action == "修改"] == ["户数"]

    # 重新应用: their edits on top of the stored version go through.
    assert other.records.update("estates", estate_id, attempted, expected_version=stored.version) == 3
    assert services.records.get("estates", estate_id).values["households"] == 999


@server_only
def test_two_saves_at_the_same_moment_the_one_that_waited_is_refused(
    database: Database, other: Services, admin: Engine
) -> None:
    """Both clients past the version check at once: the server's row lock makes the second wait, and its
    `WHERE version = 1` then finds no row, so it is refused instead of overwriting."""
    created = other.records.create("estates", {"street_id": 1, "name": "真如西村", "households": 300})
    outcome: list[BaseException | int] = []

    def second_save() -> None:
        try:
            outcome.append(other.records.update("estates", created, {"households": 999}, expected_version=1))
        except BaseException as exc:  # the refusal is the expected outcome; anything else fails below
            outcome.append(exc)

    with database.transaction() as first:  # the first client's save, in the middle of its transaction
        first.execute(update(ESTATES).where(ESTATES.c.id == created).values(households=640, version=2))
        waiting = threading.Thread(target=second_save)
        waiting.start()
        _wait_until(lambda: _sessions_waiting_for_a_lock(admin) == 1, "the second save to wait for the row")
    waiting.join(timeout=30)
    assert len(outcome) == 1
    assert isinstance(outcome[0], ConcurrentEdit), outcome[0]
    assert "已被他人修改" in outcome[0].message
    stored = other.records.get("estates", created)
    assert (stored.version, stored.values["households"]) == (2, 640)


def _sessions_waiting_for_a_lock(admin: Engine) -> int:
    with admin.connect() as conn:
        return int(
            conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
            or 0
        )


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# -- an import while another client reads -------------------------------------------------------------


def _register(path: Path, rows: int) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["街镇", "小区名称", "户数", "物业费"])
    for i in range(rows):
        sheet.append(["长征镇", f"梅岭北路{i}弄", 100 + i % 900, 1.5])
    book.save(path)
    return path


IMPORTED = 3000


@server_only
def test_a_client_reading_while_another_imports_sees_the_archive_before_or_after_never_half(
    services: Services, other: Services, tmp_path: Path
) -> None:
    for n in range(5):
        services.records.create("estates", {"street_id": 2, "name": f"宜川{n}村", "households": 400})
    before_reminders = len(other.reminders.list(today=TODAY))
    plan = services.imports.plan(services.imports.read("estates", _register(tmp_path / "长征镇.xlsx", IMPORTED)))
    assert len(plan.accepted) == IMPORTED

    seen: set[int] = set()
    reads_during_import = 0
    failures: list[BaseException] = []
    importing = threading.Event()
    finished = threading.Event()

    def read_repeatedly() -> None:
        nonlocal reads_during_import
        try:
            while not finished.is_set():
                during = importing.is_set()
                seen.add(other.records.count("estates"))
                seen.add(len(other.records.list("estates", order_by=("name",))))
                other.reminders.list(today=TODAY)
                reads_during_import += during
        except BaseException as exc:  # reported below: a reader's failure must fail the test
            failures.append(exc)

    reader = threading.Thread(target=read_repeatedly)
    reader.start()
    try:
        importing.set()
        result = services.imports.commit(plan, progress=lambda done, total: time.sleep(0.01))
        importing.clear()
        time.sleep(0.2)  # a few reads after the commit too
    finally:
        finished.set()
        reader.join(timeout=60)
    assert failures == []
    assert result.created == IMPORTED
    assert reads_during_import >= 2  # the reader was really at work while the import ran
    assert seen == {5, 5 + IMPORTED}  # old, then new: never part of the import
    assert other.records.count("estates") == 5 + IMPORTED
    assert len(other.reminders.list(today=TODAY)) >= before_reminders


# -- a connection lost in the middle of a save ------------------------------------------------------


def _end_sessions(admin: Engine, state: str) -> int:
    """End every session of the test database in `state` (as a network cut or a server restart would); returns
    how many, once they are gone."""
    query = (
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = :state "
        "AND pid <> pg_backend_pid()"
    )
    with admin.connect() as conn:
        pids = list(conn.scalars(text(query), {"state": state}))
        for pid in pids:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    _wait_until(lambda: not set(pids) & _session_pids(admin), "the ended sessions to go")
    return len(pids)


def _session_pids(admin: Engine) -> set[int]:
    with admin.connect() as conn:
        return set(conn.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")))


LOST_MID_SAVE = "的连接中断，本次修改没有保存"


@server_only
def test_a_connection_lost_in_the_middle_of_an_import_says_so_and_writes_nothing(
    services: Services, database: Database, admin: Engine, tmp_path: Path
) -> None:
    services.records.create("estates", {"street_id": 1, "name": "真如一村", "households": 500})
    history_before = _history_rows(database)
    plan = services.imports.plan(services.imports.read("estates", _register(tmp_path / "长征镇.xlsx", 1200)))
    ended: list[int] = []

    def cut_once(done: int, total: int) -> None:
        if not ended and 0 < done < total:  # rows written, more to come: the network goes
            ended.append(_end_sessions(admin, "idle in transaction"))

    with pytest.raises(ConnectionLost) as lost:
        services.imports.commit(plan, progress=cut_once)
    assert ended == [1]
    message = lost.value.message
    assert LOST_MID_SAVE in message
    assert "请检查网络后重试" in message
    for leak in ("INSERT", "SELECT", "psycopg", "estates", "梅岭北路"):
        assert leak not in message
    # Nothing of it was written, and the same services work again on a fresh connection.
    assert services.records.count("estates") == 1
    assert _history_rows(database) == history_before
    assert services.imports.commit(plan).created == 1200
    assert services.records.count("estates") == 1201


@server_only
def test_a_connection_lost_between_a_record_and_its_history_leaves_neither(
    services: Services, database: Database, admin: Engine
) -> None:
    cut: list[int] = []

    def cut_before_history(conn: object, cursor: object, statement: str, *args: object) -> None:
        if not cut and statement.lstrip().upper().startswith("INSERT INTO CHANGE_HISTORY"):
            cut.append(_end_sessions(admin, "idle in transaction"))

    event.listen(database.engine, "before_cursor_execute", cut_before_history)
    try:
        with pytest.raises(ConnectionLost, match=LOST_MID_SAVE) as lost:
            services.records.create("estates", {"street_id": 1, "name": "桃浦新村", "households": 731})
    finally:
        event.remove(database.engine, "before_cursor_execute", cut_before_history)
    assert cut == [1]
    assert "桃浦新村" not in lost.value.message
    assert "731" not in lost.value.message
    assert services.records.count("estates") == 0
    assert _history_rows(database) == 0
    assert services.records.create("estates", {"street_id": 1, "name": "桃浦新村"}) == 2  # id 1 went with the cut


@server_only
def test_a_connection_lost_at_the_commit_says_the_save_may_or_may_not_have_happened(
    services: Services, database: Database, admin: Engine
) -> None:
    cut: list[int] = []

    def cut_at_commit(conn: object) -> None:
        if not cut:
            cut.append(_end_sessions(admin, "idle in transaction"))

    event.listen(database.engine, "commit", cut_at_commit)
    try:
        with pytest.raises(ConnectionLost, match="无法确定本次修改是否已经保存"):
            services.records.create("estates", {"street_id": 1, "name": "石泉新村"})
    finally:
        event.remove(database.engine, "commit", cut_at_commit)
    assert cut == [1]
    assert services.records.count("estates") == 0  # here it was not: the commit never reached the server


@server_only
def test_idle_connections_ended_by_the_server_are_replaced_without_the_clerk_noticing(
    services: Services, admin: Engine
) -> None:
    services.records.create("estates", {"street_id": 1, "name": "甘泉新村"})
    assert _end_sessions(admin, "idle") >= 1  # the pool's idle connections: a server restart overnight
    assert services.records.count("estates") == 1  # the pool pings, finds them gone, connects afresh
    assert services.records.create("estates", {"street_id": 1, "name": "甘泉二村"}) == 2


# -- backups on the server: pg_dump and pg_restore ---------------------------------------------------


@server_only
def test_a_server_backup_is_a_dump_in_the_backups_folder_and_a_restore_brings_the_data_back(
    database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    services = Services.build(database, user="测试员", backup_dir=folder)
    kept = services.records.create("estates", {"street_id": 1, "name": "真如一村", "households": 500})
    services.records.create("estates", {"street_id": 1, "name": "真如二村", "households": 300})

    taken = services.backups.backup()
    assert taken.parent == folder
    assert taken.suffix == ".dump"
    assert [(b.path, b.reason) for b in services.backups.list()] == [(taken, "手动备份")]
    held = services.backups.inspect(taken)
    assert held.problem is None
    assert held.revision == HEAD_REVISION
    assert held.counts["小区"] == 2

    services.records.update("estates", kept, {"households": 999}, expected_version=1)
    services.records.create("estates", {"street_id": 1, "name": "真如三村"})
    heard: list[bool] = []
    database.changes.subscribe(lambda changes: heard.append(changes.everything))

    saved = services.backups.restore(taken)

    assert heard == [True]  # every open view reloads
    assert services.records.count("estates") == 2
    back = services.records.get("estates", kept)
    assert (back.values["households"], back.version) == (500, 1)
    assert saved is not None  # the state it replaced, kept first
    assert saved.suffix == ".dump"
    assert services.backups.inspect(saved).counts["小区"] == 3
    assert {b.reason for b in services.backups.list()} == {"手动备份", "恢复前"}
    with database.read() as conn:
        assert chain.first_break(conn) is None
    assert services.records.create("estates", {"street_id": 1, "name": "真如四村"}) == 3  # ids go on from the dump's


@server_only
def test_a_restore_refuses_what_is_not_a_dump_of_this_program_and_changes_nothing(
    services: Services, database: Database, tmp_path: Path
) -> None:
    services.records.create("estates", {"street_id": 1, "name": "曹杨一村"})
    garbage = tmp_path / "别的文件.dump"
    garbage.write_bytes(b"PGDMP but not really" * 100)
    with pytest.raises(BadBackup, match="不是有效的 pg_dump 备份文件"):
        services.backups.restore(garbage)
    copy = tmp_path / "旧备份.sqlite3"
    copy.write_bytes(b"SQLite format 3\x00")
    with pytest.raises(BadBackup, match=r"只能用 pg_dump 的备份（\.dump 文件）恢复"):
        services.backups.restore(copy)
    with pytest.raises(UserError, match=r"扩展名应为 \.dump"):
        services.backups.backup(out=tmp_path / "拷贝.sqlite3")
    assert services.records.count("estates") == 1
    assert not (tmp_path / "拷贝.sqlite3").exists()


@server_only
def test_without_pg_dump_on_this_computer_the_servers_own_backup_applies(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups_module, "find_server_tools", lambda: None)
    backups = BackupService(database, tmp_path / "backups")
    with pytest.raises(UserError) as refused:
        backups.backup()
    assert "由服务器管理员负责备份和恢复" in refused.value.message
    assert "没有找到 PostgreSQL 的 pg_dump 和 pg_restore" in refused.value.message
    assert not (tmp_path / "backups").exists()
    assert backups.before("import") is None  # routine copies on a server are the server's own
    assert backups.ensure_daily() is None


@server_only
def test_the_password_reaches_pg_dump_through_the_environment_never_its_command_line(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = "Pu7uo-s3cret"
    with_password = open_database(database.url.set(password=password).render_as_string(hide_password=False))
    try:
        calls: list[tuple[list[str], dict[str, str]]] = []
        real_run = subprocess.run

        def watched(command: list[str], **options: Any) -> Any:
            calls.append((command, options["env"]))
            return real_run(command, **options)

        monkeypatch.setattr(server_backup.subprocess, "run", watched)
        taken = BackupService(with_password, tmp_path).backup(out=tmp_path / "区档案.dump")
        assert taken.stat().st_size > 0
        dump_command, env = calls[0]
        assert Path(dump_command[0]).stem == "pg_dump"
        assert password not in " ".join(dump_command)
        assert env["PGPASSWORD"] == password
        assert "dbname='" in " ".join(dump_command)

        monkeypatch.setattr(server_backup, "LOCK_TIMEOUT_MS", -1)  # the server refuses the setting: a failure
        with pytest.raises(UserError) as failed:
            BackupService(with_password, tmp_path).backup(out=tmp_path / "再来.dump")
        assert "pg_dump 未能完成备份" in failed.value.message
        assert password not in failed.value.message
        assert not (tmp_path / "再来.dump").exists()
    finally:
        with_password.dispose()


def test_the_tools_are_found_in_the_newest_postgresql_folder_that_has_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_backup.shutil, "which", lambda name: None)  # not on PATH
    for version, tools in (("9.6", ("pg_dump", "pg_restore")), ("15", ("pg_dump", "pg_restore")), ("16", ("pg_dump",))):
        folder = tmp_path / "PostgreSQL" / version / "bin"
        folder.mkdir(parents=True)
        for tool in tools:
            (folder / f"{tool}.exe").write_bytes(b"MZ")
    found = find_server_tools(windows_roots=[tmp_path])
    assert found is not None
    assert found.pg_dump == tmp_path / "PostgreSQL" / "15" / "bin" / "pg_dump.exe"
    assert found.pg_restore == tmp_path / "PostgreSQL" / "15" / "bin" / "pg_restore.exe"
    assert find_server_tools(windows_roots=[tmp_path / "没有"]) is None


def test_the_connection_string_for_the_tools_leaves_the_password_out() -> None:
    url = make_url("postgresql+psycopg://jingban:p%40ss@10.1.2.3:5433/putuo?sslmode=require")
    said = conninfo(url)
    assert said == "host='10.1.2.3' port='5433' user='jingban' dbname='putuo' sslmode='require'"
    assert "p@ss" not in said


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "putuo_community", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


@server_only
def test_the_backup_commands_on_a_server_dump_list_and_restore(
    services: Services, database: Database, tmp_path: Path
) -> None:
    services.records.create("estates", {"street_id": 3, "name": "长风一村", "households": 820})
    url = database.url.render_as_string(hide_password=False)
    where = ["--db", url, "--data-dir", str(tmp_path / "data")]
    taken = _cli("backup", *where)
    assert taken.returncode == 0, taken.stderr
    assert "已备份到：" in taken.stdout
    assert ".dump" in taken.stdout
    dump = next((tmp_path / "data" / "backups").glob("*-manual.dump"))  # (`backups` lists it: see the service test)

    services.records.create("estates", {"street_id": 3, "name": "长风二村"})
    restored = _cli("restore", str(dump), "--yes", *where)
    assert restored.returncode == 0, restored.stderr
    assert "小区 1" in restored.stdout  # what the dump holds, shown before it is restored
    assert "已恢复。" in restored.stdout
    assert "恢复前的数据库已备份到：" in restored.stdout
    assert [r.title for r in services.records.list("estates")] == ["长风一村"]


@server_only
def test_a_restore_drops_the_programs_tables_the_dump_lacks_first_or_the_tables_they_refer_to_could_not_go(
    services: Services, database: Database, tmp_path: Path
) -> None:
    """As after restoring a dump from before a migration that added a table (0007's accounts): the added table
    refers to the dump's tables, and pg_restore --clean could not drop those while it stands."""
    estate = services.records.create("estates", {"street_id": 1, "name": "万里城"})
    aliases = TABLES["estate_aliases"]
    with database.transaction() as conn:
        aliases.drop(conn)
    taken = BackupService(database, tmp_path).backup(out=tmp_path / "无别名表.dump")
    with database.transaction() as conn:
        aliases.create(conn)
        stamp = now()
        conn.execute(aliases.insert().values(estate_id=estate, alias="万里", created_at=stamp, updated_at=stamp))
    services.records.create("estates", {"street_id": 1, "name": "万里二村"})

    BackupService(database, None).restore(taken)

    assert [r.title for r in services.records.list("estates")] == ["万里城"]
    with database.read() as conn:
        assert "estate_aliases" not in set(conn.scalars(text("SELECT tablename FROM pg_tables")))


def test_a_tools_complaint_is_shown_without_the_rows_it_quotes_the_statement_or_the_password() -> None:
    said = (
        'pg_restore: error: COPY failed for table "committee_members": ERROR:  value too long\n'
        'CONTEXT:  COPY committee_members, line 1: "7\\t张三\\t310107196503124417\\t13812345678"\n'
        "DETAIL:  Failing row contains (310107196503124417).\n"
        "Command was: ALTER TABLE public.estates OWNER TO jingban;\n"
        "pg_restore: error: connection to server failed: password Pu7uo-s3cret rejected\n"
    )
    shown = tool_complaint(said, "Pu7uo-s3cret")
    assert shown.startswith('pg_restore: error: COPY failed for table "committee_members"')
    assert "password *** rejected" in shown
    for hidden in ("310107196503124417", "13812345678", "ALTER TABLE", "Pu7uo-s3cret"):
        assert hidden not in shown
