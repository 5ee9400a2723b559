"""The import command: progress in place on a terminal, Ctrl+C with nothing written, left-out columns named."""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cli_process import run_cli
from ledger_builder import csv_register

from putuo_community.app import main
from putuo_community.paths import DATABASE_FILE
from putuo_community.services.importing import ImportService


def counts(data: Path) -> tuple[int, int]:
    """Estates and import batches in the data folder's database."""
    con = sqlite3.connect(data / DATABASE_FILE)
    try:
        estates = con.execute("SELECT count(*) FROM estates").fetchone()[0]
        batches = con.execute("SELECT count(*) FROM change_batches").fetchone()[0]
        return int(estates), int(batches)
    finally:
        con.close()


def start_on_a_terminal(*args: str | Path) -> tuple[subprocess.Popen[bytes], int]:
    """The command with its stderr on a pseudo-terminal, as in a console window; stdout piped."""
    import pty  # not on Windows

    controller, terminal = pty.openpty()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        [sys.executable, "-m", "putuo_community", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    return process, controller


def read_terminal(controller: int, until: Any = None, timeout: float = 120) -> str:
    """What the program wrote to the terminal, until `until(text)` holds or the program closed it."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the program exited and closed its side
                break
            if not chunk:
                break
            seen += chunk
            if until is not None and until(seen.decode("utf-8", "replace")):
                break
    return seen.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX; the Windows console is tried by hand")
def test_on_a_terminal_the_import_shows_rows_done_in_place(tmp_path: Path) -> None:
    register = csv_register(tmp_path / "长征镇小区.csv", 3_000)
    process, controller = start_on_a_terminal("import", "estates", register, "--data-dir", tmp_path / "data")
    try:
        shown = read_terminal(controller)
        stdout = process.communicate(timeout=120)[0].decode("utf-8")
    finally:
        os.close(controller)
    assert process.returncode == 0, shown
    assert "已导入：新增 3,000" in stdout
    assert "\r已核对 0 / 3,000 行（0%）" in shown  # redrawn in place
    assert "已核对 3,000 / 3,000 行（100%）" in shown
    assert "已写入 3,000 / 3,000 行（100%）" in shown
    assert counts(tmp_path / "data") == (3_000, 1)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals and SIGINT from outside are POSIX")
def test_ctrl_c_on_a_terminal_stops_the_import_with_nothing_written(tmp_path: Path) -> None:
    register = csv_register(tmp_path / "长征镇小区.csv", 50_000)
    process, controller = start_on_a_terminal("import", "estates", register, "--data-dir", tmp_path / "data")
    try:
        shown = read_terminal(controller, until=lambda text: "每秒" in text)  # checking, at a known rate
        process.send_signal(signal.SIGINT)
        shown += read_terminal(controller)
        stdout = process.communicate(timeout=120)[0].decode("utf-8")
    finally:
        os.close(controller)
    assert process.returncode == 130, shown
    assert "还需" in shown  # the time left, next to the rate
    assert "已中断导入：没有写入任何数据。" in shown
    assert "Traceback" not in shown
    assert "已导入" not in stdout
    assert counts(tmp_path / "data") == (0, 0)


def test_ctrl_c_while_rows_are_written_rolls_the_whole_import_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In-process, so the Ctrl+C lands half-way through the writing, not a moment earlier or later."""
    data = tmp_path / "data"
    assert (
        main(["import", "estates", str(csv_register(tmp_path / "长征镇第一批.csv", 200)), "--data-dir", str(data)]) == 0
    )
    before = counts(data)
    commit = ImportService.commit
    pressed: list[int] = []

    def commit_with_ctrl_c(self: ImportService, plan: Any, **options: Any) -> Any:
        progress = options["progress"]

        def ctrl_c_half_way(done: int, total: int) -> None:
            if done >= total // 2 and not pressed:
                pressed.append(done)
                signal.raise_signal(signal.SIGINT)
            progress(done, total)

        return commit(self, plan, **{**options, "progress": ctrl_c_half_way})

    monkeypatch.setattr(ImportService, "commit", commit_with_ctrl_c)
    capsys.readouterr()
    code = main(["import", "estates", str(csv_register(tmp_path / "长征镇.csv", 6_000)), "--data-dir", str(data)])
    captured = capsys.readouterr()
    assert code == 130
    assert pressed
    assert pressed[0] >= 2_900
    assert "已中断导入：没有写入任何数据。" in captured.err
    assert "已导入" not in captured.out
    assert counts(data) == before
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Ctrl+C is itself again afterwards


def test_the_dry_run_and_the_import_name_the_columns_left_out(tmp_path: Path) -> None:
    register = str(csv_register(tmp_path / "长征镇小区.csv", 5))
    data = str(tmp_path / "data")
    dry = run_cli("import", "estates", register, "--dry-run", "--data-dir", data)
    assert dry.returncode == 0, dry.stderr
    assert "未导入的列（3 列）：“序号”（如：1）、“小区等级”（如：A级）、“物业联系人手机”（无数据）" in dry.stdout
    assert '例如 {"小区等级": "字段名"}' in dry.stdout
    assert "--mapping 文件名.json" in dry.stdout
    assert "还没有对应列的字段：" in dry.stdout
    assert "已核对" not in dry.stderr  # not a terminal: no progress figures in a log or a pipe

    mapping = tmp_path / "列对应.json"
    mapping.write_text(json.dumps({"小区等级": "备注"}, ensure_ascii=False), encoding="utf-8")
    real = run_cli("import", "estates", register, "--mapping", str(mapping), "--data-dir", data)
    assert real.returncode == 0, real.stderr
    assert "未导入的列（2 列）：“序号”（如：1）、“物业联系人手机”（无数据）" in real.stdout
    assert "已导入：新增 5" in real.stdout
    assert "未导入的列（2 列）的内容没有写入数据库" in real.stdout
    assert real.stderr == ""
