"""The district summary workbook: one row per 街镇 and the district's, the method of each figure, a chart.

Sheets: "汇总" (the table, with a two-row header grouping related figures), "说明" (how each
figure is computed and where its target comes from) and "图表" (the chosen figures per 街镇,
as bars, with the target as a line).
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.comments import Comment
from openpyxl.drawing.line import LineProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from putuo_community.io.ledger import CREATOR, as_of_text
from putuo_community.io.summary_report import KINDS, SummaryColumn, SummaryReport
from putuo_community.io.workbook import display_width, save_workbook

SUMMARY_SHEET = "汇总"
NOTES_SHEET = "说明"
CHART_SHEET = "图表"
STREET_HEADER = "街镇"
DISTRICT_LABEL = "全区合计"
NUMBER_FORMATS = {"count": "#,##0", "rate": "0.0%", "area": "#,##0.00", "money": "#,##0.00"}
BELOW_TARGET_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's "light red fill"
HEADER_ROWS = (3, 4)
FIRST_DATA_ROW = 5

_BELOW_TARGET_FONT = Font(color="9C0006")
_TITLE_FONT = Font(bold=True, size=16)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_THIN = Side(style="thin", color="808080")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOTAL_BORDER = Border(left=_THIN, right=_THIN, top=Side(style="double", color="808080"), bottom=_THIN)
_LINE_HEIGHT = 15  # points per line of 11-point text
_MAX_HEADER_WIDTH = 16
_TARGET_COLOURS = ("C00000", "ED7D31", "7030A0")
_AXIS_TITLES = {"count": "数量", "rate": "比例", "area": "面积（万㎡）", "money": "金额"}


def write_summary(report: SummaryReport, path: Path) -> None:
    """Write the summary workbook to `path` in one step."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = SUMMARY_SHEET
    _write_table(sheet, report)
    _write_notes(book.create_sheet(NOTES_SHEET), report)
    if report.chart_columns and report.rows:
        _write_chart(book.create_sheet(CHART_SHEET), sheet, report)
    book.properties.title = report.title
    book.properties.creator = CREATOR
    save_workbook(book, path)


# -- 汇总 ---------------------------------------------------------------------------------


