"""A register's ledger (台账) as a workbook: a title row, the header, one row per record, a 合计 row.

Ledgers run to tens of thousands of rows, so the sheet is streamed (openpyxl write-only mode)
and only the cells that need it are styled. The header stands in row 2 under the title, and the
合计 row says so in its first cell: the importer finds the header and skips the total, so an
edited ledger goes back in through the ordinary import.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from putuo_community.domain.errors import UserError
from putuo_community.domain.fields import Field, FieldType
from putuo_community.domain.parsing.text import strip_control_characters
from putuo_community.io.files import atomic_target
from putuo_community.io.template import CHOICES_SHEET, INLINE_LIST_LIMIT, dropdown
from putuo_community.io.workbook import display_width

TOTAL_LABEL = "合计"
CREATOR = "普陀小区档案"
HEADER_ROW = 2
FIRST_DATA_ROW = 3
PROGRESS_EVERY = 1000  # rows between progress reports and checks for cancellation
MAX_COLUMN_WIDTH = 50

# A text starting with one of these is a formula to Excel when typed (or to openpyxl, for "="); a tab or
# carriage return in front hides one. Every workbook the program writes keeps such text as text.
FORMULA_STARTS = frozenset("=+-@\t\r")
_TITLE_FONT = Font(bold=True, size=16)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_LINE_HEIGHT = 15  # points per line of 11-point text
_A4 = 9  # the paper size code of A4 in a sheet's page setup


class ExportCancelled(UserError):
    """The user stopped the export; nothing was written."""

    def __init__(self, message: str = "已取消导出，未生成文件") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class LedgerSpec:
    """What a ledger shows: its title line and its columns."""

    title: str  # e.g. "小区台账": the register's label + 台账
    scope: str  # "长征镇" or "普陀区"
    as_of: date
    fields: tuple[Field, ...]  # the columns, in order; each headed by field.header
    totals: frozenset[str] = frozenset()  # keys of the fields summed in a 合计 row under the table
    sheet_title: str = ""  # default: title

    def __post_init__(self) -> None:
        if not self.fields:
            raise ValueError("a ledger needs at least one column")
        keys = [f.key for f in self.fields]
        for key in self.totals:
            if key not in keys:
                raise ValueError(f"total of {key}, which is not a column")
            if keys.index(key) == 0:
                raise ValueError("the first column holds the 合计 label and cannot be summed")
            if self.fields[keys.index(key)].type not in (FieldType.INTEGER, FieldType.DECIMAL):
                raise ValueError(f"total of {key}, which is not a number")

    @property
    def heading(self) -> str:
        """The title line: "长征镇小区台账　截至2026年11月24日"."""
        return f"{self.scope}{self.title}　{as_of_text(self.as_of)}"


def as_of_text(day: date) -> str:
    """ "截至2026年11月24日"."""
    return f"截至{day.year}年{day.month}月{day.day}日"


def decimal_format(field: Field) -> str:
    """The number format of a DECIMAL field: thousands separated, its declared decimals."""
    return "#,##0" + ("." + "0" * field.decimals if field.decimals > 0 else "")


def write_ledger(
    spec: LedgerSpec,
    rows: Iterable[Sequence[object]],
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the ledger to `path` in one step and return how many rows it has.

    Each row has one value per column, already as shown (str, int, Decimal, date or None).
    `progress` hears the rows written so far every `PROGRESS_EVERY` rows and at the end;
    when `cancelled` says so the export stops with `ExportCancelled` and `path` is left as it was.
    """
    book = Workbook(write_only=True)
    book.properties.title = spec.heading
    book.properties.creator = CREATOR
    try:
        # The temporary file is made first: a missing folder is told before the rows are read.
        with atomic_target(path) as stream:
            count = _write(book, spec, rows, progress, cancelled)
            if cancelled is not None and cancelled():
                raise ExportCancelled
            book.save(stream)
    except BaseException:
        _discard(book)
        raise
    return count


