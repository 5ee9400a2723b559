"""An archive that may not be written is opened read-only: read as usual, never written, and said why.

We run as root in CI containers, where chmod stops nobody: the automatic detection is simulated by
replacing `why_not_writable`, the one function that asks the file system; what follows from it (the
`mode=ro` open, which SQLite enforces even for root, the refusals, the backups) is the real code.
Where the file system really refuses (not root), the last tests check the detection itself.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from putuo_community.domain.errors import CannotOpenDatabase, EnvironmentProblem, ReadOnlyDatabase
from putuo_community.services import Services
from putuo_community.storage import read_only as read_only_module
from putuo_community.storage.database import Database, open_database, sqlite_url

STORED_DATABASES = Path(__file__).parents[1] / "data" / "db"
FOLDER_REFUSED = "数据库所在的文件夹没有写入权限"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A closed archive file holding one estate."""
    path = tmp_path / "data" / "putuo-community.sqlite3"
    path.parent.mkdir()
    database = open_database(sqlite_url(path))
    services = Services.build(database, user="测试员")
    street = services.records.list("streets", filters={"short_name": "曹杨"})[0]
    services.records.create("estates", {"name": "曹杨新村", "street_id": street.id})
    database.dispose()
    return path


@pytest.fixture
def folder_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file system says the archive's folder cannot be written."""
    monkeypatch.setattr(read_only_module, "why_not_writable", lambda _path: FOLDER_REFUSED)


@pytest.fixture
def read_only_db(archive: Path) -> Iterator[Database]:
    database = open_database(sqlite_url(archive), read_only=True)
    yield database
    database.dispose()


def test_asked_for_read_only_the_archive_reads_and_sqlite_refuses_every_write(archive: Path) -> None:
    before = _digest(archive)
    database = open_database(sqlite_url(archive), read_only=True)
    try:
        services = Services.build(database)
        assert database.read_only
        assert services.records.count("estates") == 1
        with pytest.raises(ReadOnlyDatabase, match=r"数据库以只读方式打开（启动时指定了 --read-only），不能保存修改"):
            services.records.create("estates", {"name": "兰溪青年公寓", "street_id": 1})
        # Past our own refusal, SQLite itself: the connections are opened with mode=ro.
        with pytest.raises(EnvironmentProblem), database.read() as conn:
            conn.exec_driver_sql("DELETE FROM estates")
        assert services.records.count("estates") == 1
    finally:
        database.dispose()
    raw = read_only_module.connect_read_only(archive)  # SQLite's own mode=ro, without our query_only
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        raw.execute("UPDATE estates SET name = '改过的名字'")
    raw.close()
    assert _digest(archive) == before


def test_a_folder_that_cannot_be_written_opens_read_only_and_says_why(archive: Path, folder_refused: None) -> None:
    before = _digest(archive)
    database = open_database(sqlite_url(archive))
    try:
        assert database.read_only_reason == FOLDER_REFUSED
        services = Services.build(database)
        assert services.writes_refused == f"数据库以只读方式打开（{FOLDER_REFUSED}），不能保存修改。"
        assert [e.title for e in services.records.list("estates")] == ["曹杨新村"]
        with pytest.raises(ReadOnlyDatabase, match=FOLDER_REFUSED):
            services.records.update("estates", 1, {"households": 900}, expected_version=1)
    finally:
        database.dispose()
    assert _digest(archive) == before


def test_a_writable_archive_is_not_read_only(archive: Path) -> None:
    assert read_only_module.why_not_writable(archive) is None
    database = open_database(sqlite_url(archive))
    try:
        assert not database.read_only
        assert database.writes_refused is None
    finally:
        database.dispose()
    assert not list(archive.parent.glob(".putuo-write-check-*"))  # the folder's probe file is gone


def test_no_database_is_made_where_none_can_be_written(tmp_path: Path, folder_refused: None) -> None:
    missing = tmp_path / "新数据库.sqlite3"
    with pytest.raises(CannotOpenDatabase, match=r"无法在.*中新建数据库"):
        open_database(sqlite_url(missing))
    with pytest.raises(CannotOpenDatabase, match="以只读方式打开时不会新建数据库"):
        open_database(sqlite_url(missing), read_only=True)
    assert not missing.exists()


def test_an_older_schema_opened_read_only_is_refused_with_a_message_and_untouched(tmp_path: Path) -> None:
    old = tmp_path / "旧版本.sqlite3"
    shutil.copy(STORED_DATABASES / "schema-0001.sqlite3", old)
    before = _digest(old)
    with pytest.raises(ReadOnlyDatabase) as refused:
        open_database(sqlite_url(old), read_only=True, backup_dir=tmp_path / "backups")
    assert "升级" in refused.value.message
    assert "以只读方式打开" in refused.value.message
    assert _digest(old) == before
    assert not (tmp_path / "backups").exists()  # no upgrade, so no backup before one


