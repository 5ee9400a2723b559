"""How fast the demo generator fills a database, against raw sqlite3 inserting as many rows on this machine.

The normal suite runs 2,000 estates and extrapolates to 20,000; PUTUO_BENCH_FULL=1 runs 20,000 itself.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from putuo_community.services.demo import generate_demo
from putuo_community.storage.database import Database

FULL = os.environ.get("PUTUO_BENCH_FULL") == "1"
TARGET_ESTATES = 20_000
LIMIT_SECONDS = 60.0
# Larger tables make each insert a little dearer (deeper indexes); measured 20,000 / 2,000 ≈ 9–10× the time.
SCALE_ALLOWANCE = 1.15
MEMORY_LIMIT_MB = 1536


def _baseline_seconds(folder: Path, rows: int) -> float:
    """Raw sqlite3: executemany of `rows` rows of a typical register table (two indexes), in chunks of 5,000."""
    path = folder / "baseline.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, version INTEGER, created_at TEXT, updated_at TEXT,"
            " parent_id INTEGER, name VARCHAR(200), kind VARCHAR(20), floors INTEGER, area FLOAT,"
            " started_on DATE, flag BOOLEAN, note TEXT)"
        )
        conn.execute("CREATE INDEX ix_parent ON t (parent_id)")
        conn.execute("CREATE UNIQUE INDEX uq_parent_name ON t (parent_id, name)")
        stamp = "2026-03-15 09:00:00.000000"
        data = [
            (i, 1, stamp, stamp, i // 8, f"{i % 8}号", "砖混", 6, 812.34, "2010-05-01", i % 2, None)
            for i in range(1, rows + 1)
        ]
        started = time.perf_counter()
        conn.execute("BEGIN")
        for start in range(0, rows, 5000):
            conn.executemany("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", data[start : start + 5000])
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def _peak_memory_mb() -> float | None:
    try:
        import resource  # not on Windows
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@pytest.mark.slow
def test_demo_generation_speed(database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    estates = TARGET_ESTATES if FULL else 2_000
    summary = generate_demo(database, estates=estates, seed=2026, today=date(2026, 3, 15))
    baseline = _baseline_seconds(tmp_path, summary.total_rows)
    projected = summary.elapsed_seconds * TARGET_ESTATES / estates * (1 if FULL else SCALE_ALLOWANCE)
    memory = _peak_memory_mb()
    with capsys.disabled():
        print(
            f"\n演示数据 {estates} 个小区，{summary.total_rows} 行：{summary.elapsed_seconds:.1f} 秒，"
            f"{estates / summary.elapsed_seconds:.0f} 小区/秒；"
            f"同机 sqlite3 直接插入同样行数 {baseline:.2f} 秒（{summary.elapsed_seconds / baseline:.1f} 倍）；"
            f"{'实测' if FULL else '推算'} {TARGET_ESTATES} 个小区 {projected:.1f} 秒"
            + (f"；进程内存峰值 {memory:.0f} MB" if memory is not None else "")
        )
    assert projected < LIMIT_SECONDS
    if FULL and memory is not None:
        assert memory < MEMORY_LIMIT_MB
