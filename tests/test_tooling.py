"""The code checks run by the test command: lint, format, types, and the layer contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed beside {sys.executable}: install the [test] extra"
    return found


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("ruff", "check", "putuo_community", "tests"), id="ruff-lint"),
        pytest.param(("ruff", "format", "--check", "putuo_community", "tests"), id="ruff-format"),
        pytest.param(("lint-imports",), id="import-contracts"),
        pytest.param(("mypy", "putuo_community"), id="mypy"),
    ],
)
def test_code_checks_pass(command: tuple[str, ...]) -> None:
    result = _run(_tool(command[0]), *command[1:])
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
