"""What the benchmarks share: one 20,000-estate demo district per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

DISTRICT_ESTATES = 20_000
DATABASE_NAME = "putuo-community.sqlite3"


@pytest.fixture(scope="session")
def district_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 20,000-estate demo district (about 25 s to build), or the one PUTUO_BENCH_DEMO_DIR names.

    Benchmarks only read it; each opens its own process on it.
    """
    given = os.environ.get("PUTUO_BENCH_DEMO_DIR")
    if given and (Path(given) / DATABASE_NAME).exists():
        yield Path(given)
        return
    folder = tmp_path_factory.mktemp("district")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "putuo_community",
            "demo",
            "--estates",
            str(DISTRICT_ESTATES),
            "--data-dir",
            str(folder),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    yield folder
