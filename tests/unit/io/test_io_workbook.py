"""Reading register files into grids: every format clerks use, and a clear message for every file that is not one."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from io_builders import (
    compound_file,
    replace_part,
    sheet_xml,
    simple_workbook,
    store_cached_values,
    street_ledger,
    word_document,
)
from openpyxl import Workbook

from putuo_community.domain.errors import BadFile
from putuo_community.io.workbook import SheetGrid, read_sheet, save_workbook, sheet_names


def _message(path: Path, **kwargs: object) -> str:
    with pytest.raises(BadFile) as caught:
        read_sheet(path, **kwargs)  # type: ignore[arg-type]
    return caught.value.message


# -- xlsx ---------------------------------------------------------------------------------


def test_ledger_is_read_cell_for_cell_with_excel_line_numbers(tmp_path: Path) -> None:
    grid = read_sheet(street_ledger(tmp_path / "长征镇台账.xlsx"))
    assert grid.name == "长征镇"
    assert grid.rows[0][0] == "普陀区长征镇住宅小区基本情况台账"  # row 1 is rows[0]
    assert grid.rows[2][:3] == ["序号", "所属居委", "基本情况"]
    assert grid.rows[3][:3] == [None, None, "小区名称"]  # merged cells read empty below their value
    first = grid.rows[4]
    assert first == [1, "梅川居委", "梅川一村", "梅川路100弄", 1980, 18600.5, 9000, 300, "PT0001"]
    assert type(first[0]) is int  # Excel stores 1 as 1.0; a 楼号 must not become "1.0"
    assert grid.rows[6] == [None] * 9  # the blank row keeps its place
    assert grid.hidden_columns == frozenset({8})
    assert grid.hidden is False


def test_dates_times_and_booleans_keep_their_types(tmp_path: Path) -> None:
    when = dt.datetime(2025, 3, 1, 9, 30)
    path = simple_workbook(
        tmp_path / "x.xlsx", [["日期", "时间", "时刻", "是否"], [dt.date(2025, 3, 1), when, dt.time(8, 0), True]]
    )
    assert read_sheet(path).rows[1] == [dt.date(2025, 3, 1), when, dt.time(8, 0), True]


def test_leading_empty_rows_and_columns_keep_excel_positions(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C3"] = "小区名称"
    sheet["C4"] = "梅川一村"
    book.save(tmp_path / "offset.xlsx")
    rows = read_sheet(tmp_path / "offset.xlsx").rows
    assert rows[2][2] == "小区名称"
    assert rows[3][2] == "梅川一村"
    assert rows[0] == [None, None, None]


def test_sheets_visible_first_and_the_first_visible_sheet_with_data_is_read(tmp_path: Path) -> None:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "填表说明"
    notes["A1"] = "请按街镇分表填写"
    notes.sheet_state = "hidden"
    book.create_sheet("封面")  # visible but empty
    book.create_sheet("长征镇")["A1"] = "小区名称"
    book.create_sheet("真如镇")["A1"] = "小区名称"
    book.save(tmp_path / "全区.xlsx")
    assert sheet_names(tmp_path / "全区.xlsx") == ["封面", "长征镇", "真如镇", "填表说明"]
    assert read_sheet(tmp_path / "全区.xlsx").name == "长征镇"
    chosen = read_sheet(tmp_path / "全区.xlsx", "填表说明")
    assert chosen.hidden is True
    assert chosen.rows == [["请按街镇分表填写"]]


def test_a_sheet_that_does_not_exist_lists_the_ones_that_do(tmp_path: Path) -> None:
    path = simple_workbook(tmp_path / "台账.xlsx", [["小区名称"]], title="长征镇")
    assert _message(path, sheet="真如镇") == "无法读取“台账.xlsx”：没有名为“真如镇”的工作表；文件中的工作表有：“长征镇”"


def test_a_workbook_with_only_empty_sheets(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "空表.xlsx")
    assert _message(tmp_path / "空表.xlsx") == "无法读取“空表.xlsx”：文件中没有数据（工作表都是空的）"


def test_format_is_told_by_content_not_by_name(tmp_path: Path) -> None:
    """WPS and some systems save a real xlsx under a .xls name; a CSV may be called .xlsx."""
    xlsx = simple_workbook(tmp_path / "a.xlsx", [["小区名称"], ["梅川一村"]])
    renamed = tmp_path / "台账.xls"
    shutil.copy(xlsx, renamed)
    assert read_sheet(renamed).rows == [["小区名称"], ["梅川一村"]]
    csv_named_xlsx = tmp_path / "导出.xlsx"
    csv_named_xlsx.write_text("小区名称,地址\n梅川一村,梅川路100弄\n", encoding="utf-8")
    assert read_sheet(csv_named_xlsx).rows == [["小区名称", "地址"], ["梅川一村", "梅川路100弄"]]


# -- xls ----------------------------------------------------------------------------------


def test_legacy_xls_is_read_with_dates_and_hidden_sheets(stored: Path) -> None:
    path = stored / "legacy.xls"
    assert sheet_names(path) == ["真如镇", "旧数据"]
    grid = read_sheet(path)
    assert grid.name == "真如镇"
    assert grid.rows[1] == ["序号", "小区名称", "地址", "建成年份", "户数（户）", "首次交付日期"]
    assert grid.rows[2] == [1, "真如一村", "真如路100弄", 1985, 420, dt.date(1985, 6, 1)]
    assert grid.rows[5][0] == "合计"
    assert grid.hidden_columns == frozenset()
    assert read_sheet(path, "旧数据").hidden is True


# -- csv ----------------------------------------------------------------------------------

LEDGER_TEXT = '小区名称,地址,户数\n梅川一村,梅川路100弄,300\n真北花园,"真北路102弄，近金沙江路",\n'
LEDGER_ROWS: list[list[object]] = [
    ["小区名称", "地址", "户数"],
    ["梅川一村", "梅川路100弄", "300"],
    ["真北花园", "真北路102弄，近金沙江路", None],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_every_encoding_clerks_save(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "小区.csv"
    path.write_bytes(LEDGER_TEXT.encode(encoding))
    grid = read_sheet(path)
    assert grid == SheetGrid("小区", LEDGER_ROWS)
    assert sheet_names(path) == ["小区"]


def test_tab_delimited_text_and_full_width_commas_inside_cells(tmp_path: Path) -> None:
    path = tmp_path / "导出.txt"
    path.write_text("小区名称\t地址\t建筑面积\n梅川一村\t梅川路100弄，近梅岭北路\t1,234.5\n", encoding="gb18030")
    assert read_sheet(path).rows == [
        ["小区名称", "地址", "建筑面积"],
        ["梅川一村", "梅川路100弄，近梅岭北路", "1,234.5"],
    ]


def test_a_text_with_only_full_width_commas_is_one_column(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("小区名称\n梅川一村，梅川二村\n", encoding="utf-8")
    assert read_sheet(path).rows == [["小区名称"], ["梅川一村，梅川二村"]]


def test_csv_rows_are_records_even_when_a_cell_spans_lines(tmp_path: Path) -> None:
    path = tmp_path / "多行.csv"
    path.write_text('小区名称,备注\n梅川一村,"第一行\n第二行"\n真北花园,\n', encoding="utf-8")
    rows = read_sheet(path).rows
    assert rows[1] == ["梅川一村", "第一行\n第二行"]
    assert rows[2] == ["真北花园", None]


def test_csv_has_one_sheet_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "小区.csv"
    path.write_text(LEDGER_TEXT, encoding="utf-8")
    assert _message(path, sheet="Sheet1") == "无法读取“小区.csv”：没有名为“Sheet1”的工作表；文件中的工作表有：“小区”"


def test_a_tiny_gb18030_file_that_is_also_valid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "弄.csv"
    path.write_bytes("弄".encode("gb18030"))  # the bytes C5 AA are "Ū" in UTF-8
    assert read_sheet(path).rows == [["弄"]]


_CELL = st.text(alphabet=st.sampled_from('梅川一村真北路弄号，。（）·㎡ABC abc0123456789-"\n'), max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_any_csv_of_chinese_text_reads_back_as_written(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], encoding: str
) -> None:
    path = tmp_path_factory.mktemp("csv") / "表.csv"
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows([["小区名称", "地址", "备注"], *rows])
    expected = [[cell or None for cell in row] for row in rows]
    assert read_sheet(path).rows[1:] == expected


# -- files that are not registers ---------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "台账.xlsx").write_bytes(b"")
    assert _message(tmp_path / "台账.xlsx") == "无法读取“台账.xlsx”：文件是空的"


def test_word_document_renamed_to_xlsx(tmp_path: Path) -> None:
    path = word_document(tmp_path / "小区情况.xlsx")
    assert _message(path) == "无法读取“小区情况.xlsx”：这是 Word 文档，不是 Excel 表格"
    with pytest.raises(BadFile, match="这是 Word 文档"):
        sheet_names(path)


def test_old_word_document_renamed_to_xls(tmp_path: Path) -> None:
    path = compound_file(tmp_path / "小区情况.xls", ["WordDocument", "1Table"])
    assert _message(path) == "无法读取“小区情况.xls”：这是 Word 文档，不是 Excel 表格"


def test_truncated_workbook_is_damaged(tmp_path: Path) -> None:
    whole = street_ledger(tmp_path / "whole.xlsx").read_bytes()
    (tmp_path / "台账.xlsx").write_bytes(whole[: len(whole) // 2])
    assert _message(tmp_path / "台账.xlsx") == "无法读取“台账.xlsx”：文件已损坏（不是完整的 Excel 文件）"


def test_password_protected_workbook(stored: Path) -> None:
    message = "无法读取“password.xlsx”：工作簿设有密码，请在 Excel 中取消密码后再导入"
    assert _message(stored / "password.xlsx") == message
    with pytest.raises(BadFile) as caught:
        sheet_names(stored / "password.xlsx")
    assert caught.value.message == message


def test_encrypted_package_is_told_from_its_streams_not_its_name(tmp_path: Path) -> None:
    path = compound_file(tmp_path / "台账.xls", ["EncryptionInfo", "EncryptedPackage"])
    assert _message(path) == "无法读取“台账.xls”：工作簿设有密码，请在 Excel 中取消密码后再导入"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("扫描件.xlsx", b"%PDF-1.7\n...", "这是 PDF 文件，不是 Excel 表格"),
        ("照片.xls", b"\x89PNG\r\n\x1a\n\x00\x00", "这是图片，不是 Excel 表格"),
        (
            "台账.xls",
            b"\x00\x01\x02\x03binary",
            "无法识别的文件格式（.xls），请选择 Excel 表格（.xlsx、.xls）或 CSV 文件",
        ),
        (
            "系统导出.xls",
            b"<html><body><table><tr><td>\xe5\xb0\x8f\xe5\x8c\xba</td></tr></table></body></html>",
            "这是网页格式导出的表格，不是真正的 Excel 文件。请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入",
        ),
    ],
)
def test_other_kinds_of_file(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    (tmp_path / name).write_bytes(content)
    assert _message(tmp_path / name) == f"无法读取“{name}”：{problem}"


def test_a_zip_of_workbooks_asks_to_unzip_first(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "各街镇.xlsx", "w") as archive:
        archive.writestr("长征镇.xlsx", b"...")
    assert _message(tmp_path / "各街镇.xlsx") == "无法读取“各街镇.xlsx”：这是压缩包，请先解压，再选择其中的表格文件"


def test_excel_lock_file_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "~$台账.xlsx").write_bytes(b"\x05owner" + b"\x00" * 50)
    assert (
        _message(tmp_path / "~$台账.xlsx") == "无法读取“~$台账.xlsx”：这是 Excel 打开文件时生成的临时文件，请选择原文件"
    )
    assert _message(tmp_path / "没有这个.xlsx") == "无法读取“没有这个.xlsx”：找不到文件"


def test_too_many_rows(tmp_path: Path) -> None:
    path = simple_workbook(tmp_path / "全区.xlsx", [["小区名称"], *([f"小区{i}"] for i in range(6))])
    assert read_sheet(path, max_rows=7).rows[-1] == ["小区5"]
    assert _message(path, max_rows=6) == "无法读取“全区.xlsx”：表格超过 6 行，请分批导入"
    csv_path = tmp_path / "全区.csv"
    csv_path.write_text("小区名称\n" + "".join(f"小区{i}\n" for i in range(6)), encoding="utf-8")
    assert _message(csv_path, max_rows=6) == "无法读取“全区.csv”：表格超过 6 行，请分批导入"


def test_the_default_limit_is_200_000_rows(tmp_path: Path) -> None:
    path = tmp_path / "全市.csv"
    path.write_text("小区名称\n" + "小区\n" * 200_000, encoding="utf-8")
    assert _message(path) == "无法读取“全市.csv”：表格超过 200,000 行，请分批导入"


def test_a_cell_longer_than_excel_allows(tmp_path: Path) -> None:
    """Excel cannot make such a cell (nor openpyxl: it cuts at the limit); another program can."""
    path = simple_workbook(tmp_path / "台账.xlsx", [["小区名称", "备注"], ["梅川一村", "LONG"]])
    xml = sheet_xml(path)
    replace_part(path, "xl/worksheets/sheet1.xml", xml.replace(b"LONG", ("很" * 40_000).encode()))
    assert _message(path) == "无法读取“台账.xlsx”：第2行第2列的内容过长（40,000 字），请检查"
    csv_path = tmp_path / "台账.csv"
    csv_path.write_text("小区名称,备注\n梅川一村," + "长" * 200_000 + "\n", encoding="utf-8")
    assert _message(csv_path) == "无法读取“台账.csv”：第2行第2列的内容过长（200,000 字），请检查"


WITH_FORMULA: list[list[object]] = [["小区名称", "户数", "住宅户数", "非住宅户数"], ["梅川一村", "=C2+D2", 280, 20]]


def test_formulas_a_program_never_calculated(tmp_path: Path) -> None:
    """openpyxl (like many programs) writes formulas without results: the cells would read empty."""
    path = simple_workbook(tmp_path / "系统生成.xlsx", WITH_FORMULA)
    expected = "无法读取“系统生成.xlsx”：第2行第2列是公式但没有计算结果，请在 Excel 中打开并保存后再导入"
    assert _message(path) == expected


def test_formulas_with_saved_results_are_read_as_their_values(tmp_path: Path) -> None:
    path = store_cached_values(simple_workbook(tmp_path / "已计算.xlsx", WITH_FORMULA), "300")
    assert read_sheet(path).rows[1] == ["梅川一村", 300, 280, 20]


def test_a_formula_whose_result_is_empty_text_is_not_refused(tmp_path: Path) -> None:
    path = simple_workbook(tmp_path / "x.xlsx", [["小区名称", "备注"], ["梅川一村", None]])
    xml = sheet_xml(path)
    xml = xml.replace(b"</row></sheetData>", b'<c r="B2" t="str"><f>IF(1,"","x")</f><v></v></c></row></sheetData>')
    replace_part(path, "xl/worksheets/sheet1.xml", xml)
    assert read_sheet(path).rows[1] == ["梅川一村", None]


def test_other_reader_errors_become_bad_file_with_their_text(tmp_path: Path) -> None:
    path = simple_workbook(tmp_path / "坏表.xlsx", [["小区名称"]])
    replace_part(path, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c r=")
    message = _message(path)
    assert message.startswith("无法读取“坏表.xlsx”：")
    assert len(message) > len("无法读取“坏表.xlsx”：")


# -- saving -------------------------------------------------------------------------------


def test_save_replaces_the_file_in_one_step(tmp_path: Path) -> None:
    book = Workbook()
    target = tmp_path / "模板.xlsx"
    target.write_bytes(b"old")
    save_workbook(book, target)
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["模板.xlsx"]


def test_save_to_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(BadFile) as caught:
        save_workbook(Workbook(), tmp_path / "没有的文件夹" / "模板.xlsx")
    assert caught.value.message == f"无法保存“模板.xlsx”：文件夹“{tmp_path / '没有的文件夹'}”不存在"


def test_save_over_a_file_open_in_excel_keeps_it_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "模板.xlsx"
    target.write_bytes(b"the clerk's file")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(BadFile) as caught:
        save_workbook(Workbook(), target)
    assert caught.value.message == (
        "无法保存“模板.xlsx”：文件正被其他程序（如 Excel、WPS）打开，或没有写入权限。请关闭该文件后重试"
    )
    assert target.read_bytes() == b"the clerk's file"
    assert [p.name for p in tmp_path.iterdir()] == ["模板.xlsx"]  # no temporary file left behind
