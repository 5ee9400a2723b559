"""Benchmark: opening the estate window of the largest estate of a 20,000-estate district.

Measured in a process of its own on the demo district, from the double-click (`open_estate`) until
the window shows every section with its records and the event loop is free again, with a 10 ms
timer on the UI thread recording the longest freeze. Baseline, in the same run: the dossier service
reading the same estate (the records, the rules' columns, the completeness check) with no window.
Target: the window under 300 ms (asserted with a 10 % margin), no freeze over 100 ms.
Run alone: `python tests/benchmarks/test_estate_window_benchmark.py DATA_DIR`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import pytest
from benchmark_script import run_benchmark

TARGET_SECONDS = 0.300
FREEZE_SECONDS = 0.100
MARGIN = 1.10
ROUNDS = 5
DATABASE_NAME = "putuo-community.sqlite3"


def largest_estate(database: Path) -> tuple[int, str, int]:
    """The estate with the most records in its dossier: (id, name, records)."""
    owned = ("buildings", "lifts", "committee_terms", "committee_activities", "contracts", "projects", "funds")
    counts = " + ".join(f"(SELECT COUNT(*) FROM {t} WHERE {t}.estate_id = estates.id)" for t in owned)
    with sqlite3.connect(database) as conn:
        row = conn.execute(f"SELECT id, name, {counts} AS n FROM estates ORDER BY n DESC LIMIT 1").fetchone()
    return int(row[0]), str(row[1]), int(row[2])


def main(data_dir: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from datetime import date

    from PySide6.QtCore import QLocale, QTimer
    from PySide6.QtWidgets import QApplication

    from putuo_community.gui.main_window import MainWindow
    from putuo_community.services import Services
    from putuo_community.storage.database import open_database

    database = data_dir / DATABASE_NAME
    estate_id, name, records = largest_estate(database)
    app = QApplication([])
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    services = Services.build(open_database(f"sqlite:///{database}"), user="基准测试")
    main_window = MainWindow(services, remember_state=False)

    worst = [0.0]
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)

    def read_only() -> float:
        started = time.perf_counter()
        services.dossiers.estate_dossier(estate_id, today=date.today())
        return time.perf_counter() - started

    def open_window() -> float:
        started = time.perf_counter()
        window = main_window.open_estate(estate_id)
        while window.dossier is None or window.loading:
            app.processEvents()
        app.processEvents()  # the layout and the first paint
        elapsed = time.perf_counter() - started
        window.close()
        app.processEvents()
        return elapsed

    read_only()  # warm-up: the page cache and the first imports, for both alike
    open_window()
    reads, opens = [], []
    ticker.start()
    last[0] = time.perf_counter()
    for _round in range(ROUNDS):
        reads.append(read_only())
        last[0] = time.perf_counter()  # the freeze meter watches the window, not the bare read
        opens.append(open_window())
    ticker.stop()
    main_window.close()
    services.close()
    read, opened = statistics.median(reads), statistics.median(opens)
    print(
        f"小区档案窗口（{name}，{records} 条记录，{ROUNDS} 次取中位）：{opened * 1000:.0f} 毫秒（目标 < 300 毫秒）；"
        f"基线（档案服务读取同一小区，不建窗口）{read * 1000:.0f} 毫秒，比值 {opened / read:.2f}；"
        f"界面线程最长停顿 {worst[0] * 1000:.0f} 毫秒"
    )
    return {"window": opened, "read": read, "freeze": worst[0], "records": records}


@pytest.mark.slow
def test_the_largest_estates_window_opens_quickly(district_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = run_benchmark(__file__, str(district_dir), capsys)
    assert figures["records"] > 20  # a real dossier, not an empty one
    assert figures["window"] < TARGET_SECONDS * MARGIN
    assert figures["freeze"] < FREEZE_SECONDS * MARGIN


if __name__ == "__main__":
    print("RESULT " + json.dumps(main(Path(sys.argv[1]))))