def _write(
    book: Workbook,
    spec: LedgerSpec,
    rows: Iterable[Sequence[object]],
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    fields = spec.fields
    width = len(fields)
    last_letter = get_column_letter(width)
    sheet = book.create_sheet(_sheet_title(spec.sheet_title or spec.title))
    lists = _choice_lists(book, fields)

    # Everything written above the rows (widths, panes, page properties) is set before the first row.
    widths = [min(max(f.width, display_width(f.header) + 2), MAX_COLUMN_WIDTH) for f in fields]
    for number, column_width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column_width
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[HEADER_ROW].height = _LINE_HEIGHT * _header_lines(fields, widths) + 6

    title = WriteOnlyCell(sheet, spec.heading)
    title.font = _TITLE_FONT
    title.alignment = Alignment(vertical="center")
    sheet.append([title])
    header = []
    for field in fields:
        cell = WriteOnlyCell(sheet, field.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)

    # A DECIMAL value is written in a cell sharing one style (its number format); other values as they are.
    number_formats = {i: decimal_format(f) for i, f in enumerate(fields) if f.type is FieldType.DECIMAL}
    styles = {i: _style_of(sheet, number_format=fmt) for i, fmt in number_formats.items()}
    # One cell per DECIMAL column, reused row after row: append() writes a row before it returns.
    decimal_cells = []
    for index, style in styles.items():
        cell = WriteOnlyCell(sheet)
        cell._style = style  # shared and never changed: no number-format lookup per cell
        decimal_cells.append((index, cell))
    # DECIMAL columns are checked for formula-like text in their own loop below.
    textual = tuple(i for i in range(width) if i not in styles)
    summed = tuple(i for i, f in enumerate(fields) if f.key in spec.totals)
    sums: dict[int, int | Decimal] = dict.fromkeys(summed, 0)
    wrap_style = _style_of(sheet, alignment=_WRAP)
    append = sheet.append
    count = 0
    for row in rows:
        values = list(row)
        if len(values) != width:
            raise ValueError(f"row {count + 1} has {len(values)} values for {width} columns")
        for index in textual:
            value = values[index]
            if type(value) is str and value and (value[0] in FORMULA_STARTS or not value.isprintable()):
                values[index] = _text_cell(sheet, value, wrap_style)
        for index, cell in decimal_cells:
            value = values[index]
            if value is not None and type(value) is not str:
                cell.value = value
                values[index] = cell
            elif type(value) is str and value and (value[0] in FORMULA_STARTS or not value.isprintable()):
                values[index] = _text_cell(sheet, value, wrap_style)
        for index in summed:
            value = row[index]
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                sums[index] += value
        append(values)
        count += 1
        if count % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled
            if progress is not None:
                progress(count)
    if progress is not None and (count % PROGRESS_EVERY or not count):
        progress(count)

    last_row = HEADER_ROW + count
    if summed:
        # Sums, not formulas: the figures are there without recalculation, exact to the cent.
        total: list[object] = [None] * width
        for index, value in ((0, TOTAL_LABEL), *sums.items()):
            cell = WriteOnlyCell(sheet, value)
            cell.font = _HEADER_FONT
            if index in number_formats:
                cell.number_format = number_formats[index]
            total[index] = cell
        append(total)

    # What is written below the rows (merges, filter, dropdowns, printing) can wait for the row count.
    if width > 1:
        sheet.merged_cells.add(f"A1:{last_letter}1")
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{last_row}"
    if count:
        for index, field in enumerate(fields):
            formula = lists.get(index)
            if formula is not None:
                letter = get_column_letter(index + 1)
                cells_range = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
                sheet.data_validations.append(dropdown(formula, cells_range, strict=field.type is FieldType.BOOL))
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = _A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.print_options.gridLines = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    return count


def keep_as_text(cell: Cell) -> Cell:
    """The cell with its text kept as text, whatever it looks like to Excel."""
    cell.data_type = "s"  # "=SUM(A1)" is a clerk's text, never a formula
    if str(cell.value)[:1] in FORMULA_STARTS:
        cell.quotePrefix = True  # and stays text when the cell is edited in Excel
    return cell


def _text_cell(sheet: object, value: str, wrap_style: object) -> Cell:
    """A cell that holds `value` as text, without the characters no register keeps."""
    if not value.isprintable():
        value = strip_control_characters(value)  # as an import would: the ledger re-imports unchanged
    cell = keep_as_text(WriteOnlyCell(sheet, value))
    if not cell.quotePrefix and "\n" in value:
        cell._style = wrap_style
    return cell


def _style_of(sheet: object, **attributes: object) -> object:
    """The style array of a cell styled so, to be shared by many cells."""
    cell = WriteOnlyCell(sheet)
    for name, value in attributes.items():
        setattr(cell, name, value)
    return cell._style


def _header_lines(fields: Sequence[Field], widths: Sequence[int]) -> int:
    """How many lines the tallest wrapped header takes."""
    return max(math.ceil(display_width(f.header) / max(w - 1, 1)) for f, w in zip(fields, widths, strict=True))


def _sheet_title(text: str) -> str:
    title = "".join(c for c in text if c not in "[]:*?/\\")[:31].strip("'")
    return title or "Sheet1"


def _choice_lists(book: Workbook, fields: Sequence[Field]) -> dict[int, str]:
    """The dropdown formula of each CHOICE and BOOL column; long lists go to a hidden sheet."""
    formulas: dict[int, str] = {}
    long_lists: list[tuple[int, Field]] = []
    for index, field in enumerate(fields):
        if field.type is FieldType.BOOL:
            formulas[index] = '"是,否"'
        elif field.type is FieldType.CHOICE and field.choices:
            inline = ",".join(field.choices)
            if len(inline) <= INLINE_LIST_LIMIT and not any("," in c or '"' in c for c in field.choices):
                formulas[index] = f'"{inline}"'
            else:
                long_lists.append((index, field))
    if long_lists:
        sheet = book.create_sheet(CHOICES_SHEET)
        sheet.sheet_state = "hidden"
        quoted = "'" + sheet.title.replace("'", "''") + "'"
        sheet.append([field.label for _index, field in long_lists])
        for line in range(max(len(field.choices) for _index, field in long_lists)):
            sheet.append(
                [_choice_cell(sheet, f.choices[line]) if line < len(f.choices) else None for _, f in long_lists]
            )
        for column, (index, field) in enumerate(long_lists, start=1):
            letter = get_column_letter(column)
            formulas[index] = f"{quoted}!${letter}$2:${letter}${len(field.choices) + 1}"
    return formulas


def _choice_cell(sheet: object, choice: str) -> object:
    return _text_cell(sheet, choice, None) if choice[:1] in FORMULA_STARTS else choice


def _discard(book: Workbook) -> None:
    """Close the streamed sheets of an abandoned workbook and remove their temporary files."""
    # openpyxl keeps each streamed sheet in a file of its own until the workbook is saved.
    for sheet in book.worksheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            sheet.close()  # ends the sheet's XML
        with contextlib.suppress(Exception):
            writer.close()  # and closes its file
        out = getattr(writer, "out", None)
        if isinstance(out, str):
            with contextlib.suppress(OSError):
                Path(out).unlink(missing_ok=True)
