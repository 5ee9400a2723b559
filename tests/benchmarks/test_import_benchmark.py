"""Benchmark: `putuo-community import estates` on a 50,000-row register of new estates shaped like a real one.

The whole command is run as a clerk runs it, in a process of its own, into an archive that already
exists (made by an earlier command). Beside it, in the same round, the floor: a script of its own that
reads the same file with python-calamine and inserts the same columns with sqlite3 `executemany` into a
plain table. Printed: the command's time, the floor's, their ratio, and the command's peak memory.
Target: the command at most 4x the floor, under 500 MB. Rounds of floor-then-command; the median round
is the figure (a shared machine has slow spells of seconds, which a round meets on both sides).
Measured on the shared two-core machine when it was first written: 3.5-3.8 s against a floor of
0.85-0.92 s, ratio 4.1-4.3 (best rounds 3.8-4.3), 221 MB. Where the command's time goes (sampled):
opening the sheet in calamine 0.6 s (the floor does the same), finding the table 0.25 s, planning
0.8 s, and the commit 1.6 s, of which SQLite's inserts into the indexed estates table take 0.8 s and
the history rows, built as JSON inside SQLite, 0.5 s; start-up 0.3 s.
The program's modules are compiled first, as `pip install` leaves them: under PYTHONDONTWRITEBYTECODE an
editable checkout compiled some 200 modules again in every command, which no installed copy does.
Later (2026-11-29): reading the register while the libraries load (io/prefetch) and loading the dossier
printer only when printing took the median from 4.46 s to 3.85 s against a floor of 0.90-0.98 s (ratio
4.54 → 4.28, best round 3.70 s). Then: binding only the columns a chunk fills (the empty ones took four
fifths of the estate inserts), keeping the cyclic collector paused for the whole command (re-enabled
between steps, it scanned the young rows three times), dropping the index schema 0008 found redundant,
and indexing the header search: ratio 3.4-3.7 (3 rounds, same machine, floor 1.3 s in a slow spell).
Run alone: `python tests/benchmarks/test_import_benchmark.py [ROWS]`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from benchmark_script import Command, installed_environment, run_benchmark

ROWS = 50_000
REPEATS = 5  # a one-second floor meets the machine's slow spells more than the command does: 5 rounds
TARGET_RATIO = 4.0  # issue 13's target, for the whole command
FAIL_RATIO = 4.4  # 10 % above the target: a real slowdown fails, a slow spell does not
TARGET_PEAK_MB = 500
STREETS = ("曹杨新村街道", "长风", "长寿路街道", "甘泉", "石泉路街道", "宜川", "真如镇", "万里", "长征镇", "桃浦")
HEADER = (
    "序号",
    "街镇",
    "小区名称",
    "所属居委",
    "地址",
    "房屋类型",
    "建成年份",
    "幢数",
    "户数",
    "建筑面积（平方米）",
    "管理方式",
    "物业费（元/㎡·月）",
    "业主大会成立情况",
    "首次交付日期",
)


def write_register(path: Path, rows: int) -> None:
    """A district-wide register: two title rows, the header, data with messy values, a totals row."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("全区小区台账")
    sheet.append(["普陀区住宅小区基本情况汇总台账"])
    sheet.append(["填报单位：区房管局物业科", None, None, None, None, None, None, None, None, "截至2025年12月31日"])
    sheet.append(HEADER)
    for i in range(rows):
        year = 1960 + i % 64
        sheet.append(
            (
                i + 1,
                STREETS[i % len(STREETS)],
                f"测试{i // 10}小区{i % 10}号",
                f"第{i % 40}居委会",
                f"测试路{i % 2000}弄",
                ("售后房", "商品住宅", "动迁安置房", "直管公房")[i % 4],
                (year, f"{year}年")[i % 2],
                3 + i % 20,
                (f"{300 + i % 900:,}", 300 + i % 900)[i % 2],
                f"{(300 + i % 900) * 65.5:,.2f}",
                ("物业企业", "自管", "居委兜底")[i % 3],
                f"{0.5 + (i % 40) / 10:.2f}",
                ("已成立", "未成立", "是", "否")[i % 4],
                (f"{year + 1}-03-01", f"{year + 1}年3月1日", f"{year + 1}/3/1")[i % 3],
            )
        )
    sheet.append(["合计", None, None, None, None, None, None, None, rows * 600])
    book.save(path)


