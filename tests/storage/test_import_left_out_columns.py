"""Columns an import leaves out are named in the error report, with a sample value: none vanishes unsaid."""

from __future__ import annotations

from pathlib import Path

from ledger_builder import simple_sheet
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from putuo_community.services import Services


def test_the_error_report_names_every_column_left_out_with_a_sample(services: Services, tmp_path: Path) -> None:
    path = simple_sheet(
        tmp_path / "长征镇小区.xlsx",
        ["小区名称", "小区等级", "户数", "物业联系人手机"],
        [["梅川一村", None, 300, None], ["梅川二村", "A级", "三百", None]],  # 户数 三百 is an error
    )
    plan = services.imports.plan(services.imports.read("estates", path))
    assert [c.header for c in plan.unmapped] == ["小区等级", "物业联系人手机"]
    report = tmp_path / "错误行.xlsx"
    assert services.imports.write_report(plan, report) == 1

    book = load_workbook(report)
    errors = book["错误行"]
    assert isinstance(errors, Worksheet)
    assert [c.value for c in errors[1]][:4] == ["小区名称", "小区等级", "户数", "物业联系人手机"]
    assert errors["B1"].fill.fgColor.rgb.endswith("D9D9D9")  # a left-out column's header is shaded grey
    assert not errors["A1"].fill.fgColor.rgb.endswith("D9D9D9")
    left_out = book["未导入的列"]
    assert isinstance(left_out, Worksheet)
    assert [[c.value for c in row] for row in left_out.iter_rows(min_row=2)] == [
        ["B", "小区等级", "A级"],
        ["D", "物业联系人手机", None],
    ]
    note = str(book["说明"]["A6"].value)
    assert "另有 2 列没有导入" in note
    assert "“小区等级”、“物业联系人手机”" in note
    assert book.sheetnames[0] == "错误行"  # the corrected sheet is still the one that imports


def test_a_report_with_every_column_imported_has_no_left_out_sheet(services: Services, tmp_path: Path) -> None:
    path = simple_sheet(tmp_path / "长征镇小区.xlsx", ["小区名称", "户数"], [["梅川一村", "三百"]])
    plan = services.imports.plan(services.imports.read("estates", path))
    assert plan.unmapped == ()
    report = tmp_path / "错误行.xlsx"
    services.imports.write_report(plan, report)
    book = load_workbook(report)
    assert "未导入的列" not in book.sheetnames
    assert book["说明"]["A6"].value is None
