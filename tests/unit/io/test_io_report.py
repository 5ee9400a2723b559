"""The error report: the rows left out, exactly as read, in a workbook that imports again once corrected."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from io_builders import street_ledger
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from putuo_community.domain.errors import BadFile
from putuo_community.domain.registers import ESTATES
from putuo_community.io.report import write_error_report
from putuo_community.io.table import detect_table, suggest_mapping
from putuo_community.io.workbook import read_sheet

HEADERS = ["序号", "小区名称", "规模 / 户数", "建筑面积（平方米）", "首次交付日期", "备注"]
ROWS: list[tuple[int, list[object], str]] = [
    (5, [1, "梅川一村", 300, 18600.5, dt.date(1985, 6, 1), "=SUM(A1)"], "户数：与楼栋合计不符"),
    (9, [4, "真北花园", "三百", None, dt.datetime(2003, 12, 15, 0, 0), "+86 021 5256"], "户数：不是数字"),
    (12, [7, "-", "@物业", "—", None, "备注\x07含控制字符"], "小区名称：必填"),
]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "长征镇小区_错误行.xlsx"
    write_error_report(path, headers=HEADERS, rows=ROWS, title="小区导入错误行（长征镇台账.xlsx）")
    return path


def _errors(path: Path) -> Worksheet:
    sheet = load_workbook(path)["错误行"]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_header_first_then_each_row_with_its_line_and_reason(report: Path) -> None:
    sheet = _errors(report)
    assert [c.value for c in sheet[1]] == [*HEADERS, "原行号", "错误原因"]
    assert [c.value for c in sheet[2]] == [
        1,
        "梅川一村",
        300,
        18600.5,
        dt.datetime(1985, 6, 1),  # openpyxl reads every date cell back as a datetime
        "=SUM(A1)",
        5,
        "户数：与楼栋合计不符",
    ]
    assert [c.value for c in sheet[3]][-2:] == [9, "户数：不是数字"]
    assert sheet.max_row == 4


def test_text_that_looks_like_a_formula_stays_text(report: Path) -> None:
    sheet = _errors(report)
    assert sheet["F2"].value == "=SUM(A1)"
    assert sheet["F2"].data_type == "s"
    assert [sheet["F3"].value, sheet["B4"].value, sheet["C4"].value] == ["+86 021 5256", "-", "@物业"]
    grid = read_sheet(report)  # no "formula without a result" refusal, and the text comes back as text
    assert grid.rows[1][5] == "=SUM(A1)"


def test_values_keep_their_types(report: Path) -> None:
    rows = read_sheet(report).rows
    assert rows[1][:5] == [1, "梅川一村", 300, 18600.5, dt.date(1985, 6, 1)]
    assert rows[2][2:5] == ["三百", None, dt.date(2003, 12, 15)]
    assert rows[3][5] == "备注含控制字符"  # a control character from an old .xls cannot be stored in xlsx


def test_layout_frozen_header_and_a_wide_red_reason_column(report: Path) -> None:
    sheet = _errors(report)
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["H"].width == 60
    assert sheet["H2"].font.color is not None
    assert sheet["H2"].font.color.rgb.endswith("C00000")
    book = load_workbook(report)
    assert book.sheetnames == ["错误行", "说明"]
    assert book["说明"]["A1"].value == "小区导入错误行（长征镇台账.xlsx）"


def test_a_corrected_report_imports_again(tmp_path: Path) -> None:
    """Round trip: ledger → rows left out → report → the same columns map to the same fields."""
    ledger = detect_table(read_sheet(street_ledger(tmp_path / "长征镇.xlsx")), ESTATES)
    rows = [(r.line, [r.cells[c.index] for c in ledger.columns], "户数：与楼栋合计不符") for r in ledger.rows[:2]]
    path = tmp_path / "错误行.xlsx"
    write_error_report(path, headers=[c.text for c in ledger.columns], rows=rows, title="小区导入错误行")
    again = detect_table(read_sheet(path), ESTATES)
    assert again.header_lines == (1,)
    assert [r.line for r in again.rows] == [2, 3]
    assert [c.text for c in again.columns] == [*(c.text for c in ledger.columns), "原行号", "错误原因"]
    assert suggest_mapping(again, ESTATES) == suggest_mapping(ledger, ESTATES)
    assert again.rows[0].cells[: len(ledger.columns)] == ledger.rows[0].cells


def test_an_unwritable_report_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "错误行.xlsx"
    target.write_bytes(b"last week's report, open in WPS")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(BadFile, match=r"^无法保存“错误行\.xlsx”：文件正被其他程序"):
        write_error_report(target, headers=HEADERS, rows=ROWS, title="错误行")
    assert target.read_bytes() == b"last week's report, open in WPS"
    assert [p.name for p in tmp_path.iterdir()] == ["错误行.xlsx"]
