"""Control characters and bidi overrides in a clerk's file: dropped on import as on export; formulas stay text."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from ledger_builder import simple_sheet
from openpyxl import load_workbook

from putuo_community.services import Services
from putuo_community.services.importing import RowStatus

# As Excel stores a control character in an xlsx file (calamine reads _x0007_ as BEL).
BEL, ESC, NUL = "_x0007_", "_x001B_", "_x0000_"


def _estates(services: Services) -> dict[str, dict[str, object]]:
    return {str(r.values["name"]): r.values for r in services.records.list("estates")}


def test_an_import_drops_control_characters_and_bidi_overrides(services: Services, tmp_path: Path) -> None:
    path = simple_sheet(
        tmp_path / "小区.xlsx",
        ["街镇", "小区名称", "地址", "备注"],
        [
            ["长征镇", f"甘泉{BEL}一村{NUL}", f"铜川路{ESC}[1m100弄", f"第一行{BEL}\n第二行\t末尾"],
            ["长征镇", "\u202e村新阳\u202c", "\u2066枣阳路\u2069200号", None],
        ],
    )
    plan = services.imports.plan(services.imports.read("estates", path))
    services.imports.commit(plan)

    estates = _estates(services)
    assert set(estates) == {"甘泉一村", "村新阳"}
    assert estates["甘泉一村"]["address"] == "铜川路[1m100弄"
    assert estates["甘泉一村"]["note"] == "第一行\n第二行 末尾"  # a line break in 备注 stays; a tab is a space
    assert estates["村新阳"]["address"] == "枣阳路200号"


def test_a_csv_with_raw_control_characters_reads_the_same(services: Services, tmp_path: Path) -> None:
    """(A NUL would make the file binary: it is refused as no table at all.)"""
    path = tmp_path / "小区.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["街镇", "小区名称"])
        writer.writerow(["长征镇", "甘泉\x07一村\x1b[31m\x7f\x9b\u2067"])
    services.imports.commit(services.imports.plan(services.imports.read("estates", path)))
    assert set(_estates(services)) == {"甘泉一村[31m"}


def test_an_exported_ledger_of_such_names_reimports_with_no_change(services: Services, tmp_path: Path) -> None:
    path = simple_sheet(
        tmp_path / "小区.xlsx",
        ["街镇", "小区名称", "备注"],
        [
            ["长征镇", f"甘泉{BEL}一村", f"第一行{ESC}\n第二行"],
            ["长征镇", "\u202e村新阳", None],
            ["长征镇", f"{NUL}=1+1村", None],
        ],
    )
    services.imports.commit(services.imports.plan(services.imports.read("estates", path)))
    ledger = tmp_path / "小区台账.xlsx"
    services.ledgers.export("estates", ledger, today=date(2026, 11, 24))

    again = services.imports.plan(services.imports.read("estates", ledger))

    assert [r.status for r in again.rows] == [RowStatus.UNCHANGED] * 3, [(r.status, r.reason) for r in again.rows]
    assert len(_estates(services)) == 3


def test_the_error_report_keeps_formula_like_text_as_text(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "小区.csv"
    formulas = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["街镇", "小区名称", "地址", "=来源"])
        for text in formulas:
            writer.writerow(["没有这个镇", text, text, text])
    plan = services.imports.plan(services.imports.read("estates", path))
    assert len(plan.rejected) == len(formulas)
    report = tmp_path / "错误行.xlsx"

    services.imports.write_report(plan, report)

    sheet = load_workbook(report)["错误行"]
    assert sheet["D1"].value == "=来源"
    assert sheet["D1"].data_type == "s"
    for line, text in enumerate(formulas, start=2):
        for column in "BC":
            cell = sheet[f"{column}{line}"]
            # (Excel's file format turns a carriage return into a line feed.)
            assert cell.value == text.replace("\r", "\n"), (cell.coordinate, cell.value)
            assert cell.data_type == "s"
            assert cell.quotePrefix  # Excel keeps it text when the clerk edits the cell
