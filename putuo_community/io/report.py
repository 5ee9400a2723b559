"""The rows an import left out, with their original values and the reason, as a workbook that re-imports.

The header is the first row, so the corrected file goes back through the same import:
"原行号" and "错误原因" are simply columns no field claims. Columns the import left out
are named too (shaded in the header, listed on a sheet of their own), so none vanishes unsaid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from putuo_community.domain.parsing.text import strip_control_characters
from putuo_community.io.ledger import keep_as_text
from putuo_community.io.workbook import display_width, save_workbook

ERRORS_SHEET = "错误行"
LEFT_OUT_SHEET = "未导入的列"
LINE_HEADER = "原行号"
REASON_HEADER = "错误原因"
_RED = "C00000"
_GREY = "D9D9D9"


class LeftOutColumn(NamedTuple):
    """A column of the file that the import does not read: where it is among `headers`, and a value from it."""

    position: int
    header: str
    sample: str


def write_error_report(
    path: Path,
    *,
    headers: Sequence[str],
    rows: Sequence[tuple[int, Sequence[object], str]],
    title: str,
    left_out: Sequence[LeftOutColumn] = (),
) -> None:
    """Write the rows (original line, original cells, reason) under the original headers.

    `left_out` names the columns the import did not read: their headers are shaded grey
    and a sheet of their own lists them with a sample value.
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = ERRORS_SHEET
    width = len(headers)
    sheet.append([*map(_cell_value, headers), LINE_HEADER, REASON_HEADER])
    for cell in sheet[1]:
        if isinstance(cell.value, str):
            keep_as_text(cell)  # a header "=合计" stays a header
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    red = Font(color=_RED)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, (line, cells, reason) in enumerate(rows, start=2):
        values = [*cells[:width], *([None] * (width - len(cells)))]
        for column, value in enumerate([*values, line, reason], start=1):
            cell = sheet.cell(row=number, column=column, value=_cell_value(value))
            if isinstance(cell.value, str):
                keep_as_text(cell)  # "=SUM(A1)" typed by a clerk is text, never a formula
        reason_cell = sheet.cell(row=number, column=width + 2)
        reason_cell.font = red
        reason_cell.alignment = wrap
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(10, display_width(header) + 2), 40)
    sheet.column_dimensions[get_column_letter(width + 1)].width = 8
    sheet.column_dimensions[get_column_letter(width + 2)].width = 60
    sheet.cell(row=1, column=width + 2).font = Font(bold=True, color=_RED)
    for left in left_out:
        sheet.cell(row=1, column=left.position + 1).fill = PatternFill("solid", fgColor=_GREY)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(width + 2)}1"

    about = book.create_sheet("说明")
    about["A1"] = title
    about["A1"].font = Font(bold=True, size=14)
    about["A3"] = f"共 {len(rows)} 行未导入，原因见“{ERRORS_SHEET}”表最后一列。"
    about["A4"] = f"请直接在“{ERRORS_SHEET}”表中改正后重新导入；“{LINE_HEADER}”“{REASON_HEADER}”两列导入时会被忽略。"
    if left_out:
        about["A6"] = (
            f"另有 {len(left_out)} 列没有导入（灰色表头，详见“{LEFT_OUT_SHEET}”表）："
            + "、".join(f"“{c.header}”" for c in left_out)
            + "。这些列的内容不会写入数据库；如需导入，请在导入时为它们选择对应的项。"
        )
        about["A6"].alignment = Alignment(wrap_text=True, vertical="top")
        _write_left_out(book, left_out)
    about.column_dimensions["A"].width = 90
    book.properties.title = title
    save_workbook(book, path)


def _write_left_out(book: Workbook, left_out: Sequence[LeftOutColumn]) -> None:
    sheet = book.create_sheet(LEFT_OUT_SHEET)
    sheet.append([f"“{ERRORS_SHEET}”表中的列", "表头", "示例值"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_GREY)
    for column in left_out:
        sheet.append([get_column_letter(column.position + 1), _cell_value(column.header), _cell_value(column.sample)])
        for cell in sheet[sheet.max_row]:
            keep_as_text(cell)
    for letter, width in (("A", 16), ("B", 30), ("C", 40)):
        sheet.column_dimensions[letter].width = width


def _cell_value(value: object) -> object:
    """The value as openpyxl can store it, unchanged where possible."""
    if value is None or isinstance(value, bool | int | float | dt.date | dt.time | dt.timedelta):
        return value
    text = value if isinstance(value, str) else str(value)
    return strip_control_characters(text)  # as the import and the ledgers do; xlsx could not hold most of them
