"""Each benchmark runs as a script in a process of its own (a clean heap, its own peak memory).

The script prints its figures for a person, then a line `RESULT {json}` for the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
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


class Command:
    """A whole command run as the user runs it, in a process of its own: its wall time, and, where the
    platform tells (Linux, macOS: `os.wait4`), its CPU time and peak memory; None elsewhere."""

    def __init__(self, args: list[str], *, cwd: str | None = None, env: dict[str, str] | None = None) -> None:
        started = time.perf_counter()
        process = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
        )
        self.cpu: float | None = None
        self.peak_mb: float | None = None
        wait4 = getattr(os, "wait4", None)
        if wait4 is not None:
            stdout, stderr = _drain(process)
            _pid, status, usage = wait4(process.pid, 0)
            self.wall = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            self.cpu = usage.ru_utime + usage.ru_stime
            self.peak_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        else:
            stdout, stderr = process.communicate()
            self.wall = time.perf_counter() - started
        self.returncode = process.returncode
        self.stdout, self.stderr = stdout, stderr


def installed_environment() -> dict[str, str]:
    """The environment of a command run as an installed program runs: its modules already compiled.

    `pip install` compiles the package (and its libraries) once; an editable checkout run under
    PYTHONDONTWRITEBYTECODE compiles every module of the program again in every process, a cost no
    user meets. Compiled once here, into the checkout's __pycache__ folders (ignored by git).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    package = Path(__file__).resolve().parents[2] / "putuo_community"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], env=env, check=True)
    return env


def _drain(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Read a child's output to its end without reaping it (`os.wait4` reaps it, with its usage)."""
    assert process.stdout is not None
    assert process.stderr is not None
    chunks: dict[str, list[str]] = {"out": [], "err": []}
    reader = threading.Thread(target=lambda: chunks["err"].append(process.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    chunks["out"].append(process.stdout.read())
    reader.join()
    return "".join(chunks["out"]), "".join(chunks["err"])