def test_an_archive_without_its_streets_opened_read_only_is_refused_with_a_message(archive: Path) -> None:
    with sqlite3.connect(archive) as raw:
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("DELETE FROM streets")
    raw.close()
    before = _digest(archive)
    with pytest.raises(ReadOnlyDatabase, match="缺少普陀区各街镇的基础数据"):
        open_database(sqlite_url(archive), read_only=True)
    assert _digest(archive) == before


# -- backups ----------------------------------------------------------------------------------------


def test_no_backup_goes_into_a_read_only_archives_folder(read_only_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "data" / "backups"
    services = Services.build(read_only_db, backup_dir=folder)
    assert services.backups.ensure_daily() is None
    with pytest.raises(ReadOnlyDatabase, match="不向数据文件夹写入备份"):
        services.backups.backup()
    with pytest.raises(ReadOnlyDatabase, match="不能保存修改"):
        services.backups.before("import")
    assert not folder.exists()


def test_a_read_only_archive_is_still_copied_to_a_file_of_the_clerks_choice(
    read_only_db: Database, tmp_path: Path
) -> None:
    services = Services.build(read_only_db, backup_dir=tmp_path / "data" / "backups")
    copy = services.backups.backup(out=tmp_path / "U盘备份.sqlite3")
    assert services.backups.inspect(copy).counts["小区"] == 1


def test_a_read_only_archive_is_not_restored_over(read_only_db: Database, archive: Path, tmp_path: Path) -> None:
    services = Services.build(read_only_db, backup_dir=tmp_path / "data" / "backups")
    other = tmp_path / "别的备份.sqlite3"
    services.backups.backup(out=other)
    before = _digest(archive)
    with pytest.raises(ReadOnlyDatabase):
        services.backups.restore(other)
    assert _digest(archive) == before


# -- a write leaves its work in the main file -------------------------------------------------------


def test_disposing_after_a_write_moves_the_wal_into_the_main_file(archive: Path, tmp_path: Path) -> None:
    reader = sqlite3.connect(archive)  # another program keeps it open: SQLite's own checkpoint at close cannot run
    try:
        reader.execute("SELECT count(*) FROM estates").fetchone()
        database = open_database(sqlite_url(archive))
        services = Services.build(database)
        street = services.records.list("streets", filters={"short_name": "万里"})[0]
        services.records.create("estates", {"name": "万里城", "street_id": street.id})
        database.dispose()
        wal = archive.with_name(archive.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        alone = tmp_path / "只有主文件.sqlite3"
        shutil.copy(archive, alone)
        with sqlite3.connect(alone) as copy:
            names = {row[0] for row in copy.execute("SELECT name FROM estates")}
        copy.close()
        assert names == {"曹杨新村", "万里城"}
    finally:
        reader.close()


def test_a_checkpoint_that_cannot_run_never_fails_the_dispose(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = open_database(sqlite_url(archive))
    database.wrote = True

    def broken() -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(database.engine, "raw_connection", broken)
    assert database.checkpoint() is False
    database.dispose()


# -- where the file system really refuses (not as root) ----------------------------------------------


@contextmanager
def _locked(folder: Path, *files: Path) -> Iterator[None]:
    """`folder` and `files` made read-only; skipped where that stops nobody (root)."""
    folder.chmod(0o555)
    for file in files:
        file.chmod(0o444)
    try:
        probe = folder / "probe"
        try:
            probe.write_bytes(b"")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("this user may write a read-only folder (root): covered by the simulated tests above")
        yield
    finally:
        folder.chmod(0o755)
        for file in files:
            file.chmod(0o644)


@pytest.mark.skipif(os.name == "nt", reason="a folder's read-only flag does not stop writes on Windows")
def test_a_folder_the_system_refuses_is_found_and_read_without_side_files(archive: Path) -> None:
    with _locked(archive.parent, archive):
        assert read_only_module.why_not_writable(archive) is not None
        database = open_database(sqlite_url(archive))
        try:
            assert database.read_only
            assert Services.build(database).records.count("estates") == 1
        finally:
            database.dispose()
        assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name]


@pytest.mark.skipif(os.name == "nt", reason="a folder's read-only flag does not stop writes on Windows")
def test_writes_left_in_a_wal_that_cannot_be_read_are_said(archive: Path) -> None:
    wal = archive.with_name(archive.name + "-wal")
    wal.write_bytes(b"\0" * 4096)  # something in a -wal, and no -shm to read it by
    with _locked(archive.parent), pytest.raises(CannotOpenDatabase, match="尚未并入主文件的修改"):
        open_database(sqlite_url(archive))
