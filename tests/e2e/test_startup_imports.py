"""The window opens without loading what only some actions need: Alembic, the spreadsheet and PDF libraries.

They cost most of a second at start-up; each loads with the first export, import or dossier instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from putuo_community.paths import DataPaths
from putuo_community.storage.database import open_database

HEAVY = ("alembic", "openpyxl", "python_calamine", "reportlab", "pypdf")

# The real start of the GUI, smoke-test style: the window shows, the estate list loads, then it quits.
START = f"""
import sys
from putuo_community.app import main

code = main(["--data-dir", sys.argv[1], "--smoke-test", "--no-crash-dialog"])
print("LOADED", *sorted(m for m in {HEAVY!r} if m in sys.modules))
sys.exit(code)
"""


@pytest.mark.slow
def test_the_gui_starts_on_an_existing_database_without_the_heavy_libraries(tmp_path: Path) -> None:
    paths = DataPaths.resolve(tmp_path)
    paths.ensure()
    open_database(paths.database_url).dispose()  # created and stamped: this start needs no migration
    result = subprocess.run(
        [sys.executable, "-c", START, str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split("LOADED", 1)[1].split()
    assert loaded == []
