"""A supervisor who only reads: with --read-only (or an archive that cannot be written) every reading command
works and every writing command says why it cannot, exits 2 and leaves the file exactly as it was.

And a command that writes leaves its work in the main database file, not only in the -wal beside it.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from cli_process import run_cli
from ledger_builder import simple_sheet

from putuo_community.app import main
from putuo_community.paths import DATABASE_FILE
from putuo_community.storage import read_only as read_only_module

REFUSED = "数据库以只读方式打开（启动时指定了 --read-only），不能保存修改。"
FOLDER_REFUSED = "数据库所在的文件夹没有写入权限"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo archive (today's backup taken, one saved copy to restore), never written by the tests."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    made = run_cli("demo", "--data-dir", str(folder), "--estates", "3", "--seed", "5")
    assert made.returncode == 0, made.stderr
    saved = run_cli("backup", "--data-dir", str(folder), "--out", str(folder.parent / "保存的备份.sqlite3"))
    assert saved.returncode == 0, saved.stderr
    return folder


@pytest.fixture
def archive(demo_archive: Path, tmp_path: Path) -> Path:
    """A copy of the demo's data folder, for one test."""
    folder = tmp_path / "data"
    shutil.copytree(demo_archive, folder)
    return folder


def _first_estate(folder: Path) -> str:
    with sqlite3.connect(folder / DATABASE_FILE) as conn:
        name = str(conn.execute("SELECT name FROM estates ORDER BY id LIMIT 1").fetchone()[0])
    conn.close()
    return name


def _reading_commands(folder: Path, out: Path) -> dict[str, list[str]]:
    return {
        "reminders": ["reminders"],
        "batches": ["batches"],
        "backups": ["backups"],
        "check": ["check"],
        "export": ["export", "ledger", "estates", "--out", str(out / "小区.xlsx")],
        "summary": ["export", "summary", "--out", str(out / "汇总.xlsx")],
        "dossier": ["dossier", _first_estate(folder), "--out", str(out / "档案.pdf")],
        "backup --out": ["backup", "--out", str(out / "U盘.sqlite3")],
        "import --dry-run": ["import", "estates", str(out / "新小区.xlsx"), "--dry-run"],
    }


READING = [
    "reminders",
    "batches",
    "backups",
    "check",
    "export",
    "summary",
    "dossier",
    "backup --out",
    "import --dry-run",
]


