"""The program as a user runs it: the console script and `python -m`, in a subprocess."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import run_cli

from putuo_community.paths import DATABASE_FILE


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = run_cli("demo", "--data-dir", str(folder), "--estates", "60", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "  小区：60\n" in result.stdout
    return folder


def test_demo_builds_a_database_in_the_data_folder(demo_dir: Path) -> None:
    con = sqlite3.connect(demo_dir / DATABASE_FILE)
    try:
        assert con.execute("SELECT count(*) FROM estates").fetchone() == (60,)
        assert con.execute("SELECT count(*) FROM streets").fetchone() == (10,)
    finally:
        con.close()
    assert (demo_dir / "logs" / "putuo-community.log").read_text(encoding="utf-8").strip()


def test_demo_refuses_to_overwrite_existing_dossiers(demo_dir: Path) -> None:
    result = run_cli("demo", "--data-dir", str(demo_dir), "--estates", "5")
    assert result.returncode == 2
    assert "已有" in result.stderr
    con = sqlite3.connect(demo_dir / DATABASE_FILE)
    try:
        assert con.execute("SELECT count(*) FROM estates").fetchone() == (60,)
    finally:
        con.close()


def test_smoke_test_starts_the_window_on_the_data_and_exits_cleanly(demo_dir: Path) -> None:
    result = run_cli("--smoke-test", "--no-crash-dialog", "--data-dir", str(demo_dir))
    assert result.returncode == 0, result.stderr


def test_reminders_for_one_street_name_their_rules(demo_dir: Path) -> None:
    result = run_cli("reminders", "--street", "长征", "--date", "2026-11-23", "--data-dir", str(demo_dir))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("共 ")
    assert all("\t长征镇\t" in line and "依据：" in line for line in lines[:-1])


def test_an_unknown_street_is_a_clear_error(demo_dir: Path) -> None:
    result = run_cli("reminders", "--street", "静安寺", "--data-dir", str(demo_dir))
    assert result.returncode == 2
    assert "没有名为“静安寺”的街镇" in result.stderr


def test_a_database_from_a_newer_program_is_refused_with_a_message(tmp_path: Path, demo_dir: Path) -> None:
    shutil.copy(demo_dir / DATABASE_FILE, tmp_path / DATABASE_FILE)
    con = sqlite3.connect(tmp_path / DATABASE_FILE)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    result = run_cli("--smoke-test", "--no-crash-dialog", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "更新版本" in result.stderr


def test_a_data_dir_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "数据.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    result = run_cli("demo", "--data-dir", str(not_a_folder), "--estates", "1")
    assert result.returncode == 2
    assert "无法使用数据文件夹" in result.stderr


def test_the_console_script_is_installed() -> None:
    script = shutil.which("putuo-community", path=str(Path(sys.executable).parent))
    assert script, "the putuo-community entry point is missing: is the package installed?"
    result = subprocess.run([script, "--version"], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0
    assert "putuo-community" in result.stdout
