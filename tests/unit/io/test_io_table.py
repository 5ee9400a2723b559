"""Finding the table in a sheet as a person would: header below the titles, data rows, and what is left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from io_builders import ESTATES as LEDGER_ESTATES
from io_builders import simple_workbook, street_ledger, write_street_sheet
from openpyxl import Workbook

from putuo_community.domain.errors import BadFile
from putuo_community.domain.fields import text
from putuo_community.domain.registers import BUILDINGS, ESTATES
from putuo_community.io.table import HeaderColumn, SourceRow, detect_table, header_signature, suggest_mapping
from putuo_community.io.workbook import SheetGrid, read_sheet

STREET = text("_street", "街镇", synonyms=("所属街镇", "街道", "街道（镇）"))


def _grid(rows: list[list[object]], *, hidden: frozenset[int] = frozenset(), name: str = "Sheet1") -> SheetGrid:
    return SheetGrid(name, rows, hidden)


def test_street_ledger_with_titles_a_merged_two_row_header_and_notes(tmp_path: Path) -> None:
    table = detect_table(read_sheet(street_ledger(tmp_path / "长征镇.xlsx")), ESTATES)
    assert table.sheet == "长征镇"
    assert table.header_lines == (3, 4)
    assert [c.text for c in table.columns] == [
        "序号",
        "所属居委",
        "基本情况 / 小区名称",
        "基本情况 / 地址",
        "基本情况 / 建成年份",
        "面积 / 建筑面积（平方米）",
        "面积 / 占地面积（平方米）",
        "户数（户）",
        "小区编码",
    ]
    assert table.columns[2] == HeaderColumn(2, "基本情况 / 小区名称", "基本情况", False)
    assert table.columns[2].sub == "小区名称"
    assert [c.index for c in table.columns if c.hidden] == [8]
    assert [r.line for r in table.rows] == [5, 6, 8, 9]
    assert table.rows[0] == SourceRow(5, (1, "梅川居委", "梅川一村", "梅川路100弄", 1980, 18600.5, 9000, 300, "PT0001"))
    assert table.skipped == (
        (7, "空行"),
        (10, "空行"),
        (11, "合计行"),
        (12, "表格下方的说明"),
        (13, "表格下方的说明"),
    )
    assert suggest_mapping(table, ESTATES) == {
        1: "neighbourhood_id",
        2: "name",
        3: "address",
        4: "completion_year",
        5: "floor_area",
        6: "land_area",
        7: "households",
        8: "code",  # hidden, but the only 小区编码 column
    }


def test_group_row_without_any_field_of_its_own_still_joins_the_header() -> None:
    grid = _grid(
        [
            ["序号", "基本情况", None, None, "面积", None],
            [None, "小区名称", "地址", "建成年份", "建筑面积（平方米）", "占地面积（平方米）"],
            [1, "梅川一村", "梅川路100弄", 1980, 18600.5, 9000],
        ]
    )
    table = detect_table(grid, ESTATES)
    assert table.header_lines == (1, 2)
    assert [c.text for c in table.columns] == [
        "序号",
        "基本情况 / 小区名称",
        "基本情况 / 地址",
        "基本情况 / 建成年份",
        "面积 / 建筑面积（平方米）",
        "面积 / 占地面积（平方米）",
    ]
    assert [r.line for r in table.rows] == [3]


def test_sub_headers_below_the_best_row_are_joined() -> None:
    grid = _grid(
        [
            ["序号", "小区名称", "所属居委", "地址", "面积", None, "户数"],
            [None, None, None, None, "建筑面积", "占地面积", None],
            [1, "梅川一村", "梅川居委", "梅川路100弄", 18600.5, 9000, 300],
        ]
    )
    table = detect_table(grid, ESTATES)
    assert table.header_lines == (1, 2)
    assert [c.text for c in table.columns][4:6] == ["面积 / 建筑面积", "面积 / 占地面积"]
    assert suggest_mapping(table, ESTATES) == {
        1: "name",
        2: "neighbourhood_id",
        3: "address",
        4: "floor_area",
        5: "land_area",
        6: "households",
    }


def test_one_row_header_under_title_lines_is_not_mistaken_for_two() -> None:
    grid = _grid(
        [
            ["长征镇住宅小区基本情况表（截至2025年12月）", None, None, None],
            ["填报单位：长征镇房管办", None, None, "单位：户"],
            [None, None, None, None],
            ["序号", "小区名称", "地址", "户数"],
            [1, "梅川一村", "梅川路100弄", 300],
            [2, "真北花园", None, None],
        ]
    )
    table = detect_table(grid, ESTATES)
    assert table.header_lines == (4,)
    assert [c.text for c in table.columns] == ["序号", "小区名称", "地址", "户数"]
    assert [r.line for r in table.rows] == [5, 6]
    assert table.skipped == ()


def test_the_header_must_be_within_the_first_30_rows() -> None:
    rows: list[list[object]] = [[f"说明第{i}行"] for i in range(30)]
    rows.append(["小区名称", "地址"])
    with pytest.raises(BadFile) as caught:
        detect_table(_grid(rows), ESTATES)
    assert caught.value.message == ("在“Sheet1”中没有找到表头：请确认第一张表是小区台账，表头包含“小区名称”“街镇”等列")
    assert detect_table(_grid(rows[1:]), ESTATES).header_lines == (30,)


def test_no_header_names_the_sheet_and_the_register_columns() -> None:
    grid = _grid([["会议纪要"], ["2025年12月3日，长征镇房管办召开…"]], name="纪要")
    with pytest.raises(BadFile) as caught:
        detect_table(grid, BUILDINGS)
    assert caught.value.message == ("在“纪要”中没有找到表头：请确认第一张表是楼栋台账，表头包含“小区”“楼号”等列")


def test_one_matching_column_is_not_a_header() -> None:
    with pytest.raises(BadFile, match="没有找到表头"):
        detect_table(_grid([["小区名称", "负责人"], ["梅川一村", "王丽萍"]]), ESTATES)


def test_total_rows_in_any_spelling() -> None:
    grid = _grid(
        [
            ["序号", "小区名称", "户数"],
            [1, "梅川一村", 300],
            ["合 计", None, 300],
            ["小计：", None, 300],
            [None, "总计（2个小区）", 600],
            [5, "累计", 900],  # 序号 filled, the name column says it
            [6, "真北花园", 374],
        ]
    )
    table = detect_table(grid, ESTATES)
    assert [r.line for r in table.rows] == [2, 7]
    assert table.skipped == ((3, "合计行"), (4, "合计行"), (5, "合计行"), (6, "合计行"))


def test_notes_and_signatures_below_the_table() -> None:
    grid = _grid(
        [
            ["小区名称", "地址", "户数"],
            ["梅川一村", "梅川路100弄", 300],
            ["注1：面积以产证为准", None, None],
            ["说明：空白表示暂无数据", None, None],
            ["填表人：王丽萍", "审核人：陈建国", "联系电话：52560000"],
            ["制表：长征镇房管办", None, None],
            ["填报日期：2026年1月5日", None, None],
            ["注册小区", "注册路1号", 20],  # a name that merely starts with 注
        ]
    )
    table = detect_table(grid, ESTATES)
    assert [r.line for r in table.rows] == [2, 8]
    assert table.skipped == tuple((line, "表格下方的说明") for line in (3, 4, 5, 6, 7))


def test_a_sheet_pasted_twice_skips_the_repeated_title_and_header() -> None:
    title: list[object] = ["普陀区长征镇住宅小区基本情况台账", None, None]
    header: list[object] = ["序号", "小区名称", "地址"]
    grid = _grid(
        [
            title,
            header,
            [1, "梅川一村", "梅川路100弄"],
            [None, None, None],
            title,
            header,
            [2, "真北花园", "真北路102弄"],
        ]
    )
    table = detect_table(grid, ESTATES)
    assert [r.line for r in table.rows] == [3, 7]
    assert table.skipped == ((4, "空行"), (5, "重复的表头"), (6, "重复的表头"))


def test_a_second_table_title_in_the_middle() -> None:
    grid = _grid(
        [
            ["小区名称", "地址"],
            ["梅川一村", "梅川路100弄"],
            ["普陀区真如镇住宅小区情况表", None],
            ["真如一村", "真如路100弄"],
        ]
    )
    table = detect_table(grid, ESTATES)
    assert [r.line for r in table.rows] == [2, 4]
    assert table.skipped == ((3, "表格中间的标题行"),)


def test_rows_numbered_in_advance_count_as_blank() -> None:
    """A template with 序号 filled down to row 100: numbered empty rows are not data."""
    rows: list[list[object]] = [["序号", "小区名称", "地址"], [1, "梅川一村", "梅川路100弄"], [2, None, None]]
    rows += [[3, "真北花园", None]] + [[n, None, None] for n in range(4, 100)]
    table = detect_table(_grid(rows), ESTATES)
    assert [r.line for r in table.rows] == [2, 4]
    assert table.skipped == ((3, "空行"),)  # the trailing numbered rows are not listed one by one


def test_a_column_with_data_but_no_header_is_kept_unnamed() -> None:
    grid = _grid([["小区名称", "地址", None, "户数"], ["梅川一村", "梅川路100弄", "二期", 300], ["真北花园"]])
    table = detect_table(grid, ESTATES)
    assert [(c.index, c.text) for c in table.columns] == [(0, "小区名称"), (1, "地址"), (2, ""), (3, "户数")]
    assert table.rows[1].cells == ("真北花园", None, None, None)  # padded to the table's width
    assert suggest_mapping(table, ESTATES) == {0: "name", 1: "address", 3: "households"}


def test_mapping_reads_extra_lookup_columns_and_takes_each_field_once() -> None:
    grid = _grid(
        [
            ["所属街镇", "小区名称", "楼号", "层数（层）", "幢号", "备注"],
            ["长征镇", "梅川一村", "1号", 6, "1", "无"],
        ]
    )
    table = detect_table(grid, BUILDINGS)
    assert suggest_mapping(table, BUILDINGS) == {1: "estate_id", 2: "number", 3: "floors"}
    assert suggest_mapping(table, BUILDINGS, extra=[STREET]) == {0: "_street", 1: "estate_id", 2: "number", 3: "floors"}


def test_mapping_prefers_a_visible_column_over_a_hidden_one() -> None:
    rows: list[list[object]] = [["小区名称", "小区名称", "地址"], ["旧名", "梅川一村", "梅川路100弄"]]
    table = detect_table(_grid(rows, hidden=frozenset({0})), ESTATES)
    assert [c.hidden for c in table.columns] == [True, False, False]
    assert suggest_mapping(table, ESTATES) == {1: "name", 2: "address"}
    shown = detect_table(_grid(rows), ESTATES)
    assert suggest_mapping(shown, ESTATES) == {0: "name", 2: "address"}


def test_legacy_xls_ledger(stored: Path) -> None:
    table = detect_table(read_sheet(stored / "legacy.xls"), ESTATES)
    assert table.header_lines == (2,)
    assert [r.line for r in table.rows] == [3, 4, 5]
    assert table.skipped == ((6, "合计行"),)
    assert suggest_mapping(table, ESTATES) == {
        1: "name",
        2: "address",
        3: "completion_year",
        4: "households",
        5: "first_delivery_on",
    }


def test_csv_export(tmp_path: Path) -> None:
    path = tmp_path / "小区.csv"
    path.write_text("小区名称,街道,户数\n梅川一村,长征镇,300\n合计,,300\n", encoding="gb18030")
    table = detect_table(read_sheet(path), ESTATES)
    assert table.rows == (SourceRow(2, ("梅川一村", "长征镇", "300")),)
    assert suggest_mapping(table, ESTATES) == {0: "name", 1: "street_id", 2: "households"}


def test_one_sheet_per_street(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "长征镇"
    write_street_sheet(first, street="长征镇")
    write_street_sheet(book.create_sheet("真如镇"), street="真如镇", estates=LEDGER_ESTATES[:2], code_hidden=False)
    book.save(tmp_path / "全区.xlsx")
    second = detect_table(read_sheet(tmp_path / "全区.xlsx", "真如镇"), ESTATES)
    assert second.sheet == "真如镇"
    assert [r.line for r in second.rows] == [5, 6]
    assert not any(c.hidden for c in second.columns)


def test_header_signature_is_the_same_for_files_of_the_same_shape(tmp_path: Path) -> None:
    changzheng = detect_table(read_sheet(street_ledger(tmp_path / "a.xlsx")), ESTATES)
    zhenru = detect_table(
        read_sheet(street_ledger(tmp_path / "b.xlsx", street="真如镇", estates=LEDGER_ESTATES[1:])), ESTATES
    )
    assert header_signature(changzheng) == header_signature(zhenru)
    assert len(header_signature(changzheng)) == 16
    moved = simple_workbook(tmp_path / "c.xlsx", [["小区名称", "地址"], ["梅川一村", "梅川路100弄"]])
    swapped = simple_workbook(tmp_path / "d.xlsx", [["地址", "小区名称"], ["梅川路100弄", "梅川一村"]])
    assert header_signature(detect_table(read_sheet(moved), ESTATES)) != header_signature(
        detect_table(read_sheet(swapped), ESTATES)
    )