@pytest.mark.parametrize("command", READING)
def test_reading_commands_work_on_an_archive_opened_read_only(archive: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    simple_sheet(out / "新小区.xlsx", ["街镇", "小区名称", "户数"], [["曹杨", "兰溪青年公寓", 640]])
    database = archive / DATABASE_FILE
    before = _digest(database)
    backups_before = sorted(p.name for p in (archive / "backups").iterdir())
    args = _reading_commands(archive, out)[command]
    result = run_cli(args[0], "--read-only", "--data-dir", str(archive), *args[1:])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "以只读方式打开" not in result.stderr  # asked for: nothing to warn about
    assert _digest(database) == before
    assert sorted(p.name for p in (archive / "backups").iterdir()) == backups_before


def _writing_commands(folder: Path, out: Path) -> dict[str, list[str]]:
    return {
        "import": ["import", "estates", str(out / "新小区.xlsx")],
        "undo": ["undo", "1"],
        "demo": ["demo", "--estates", "3", "--replace", "--yes"],
        "restore": ["restore", str(folder.parent / "保存的备份.sqlite3"), "--yes"],
        "backup": ["backup"],
    }


@pytest.mark.parametrize("command", ["import", "undo", "demo", "restore", "backup"])
def test_writing_commands_are_refused_and_leave_the_file_as_it_was(
    archive: Path, demo_archive: Path, tmp_path: Path, command: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    simple_sheet(out / "新小区.xlsx", ["街镇", "小区名称", "户数"], [["曹杨", "兰溪青年公寓", 640]])
    database = archive / DATABASE_FILE
    before = _digest(database)
    backups_before = sorted(p.name for p in (archive / "backups").iterdir())
    args = _writing_commands(demo_archive, out)[command]
    result = run_cli(args[0], "--data-dir", str(archive), "--read-only", *args[1:])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("数据库以只读方式打开（启动时指定了 --read-only）")
    if command != "backup":
        assert REFUSED in result.stderr
    assert _digest(database) == before
    assert sorted(p.name for p in (archive / "backups").iterdir()) == backups_before


def test_the_window_starts_read_only_when_asked(archive: Path) -> None:
    database = archive / DATABASE_FILE
    before = _digest(database)
    result = run_cli("--read-only", "--smoke-test", "--no-crash-dialog", "--data-dir", str(archive))
    assert result.returncode == 0, result.stderr
    assert _digest(database) == before
    log = (archive / "logs" / "putuo-community.log").read_text(encoding="utf-8")
    assert "read-only: 启动时指定了 --read-only" in log


def test_an_archive_that_needs_an_upgrade_is_refused_read_only_with_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / DATABASE_FILE
    shutil.copy(Path(__file__).parents[1] / "data" / "db" / "schema-0001.sqlite3", database)
    before = _digest(database)
    result = run_cli("reminders", "--read-only", "--data-dir", str(folder))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "无法升级，也未作任何改动" in result.stderr
    assert _digest(database) == before


# -- found, not asked for: the check is simulated (root writes anywhere); the rest is the real program ---------


@pytest.fixture
def folder_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_only_module, "why_not_writable", lambda _path: FOLDER_REFUSED)


def test_an_archive_that_cannot_be_written_is_read_and_says_so(
    archive: Path, folder_refused: None, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    database = archive / DATABASE_FILE
    before = _digest(database)
    ledger = tmp_path / "小区.xlsx"
    assert main(["export", "ledger", "estates", "--out", str(ledger), "--data-dir", str(archive)]) == 0
    assert ledger.stat().st_size > 0
    assert f"注意：数据库以只读方式打开（{FOLDER_REFUSED}）" in capfd.readouterr().err
    assert _digest(database) == before


def test_a_write_to_an_archive_that_cannot_be_written_exits_2_with_the_reason(
    archive: Path, folder_refused: None, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    register = simple_sheet(tmp_path / "小区.xlsx", ["街镇", "小区名称", "户数"], [["曹杨", "兰溪青年公寓", 640]])
    database = archive / DATABASE_FILE
    before = _digest(database)
    assert main(["import", "estates", str(register), "--data-dir", str(archive)]) == 2
    assert f"数据库以只读方式打开（{FOLDER_REFUSED}），不能保存修改。" in capfd.readouterr().err
    assert _digest(database) == before


def test_no_backups_folder_is_needed_to_read(
    archive: Path, folder_refused: None, capfd: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(archive / "backups")
    (archive / "backups").write_text("不是文件夹", encoding="utf-8")  # cannot be made, cannot be written
    assert main(["batches", "--data-dir", str(archive)]) == 0
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err
    assert "备份" not in captured.err  # no day's backup tried, nothing to complain of


# -- a write command's work lands in the main file ---------------------------------------------------------


def test_after_a_write_command_the_main_file_alone_holds_the_new_records(archive: Path, tmp_path: Path) -> None:
    register = simple_sheet(tmp_path / "小区.xlsx", ["街镇", "小区名称", "户数"], [["曹杨", "兰溪青年公寓", 640]])
    database = archive / DATABASE_FILE
    # Another program keeps the archive open (idle): SQLite's own checkpoint when the last connection
    # closes cannot run, so only the command's own checkpoint puts its work into the main file.
    reader = sqlite3.connect(database)
    try:
        reader.execute("SELECT count(*) FROM estates").fetchone()
        result = run_cli("import", "estates", str(register), "--data-dir", str(archive))
        assert result.returncode == 0, result.stderr
        wal = database.with_name(database.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        alone = tmp_path / "拷走的" / DATABASE_FILE
        alone.parent.mkdir()
        shutil.copy(database, alone)  # the main file only, as a clerk copies it to a stick
        with sqlite3.connect(alone) as copy:
            names = [row[0] for row in copy.execute("SELECT name FROM estates WHERE name = '兰溪青年公寓'")]
        copy.close()
        assert names == ["兰溪青年公寓"]
    finally:
        reader.close()


def test_the_demo_command_leaves_no_wal_behind(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    result = run_cli("demo", "--data-dir", str(folder), "--estates", "3")
    assert result.returncode == 0, result.stderr
    wal = folder / f"{DATABASE_FILE}-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    alone = tmp_path / "copy.sqlite3"
    shutil.copy(folder / DATABASE_FILE, alone)
    with sqlite3.connect(alone) as copy:
        assert copy.execute("SELECT count(*) FROM estates").fetchone() == (3,)
    copy.close()
