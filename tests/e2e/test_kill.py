"""Crash safety (issue 11): a save, an undo, a backup and a restore, each killed at 50 random moments.

Every run works on a fresh copy of one small archive, in a process of its own that is killed
(`Popen.kill()`) after a seeded random delay spread over the operation's measured run, start-up included.
What it leaves must open, pass SQLite's and the program's own checks, and hold exactly the archive before
the operation or exactly the archive after it; a file under a backup's name must be a complete backup.
Half the kills are timed from the start, half from the first write seen in the data folder or in the
database (the milliseconds that matter, wherever the machine's load puts them). The seed, each kill and
the outcomes are printed (`-s`); replay with PUTUO_KILL_SEED=N, or chosen kills with
PUTUO_KILL_AT=s0.512,w0.004,d0.001 (seconds after the start / the first write / the first database
write). The large import is killed the same way outside the suite: tests/benchmarks/kill_import.py.
"""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_process import run_cli
from kill_harness import (
    DATABASE_FILE,
    PARTIAL_SUFFIXES,
    Kill,
    Operation,
    Report,
    Run,
    kill_runs,
    python_command,
    read_state,
    sqlite_problems,
)

RUNS = 50
PARALLEL = 2
SEED = int(os.environ.get("PUTUO_KILL_SEED", "2026"))
KILLS = [Kill.parse(k) for k in os.environ["PUTUO_KILL_AT"].split(",")] if os.environ.get("PUTUO_KILL_AT") else None
NEW_ESTATES = 200  # in the import the undo takes back: enough rows that the undo takes a moment
SAVE_DRIVER = Path(__file__).with_name("save_several_records.py")


@dataclass(frozen=True)
class Archive:
    """A small archive (5 demo estates, then an import of 200 new ones and 2 changed ones), the backup
    taken between the two (what a restore puts back), and the import's batch (what an undo takes back)."""

    data: Path
    backup: Path
    import_batch: int


def _estate_rows(database: Path) -> list[tuple[str, str, int]]:
    with closing(sqlite3.connect(database)) as conn:
        query = "SELECT s.name, e.name, e.households FROM estates e JOIN streets s ON s.id = e.street_id ORDER BY e.id"
        return [(street, name, households or 0) for street, name, households in conn.execute(query)]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("kill")
    data = root / "data"
    made = run_cli("demo", "--data-dir", str(data), "--estates", "5", "--seed", "11")
    assert made.returncode == 0, made.stderr
    backup = root / "U盘备份.sqlite3"
    taken = run_cli("backup", "--data-dir", str(data), "--out", str(backup))
    assert taken.returncode == 0, taken.stderr

    register = root / "长征镇小区台账.csv"
    with register.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["街镇", "小区名称", "地址", "户数"])
        for street, name, households in _estate_rows(data / DATABASE_FILE)[:2]:
            writer.writerow([street, name, "", households + 100])
        for i in range(NEW_ESTATES):
            writer.writerow(["长征镇", f"金沙江路{1000 + i}弄", f"金沙江路{1000 + i}弄", 100 + i])
    imported = run_cli("import", "estates", str(register), "--data-dir", str(data))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert f"新增 {NEW_ESTATES}" in imported.stdout, imported.stdout
    with closing(sqlite3.connect(data / DATABASE_FILE)) as conn:
        (batch,) = conn.execute("SELECT max(id) FROM change_batches WHERE kind = '导入'").fetchone()
    shutil.rmtree(data / "tmp", ignore_errors=True)
    return Archive(data, backup, int(batch))


def _kill_and_check(
    operation: Operation, archive: Archive, work: Path, *, keep: Callable[[Run], bool] = lambda run: False
) -> Report:
    report = kill_runs(operation, archive.data, work, runs=RUNS, seed=SEED, parallel=PARALLEL, kills=KILLS, keep=keep)
    print("\n" + report.describe())
    return report


