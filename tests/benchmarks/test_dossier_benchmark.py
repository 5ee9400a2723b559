"""Benchmark: print estate dossiers to PDF — one fully populated dossier, and a batch of 1,000 on all cores.

Figures, each with a baseline measured in the same run:
- one dossier (database reads, layout, drawing, subset font, file) against reportlab
  drawing the same text line by line on a bare canvas with the same font (no layout);
  target: under 0.5 s;
- a batch of 1,000 dossiers plus the index, against the single-dossier time × 1,000
  divided by the cores (perfect parallelism); target: under 60 s, using both cores
  (the worker processes' CPU time is printed beside the wall time).
Run alone: `python tests/benchmarks/test_dossier_benchmark.py [ESTATES]`.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from benchmark_script import run_benchmark

from putuo_community.services import Services

ESTATES = 1000
SINGLE_TARGET_SECONDS = 0.5
BATCH_TARGET_SECONDS = 60.0
TODAY = date(2026, 11, 24)


def richest_estate(services: Services) -> int:
    from sqlalchemy import func, select

    from putuo_community.storage.schema import TABLES

    counts: dict[int, int] = {}
    with services.database.read() as conn:
        for key in ("lifts", "committee_activities", "buildings", "projects", "contracts", "funds"):
            table = TABLES[key]
            for estate_id, n in conn.execute(select(table.c.estate_id, func.count()).group_by(table.c.estate_id)):
                counts[estate_id] = counts.get(estate_id, 0) + n
    return max(counts, key=counts.__getitem__)


def bare_canvas(lines: list[str], target: Path) -> float:
    """reportlab writing the same text with the same embedded font, one line after another, no layout."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from putuo_community.io.fonts import register_font

    font = register_font()
    started = time.perf_counter()
    canvas = Canvas(str(target), pagesize=A4)
    y = 800.0
    for line in lines:
        if y < 40:
            canvas.showPage()
            y = 800.0
        canvas.setFont(font, 9)
        canvas.drawString(40, y, line[:90])
        y -= 12
    canvas.save()
    return time.perf_counter() - started


def main(estates: int) -> dict[str, float]:
    from pypdf import PdfReader

    from putuo_community.services.demo import generate_demo
    from putuo_community.storage.database import open_database

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = open_database(f"sqlite:///{work / 'district.sqlite3'}")
        generate_demo(database, estates=estates, seed=2026, today=TODAY)
        services = Services.build(database, user="benchmark")
        estate_id = richest_estate(services)
        services.dossiers.write(estate_id, work / "warm.pdf", today=TODAY)  # the font is read once per process
        timings = []
        for attempt in range(5):
            started = time.perf_counter()
            pages = services.dossiers.write(estate_id, work / f"one-{attempt}.pdf", today=TODAY)
            timings.append(time.perf_counter() - started)
        single = min(timings)
        lines = [
            line for page in PdfReader(work / "one-0.pdf").pages for line in (page.extract_text() or "").splitlines()
        ]
        baseline = bare_canvas(lines, work / "bare.pdf")

        cores = os.cpu_count() or 1
        out = work / "batch"
        out.mkdir()
        all_ids = [i for street in range(1, 11) for i in services.dossiers.estates_of_street(street)][:estates]
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        result = services.dossiers.write_batch(all_ids, out, title="普陀区小区档案目录", today=TODAY)
        batch = time.perf_counter() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = resource.getrusage(resource.RUSAGE_SELF)
        worker_cpu = (children.ru_utime - children_before.ru_utime) + (children.ru_stime - children_before.ru_stime)
        main_cpu = (own.ru_utime - self_before.ru_utime) + (own.ru_stime - self_before.ru_stime)
        database.dispose()
    ideal = single * len(all_ids) / min(cores, 4)
    figures = {
        "single_seconds": single,
        "single_pages": pages,
        "bare_canvas_seconds": baseline,
        "single_ratio": single / baseline,
        "batch_dossiers": len(result.files),
        "batch_pages": result.pages,
        "batch_seconds": batch,
        "batch_ideal_seconds": ideal,
        "batch_ratio": batch / ideal,
        "worker_cpu_seconds": worker_cpu,
        "main_cpu_seconds": main_cpu,
        "cores": cores,
    }
    print(
        f"单份档案（{pages} 页）：{single:.3f} 秒（目标 < {SINGLE_TARGET_SECONDS} 秒），"
        f"基线（同字体逐行写同样文字、不排版）{baseline:.3f} 秒，比值 {single / baseline:.1f}\n"
        f"批量 {len(result.files):,} 份档案（共 {result.pages:,} 页，含目录）："
        f"{batch:.1f} 秒（目标 < {BATCH_TARGET_SECONDS:.0f} 秒），"
        f"基线（单份用时 × 份数 ÷ {min(cores, 4)} 核）{ideal:.1f} 秒，比值 {batch / ideal:.2f}；"
        f"CPU 时间：工作进程 {worker_cpu:.1f} 秒 + 主进程 {main_cpu:.1f} 秒"
        f"（平均 {(worker_cpu + main_cpu) / batch:.1f} 核）"
    )
    print("RESULT " + json.dumps(figures))
    return figures


@pytest.mark.slow
def test_dossiers_print_fast_alone_and_in_a_batch_on_every_core(capsys: pytest.CaptureFixture[str]) -> None:
    estates = int(os.environ.get("PUTUO_BENCH_DOSSIERS", ESTATES))
    figures = run_benchmark(__file__, estates, capsys)
    assert figures["single_seconds"] < SINGLE_TARGET_SECONDS
    assert figures["batch_dossiers"] == estates
    assert figures["batch_seconds"] < BATCH_TARGET_SECONDS
    if figures["cores"] >= 2:
        busy_cores = (figures["worker_cpu_seconds"] + figures["main_cpu_seconds"]) / figures["batch_seconds"]
        assert busy_cores > 1.2, f"the batch kept only {busy_cores:.1f} cores busy"  # one core alone: ≤ 1.0


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ESTATES)
