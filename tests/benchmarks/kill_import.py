"""Crash safety of a large import (issue 11), outside the default suite: `putuo-community import estates`
of the benchmark's 50,000-row register, killed at random moments.

Each run imports into a fresh copy of a small archive (5 demo estates) and is killed (`Popen.kill()`)
after a seeded random delay, half timed from the start and half from the first write seen in the data
folder (see tests/kill_harness.py). What it leaves must open, pass SQLite's and the program's checks, and
hold exactly the archive before the import or exactly the archive after it; the backups taken before it
must be complete. Prints a table of outcomes; exits 1 on any failure.

    .venv/bin/python tests/benchmarks/kill_import.py [--runs 50] [--rows 50000] [--seed N] [--parallel 2]
        [--work DIR (keeps and reuses the register and the archive)] [--kill-at s2.1,w0.35,d0.01 (replay)]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for kill_harness

from kill_harness import DATABASE_FILE, SUBPROCESS_ENV, Kill, Operation, kill_runs, python_command, read_state
from test_import_benchmark import ROWS, write_register


def _register(work: Path, rows: int) -> Path:
    """The benchmark's district register of `rows` new estates, written once per work folder."""
    path = work / f"register-{rows}.xlsx"
    if not path.exists():
        began = time.perf_counter()
        write_register(path.with_suffix(".tmp.xlsx"), rows)
        path.with_suffix(".tmp.xlsx").replace(path)
        print(f"register of {rows:,} rows written in {time.perf_counter() - began:.1f} s: {path}")
    return path


def _archive(work: Path) -> Path:
    """A clerk's small archive (5 demo estates), so the import also takes its daily and before-import backups."""
    folder = work / "archive"
    if not (folder / DATABASE_FILE).exists():
        shutil.rmtree(folder, ignore_errors=True)
        made = subprocess.run(
            python_command("demo", "--estates", "5", "--seed", "11", "--data-dir", str(folder)),
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, **SUBPROCESS_ENV},
            check=False,
        )
        if made.returncode != 0:
            raise SystemExit(f"could not make the archive: {made.stderr}")
        shutil.rmtree(folder / "tmp", ignore_errors=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--parallel", type=int, default=2, help="runs killed at a time (default 2)")
    parser.add_argument("--work", type=Path, help="work folder to keep and reuse (default: a temporary one)")
    parser.add_argument(
        "--kill-at",
        help="replay chosen kills: s2.1 = 2.1 s after the start, w0.35 / d0.35 = 0.35 s after the first write "
        "to the data folder / to the database",
    )
    args = parser.parse_args(argv)

    own_work = args.work is None
    work: Path = Path(tempfile.mkdtemp(prefix="kill-import-")) if own_work else args.work
    work.mkdir(parents=True, exist_ok=True)
    register = _register(work, args.rows)
    base = _archive(work)
    before = read_state(base / DATABASE_FILE)
    runs_folder = work / "runs"
    shutil.rmtree(runs_folder, ignore_errors=True)
    runs_folder.mkdir()
    operation = Operation(
        "import",
        lambda folder: python_command("import", "estates", str(register), "--data-dir", str(folder / "data")),
        before,
        backup_label="before-import",
    )
    kills = [Kill.parse(k) for k in args.kill_at.split(",")] if args.kill_at else None
    report = kill_runs(
        operation, base, runs_folder, runs=args.runs, seed=args.seed, parallel=args.parallel, kills=kills
    )
    print(report.describe())
    created = report.after.exact.rows("estates") - before.exact.rows("estates")
    print(f"an unkilled import adds {created:,} estates; {report.seconds / max(len(report.runs), 1):.1f} s per run")

    problems = [f"{len(report.failed)} runs failed"] if report.failed else []
    if created != args.rows:
        problems.append(f"an unkilled import added {created:,} estates, not {args.rows:,}")
    if kills is None and not (report.outcomes["before"] and report.outcomes["after"]):
        problems.append(f"the kills did not land on both sides of the commit: {dict(report.outcomes)}")
    if own_work and not report.failed:
        shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        print("OK: every killed import left the archive entirely before or entirely after the import")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
