"""Benchmark: export a 50,000-row estates ledger, against openpyxl write-only mode writing the same cells.

The ledger (query, names for references, masking, title, header, formats, validation,
totals, atomic save) is timed as a clerk waits for it; the baseline is openpyxl in
write-only mode appending the very same cell values and saving, in the same run.
Target: at most 1.5x the baseline. Run alone: `python tests/benchmarks/test_ledger_benchmark.py [ROWS]`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from benchmark_script import Stopwatch, run_benchmark

ROWS = 50_000
TARGET_RATIO = 1.5
TODAY = date(2026, 11, 24)


def fill_database(work: Path, rows: int) -> Path:
    """A district of `rows` estates, imported from a register shaped like a real one (not timed)."""
    from test_import_benchmark import write_register

    from putuo_community.services import Services
    from putuo_community.storage.database import open_database

    register = work / "register.xlsx"
    write_register(register, rows)
    path = work / "ledger.sqlite3"
    database = open_database(f"sqlite:///{path}")
    services = Services.build(database, user="benchmark")
    services.imports.commit(services.imports.plan(services.imports.read("estates", register)))
    database.dispose()
    return path


def measure_baseline(cells: list[list[object]], headers: list[str], target: Path) -> Stopwatch:
    from openpyxl import Workbook

    with Stopwatch() as watch:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("小区")
        sheet.append(headers)
        for row in cells:
            sheet.append(row)
        book.save(target)
    return watch


def main(rows: int) -> dict[str, float]:
    from putuo_community.services import Services
    from putuo_community.services.importing import get_import_kind
    from putuo_community.services.ledgers import LedgerRows, ledger_fields, ledger_query
    from putuo_community.storage.database import open_database

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = open_database(f"sqlite:///{fill_database(work, rows)}")
        services = Services.build(database, user="benchmark")
        # The same cells, computed once outside the timing, for the baseline.
        kind = get_import_kind("estates")
        fields = ledger_fields(kind)
        with database.read() as conn:
            converter = LedgerRows(kind, fields, include_personal=False)
            cells = [converter(row) for row in conn.execute(ledger_query(kind, street_id=None, search=""))]
        # Best of two on both sides: the least disturbed run of each on a shared machine.
        baselines = [measure_baseline(cells, [f.header for f in fields], work / f"base-{n}.xlsx") for n in (1, 2)]
        baseline, baseline_cpu = min(w.wall for w in baselines), min(w.cpu for w in baselines)
        watches = []
        for _attempt in (1, 2):
            with Stopwatch() as watch:
                result = services.ledgers.export("estates", work / "ledger.xlsx", today=TODAY)
            watches.append(watch)
        elapsed, cpu = min(w.wall for w in watches), min(w.cpu for w in watches)
        size_mb = (work / "ledger.xlsx").stat().st_size / 1e6
        database.dispose()
    figures = {
        "rows": result.rows,
        "seconds": elapsed,
        "baseline_seconds": baseline,
        "ratio": elapsed / baseline,
        "cpu_ratio": cpu / baseline_cpu,
        "size_mb": size_mb,
    }
    print(
        f"导出 {result.rows:,} 行小区台账（两次中较快）：{elapsed:.2f} 秒"
        f"（{result.rows / elapsed:,.0f} 行/秒，{size_mb:.1f} MB），"
        f"基线（openpyxl 只写模式写入相同单元格，两次中较快）{baseline:.2f} 秒，"
        f"比值 {elapsed / baseline:.2f}（目标 ≤ {TARGET_RATIO}）；按 CPU 时间比值 {cpu / baseline_cpu:.2f}"
    )
    print("RESULT " + json.dumps(figures))
    return figures


@pytest.mark.slow
def test_a_large_ledger_is_measured_against_openpyxl_write_only(capsys: pytest.CaptureFixture[str]) -> None:
    rows = int(os.environ.get("PUTUO_BENCH_LEDGER_ROWS", ROWS))
    figures = run_benchmark(__file__, rows, capsys)
    assert figures["rows"] == rows
    assert figures["cpu_ratio"] <= TARGET_RATIO  # CPU time: steady when another program is busy too


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
