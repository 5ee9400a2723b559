"""backup, backups, restore and demo --replace, run as a clerk runs them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_process import run_cli

from putuo_community.paths import DATABASE_FILE


def _estates(folder: Path) -> int:
    with sqlite3.connect(folder / DATABASE_FILE) as conn:
        return int(conn.execute("SELECT count(*) FROM estates").fetchone()[0])


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    result = run_cli("demo", "--data-dir", str(folder), "--estates", "20", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return folder


def test_the_first_command_of_the_day_keeps_a_backup_and_backup_writes_another(archive: Path, tmp_path: Path) -> None:
    listed = run_cli("backups", "--data-dir", str(archive))
    assert "每日自动备份" in listed.stdout  # taken by this very command: the archive holds records
    taken = run_cli("backup", "--data-dir", str(archive), "--out", str(tmp_path / "U盘备份.sqlite3"))
    assert taken.returncode == 0, taken.stderr
    assert "已备份到" in taken.stdout
    with sqlite3.connect(tmp_path / "U盘备份.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM estates").fetchone() == (20,)


def test_restore_shows_the_backup_and_asks_before_replacing_anything(archive: Path, tmp_path: Path) -> None:
    copy = tmp_path / "二十个小区.sqlite3"
    assert run_cli("backup", "--data-dir", str(archive), "--out", str(copy)).returncode == 0
    replaced = run_cli("demo", "--data-dir", str(archive), "--estates", "5", "--replace", "--yes")
    assert replaced.returncode == 0, replaced.stderr
    assert "清空前的数据库已备份到" in replaced.stdout
    assert _estates(archive) == 5

    unasked = run_cli("restore", "--data-dir", str(archive), str(copy))  # no terminal to ask on, no --yes
    assert unasked.returncode == 2
    assert "小区 20" in unasked.stdout  # what the backup holds, shown first
    assert "--yes" in unasked.stderr
    assert _estates(archive) == 5

    restored = run_cli("restore", "--data-dir", str(archive), str(copy), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "恢复前的数据库已备份到" in restored.stdout
    assert _estates(archive) == 20
    reasons = run_cli("backups", "--data-dir", str(archive)).stdout
    assert "重新生成演示数据前" in reasons
    assert "恢复前" in reasons


def test_demo_replace_asks_for_yes_and_changes_nothing_without_it(archive: Path) -> None:
    refused = run_cli("demo", "--data-dir", str(archive), "--estates", "5", "--replace")
    assert refused.returncode == 2
    assert "--yes" in refused.stderr
    assert _estates(archive) == 20


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(archive: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "备份.sqlite3"
    bogus.write_text("这不是数据库", encoding="utf-8")
    result = run_cli("restore", "--data-dir", str(archive), str(bogus), "--yes")
    assert result.returncode == 2
    assert "不能恢复" in result.stderr
    assert _estates(archive) == 20
