"""A damaged archive, as a clerk meets it: `check` says so and names the backup to restore, nothing more is written
to the file, and a restore brings back a sound archive."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from cli_process import run_cli
from ledger_builder import simple_sheet

from putuo_community.paths import DATABASE_FILE

PAGE = 4096


def damage(database: Path) -> None:
    """One page in the middle of the file overwritten, as a failing disk or a crashed copy leaves it."""
    pages = database.stat().st_size // PAGE
    with database.open("r+b") as stream:
        stream.seek((pages // 2) * PAGE)
        stream.write(b"\xa5" * PAGE)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    made = run_cli("demo", "--data-dir", str(folder), "--estates", "40", "--seed", "5")
    assert made.returncode == 0, made.stderr
    return folder


def test_a_sound_archive_checks_out(archive: Path) -> None:
    result = run_cli("check", "--data-dir", str(archive))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "数据库完好" in result.stdout


def test_a_damaged_archive_is_named_written_to_no_more_and_restored(archive: Path, tmp_path: Path) -> None:
    sound = run_cli("backup", "--data-dir", str(archive))
    assert sound.returncode == 0, sound.stderr
    database = archive / DATABASE_FILE
    damage(database)

    checked = run_cli("check", "--data-dir", str(archive))
    assert checked.returncode == 3
    assert "数据库有问题" in checked.stdout
    assert "最近的完好备份" in checked.stdout
    assert "putuo-community restore" in checked.stdout

    before = digest(database)
    register = simple_sheet(tmp_path / "小区.xlsx", ["街镇", "小区名称", "户数"], [["曹杨", "兰溪青年公寓", 640]])
    refused = run_cli("import", "estates", str(register), "--data-dir", str(archive))
    assert refused.returncode == 2
    assert "数据库文件已损坏" in refused.stderr
    assert "恢复" in refused.stderr
    assert digest(database) == before  # not a byte written

    backup = next(
        line.split("\t")[-1]
        for line in run_cli("backups", "--data-dir", str(archive)).stdout.splitlines()
        if "手动备份" in line
    )
    restored = run_cli("restore", backup, "--data-dir", str(archive), "--yes")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert run_cli("check", "--data-dir", str(archive)).returncode == 0
    kept = run_cli("backups", "--data-dir", str(archive)).stdout
    assert "恢复前（已损坏的数据库）" in kept  # the damaged file is kept too, as it was
    imported = run_cli("import", "estates", str(register), "--data-dir", str(archive))
    assert imported.returncode == 0, imported.stderr


def test_a_history_edited_behind_the_programs_back_is_named_and_not_undone(archive: Path, tmp_path: Path) -> None:
    register = simple_sheet(tmp_path / "小区.xlsx", ["街镇", "小区名称", "户数"], [["曹杨", "兰溪青年公寓", 640]])
    imported = run_cli("import", "estates", str(register), "--data-dir", str(archive))
    assert imported.returncode == 0, imported.stderr
    database = archive / DATABASE_FILE
    with closing(sqlite3.connect(database)) as raw:  # someone "corrects" the record of what was imported
        row_id, batch = raw.execute("SELECT id, batch_id FROM change_history ORDER BY id DESC LIMIT 1").fetchone()
        raw.execute("UPDATE change_history SET record_title = '别的小区' WHERE id = ?", (row_id,))
        raw.commit()

    checked = run_cli("check", "--data-dir", str(archive))
    assert checked.returncode == 3, checked.stdout + checked.stderr
    assert f"变更记录第 {row_id} 条" in checked.stdout
    assert "别的小区" in checked.stdout

    before = digest(database)
    refused = run_cli("undo", str(batch), "--data-dir", str(archive))
    assert refused.returncode == 2
    assert f"变更记录第 {row_id} 条" in refused.stderr
    assert "数据未改动" in refused.stderr
    assert digest(database) == before  # not a byte written
    with closing(sqlite3.connect(database)) as raw:
        assert raw.execute("SELECT count(*) FROM estates WHERE name = '兰溪青年公寓'").fetchone() == (1,)
