"""Each benchmark runs as a script in a process of its own (a clean heap, its own peak memory).

The script prints its figures for a person, then a line `RESULT {json}` for the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest


def run_benchmark(script: str, argument: int | str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Run `script argument`, show its figures in the test log and return them."""
    result = subprocess.run(
        [sys.executable, script, str(argument)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shown, _, figures = result.stdout.partition("RESULT ")
    with capsys.disabled():  # the figures belong in the CI log
        print("\n" + shown.strip())
    parsed: dict[str, Any] = json.loads(figures)
    return parsed


class Stopwatch:
    """Wall time and this process's CPU time of a block.

    Ratios between two single-threaded runs are compared on CPU time as well: another
    program busy on a shared two-core machine stretches the wall clock of one run and not
    of the other, but leaves the work each run did about the same.
    """

    def __enter__(self) -> Stopwatch:
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
