"""Benchmark: import a 50,000-row estates register shaped like a real one.

Prints the import time, its peak memory, and the ratio to a floor measured in the
same run on the same file: python-calamine reading it plus a raw sqlite3
executemany of the same rows. Target: at most 4x the floor, under 500 MB.
Run alone: `python tests/benchmarks/test_import_benchmark.py [ROWS]`.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from benchmark_script import Stopwatch, run_benchmark

ROWS = 50_000
REPEATS = 3
TARGET_RATIO = 4.0  # issue 3's target
# Even CPU time moves a lot here: the floor alone measured 0.84-1.54 s within an hour. Rounds of
# floor-then-import, median round, are the steadiest figure found (2.8-3.6 in recent runs); the test
# fails 10 % above the target so that it catches a real slowdown and not a slow spell.
FAIL_RATIO = 4.4
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


def measure_floor(path: Path, work: Path) -> Stopwatch:
    """python-calamine reading the file plus sqlite3 executemany of the same rows."""
    from python_calamine import CalamineWorkbook

    with Stopwatch() as watch:
        _floor(CalamineWorkbook, path, work)
    return watch


def _floor(calamine: Any, path: Path, work: Path) -> None:
    data = calamine.from_path(str(path)).get_sheet_by_index(0).to_python()
    rows = [tuple(str(v) for v in row[1:14]) for row in data[3:-1]]
    con = sqlite3.connect(work / "floor.sqlite3")
    con.execute("CREATE TABLE estates (" + ", ".join(f"c{i} TEXT" for i in range(13)) + ")")
    con.executemany("INSERT INTO estates VALUES (" + ", ".join("?" * 13) + ")", rows)
    con.commit()
    con.close()


def measure_import(path: Path, work: Path) -> tuple[Stopwatch, int]:
    from putuo_community.services import Services
    from putuo_community.storage.database import open_database

    database = open_database(f"sqlite:///{work / f'import-{time.monotonic_ns()}.sqlite3'}")
    services = Services.build(database, user="benchmark")
    with Stopwatch() as watch:
        plan = services.imports.plan(services.imports.read("estates", path))
        result = services.imports.commit(plan)
    database.dispose()
    return watch, result.created


def main(rows: int, repeats: int = REPEATS) -> dict[str, float]:
    """`repeats` rounds of floor then import, each round's ratio taken from runs seconds apart.

    A shared machine has slow spells that last seconds: measured side by side, both halves of a
    round meet the same spell, where best-of-N on each side separately can pair a lucky floor with
    an unlucky import. The median round is the figure; the best round is printed beside it.
    """
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        path = work / "register.xlsx"
        write_register(path, rows)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rounds = []
        for attempt in range(repeats):
            attempt_dir = work / f"floor-{attempt}"
            attempt_dir.mkdir()
            floor = measure_floor(path, attempt_dir)
            imported, created = measure_import(path, work)
            rounds.append((imported, floor))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    by_cpu = sorted(rounds, key=lambda r: r[0].cpu / r[1].cpu)
    imported, floor = by_cpu[len(by_cpu) // 2]  # the median round
    best_imported, best_floor = by_cpu[0]
    figures = {
        "rows": rows,
        "created": created,
        "seconds": imported.wall,
        "floor_seconds": floor.wall,
        "ratio": imported.wall / floor.wall,
        "cpu_seconds": imported.cpu,
        "floor_cpu_seconds": floor.cpu,
        "cpu_ratio": imported.cpu / floor.cpu,
        "best_cpu_ratio": best_imported.cpu / best_floor.cpu,
        "peak_mb": peak_mb,
        "peak_before_mb": before / 1024,
    }
    print(
        f"导入 {rows:,} 行小区台账（{repeats} 轮取中位）：{imported.wall:.2f} 秒（{rows / imported.wall:,.0f} 行/秒），"
        f"同一轮的基线（calamine 读取 + sqlite3 executemany）{floor.wall:.2f} 秒，"
        f"比值 {imported.wall / floor.wall:.2f}（目标 ≤ {TARGET_RATIO}）；"
        f"按 CPU 时间 {imported.cpu:.2f} 秒 ÷ {floor.cpu:.2f} 秒，比值 {imported.cpu / floor.cpu:.2f}"
        f"（最好的一轮 {best_imported.cpu / best_floor.cpu:.2f}）；"
        f"进程内存峰值 {peak_mb:.0f} MB（目标 < {TARGET_PEAK_MB} MB）"
    )
    print("RESULT " + json.dumps(figures))
    return figures


@pytest.mark.slow
def test_import_of_a_large_register_is_measured_against_the_floor(capsys: pytest.CaptureFixture[str]) -> None:
    rows = int(os.environ.get("PUTUO_BENCH_IMPORT_ROWS", ROWS))
    figures = run_benchmark(__file__, rows, capsys)
    assert figures["created"] == rows
    assert figures["cpu_ratio"] <= FAIL_RATIO
    assert figures["peak_mb"] < TARGET_PEAK_MB


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