def _assert_all_or_nothing(report: Report) -> None:
    assert not report.failed, report.describe()
    if KILLS is None:  # a replay of chosen delays may well land on one side only
        outcomes = report.outcomes
        assert outcomes["before"], f"no kill landed before the write: {dict(outcomes)}"
        assert outcomes["after"], f"no kill landed after the write: {dict(outcomes)}"


def _data(folder: Path) -> str:
    return str(folder / "data")


@pytest.mark.slow
def test_a_killed_save_of_several_records_leaves_all_of_them_or_none(archive: Archive, tmp_path: Path) -> None:
    before = read_state(archive.data / DATABASE_FILE)
    save = Operation("save", lambda folder: [sys.executable, str(SAVE_DRIVER), _data(folder)], before)
    report = _kill_and_check(save, archive, tmp_path)
    _assert_all_or_nothing(report)
    assert report.after.exact.rows("estates") == before.exact.rows("estates") + 1
    assert report.after.exact.rows("buildings") == before.exact.rows("buildings") + 6


@pytest.mark.slow
def test_a_killed_undo_leaves_the_whole_batch_or_none_of_it_undone(archive: Archive, tmp_path: Path) -> None:
    before = read_state(archive.data / DATABASE_FILE)
    undo = Operation(
        "undo",
        lambda folder: python_command("undo", str(archive.import_batch), "--data-dir", _data(folder)),
        before,
        backup_label="before-undo",
    )
    report = _kill_and_check(undo, archive, tmp_path)
    _assert_all_or_nothing(report)
    # "After" really is the batch taken back: its new estates gone, the changed ones as they were.
    assert report.after.exact.rows("estates") == before.exact.rows("estates") - NEW_ESTATES


@pytest.fixture(scope="module")
def backup_report(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The backup killed 50 times; runs that left `.part` files are kept for the next test."""
    before = read_state(archive.data / DATABASE_FILE)
    backup = Operation(
        "backup",
        lambda folder: python_command("backup", "--data-dir", _data(folder)),
        before,
        after=before,
        after_exact=True,
        backup_label="manual",
        decided_by_backup=True,
    )
    return _kill_and_check(
        backup, archive, tmp_path_factory.mktemp("backup-kills"), keep=lambda run: bool(run.leftovers)
    )


@pytest.mark.slow
def test_a_killed_backup_leaves_a_complete_backup_or_none(backup_report: Report) -> None:
    _assert_all_or_nothing(backup_report)


@pytest.mark.slow
def test_the_next_backup_removes_what_a_killed_backup_left(backup_report: Report) -> None:
    left = [run for run in backup_report.runs if run.leftovers and not run.problems]
    assert left, "no kill landed inside a backup's copy (see the printed delays): nothing to clean up"
    data = left[0].folder / "data"
    taken = run_cli("backup", "--data-dir", str(data))
    assert taken.returncode == 0, taken.stderr
    remaining = [p.name for p in (data / "backups").iterdir() if p.name.endswith(PARTIAL_SUFFIXES)]
    assert not remaining, f"left by a killed backup ({left[0].leftovers}) and still there: {remaining}"


@pytest.mark.slow
def test_a_killed_restore_leaves_the_old_archive_or_the_backup(archive: Archive, tmp_path: Path) -> None:
    source_bytes = archive.backup.read_bytes()
    before = read_state(archive.data / DATABASE_FILE)
    restored = read_state(archive.backup)
    assert restored.exact != before.exact
    restore = Operation(
        "restore",
        lambda folder: python_command("restore", str(archive.backup), "--yes", "--data-dir", _data(folder)),
        before,
        after=restored,
        after_exact=True,
        backup_label="before-restore",  # the archive it replaced, kept
    )
    report = _kill_and_check(restore, archive, tmp_path)
    _assert_all_or_nothing(report)
    assert archive.backup.read_bytes() == source_bytes, "a killed restore changed the backup it restored from"
    assert not sqlite_problems(archive.backup)