FLOOR_SCRIPT = """
import sqlite3, sys
from python_calamine import CalamineWorkbook
data = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
rows = [tuple(row[1:14]) for row in data[3:-1]]
con = sqlite3.connect(sys.argv[2])
con.execute("CREATE TABLE estates (" + ", ".join(f"c{i}" for i in range(13)) + ")")
con.executemany("INSERT INTO estates VALUES (" + ", ".join("?" * 13) + ")", rows)
con.commit()
con.close()
"""


def run_floor(path: Path, work: Path, env: dict[str, str]) -> Command:
    """python-calamine reading the file plus sqlite3 executemany of the same rows, as a command of its own."""
    database = work / "floor.sqlite3"
    database.unlink(missing_ok=True)
    command = Command([sys.executable, "-c", FLOOR_SCRIPT, str(path), str(database)], env=env)
    assert command.returncode == 0, command.stderr
    return command


def empty_archive(work: Path, env: dict[str, str]) -> Path:
    """A data folder as the app leaves it on first use: the database made, nothing imported yet."""
    folder = work / "archive"
    made = Command([sys.executable, "-m", "putuo_community", "--data-dir", str(folder), "batches"], env=env)
    assert made.returncode == 0, made.stderr
    return folder


def run_import(path: Path, archive: Path, work: Path, env: dict[str, str]) -> Command:
    data_dir = work / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(archive, data_dir)
    args = ["--data-dir", str(data_dir), "import", "estates", str(path)]
    command = Command([sys.executable, "-m", "putuo_community", *args], env=env)
    assert command.returncode == 0, command.stderr
    return command


def main(rows: int, repeats: int = REPEATS) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        path = work / "register.xlsx"
        write_register(path, rows)
        env = installed_environment()  # compiled, as `pip install` leaves the program
        archive = empty_archive(work, env)
        rounds = [(run_import(path, archive, work, env), run_floor(path, work, env)) for _ in range(repeats)]
    rounds.sort(key=lambda r: r[0].wall / r[1].wall)
    imported, floor = rounds[len(rounds) // 2]  # the median round
    best_imported, best_floor = rounds[0]
    found = re.search(r"已导入：新增 ([\d,]+)", imported.stdout)
    assert found is not None, imported.stdout
    created = int(found.group(1).replace(",", ""))
    figures = {
        "rows": rows,
        "created": created,
        "seconds": imported.wall,
        "floor_seconds": floor.wall,
        "ratio": imported.wall / floor.wall,
        "best_ratio": best_imported.wall / best_floor.wall,
        "cpu_ratio": (imported.cpu / floor.cpu) if imported.cpu and floor.cpu else None,
        "peak_mb": max((i.peak_mb for i, _f in rounds if i.peak_mb is not None), default=None),
        "floor_peak_mb": floor.peak_mb,
    }
    peak = f"{figures['peak_mb']:.0f} MB" if figures["peak_mb"] is not None else "（此平台不可测）"
    cpu = f"；按 CPU 时间比值 {figures['cpu_ratio']:.2f}" if figures["cpu_ratio"] is not None else ""
    print(
        f"命令 putuo-community import estates，{rows:,} 行小区台账（{repeats} 轮取中位）：{imported.wall:.2f} 秒"
        f"（{rows / imported.wall:,.0f} 行/秒）；同一轮的基线（calamine 读取 + sqlite3 executemany，独立进程）"
        f"{floor.wall:.2f} 秒；比值 {figures['ratio']:.2f}"
        f"（目标 ≤ {TARGET_RATIO}，最好的一轮 {figures['best_ratio']:.2f}）"
        f"{cpu}；命令进程内存峰值 {peak}（目标 < {TARGET_PEAK_MB} MB）"
    )
    print("RESULT " + json.dumps(figures))
    return figures


@pytest.mark.slow
def test_import_of_a_large_register_is_measured_against_the_floor(capsys: pytest.CaptureFixture[str]) -> None:
    rows = int(os.environ.get("PUTUO_BENCH_IMPORT_ROWS", ROWS))
    figures = run_benchmark(__file__, rows, capsys)
    assert figures["created"] == rows
    assert figures["ratio"] <= FAIL_RATIO
    if figures["peak_mb"] is not None:
        assert figures["peak_mb"] < TARGET_PEAK_MB


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