def _write_table(sheet: Worksheet, report: SummaryReport) -> None:
    columns = report.columns
    last = get_column_letter(len(columns) + 1)
    top, bottom = HEADER_ROWS

    sheet["A1"] = report.title
    sheet["A1"].font = _TITLE_FONT
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet["A2"] = as_of_text(report.as_of)
    sheet["A2"].alignment = Alignment(horizontal="right")
    if columns:
        sheet.merge_cells(f"A1:{last}1")
        sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[1].height = 30

    _header_cell(sheet, top, 1, STREET_HEADER)
    _header_cell(sheet, bottom, 1, None)
    sheet.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
    widths = [max(display_width(STREET_HEADER), *(display_width(name) for name, _ in report.rows)) + 4]
    for number, column in enumerate(columns, start=2):
        widths.append(min(max(10, display_width(column.display_header) + 2), _MAX_HEADER_WIDTH))
        header = _header_cell(sheet, bottom if column.group else top, number, column.display_header)
        if column.note:
            header.comment = Comment(column.note, CREATOR, width=300, height=60 + 20 * (len(column.note) // 20))
        if column.group:
            _header_cell(sheet, top, number, column.group)
        else:
            _header_cell(sheet, bottom, number, None)
            sheet.merge_cells(start_row=top, start_column=number, end_row=bottom, end_column=number)
    for first, end in _group_spans(columns):
        if end > first:
            sheet.merge_cells(start_row=top, start_column=first + 2, end_row=top, end_column=end + 2)
    lines = max(
        (math.ceil(display_width(c.display_header) / (w - 1)) for c, w in zip(columns, widths[1:], strict=True)),
        default=1,
    )
    sheet.row_dimensions[top].height = 22
    sheet.row_dimensions[bottom].height = _LINE_HEIGHT * lines + 8

    row = FIRST_DATA_ROW
    for name, values in report.rows:
        _figures_row(sheet, row, name, values, columns, total=False)
        row += 1
    _figures_row(sheet, row, DISTRICT_LABEL, report.total, columns, total=True)
    note_row = row + 2
    if any(c.target is not None for c in columns):
        sheet.cell(row=note_row, column=1, value="注：红色底纹表示未达到目标；各项指标的计算方法见“说明”表。")
    else:
        sheet.cell(row=note_row, column=1, value="注：各项指标的计算方法见“说明”表。")

    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = f"B{FIRST_DATA_ROW}"
    _fit_width(sheet, landscape=True)
    sheet.print_title_rows = f"1:{bottom}"


def _fit_width(sheet: Worksheet, *, landscape: bool) -> None:
    """Printed on A4 as wide as the page, as many pages down as it takes."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _header_cell(sheet: Worksheet, row: int, column: int, value: str | None) -> Cell:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font = _BOLD
    cell.fill = _HEADER_FILL
    cell.alignment = _CENTRE
    cell.border = _GRID
    return cell


def _group_spans(columns: tuple[SummaryColumn, ...]) -> list[tuple[int, int]]:
    """(first, last) column indexes of each run of neighbouring columns under one group."""
    spans: list[tuple[int, int]] = []
    for index, column in enumerate(columns):
        if not column.group:
            continue
        if spans and spans[-1][1] == index - 1 and columns[index - 1].group == column.group:
            spans[-1] = (spans[-1][0], index)
        else:
            spans.append((index, index))
    return spans


def _figures_row(
    sheet: Worksheet,
    row: int,
    name: str,
    values: tuple[int | Decimal | None, ...],
    columns: tuple[SummaryColumn, ...],
    *,
    total: bool,
) -> None:
    label = sheet.cell(row=row, column=1, value=name)
    label.border = _TOTAL_BORDER if total else _GRID
    label.alignment = Alignment(horizontal="center", vertical="center")
    if total:
        label.font = _BOLD
        label.fill = _TOTAL_FILL
    for number, (column, value) in enumerate(zip(columns, values, strict=True), start=2):
        cell = sheet.cell(row=row, column=number, value=value)
        cell.number_format = NUMBER_FORMATS[column.kind]
        cell.border = _TOTAL_BORDER if total else _GRID
        # The values are known: the mark is set on the cell, not left to a conditional format.
        if column.below_target(value):
            cell.fill = BELOW_TARGET_FILL
            cell.font = Font(bold=total, color=_BELOW_TARGET_FONT.color)
        elif total:
            cell.font = _BOLD
            cell.fill = _TOTAL_FILL


# -- 说明 ---------------------------------------------------------------------------------


def _write_notes(sheet: Worksheet, report: SummaryReport) -> None:
    sheet["A1"] = f"{report.title}——指标说明"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = as_of_text(report.as_of)
    sheet.append([])
    sheet.append(["分组", "指标", "目标", "计算方法"])
    for cell in sheet[4]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTRE
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in report.columns:
        sheet.append([column.group or None, column.header, column.target_text or None, column.note or None])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    if report.notes:
        sheet.append([])
        sheet.append(["其他说明"])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
        for number, note in enumerate(report.notes, start=1):
            sheet.append([f"{number}. {note}"])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4)
            sheet.cell(row=sheet.max_row, column=1).alignment = wrap
            sheet.row_dimensions[sheet.max_row].height = _LINE_HEIGHT * max(1, math.ceil(display_width(note) / 110))
    for letter, width in zip("ABCD", (12, 24, 10, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    _fit_width(sheet, landscape=False)


# -- 图表 ---------------------------------------------------------------------------------


def _write_chart(sheet: Worksheet, summary: Worksheet, report: SummaryReport) -> None:
    charted = [report.columns[i] for i in report.chart_columns]
    first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + len(report.rows) - 1
    # The 街镇 names are text: referred to as strings (set_categories would refer to them as numbers).
    streets = str(Reference(summary, min_col=1, min_row=first, max_row=last))

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    for index, column in zip(report.chart_columns, charted, strict=True):
        values = Reference(summary, min_col=index + 2, min_row=first, max_row=last)
        series = Series(values, title=column.header)
        series.cat = AxDataSource(strRef=StrRef(f=streets))
        chart.series.append(series)

    # A target is drawn as a line across the 街镇; its values stand in a small table under the chart.
    targeted = [c for c in charted if c.target is not None]
    if targeted:
        table_row = 26
        sheet.cell(row=table_row, column=1, value="图表数据：目标线").font = _BOLD
        sheet.cell(row=table_row + 1, column=1, value=STREET_HEADER).font = _BOLD
        for offset, column in enumerate(targeted, start=2):
            sheet.cell(row=table_row + 1, column=offset, value=f"{column.header}目标").font = _BOLD
        for line, (name, _values) in enumerate(report.rows, start=table_row + 2):
            sheet.cell(row=line, column=1, value=name)
            for offset, column in enumerate(targeted, start=2):
                target = sheet.cell(row=line, column=offset, value=column.target)
                target.number_format = NUMBER_FORMATS[column.kind]
        lines = LineChart()
        for offset, column in enumerate(targeted, start=2):
            values = Reference(sheet, min_col=offset, min_row=table_row + 2, max_row=table_row + 1 + len(report.rows))
            series = Series(values, title=f"{column.header}目标（{column.target_text}）")
            series.marker = Marker(symbol="none")
            series.smooth = False
            series.cat = AxDataSource(strRef=StrRef(f=streets))
            colour = _TARGET_COLOURS[(offset - 2) % len(_TARGET_COLOURS)]
            series.graphicalProperties = GraphicalProperties(ln=LineProperties(solidFill=colour, prstDash="dash"))
            lines.series.append(series)
        chart += lines
        for letter in "ABC":
            sheet.column_dimensions[letter].width = 20

    chart.title = "各街镇" + "、".join(c.header for c in charted)
    chart.x_axis.title = STREET_HEADER
    chart.x_axis.axPos = "b"
    kinds = {c.kind for c in charted}
    if len(charted) == 1:
        chart.y_axis.title = charted[0].header
    elif len(kinds) == 1:
        chart.y_axis.title = _AXIS_TITLES[charted[0].kind]
    if kinds == {"rate"}:
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
    # openpyxl leaves an axis's "deleted" flag unset, and newer Excel then hides the axis.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width = max(18.0, 2.0 * len(report.rows))
    chart.height = 11.0
    sheet.add_chart(chart, "A1")
    _fit_width(sheet, landscape=True)


__all__ = ["KINDS", "SummaryColumn", "SummaryReport", "write_summary"]
