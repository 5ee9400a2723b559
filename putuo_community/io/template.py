"""A blank import template for a register: the right headers, a note on each, dropdowns for choices.

A clerk fills it in and imports it back; the header stands in row 1 so it is found at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from putuo_community.domain.fields import Field, FieldType, Register
from putuo_community.domain.registers import REGISTERS
from putuo_community.io.workbook import display_width, save_workbook

LAST_ROW = 10_000  # validations and formats reach this far down
CHOICES_SHEET = "选项"
INLINE_LIST_LIMIT = 255  # Excel refuses a longer inline dropdown list
_AUTHOR = "普陀小区档案"

_TYPE_NAMES = {
    FieldType.TEXT: "文字",
    FieldType.LONG_TEXT: "文字（可较长）",
    FieldType.INTEGER: "整数",
    FieldType.DECIMAL: "数字",
    FieldType.DATE: "日期",
    FieldType.BOOL: "是/否",
    FieldType.CHOICE: "从下拉列表中选择",
    FieldType.REF: "名称",
}
_NUMBER_FORMATS = {
    FieldType.DATE: "yyyy-mm-dd",
    # Codes, phone numbers and names stay text: Excel would drop a leading zero or turn 1-2 into a date.
    FieldType.TEXT: "@",
    FieldType.LONG_TEXT: "@",
    FieldType.REF: "@",
}
_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_header(field: Field) -> str:
    """The header a template writes for a field: its export header, "*" after a required one."""
    return f"{field.header}*" if field.required else field.header


def write_template(
    register: Register, path: Path, *, fields: Sequence[Field] | None = None, extra: Sequence[Field] = ()
) -> None:
    """Write a blank template; `extra` lookup columns (e.g. 街镇 for buildings) come first."""
    columns = (*extra, *(register.fields if fields is None else fields))
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _sheet_title(register.label)
    choices_sheet: Worksheet | None = None
    lists = 0  # columns used on the 选项 sheet
    for number, field in enumerate(columns, start=1):
        letter = get_column_letter(number)
        header = template_header(field)
        cell = sheet.cell(row=1, column=number, value=header)
        cell.font = _REQUIRED_FONT if field.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = _note(field)
        cell.comment = Comment(note, _AUTHOR, width=260, height=40 + 18 * note.count("\n"))
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(field.width, display_width(header) + 2)
        if field.type in _NUMBER_FORMATS:
            dimension.number_format = _NUMBER_FORMATS[field.type]
        cells = f"{letter}2:{letter}{LAST_ROW}"
        if field.type is FieldType.BOOL:
            _add_list(sheet, cells, '"是,否"', strict=True)
        elif field.type is FieldType.CHOICE and field.choices:
            inline = '"' + ",".join(field.choices) + '"'
            if len(inline) - 2 <= INLINE_LIST_LIMIT and not any("," in c for c in field.choices):
                _add_list(sheet, cells, inline, strict=False)
            else:
                if choices_sheet is None:
                    choices_sheet = book.create_sheet(CHOICES_SHEET)
                    choices_sheet.sheet_state = "hidden"
                lists += 1
                _add_list(sheet, cells, _choices_range(choices_sheet, lists, field), strict=False)
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    book.properties.title = f"{register.label}导入模板"
    save_workbook(book, path)


def _sheet_title(label: str) -> str:
    title = "".join(c for c in label if c not in "[]:*?/\\")[:31]
    return title or "Sheet1"


def dropdown(formula: str, cells: str, *, strict: bool) -> DataValidation:
    """A list validation over `cells`; also used by ledgers.

    Choices are only warned about (strict=False): the importer also reads other spellings
    (售后房 → 售后公房). 是/否 columns refuse anything else.
    """
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle="请从下拉列表中选择",
        error="请从下拉列表中选择一项。" if strict else "这不是列表中的选项，导入时可能无法识别。仍要保留吗？",
    )
    validation.add(cells)
    return validation


def _add_list(sheet: Worksheet, cells: str, formula: str, *, strict: bool) -> None:
    sheet.add_data_validation(dropdown(formula, cells, strict=strict))


def _choices_range(sheet: Worksheet, column: int, field: Field) -> str:
    """Put a long choice list in a column of the hidden 选项 sheet; the dropdown refers to it."""
    sheet.cell(row=1, column=column, value=field.label)
    for row, choice in enumerate(field.choices, start=2):
        sheet.cell(row=row, column=column, value=choice)
    letter = get_column_letter(column)
    quoted = "'" + sheet.title.replace("'", "''") + "'"
    return f"{quoted}!${letter}$2:${letter}${len(field.choices) + 1}"


def _note(field: Field) -> str:
    lines = [f"{field.label}（{'必填' if field.required else '选填'}）"]
    kind = _TYPE_NAMES[field.type]
    if field.type is FieldType.REF and field.ref in REGISTERS:
        kind = f"{REGISTERS[field.ref].label}的名称"
    if field.type is FieldType.DECIMAL and field.decimals:
        kind += f"，最多 {field.decimals} 位小数"
    lines.append(f"类型：{kind}" + (f"，单位：{field.unit}" if field.unit else ""))
    if field.type is FieldType.CHOICE:
        lines.append("可选：" + "、".join(field.choices))
    bounds = _bounds(field)
    if bounds:
        lines.append(bounds)
    if field.note:
        lines.append(field.note)
    example = _example(field)
    if example:
        lines.append(f"示例：{example}")
    return "\n".join(lines)


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _bounds(field: Field) -> str:
    if field.type not in (FieldType.INTEGER, FieldType.DECIMAL):
        return ""
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        return f"范围：{_plain(low)}～{_plain(high)}"
    if high is not None:
        return f"不超过 {_plain(high)}"
    if low is not None and low != 0:
        return f"不小于 {_plain(low)}"
    return ""


def _example(field: Field) -> str:
    if field.type is FieldType.DATE:
        return "2025-03-01"
    if field.type is FieldType.BOOL:
        return "是"
    if field.type is FieldType.CHOICE:
        return field.choices[0] if field.choices else ""
    if field.type is FieldType.INTEGER:
        low = field.minimum or Decimal(0)
        return "1995" if low >= 1000 else "12"
    if field.type is FieldType.DECIMAL:
        return "1.50" if field.maximum is not None and field.maximum <= 1000 else "12500.50"
    if field.type is FieldType.REF:
        return {"streets": "长征镇", "estates": "梅川一村", "neighbourhoods": "梅川居委会"}.get(field.ref, "")
    return ""
