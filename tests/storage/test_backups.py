"""Backups as a clerk relies on them: one self-contained file that opens, taken daily and before big writes,
kept for a year by the rule, and restored only from a sound backup of this program, after saving the archive."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from putuo_community.domain.changes import Changes
from putuo_community.domain.errors import UserError
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services.backups import BackupService
from putuo_community.storage.backups import BadBackup
from putuo_community.storage.database import Database

# Backups copy the database file; a server's are refused, its own backup applies (test_postgres_paths.py).
pytestmark = pytest.mark.sqlite_file
NOW = datetime(2026, 11, 29, 9, 30)


def _estates(database: Database) -> int:
    with sqlite3.connect(database.url.database or "") as conn:
        return int(conn.execute("SELECT count(*) FROM estates").fetchone()[0])


@pytest.fixture
def archive(database: Database, data_paths: DataPaths) -> Services:
    services = Services.build(database, user="测试员", backup_dir=data_paths.backups)
    streets = {r.values["short_name"]: r.id for r in services.records.list("streets")}
    for n in range(3):
        services.records.create("estates", {"name": f"兰溪{n + 1}村", "street_id": streets["曹杨"]})
    return services


def test_a_backup_is_one_sound_file_holding_every_record(archive: Services, tmp_path: Path) -> None:
    path = archive.backups.backup(out=tmp_path / "拷贝.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["拷贝.sqlite3"]  # no -wal, no .part
    contents = archive.backups.inspect(path)
    assert contents.problem is None
    assert contents.counts["小区"] == 3
    assert contents.counts["街镇"] == 10


def test_a_backup_to_a_missing_folder_says_so(archive: Services, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="文件夹不存在"):
        archive.backups.backup(out=tmp_path / "没有" / "拷贝.sqlite3")


def test_the_daily_backup_is_taken_once_a_day_and_never_of_an_empty_archive(
    database: Database, data_paths: DataPaths
) -> None:
    clock = [NOW]
    backups = BackupService(database, data_paths.backups, clock=lambda: clock[0])
    assert backups.ensure_daily() is None  # nothing to keep yet
    services = Services.build(database, user="测试员")
    services.records.create("estates", {"name": "兰溪新村", "street_id": services.records.list("streets")[0].id})
    first = backups.ensure_daily()
    assert first is not None
    assert backups.ensure_daily() is None  # the same day
    clock[0] = NOW + timedelta(days=1)
    assert backups.ensure_daily() is not None
    assert [b.reason for b in backups.list()] == ["每日自动备份", "每日自动备份"]


def test_backups_are_kept_for_a_year_by_the_rule(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for hours in range(0, 400 * 24, 8):  # three a day for 400 days
        stamp = (NOW - timedelta(hours=hours)).strftime("%Y%m%d-%H%M%S")
        (folder / f"putuo-community-{stamp}-daily.sqlite3").write_bytes(b"")
    (folder / "我自己存的.sqlite3").write_bytes(b"")  # not the program's: never removed
    backups = BackupService(database, folder, clock=lambda: NOW)
    backups.prune()
    kept = [b.taken_at for b in backups.list()]
    recent = [t for t in kept if NOW - t <= timedelta(days=2)]
    assert len(recent) == 7  # every one of the last two days (0, 8, …, 48 hours)
    daily = [t for t in kept if timedelta(days=2) < NOW - t <= timedelta(days=30)]
    assert len(daily) == len({t.date() for t in daily}) == 28  # one a day
    monthly = [t for t in kept if NOW - t > timedelta(days=30)]
    assert len(monthly) == len({(t.year, t.month) for t in monthly})  # one a month
    assert min(kept) >= NOW - timedelta(days=31 * 12)
    assert (folder / "我自己存的.sqlite3").exists()


def test_a_restore_saves_the_archive_first_and_every_view_hears_of_it(archive: Services, tmp_path: Path) -> None:
    saved_copy = archive.backups.backup(out=tmp_path / "三个小区.sqlite3")
    archive.records.create("estates", {"name": "新加的小区", "street_id": archive.records.list("streets")[0].id})
    heard: list[Changes] = []
    archive.changes.subscribe(heard.append)
    before = archive.backups.restore(saved_copy)
    assert _estates(archive.database) == 3
    assert before is not None
    assert archive.backups.inspect(before).counts["小区"] == 4  # the replaced archive, kept
    assert [c.everything for c in heard] == [True]
    assert archive.records.count("estates") == 3  # the program goes on working on the restored archive


def test_a_bad_backup_is_refused_and_the_archive_left_as_it_was(archive: Services, tmp_path: Path) -> None:
    not_a_database = tmp_path / "台账.xlsx"
    Workbook().save(not_a_database)
    someone_elses = tmp_path / "别的程序.sqlite3"
    with sqlite3.connect(someone_elses) as conn:
        conn.execute("CREATE TABLE t (x)")
    newer = archive.backups.backup(out=tmp_path / "新版本.sqlite3")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    damaged = archive.backups.backup(out=tmp_path / "损坏.sqlite3")
    with damaged.open("r+b") as stream:  # a page in the middle overwritten
        stream.seek(4096 * 3)
        stream.write(b"\xff" * 4096)
    reasons = {}
    for path in (not_a_database, someone_elses, newer, damaged, tmp_path / "不存在.sqlite3"):
        with pytest.raises(BadBackup) as refused:
            archive.backups.restore(path)
        reasons[path.name] = refused.value.message
        assert _estates(archive.database) == 3
    assert "不是有效的数据库文件" in reasons["台账.xlsx"]
    assert "不是普陀小区档案的数据库文件" in reasons["别的程序.sqlite3"]
    assert "更新版本" in reasons["新版本.sqlite3"]
    assert "找不到备份文件" in reasons["不存在.sqlite3"]
    assert "没有任何改动" in reasons["损坏.sqlite3"]


def test_an_import_and_an_undo_are_each_preceded_by_a_backup(archive: Services, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["街镇", "小区名称", "户数"])
    sheet.append(["曹杨", "兰溪青年公寓", 640])
    book.save(tmp_path / "小区.xlsx")
    plan = archive.imports.plan(archive.imports.read("estates", tmp_path / "小区.xlsx"))
    result = archive.imports.commit(plan)
    assert [b.reason for b in archive.backups.list()] == ["导入前"]
    assert result.batch_id is not None
    archive.batches.undo(result.batch_id)
    assert sorted(b.reason for b in archive.backups.list()) == ["导入前", "撤销前"]
    taken = {b.reason: archive.backups.inspect(b.path).counts["小区"] for b in archive.backups.list()}
    assert taken == {"导入前": 3, "撤销前": 4}


def test_the_backup_names_sort_by_time_and_never_collide(archive: Services) -> None:
    first = archive.backups.backup()
    second = archive.backups.backup()
    assert first != second
    assert all(b.taken_at.date() == date.today() for b in archive.backups.list())


def test_a_restore_stopped_halfway_leaves_the_archive_as_it_was(archive: Services, tmp_path: Path) -> None:
    bigger = archive.backups.backup(out=tmp_path / "四个小区.sqlite3")
    archive.database.dispose()
    with sqlite3.connect(bigger) as conn:  # enough pages that the copy takes several steps
        conn.execute("CREATE TABLE padding (x BLOB)")
        conn.executemany("INSERT INTO padding VALUES (?)", [(b"\0" * 4000,) for _ in range(20_000)])

    class Stop(Exception):
        pass

    def stop_at_half(done: int, total: int) -> None:
        if done < total:
            raise Stop

    with pytest.raises(Stop):
        archive.backups.restore(bigger, progress=stop_at_half)
    assert _estates(archive.database) == 3
    with sqlite3.connect(archive.database.url.database or "") as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert "padding" not in {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}


def test_a_backup_in_a_folder_named_with_uri_characters_is_read(archive: Services, tmp_path: Path) -> None:
    folder = tmp_path / "U盘 #2 %20备份"  # a folder name Windows allows
    folder.mkdir()
    path = archive.backups.backup(out=folder / "档案.sqlite3")
    assert archive.backups.inspect(path).counts["小区"] == 3


def test_a_backup_removes_the_partial_copies_killed_backups_left_but_not_a_running_ones(
    archive: Services, data_paths: DataPaths
) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # a backup process that has ended
    gone.wait()
    folder = data_paths.backups
    folder.mkdir(parents=True, exist_ok=True)
    killed = [
        folder / f"putuo-community-20261101-090000-manual.sqlite3.{gone.pid}.part",
        folder / f"putuo-community-20261101-090000-manual.sqlite3.{gone.pid}.part-journal",
        folder / "putuo-community-20261001-090000-daily.sqlite3.part",  # named before partial copies named their pid
    ]
    running = folder / f"putuo-community-20261129-090000-manual.sqlite3.{os.getpid()}.part"
    for path in [*killed, running]:
        path.write_bytes(b"half a copy")

    archive.backups.backup()

    assert [p for p in killed if p.exists()] == []
    assert running.exists()  # another backup, still being written
    assert [b.path.name for b in archive.backups.list() if ".part" in b.path.name] == []
