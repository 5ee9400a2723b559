"""Importing through the command line, as a clerk or a script would."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ledger_builder import build_street_ledger, ledger_estates
from openpyxl import load_workbook

from putuo_community.paths import DATABASE_FILE


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "putuo_community", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=180,
        check=False,
    )


def _count(data: Path, table: str) -> int:
    con = sqlite3.connect(data / DATABASE_FILE)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return build_street_ledger(tmp_path / "长征镇小区台账.xlsx", ledger_estates(36))


def test_dry_run_then_import_then_nothing_changes(data: Path, ledger: Path) -> None:
    dry = _cli("import", "estates", ledger, "--dry-run", "--data-dir", data)
    assert dry.returncode == 0, dry.stderr
    assert "共 36 行：新增 36" in dry.stdout
    assert "表头在第 3、4 行" in dry.stdout
    assert "预览完成，未写入数据库" in dry.stdout
    assert _count(data, "estates") == 0

    real = _cli("import", "estates", ledger, "--data-dir", data)
    assert real.returncode == 0, real.stderr
    assert "已导入：新增 36，更新 0，无变化 0，未导入 0（新建居委会 4）" in real.stdout
    assert _count(data, "estates") == 36

    again = _cli("import", "estates", ledger, "--data-dir", data)
    assert again.returncode == 0
    assert "共 36 行：无变化 36" in again.stdout
    assert _count(data, "change_batches") == 1


def test_rows_with_errors_block_the_import_until_only_valid_is_asked(data: Path, tmp_path: Path) -> None:
    estates = ledger_estates(6)
    cells = list(estates[2].cells)
    cells[4] = "1850年"  # 建成年份 out of range
    estates[2] = type(estates[2])(**{**estates[2].__dict__, "cells": tuple(cells)})
    ledger = build_street_ledger(tmp_path / "长征镇.xlsx", estates)
    report = tmp_path / "错误行.xlsx"

    blocked = _cli("import", "estates", ledger, "--report", report, "--data-dir", data)
    assert blocked.returncode == 2
    assert f"第{5 + 2}行 错误" in blocked.stdout
    assert "建成年份" in blocked.stdout
    assert "全部未写入" in blocked.stderr
    assert _count(data, "estates") == 0
    sheet = load_workbook(report).active
    assert sheet is not None
    assert sheet.max_row == 2  # header + the one bad row

    partial = _cli("import", "estates", ledger, "--only-valid", "--data-dir", data)
    assert partial.returncode == 0
    assert "新增 5" in partial.stdout
    assert "未导入 1" in partial.stdout


def test_a_mapping_file_overrides_the_suggestion(data: Path, ledger: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "列对应.json"
    mapping.write_text(json.dumps({"地址": None}, ensure_ascii=False), encoding="utf-8")
    result = _cli("import", "estates", ledger, "--mapping", mapping, "--data-dir", data)
    assert result.returncode == 0, result.stderr
    assert "列“基本情况 / 地址”" not in result.stdout
    con = sqlite3.connect(data / DATABASE_FILE)
    assert con.execute("SELECT count(*) FROM estates WHERE address IS NOT NULL").fetchone() == (0,)
    con.close()


def test_a_word_document_renamed_to_xlsx_is_refused_by_name(data: Path, tmp_path: Path) -> None:
    fake = tmp_path / "小区台账.xlsx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    result = _cli("import", "estates", fake, "--data-dir", data)
    assert result.returncode == 2
    assert "小区台账.xlsx" in result.stderr
    assert "Word" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_then_batches_then_undo(data: Path, ledger: Path, tmp_path: Path) -> None:
    template = tmp_path / "小区导入模板.xlsx"
    made = _cli("template", "estates", "--out", template, "--data-dir", data)
    assert made.returncode == 0, made.stderr
    sheet = load_workbook(template).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert "小区名称*" in headers
    assert "建筑面积（㎡）" in headers

    _cli("import", "estates", ledger, "--data-dir", data)
    listed = _cli("batches", "--imports", "--data-dir", data)
    assert listed.returncode == 0
    batch_id = listed.stdout.split("\t", 1)[0]
    assert "长征镇小区台账.xlsx" in listed.stdout

    undone = _cli("undo", batch_id, "--data-dir", data)
    assert undone.returncode == 0, undone.stderr
    assert _count(data, "estates") == 0
    assert "已撤销" in _cli("batches", "--data-dir", data).stdout
