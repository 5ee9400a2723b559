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


def test_every_package_and_the_bundled_font_are_installed() -> None:
    """pyproject lists the packages by hand (to install resources/ with them): a new one must be added."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "putuo_community").rglob("__init__.py")} | {
        "putuo_community.resources"
    }
    assert set(config["packages"]) == on_disk
    assert config["package-dir"]["putuo_community.resources"] == "resources"
    assert (ROOT / "resources" / "wqy-microhei.ttc").stat().st_size > 1_000_000
