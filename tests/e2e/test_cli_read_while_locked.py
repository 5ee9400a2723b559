"""While another program holds the archive's write lock, a clerk can still read it: reminders and ledgers work
(WAL readers never wait for a writer); only a write waits, and then says plainly that the archive is busy."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import run_cli
from ledger_builder import simple_sheet

from putuo_community.paths import DATABASE_FILE


@pytest.fixture
def locked_archive(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    made = run_cli("demo", "--data-dir", str(folder), "--estates", "30", "--seed", "9")
    assert made.returncode == 0, made.stderr
    assert run_cli("backups", "--data-dir", str(folder)).returncode == 0  # today's backup is taken: no write left
    writer = sqlite3.connect(folder / DATABASE_FILE, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another program in the middle of a write
    yield folder
    writer.execute("ROLLBACK")
    writer.close()


def test_reading_commands_work_while_another_program_writes(locked_archive: Path, tmp_path: Path) -> None:
    reminders = run_cli("reminders", "--data-dir", str(locked_archive))
    assert reminders.returncode == 0, reminders.stderr
    assert "条提醒" in reminders.stdout
    ledger = run_cli(
        "export", "ledger", "estates", "--data-dir", str(locked_archive), "--out", str(tmp_path / "小区.xlsx")
    )
    assert ledger.returncode == 0, ledger.stderr
    assert (tmp_path / "小区.xlsx").exists()


def test_a_write_meanwhile_says_the_archive_is_busy(locked_archive: Path, tmp_path: Path) -> None:
    register = simple_sheet(tmp_path / "小区.xlsx", ["街镇", "小区名称", "户数"], [["曹杨", "兰溪青年公寓", 640]])
    result = run_cli("import", "estates", str(register), "--data-dir", str(locked_archive))
    assert result.returncode == 2
    assert "占用" in result.stderr


def test_a_log_folder_that_cannot_be_written_is_said_and_the_command_still_runs(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "logs" / "putuo-community.log").mkdir(parents=True)  # the log file's place taken: cannot be opened
    result = run_cli("batches", "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "无法写入日志文件" in result.stderr
    assert "Traceback" not in result.stderr
