"""The district summary workbook: the table per 街镇, the method of each figure, the chart."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.chart import BarChart, LineChart
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from putuo_community.domain.errors import BadFile
from putuo_community.io.summary_book import (
    BELOW_TARGET_FILL,
    SummaryColumn,
    SummaryReport,
    write_summary,
)

COLUMNS = (
    SummaryColumn("小区数", "count", note="纳入“一小区一档案”的住宅小区"),
    SummaryColumn("建筑面积（万㎡）", "area", note="各小区建筑面积之和，以产证为准"),
    SummaryColumn("应组建数", "count", group="业委会", note="已交付过半、应当成立业主大会的小区"),
    SummaryColumn(
        "业委会组建率", "rate", target=Decimal("0.95"), group="业委会", note="已组建业委会的小区数 ÷ 应组建数"
    ),
    SummaryColumn("电梯台数", "count", group="电梯"),
    SummaryColumn("加装电梯完成率", "rate", target=Decimal("0.6"), group="电梯", note="已完成加装 ÷ 已立项"),
    SummaryColumn("维修资金余额（万元）", "money"),
)
ROWS = (
    ("长征镇", (126, Decimal("402.35"), 98, Decimal("0.9694"), 812, Decimal("0.55"), Decimal("15320.40"))),
    ("曹杨新村街道", (88, Decimal("251.10"), 80, Decimal("0.9250"), 405, Decimal("0.72"), Decimal("9810.00"))),
    ("桃浦镇", (64, Decimal("198.00"), 40, Decimal("0.95"), 233, None, Decimal("4410.55"))),
)
TOTAL = (278, Decimal("851.45"), 218, Decimal("0.9495"), 1450, Decimal("0.6012"), Decimal("29540.95"))
NOTES = ("组建率目标依据《普陀区住宅小区综合治理三年行动计划》", "数据截至统计日各街镇上报的台账")


def _report(**changes: object) -> SummaryReport:
    values: dict[str, object] = {
        "title": "普陀区小区综合管理情况汇总表",
        "as_of": dt.date(2026, 11, 24),
        "columns": COLUMNS,
        "rows": ROWS,
        "total": TOTAL,
        "notes": NOTES,
        "chart_columns": (3, 5),
    }
    values.update(changes)
    return SummaryReport(**values)  # type: ignore[arg-type]


@pytest.fixture
def book(tmp_path: Path) -> Workbook:
    path = tmp_path / "汇总表.xlsx"
    write_summary(_report(), path)
    return load_workbook(path)


def _sheet(book: Workbook, title: str) -> Worksheet:
    sheet = book[title]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_sheets_and_properties(book: Workbook) -> None:
    assert book.sheetnames == ["汇总", "说明", "图表"]
    assert book.properties.title == "普陀区小区综合管理情况汇总表"
    assert book.properties.creator == "普陀小区档案"


def test_title_and_two_row_header_with_merged_groups(book: Workbook) -> None:
    sheet = _sheet(book, "汇总")
    assert sheet["A1"].value == "普陀区小区综合管理情况汇总表"
    assert sheet["A1"].font.b
    assert sheet["A2"].value == "截至2026年11月24日"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:H1", "A2:H2", "A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:G3", "H3:H4"} == merged
    groups = ["街镇", "小区数", "建筑面积（万㎡）", "业委会", None, "电梯", None, "维修资金余额（万元）"]
    assert [c.value for c in sheet[3]] == groups
    assert [c.value for c in sheet[4]][3:7] == [
        "应组建数",
        "业委会组建率（目标≥95%）",
        "电梯台数",
        "加装电梯完成率（目标≥60%）",
    ]
    for cell in (*sheet[3], *sheet[4]):
        if not isinstance(cell, MergedCell):  # the cells a merge covers keep no style of their own
            assert cell.font.b
            assert cell.alignment.wrap_text
    assert sheet.freeze_panes == "B5"
    assert sheet["E4"].comment.text == "已组建业委会的小区数 ÷ 应组建数"
    assert sheet["B3"].comment.text == "纳入“一小区一档案”的住宅小区"
    assert sheet["G4"].comment.text == "已完成加装 ÷ 已立项"


def test_one_row_per_street_then_the_district_in_bold(book: Workbook) -> None:
    sheet = _sheet(book, "汇总")
    assert [sheet[f"A{n}"].value for n in range(5, 9)] == ["长征镇", "曹杨新村街道", "桃浦镇", "全区合计"]
    assert [c.value for c in sheet[5]][1:] == [126, 402.35, 98, 0.9694, 812, 0.55, 15320.4]
    assert sheet["G7"].value is None  # no figure is not a zero
    assert [c.value for c in sheet[8]][1:] == [278, 851.45, 218, 0.9495, 1450, 0.6012, 29540.95]
    assert all(c.font.b for c in sheet[8])
    assert not sheet["B5"].font.b
    assert "计算方法见“说明”表" in str(sheet["A10"].value)


def test_number_formats_by_kind(book: Workbook) -> None:
    sheet = _sheet(book, "汇总")
    for row in (5, 8):
        formats = [sheet.cell(row=row, column=n).number_format for n in range(2, 9)]
        assert formats == ["#,##0", "#,##0.00", "#,##0", "0.0%", "#,##0", "0.0%", "#,##0.00"]


def test_figures_below_target_are_shaded(book: Workbook) -> None:
    sheet = _sheet(book, "汇总")
    red = BELOW_TARGET_FILL.fgColor.rgb

    def shaded(coordinate: str) -> bool:
        return bool(sheet[coordinate].fill.fgColor.rgb == red)

    assert not shaded("E5")  # 96.9% ≥ 95%
    assert shaded("E6")  # 92.5%
    assert not shaded("E7")  # exactly on target
    assert shaded("E8")  # the district's 94.95%, bold as well
    assert sheet["E8"].font.b
    assert shaded("G5")  # 55% < 60%
    assert not shaded("G6")
    assert not shaded("G7")  # no figure
    assert not shaded("G8")
    assert not any(shaded(f"{c}6") for c in "BCDFH")  # columns without a target


def test_notes_sheet_explains_every_figure(book: Workbook) -> None:
    sheet = _sheet(book, "说明")
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=4, max_row=4 + len(COLUMNS))]
    assert rows[0] == ("分组", "指标", "目标", "计算方法")
    assert rows[4] == ("业委会", "业委会组建率", "≥95%", "已组建业委会的小区数 ÷ 应组建数")
    assert rows[5] == ("电梯", "电梯台数", None, None)
    assert [r[1] for r in rows[1:]] == [c.header for c in COLUMNS]
    texts = [c.value for c in sheet["A"] if c.value]
    assert "其他说明" in texts
    assert "1. 组建率目标依据《普陀区住宅小区综合治理三年行动计划》" in texts
    assert "2. 数据截至统计日各街镇上报的台账" in texts


def test_chart_of_the_chosen_figures_per_street_with_target_lines(book: Workbook) -> None:
    charts = _sheet(book, "图表")._charts
    assert len(charts) == 1
    chart = charts[0]
    assert isinstance(chart, BarChart)
    bars, lines = chart._charts
    assert isinstance(lines, LineChart)
    assert len(bars.series) == 2
    assert [s.val.numRef.f for s in bars.series] == ["'汇总'!$E$5:$E$7", "'汇总'!$G$5:$G$7"]
    assert [s.tx.v for s in bars.series] == ["业委会组建率", "加装电梯完成率"]
    assert all(s.cat.strRef.f == "'汇总'!$A$5:$A$7" for s in (*bars.series, *lines.series))
    assert [s.tx.v for s in lines.series] == ["业委会组建率目标（≥95%）", "加装电梯完成率目标（≥60%）"]
    title = "".join(r.t for p in chart.title.tx.rich.p for r in p.r)
    assert title == "各街镇业委会组建率、加装电梯完成率"
    assert chart.x_axis.title is not None
    assert chart.y_axis.title is not None
    assert chart.y_axis.number_format.formatCode == "0%"
    # The target lines' values stand on the chart sheet, one per 街镇.
    sheet = _sheet(book, "图表")
    first = lines.series[0].val.numRef.f.split("!")[1].split(":")[0].replace("$", "")
    row = int(first[1:])
    assert [sheet.cell(row=r, column=2).value for r in range(row, row + 3)] == [0.95, 0.95, 0.95]


def test_no_chart_sheet_without_charted_columns(tmp_path: Path) -> None:
    path = tmp_path / "汇总表.xlsx"
    write_summary(_report(chart_columns=()), path)
    assert load_workbook(path).sheetnames == ["汇总", "说明"]


def test_a_chart_without_targets_has_no_lines(tmp_path: Path) -> None:
    path = tmp_path / "汇总表.xlsx"
    write_summary(_report(chart_columns=(0,)), path)
    chart = _sheet(load_workbook(path), "图表")._charts[0]
    assert isinstance(chart, BarChart)
    assert len(chart.series) == 1
    assert len(chart._charts) == 1


def test_target_texts() -> None:
    assert SummaryColumn("组建率", "rate", target=Decimal("0.955")).display_header == "组建率（目标≥95.5%）"
    assert SummaryColumn("组建率", "rate", target=Decimal("1")).target_text == "≥100%"
    assert SummaryColumn("小区数", "count", target=Decimal(120)).target_text == "≥120"
    assert SummaryColumn("小区数", "count").display_header == "小区数"


def test_figures_that_do_not_fit_the_columns_are_a_bug() -> None:
    with pytest.raises(ValueError, match="桃浦镇"):
        _report(rows=(*ROWS[:2], ("桃浦镇", (1, 2))))
    with pytest.raises(ValueError, match="district"):
        _report(total=TOTAL[:-1])
    with pytest.raises(ValueError, match="charted"):
        _report(chart_columns=(7,))
    with pytest.raises(ValueError, match="kind"):
        SummaryColumn("小区数", "number")


def test_saving_over_an_open_file_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "汇总表.xlsx"
    path.write_bytes(b"last month's summary")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(BadFile, match="文件正被其他程序"):
        write_summary(_report(), path)
    assert path.read_bytes() == b"last month's summary"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总表.xlsx"]
