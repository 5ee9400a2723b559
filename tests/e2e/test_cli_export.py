"""The output commands as a clerk types them: export ledger, export summary, dossier."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_process import run_cli
from openpyxl import load_workbook
from pypdf import PdfReader


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("district")
    result = run_cli("demo", "--data-dir", str(folder), "--estates", "40", "--seed", "9")
    assert result.returncode == 0, result.stderr
    return folder


def test_an_exported_ledger_reimports_with_nothing_to_do(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "长征镇电梯台账.xlsx"
    result = run_cli("export", "ledger", "lifts", "--street", "长征", "--out", str(out), "--data-dir", str(district))
    assert result.returncode == 0, result.stderr
    written = int(re.search(r"：([\d,]+) 条", result.stdout).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert "长征镇电梯台账" in result.stdout
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.freeze_panes == "A3"
    dry = run_cli("import", "lifts", str(out), "--dry-run", "--data-dir", str(district))
    assert dry.returncode == 0, dry.stderr
    assert f"共 {written} 行：无变化 {written}\n" in dry.stdout  # nothing new, nothing updated


def test_the_summary_command_writes_the_district_workbook(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    result = run_cli("export", "summary", "--out", str(out), "--date", "2026-11-24", "--data-dir", str(district))
    assert result.returncode == 0, result.stderr
    assert "10 个街镇" in result.stdout
    assert "汇总" in load_workbook(out).sheetnames


def test_a_dossier_by_name_and_a_street_batch(district: Path, tmp_path: Path) -> None:
    import sqlite3

    con = sqlite3.connect(district / "putuo-community.sqlite3")
    try:
        (name,) = con.execute(
            "SELECT e.name FROM estates e JOIN streets s ON s.id = e.street_id WHERE s.name = '桃浦镇' "
            "AND (SELECT count(*) FROM estates x WHERE x.name = e.name) = 1 LIMIT 1"
        ).fetchone()
        (count,) = con.execute(
            "SELECT count(*) FROM estates e JOIN streets s ON s.id = e.street_id WHERE s.name = '桃浦镇'"
        ).fetchone()
    finally:
        con.close()
    one = tmp_path / "一份.pdf"
    result = run_cli("dossier", name, "--out", str(one), "--data-dir", str(district))
    assert result.returncode == 0, result.stderr
    pages = len(PdfReader(one).pages)
    assert f"{pages} 页" in result.stdout

    folder = tmp_path / "桃浦"
    folder.mkdir()
    result = run_cli("dossier", "--street", "桃浦", "--out", str(folder), "--workers", "2", "--data-dir", str(district))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == count + 1
    assert "桃浦镇小区档案目录.pdf" in files


def test_unknown_estate_and_missing_target_are_told_plainly(district: Path, tmp_path: Path) -> None:
    result = run_cli("dossier", "没有这个小区", "--out", str(tmp_path / "x.pdf"), "--data-dir", str(district))
    assert result.returncode == 2
    assert "没有找到小区“没有这个小区”" in result.stderr
    result = run_cli("dossier", "--out", str(tmp_path), "--data-dir", str(district))
    assert result.returncode == 2
    assert "--street" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_an_empty_ledger_is_not_exported_and_the_clerk_is_told(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "小区.xlsx"
    result = run_cli(
        "export",
        "ledger",
        "estates",
        "--street",
        "长征",
        "--search",
        "没有这样的小区",
        "--out",
        str(out),
        "--data-dir",
        str(district),
    )
    assert result.returncode == 2
    assert "长征镇没有含“没有这样的小区”的小区记录，没有可导出的内容，未生成文件。" in result.stderr
    assert result.stdout == ""  # no "已导出" line
    assert not out.exists()

    empty = run_cli("export", "ledger", "lifts", "--out", str(out), "--data-dir", str(tmp_path / "新的数据"))
    assert empty.returncode == 2
    assert "普陀区没有电梯记录" in empty.stderr
    assert not out.exists()
