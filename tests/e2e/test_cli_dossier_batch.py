"""`dossier --street` as a clerk runs it: hostile names, a broken estate, a missing folder, a kill."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_process import run_cli
from pypdf import PdfReader

from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services.demo import generate_demo
from putuo_community.storage.database import open_database

LONG_NAME = "真如" * 100


def _district(folder: Path, names: list[str]) -> DataPaths:
    """A data folder whose 长征镇 holds `names` and nothing else."""
    paths = DataPaths(folder)
    paths.ensure()
    database = open_database(paths.database_url, backup_dir=paths.backups)
    try:
        services = Services.build(database, user="测试员")
        street_id = services.records.list("streets", filters={"name": "长征镇"})[0].id
        for name in names:
            services.records.create("estates", {"name": name, "street_id": street_id, "households": 300})
    finally:
        database.dispose()
    return paths


def test_a_batch_into_a_missing_folder_prints_every_estate_it_can_and_counts_the_rest(tmp_path: Path) -> None:
    paths = _district(tmp_path / "data", ["CON", "ABC小区", "abc小区", LONG_NAME, "损坏小区"])
    with sqlite3.connect(paths.database) as con:
        con.execute("UPDATE estates SET created_at = 'garbled' WHERE name = '损坏小区'")
    out = tmp_path / "尚未创建" / "长征镇"

    result = run_cli("dossier", "--street", "长征", "--out", str(out), "--workers", "2", "--data-dir", str(paths.root))

    assert result.returncode == 3, result.stderr
    assert "已打印 4 个小区的档案" in result.stdout
    assert "1 个小区未能打印（已列入目录）：\n  损坏小区：无法读取该小区的记录" in result.stdout
    names = sorted(p.name for p in out.iterdir())
    assert "CON_.pdf" in names
    assert "ABC小区.pdf" in names
    assert "abc小区（2）.pdf" in names
    (long_file,) = [n for n in names if n.startswith("真如")]
    assert len(long_file) <= 100
    assert long_file.endswith(".pdf")
    index = "".join("".join(p.extract_text() or "" for p in PdfReader(out / "长征镇小区档案目录.pdf").pages).split())
    assert "未能打印的小区（1个）" in index
    assert "损坏小区" in index


def test_an_out_that_is_a_file_or_cannot_be_made_is_told_plainly(tmp_path: Path) -> None:
    paths = _district(tmp_path / "data", ["曹杨一村"])
    a_file = tmp_path / "档案.pdf"
    a_file.write_bytes(b"")
    result = run_cli("dossier", "--street", "长征", "--out", str(a_file), "--data-dir", str(paths.root))
    assert result.returncode == 2
    assert "是一个文件" in result.stderr
    result = run_cli("dossier", "--street", "长征", "--out", str(a_file / "下级"), "--data-dir", str(paths.root))
    assert result.returncode == 2
    assert "无法创建文件夹" in result.stderr
    assert "Traceback" not in result.stderr


def _children(parent: int) -> set[int]:
    """Processes whose parent is `parent`, from /proc (the comm field may hold spaces and brackets)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == parent:
                found.add(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's init may never reap what it inherits)."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32" or not Path("/proc").is_dir(), reason="SIGKILL and /proc: Linux")
def test_a_killed_batch_leaves_no_worker_running_and_the_next_one_clears_its_staging(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    database = open_database(paths.database_url, backup_dir=paths.backups)
    generate_demo(database, estates=600, seed=3)  # about 80 estates in 长征镇: several seconds of printing
    database.dispose()
    out = tmp_path / "档案"
    command = [sys.executable, "-m", "putuo_community", "dossier", "--street", "长征", "--out", str(out)]
    batch = subprocess.Popen(
        [*command, "--workers", "2", "--data-dir", str(paths.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and batch.poll() is None:
            workers = _children(batch.pid)
            staged = [p for p in out.glob(".~档案-*/*.pdf")] if out.is_dir() else []
            if len(workers) >= 2 and staged:
                break
            time.sleep(0.05)
        assert batch.poll() is None, "the batch ended before it could be killed"
        assert len(workers) >= 2, "no worker processes seen"
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait(10)
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    assert [pid for pid in workers if _running(pid)] == []
    assert [p.name for p in out.iterdir() if p.name.startswith(".~档案-")], "the kill left its staging folder"

    again = run_cli("dossier", "--street", "万里", "--out", str(out), "--data-dir", str(paths.root))
    assert again.returncode == 0, again.stderr
    assert [p.name for p in out.iterdir() if p.name.startswith(".~")] == []
    assert (out / "万里街道小区档案目录.pdf").is_file()
