"""Benchmark: start the program on a 20,000-estate district until its estate list is loaded and answers.

Figures, each measured in fresh processes in the same run, best of a few rounds (one warm-up first):
- baseline: Python starting, creating a QApplication, showing an empty QMainWindow and quitting;
- the program: `putuo-community --smoke-test`, which quits once the estate list has been read and
  shown and the event loop is free again: imports, database, main window, 20,000 rows, teardown.
Target: the program under 1.5 s. Run alone: `python tests/benchmarks/test_startup_benchmark.py [ESTATES]`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from benchmark_script import run_benchmark

ESTATES = 20_000
ROUNDS = 5
TARGET_SECONDS = 1.5
# Best of five measured 0.89-1.05 s on a shared two-core machine (1.13-1.14 s in the same runs before
# quitting stopped waiting for the search text and the PDF preview and import wizard loaded on first use;
# 2.0 s before Alembic, openpyxl and ReportLab left the start): the test fails 10 % above the target, so
# that it catches a real slowdown and not a slow spell.
FAIL_SECONDS = 1.1 * TARGET_SECONDS

EMPTY_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def _seconds(command: list[str], bytecode: str) -> float:
    """Wall time of one fresh process, from launch to exit.

    Compiled modules are kept in `bytecode` (the warm-up writes them), as an installed program keeps
    them: with PYTHONDONTWRITEBYTECODE set, as on some machines, every start would compile our modules
    from source again (about 0.2 s), which no installed copy does.
    """
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {**inherited, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8", "PYTHONPYCACHEPREFIX": bytecode}
    started = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command[1:]} failed ({result.returncode}):\n{result.stderr}")
    return elapsed


def main(estates: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        subprocess.run(
            [sys.executable, "-m", "putuo_community", "demo", "--estates", str(estates), "--data-dir", str(data)],
            capture_output=True,
            timeout=600,
            check=True,
        )
        baseline_command = [sys.executable, "-c", EMPTY_WINDOW]
        app_command = [
            sys.executable,
            "-m",
            "putuo_community",
            "--data-dir",
            str(data),
            "--smoke-test",
            "--no-crash-dialog",
        ]
        bytecode = str(Path(folder) / "bytecode")
        _seconds(baseline_command, bytecode)  # warm-up: compiled modules and the file cache, for both alike
        _seconds(app_command, bytecode)
        baseline_runs, app_runs = [], []
        for _round in range(ROUNDS):  # side by side, so a busy spell slows both
            baseline_runs.append(_seconds(baseline_command, bytecode))
            app_runs.append(_seconds(app_command, bytecode))
    baseline, app = min(baseline_runs), min(app_runs)
    figures = {
        "estates": estates,
        "baseline_seconds": baseline,
        "app_seconds": app,
        "ratio": app / baseline,
        "baseline_median_seconds": statistics.median(baseline_runs),
        "app_median_seconds": statistics.median(app_runs),
    }
    print(
        f"启动到小区列表可用（{estates:,} 个小区，{ROUNDS} 轮取最快）：{app:.2f} 秒"
        f"（目标 < {TARGET_SECONDS} 秒；中位数 {figures['app_median_seconds']:.2f} 秒），"
        f"基线（空白主窗口显示后退出）{baseline:.2f} 秒"
        f"（中位数 {figures['baseline_median_seconds']:.2f} 秒），比值 {app / baseline:.1f}"
    )
    print("RESULT " + json.dumps(figures))
    return figures


@pytest.mark.slow
def test_the_program_starts_on_a_large_district_about_as_fast_as_an_empty_window(
    capsys: pytest.CaptureFixture[str],
) -> None:
    estates = int(os.environ.get("PUTUO_BENCH_STARTUP_ESTATES", ESTATES))
    figures = run_benchmark(__file__, estates, capsys)
    assert figures["app_seconds"] < FAIL_SECONDS


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ESTATES)
