"""The blank import template: what a clerk sees when opening it, and that a filled-in copy imports."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from putuo_community.domain.errors import BadFile
from putuo_community.domain.fields import Register, choice, text
from putuo_community.domain.registers import BUILDINGS, ESTATES
from putuo_community.io.table import detect_table, suggest_mapping
from putuo_community.io.template import template_header, write_template
from putuo_community.io.workbook import read_sheet

STREET = text("_street", "街镇", required=True, synonyms=("所属街镇",))


def _sheet(path: Path, title: str) -> Worksheet:
    sheet = load_workbook(path)[title]
    assert isinstance(sheet, Worksheet)
    return sheet


def _validations(sheet: Worksheet) -> dict[str, str]:
    return {str(v.sqref): str(v.formula1) for v in sheet.data_validations.dataValidation}


def _column(field_key: str) -> str:
    return str(get_column_letter([f.key for f in ESTATES.fields].index(field_key) + 1))


@pytest.fixture
def estates_template(tmp_path: Path) -> Path:
    path = tmp_path / "小区导入模板.xlsx"
    write_template(ESTATES, path)
    return path


def test_headers_are_the_fields_with_required_ones_starred(estates_template: Path) -> None:
    sheet = _sheet(estates_template, "小区")
    headers = [c.value for c in sheet[1]]
    assert headers == [template_header(f) for f in ESTATES.fields]
    assert headers[:3] == ["小区编码", "小区名称*", "街镇*"]
    assert "建筑面积（㎡）" in headers
    assert "物业费（元/㎡·月）" in headers
    assert all(c.font.b for c in sheet[1])
    assert sheet.max_row == 1  # no example row that would be imported as data


def test_dropdowns_for_choices_and_yes_no(estates_template: Path) -> None:
    validations = _validations(_sheet(estates_template, "小区"))
    housing = _column("housing_type")
    assert validations[f"{housing}2:{housing}10000"] == '"商品房,售后公房,直管公房,系统公房,保障性住房,动迁安置房,混合"'
    mode = _column("management_mode")
    assert validations[f"{mode}2:{mode}10000"] == '"物业企业,自管,居委兜底"'
    for key in ("has_assembly", "agency_bookkeeping"):
        column = _column(key)
        assert validations[f"{column}2:{column}10000"] == '"是,否"'
    assert len(validations) == 4


def test_each_header_carries_a_note(estates_template: Path) -> None:
    sheet = _sheet(estates_template, "小区")
    notes = {c.value: c.comment.text for c in sheet[1] if c.comment is not None}
    assert len(notes) == len(ESTATES.fields)
    assert notes["小区名称*"].startswith("小区名称（必填）\n类型：文字")
    assert "可选：商品房、售后公房、直管公房" in notes["房屋类型"]
    assert "范围：1900～2100" in notes["建成年份"]
    assert "类型：整数，单位：户" in notes["户数（户）"]
    assert "交付面积达到建筑面积50%的日期" in notes["交付过半日期"]
    assert "示例：2025-03-01" in notes["交付过半日期"]
    assert "类型：街镇的名称" in notes["街镇*"]
    assert "示例：长征镇" in notes["街镇*"]


def test_formats_widths_frozen_header_and_filter(estates_template: Path) -> None:
    sheet = _sheet(estates_template, "小区")
    assert sheet.column_dimensions[_column("first_delivery_on")].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions[_column("code")].number_format == "@"  # 编码 keeps its leading zeros
    assert sheet.column_dimensions[_column("name")].width == 22  # Field.width
    assert sheet.column_dimensions[_column("has_assembly")].width == 16  # wide enough for 已成立业主大会
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(ESTATES.fields))}1"


def test_lookup_columns_first_and_a_chosen_subset(tmp_path: Path) -> None:
    path = tmp_path / "楼栋.xlsx"
    fields = [BUILDINGS.field(k) for k in ("estate_id", "number", "floors", "has_lift")]
    write_template(BUILDINGS, path, fields=fields, extra=[STREET])
    sheet = _sheet(path, "楼栋")
    assert [c.value for c in sheet[1]] == ["街镇*", "小区*", "楼号*", "层数（层）", "有电梯"]
    assert _validations(sheet) == {"E2:E10000": '"是,否"'}


def test_a_long_choice_list_goes_to_a_hidden_sheet(tmp_path: Path) -> None:
    many = tuple(f"第{i:02d}类公共设施维修项目" for i in range(30))
    register = Register(
        key="repairs",
        label="维修项目",
        title_field="name",
        fields=(
            text("name", "项目名称", required=True),
            choice("kind", "项目类别", many),
            choice("size", "规模", ("大", "小")),
        ),
    )
    path = tmp_path / "维修.xlsx"
    write_template(register, path)
    book = load_workbook(path)
    assert book.sheetnames == ["维修项目", "选项"]
    options = book["选项"]
    assert options.sheet_state == "hidden"
    assert [c.value for c in options["A"]] == ["项目类别", *many]
    main = book["维修项目"]
    assert isinstance(main, Worksheet)
    assert _validations(main) == {"B2:B10000": "'选项'!$A$2:$A$31", "C2:C10000": '"大,小"'}
    assert read_sheet(path).name == "维修项目"  # the hidden sheet is never read by default


def test_a_filled_in_template_imports_with_every_column_mapped(tmp_path: Path) -> None:
    path = tmp_path / "小区导入模板.xlsx"
    write_template(ESTATES, path)
    book = load_workbook(path)
    sheet = book["小区"]
    assert isinstance(sheet, Worksheet)
    column = {f.key: i + 1 for i, f in enumerate(ESTATES.fields)}
    for row, (name, street, delivered) in enumerate(
        [("梅川一村", "长征镇", dt.date(1985, 6, 1)), ("真北花园", "真如镇街道", None)], start=2
    ):
        sheet.cell(row=row, column=column["name"], value=name)
        sheet.cell(row=row, column=column["street_id"], value=street)
        sheet.cell(row=row, column=column["first_delivery_on"], value=delivered)
        sheet.cell(row=row, column=column["has_assembly"], value="是")
    book.save(path)
    table = detect_table(read_sheet(path), ESTATES)
    assert table.header_lines == (1,)
    assert [r.line for r in table.rows] == [2, 3]
    assert table.rows[0].cells[column["first_delivery_on"] - 1] == dt.date(1985, 6, 1)
    assert suggest_mapping(table, ESTATES) == {i: f.key for i, f in enumerate(ESTATES.fields)}


def test_a_template_with_lookups_maps_them_back(tmp_path: Path) -> None:
    path = tmp_path / "楼栋.xlsx"
    write_template(BUILDINGS, path, extra=[STREET])
    book = load_workbook(path)
    sheet = book["楼栋"]
    assert isinstance(sheet, Worksheet)
    sheet.append(["长征镇", "梅川一村", "1号"])
    book.save(path)
    table = detect_table(read_sheet(path), BUILDINGS)
    expected = {0: "_street", **{i + 1: f.key for i, f in enumerate(BUILDINGS.fields)}}
    assert suggest_mapping(table, BUILDINGS, extra=[STREET]) == expected


def test_an_unwritable_path_is_a_clear_message_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(BadFile, match=r"^无法保存“模板\.xlsx”：文件夹“.*”不存在$"):
        write_template(ESTATES, tmp_path / "不存在" / "模板.xlsx")
    target = tmp_path / "模板.xlsx"
    target.write_bytes(b"open in Excel")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(BadFile, match="文件正被其他程序（如 Excel、WPS）打开"):
        write_template(ESTATES, target)
    assert target.read_bytes() == b"open in Excel"
    assert [p.name for p in tmp_path.iterdir()] == ["模板.xlsx"]
