"""Ledgers (台账) as workbooks: what a clerk sees on opening one, and that an edited one imports back."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from putuo_community.domain.errors import BadFile, UserError
from putuo_community.domain.fields import Field, choice, integer, text
from putuo_community.domain.registers import REGISTERS
from putuo_community.io.ledger import (
    CREATOR,
    PROGRESS_EVERY,
    ExportCancelled,
    LedgerSpec,
    as_of_text,
    write_ledger,
)
from putuo_community.io.table import detect_table, suggest_mapping
from putuo_community.io.workbook import display_width, read_sheet

ESTATES = REGISTERS["estates"]
FIELDS = ESTATES.fields
KEYS = [f.key for f in FIELDS]
AS_OF = dt.date(2026, 11, 24)
TOTALS = frozenset({"households", "floor_area", "land_area"})


def _column(key: str) -> str:
    return str(get_column_letter(KEYS.index(key) + 1))


def _estate(name: str = "梅川一村", **values: object) -> tuple[object, ...]:
    """One estate as the service hands it over: references as names, yes/no as 是/否."""
    row: dict[str, object] = {
        "code": "0012",
        "name": name,
        "street_id": "长征镇",
        "neighbourhood_id": "梅川居委会",
        "address": "梅川路100弄",
        "boundaries": "东至梅岭北路，西至梅川路",
        "housing_type": "售后公房",
        "completion_year": 1980,
        "building_count": 24,
        "households": 1_236,
        "floor_area": Decimal("86500.50"),
        "land_area": Decimal("41230.00"),
        "office_area": Decimal("120.5"),
        "management_mode": "物业企业",
        "company_id": "上海普陀房地产物业有限公司",
        "manager_id": "王**",
        "fee": Decimal("0.68"),
        "has_assembly": "是",
        "first_delivery_on": dt.date(1980, 6, 1),
        "half_delivered_on": dt.date(1981, 3, 15),
        "formation_report_on": None,
        "prep_group_on": None,
        "first_assembly_on": None,
        "agency_bookkeeping": "否",
        "note": None,
    }
    unknown = set(values) - set(row)
    assert not unknown, unknown
    row.update(values)
    return tuple(row[k] for k in KEYS)


ROWS = (
    _estate(),
    _estate("曹杨新村第一小区", code="0103", street_id="曹杨新村街道", neighbourhood_id="曹杨一村居委会",
            households=2_048, floor_area=Decimal("120345.25"), land_area=Decimal("60010.10"),
            housing_type="直管公房", has_assembly="否"),
    _estate("真北花园", code="0207", street_id="长征镇", households=374, floor_area=Decimal("23188.35"),
            land_area=Decimal("12000.25"), housing_type="商品房", management_mode="自管",
            note="2019年完成综合整治\n屋面防水已更换"),
)  # fmt: skip


def _spec(fields: tuple[Field, ...] = FIELDS, totals: frozenset[str] = TOTALS, sheet_title: str = "") -> LedgerSpec:
    return LedgerSpec("小区台账", "长征镇", AS_OF, fields, totals=totals, sheet_title=sheet_title)


def _sheet(path: Path, title: str = "小区台账") -> Worksheet:
    sheet = load_workbook(path)[title]
    assert isinstance(sheet, Worksheet)
    return sheet


def _validations(sheet: Worksheet) -> dict[str, tuple[str, str]]:
    return {str(v.sqref): (str(v.formula1), str(v.errorStyle)) for v in sheet.data_validations.dataValidation}


def _xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "长征镇小区台账.xlsx"
    assert write_ledger(_spec(), ROWS, path) == len(ROWS)
    return path


# -- what the clerk sees --------------------------------------------------------------------


def test_title_row_then_the_field_headers(ledger: Path) -> None:
    sheet = _sheet(ledger)
    assert sheet["A1"].value == "长征镇小区台账　截至2026年11月24日"
    assert as_of_text(AS_OF) == "截至2026年11月24日"
    assert sheet["A1"].font.b
    assert sheet["A1"].font.sz >= 14
    assert f"A1:{get_column_letter(len(FIELDS))}1" in {str(r) for r in sheet.merged_cells.ranges}
    header = [c.value for c in sheet[2]]
    assert header == [f.header for f in FIELDS]
    assert header[10] == "建筑面积（㎡）"
    for cell in sheet[2]:
        assert cell.font.b
        assert cell.fill.fgColor.rgb.endswith("DDEBF7")
        assert cell.alignment.wrap_text
        assert cell.alignment.horizontal == "center"
    book = load_workbook(ledger)
    assert book.sheetnames == ["小区台账"]  # every choice list is short enough to stand inline
    assert book.properties.creator == CREATOR
    assert book.properties.title == "长征镇小区台账　截至2026年11月24日"


def test_rows_are_written_as_the_service_gave_them(ledger: Path) -> None:
    sheet = _sheet(ledger)
    first = [c.value for c in sheet[3]]
    assert first[:3] == ["0012", "梅川一村", "长征镇"]
    assert sheet["A3"].data_type == "s"  # a code with a leading zero stays text
    assert sheet[f"{_column('households')}3"].value == 1_236
    assert sheet[f"{_column('floor_area')}3"].value == pytest.approx(86500.5)
    assert sheet[f"{_column('first_delivery_on')}3"].value == dt.datetime(1980, 6, 1)
    assert sheet[f"{_column('prep_group_on')}3"].value is None
    assert sheet[f"{_column('has_assembly')}4"].value == "否"
    assert [sheet[f"B{n}"].value for n in (3, 4, 5)] == ["梅川一村", "曹杨新村第一小区", "真北花园"]
    note = sheet[f"{_column('note')}5"]
    assert note.value == "2019年完成综合整治\n屋面防水已更换"
    assert note.alignment.wrap_text


def test_number_formats_of_dates_and_decimals(ledger: Path) -> None:
    sheet = _sheet(ledger)
    for key in ("first_delivery_on", "half_delivered_on"):
        assert sheet[f"{_column(key)}3"].number_format == "yyyy-mm-dd"
    for key in ("floor_area", "land_area", "office_area", "fee"):
        assert sheet[f"{_column(key)}4"].number_format == "#,##0.00"
    # Years and counts keep the general format: 1980 must not read "1,980".
    assert sheet[f"{_column('completion_year')}3"].number_format == "General"


def test_a_decimal_field_with_no_decimals_is_formatted_as_whole_numbers(tmp_path: Path) -> None:
    fields = (ESTATES.field("name"), ESTATES.field("floor_area"))
    whole = (fields[0], Field("seats", "座位数", fields[1].type, decimals=0))
    write_ledger(_spec(whole, frozenset()), [("梅川一村", Decimal(12))], tmp_path / "a.xlsx")
    assert _sheet(tmp_path / "a.xlsx")["B3"].number_format == "#,##0"


def test_panes_filter_widths_and_printing(ledger: Path) -> None:
    sheet = _sheet(ledger)
    assert sheet.freeze_panes == "A3"
    # header and data; the 合计 row below stays out of sorting
    assert sheet.auto_filter.ref == f"A2:{get_column_letter(len(FIELDS))}5"
    for number, field in enumerate(FIELDS, start=1):
        expected = min(max(field.width, display_width(field.header) + 2), 50)
        assert sheet.column_dimensions[get_column_letter(number)].width == expected
    assert sheet.column_dimensions[_column("name")].width == 22
    assert sheet.column_dimensions[_column("office_area")].width == display_width("物业管理用房面积（㎡）") + 2
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$2"


def test_dropdowns_on_choice_and_yes_no_columns_over_the_data_rows(ledger: Path) -> None:
    validations = _validations(_sheet(ledger))
    housing, mode = _column("housing_type"), _column("management_mode")
    assembly, bookkeeping = _column("has_assembly"), _column("agency_bookkeeping")
    assert validations == {
        f"{housing}3:{housing}5": ('"商品房,售后公房,直管公房,系统公房,保障性住房,动迁安置房,混合"', "warning"),
        f"{mode}3:{mode}5": ('"物业企业,自管,居委兜底"', "warning"),
        f"{assembly}3:{assembly}5": ('"是,否"', "stop"),
        f"{bookkeeping}3:{bookkeeping}5": ('"是,否"', "stop"),
    }


def test_a_long_choice_list_stands_on_a_hidden_sheet(tmp_path: Path) -> None:
    # Commas, longer than an inline list may be, and a choice Excel would take for a formula.
    streets = (*(f"{n}号街坊，东段" for n in range(1, 40)), "-其他")
    fields = (
        text("name", "小区名称"),
        choice("block", "街坊", streets),
        choice("kind", "类型", ("=公房", "商品房")),
    )
    path = tmp_path / "街坊台账.xlsx"
    write_ledger(_spec(fields, frozenset(), sheet_title="街坊"), [("梅川一村", streets[0], "商品房")], path)
    book = load_workbook(path)
    assert book.sheetnames == ["街坊", "选项"]
    choices = book["选项"]
    assert choices.sheet_state == "hidden"
    assert [c.value for c in choices["A"]] == ["街坊", *streets]
    assert choices["A41"].data_type == "s"
    validations = _validations(_sheet(path, "街坊"))
    assert validations["B3"] == ("'选项'!$A$2:$A$41", "warning")
    assert validations["C3"] == ('"=公房,商品房"', "warning")


def test_sheet_title_defaults_to_the_title_and_drops_characters_excel_refuses(tmp_path: Path) -> None:
    write_ledger(_spec(sheet_title="小区/台账[2026]"), ROWS, tmp_path / "a.xlsx")
    assert load_workbook(tmp_path / "a.xlsx").sheetnames == ["小区台账2026"]


# -- the 合计 row ---------------------------------------------------------------------------


def test_totals_are_exact_sums_not_formulas(tmp_path: Path) -> None:
    # Cents that binary floating point cannot add exactly.
    areas = [Decimal("0.10"), Decimal("0.20"), Decimal("1234567.01"), Decimal("0.07")] * 25
    rows = [_estate(f"梅川{n}村", floor_area=a, households=n) for n, a in enumerate(areas, start=1)]
    path = tmp_path / "台账.xlsx"
    write_ledger(_spec(), rows, path)
    sheet = _sheet(path)
    total_row = 3 + len(rows)
    assert sheet[f"A{total_row}"].value == "合计"
    assert sheet[f"A{total_row}"].font.b
    households = sheet[f"{_column('households')}{total_row}"]
    assert households.value == sum(range(1, 101))
    area = sheet[f"{_column('floor_area')}{total_row}"]
    assert Decimal(repr(area.value)) == sum(areas) == Decimal("30864184.50")
    assert area.number_format == "#,##0.00"
    assert area.font.b
    assert sheet[f"{_column('land_area')}{total_row}"].value == pytest.approx(41230 * 100)
    assert sheet[f"{_column('fee')}{total_row}"].value is None  # not asked for
    assert sheet.max_row == total_row
    assert re.search(rb"<f[ >]", _xml(path)) is None


def test_no_totals_no_total_row(tmp_path: Path) -> None:
    write_ledger(_spec(totals=frozenset()), ROWS, tmp_path / "a.xlsx")
    sheet = _sheet(tmp_path / "a.xlsx")
    assert sheet.max_row == 2 + len(ROWS)
    assert sheet["A5"].value == "0207"


def test_the_spec_refuses_totals_it_cannot_make() -> None:
    with pytest.raises(ValueError, match="not a column"):
        _spec(totals=frozenset({"volume"}))
    with pytest.raises(ValueError, match="not a number"):
        _spec(totals=frozenset({"address"}))
    with pytest.raises(ValueError, match="first column"):
        _spec((integer("households", "户数"), text("name", "小区名称")), frozenset({"households"}))
    with pytest.raises(ValueError, match="at least one column"):
        _spec((), frozenset())


# -- texts Excel would take for something else ----------------------------------------------


INJECTIONS = ("=1+1", "+86 138 1234 5678", "-5", "@SUM(A1)", '=HYPERLINK("http://example.com","点击")')


def test_texts_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    rows = [_estate(name, address=name, manager_id=name) for name in INJECTIONS]
    path = tmp_path / "台账.xlsx"
    write_ledger(_spec(totals=frozenset()), rows, path)
    sheet = _sheet(path)
    for line, expected in enumerate(INJECTIONS, start=3):
        for key in ("name", "address", "manager_id"):
            cell = sheet[f"{_column(key)}{line}"]
            assert cell.data_type == "s", (cell.coordinate, cell.value)
            assert cell.value == expected
            assert cell.quotePrefix  # and stays text when the cell is edited
    assert re.search(rb"<f[ >]", _xml(path)) is None


def test_texts_that_look_like_numbers_stay_text(tmp_path: Path) -> None:
    rows = [_estate(code="0012", address="13812345678", boundaries="2025-03-01")]
    path = tmp_path / "台账.xlsx"
    write_ledger(_spec(), rows, path)
    sheet = _sheet(path)
    for key, expected in (("code", "0012"), ("address", "13812345678"), ("boundaries", "2025-03-01")):
        cell = sheet[f"{_column(key)}3"]
        assert (cell.value, cell.data_type) == (expected, "s")


def test_control_characters_an_old_file_held_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(_spec(), [_estate("梅川\x01一村", address="=梅川路\x0b100弄")], path)
    sheet = _sheet(path)
    assert sheet["B3"].value == "梅川一村"
    assert (sheet["E3"].value, sheet["E3"].data_type) == ("=梅川路100弄", "s")


def test_a_row_of_the_wrong_width_is_a_bug(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"row 2 has 3 values for {len(FIELDS)} columns"):
        write_ledger(_spec(), [ROWS[0], ("梅川一村", "长征镇", None)], tmp_path / "a.xlsx")
    assert list(tmp_path.iterdir()) == []


# -- re-importing ---------------------------------------------------------------------------


def test_the_importer_finds_the_header_on_row_2_and_skips_the_total(ledger: Path) -> None:
    table = detect_table(read_sheet(ledger), ESTATES)
    assert table.header_lines == (2,)
    assert [r.line for r in table.rows] == [3, 4, 5]
    assert table.skipped == ((6, "合计行"),)
    assert suggest_mapping(table, ESTATES) == dict(enumerate(KEYS))
    assert table.rows[1].cells[1] == "曹杨新村第一小区"


def test_an_empty_ledger_is_still_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "空台账.xlsx"
    reported: list[int] = []
    assert write_ledger(_spec(), [], path, progress=reported.append) == 0
    assert reported == [0]
    sheet = _sheet(path)
    assert [c.value for c in sheet[2]] == [f.header for f in FIELDS]
    assert sheet.auto_filter.ref == f"A2:{get_column_letter(len(FIELDS))}2"
    assert sheet.freeze_panes == "A3"
    assert not sheet.data_validations.dataValidation
    assert sheet["A3"].value == "合计"
    assert sheet[f"{_column('households')}3"].value == 0
    table = detect_table(read_sheet(path), ESTATES)
    assert (table.header_lines, table.rows, table.skipped) == ((2,), (), ((3, "合计行"),))


# -- progress, cancelling, failing ----------------------------------------------------------


def _many(count: int) -> Iterator[tuple[object, ...]]:
    for n in range(count):
        yield _estate(f"梅川{n}村", households=n)


def test_progress_every_thousand_rows_and_at_the_end(tmp_path: Path) -> None:
    reported: list[int] = []
    count = 2 * PROGRESS_EVERY + 500
    assert write_ledger(_spec(), _many(count), tmp_path / "a.xlsx", progress=reported.append) == count
    assert reported == [PROGRESS_EVERY, 2 * PROGRESS_EVERY, count]
    assert _sheet(tmp_path / "a.xlsx").max_row == count + 3


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where openpyxl streams its sheets, so a test can see that nothing is left there."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_cancelling_leaves_no_file_and_no_temporary(tmp_path: Path, private_temp: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    asked: list[int] = []
    reported: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(reported) >= 1  # stop once the first thousand rows are done

    with pytest.raises(ExportCancelled) as caught:
        write_ledger(_spec(), _many(5_000), out / "台账.xlsx", progress=reported.append, cancelled=cancelled)
    assert isinstance(caught.value, UserError)
    assert caught.value.message == "已取消导出，未生成文件"
    assert reported == [PROGRESS_EVERY]
    assert len(asked) == 2
    assert list(out.iterdir()) == []
    assert list(private_temp.iterdir()) == []


def test_cancelling_at_the_last_moment_keeps_the_existing_file(tmp_path: Path, private_temp: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"last week's ledger")
    with pytest.raises(ExportCancelled):
        write_ledger(_spec(), ROWS, path, cancelled=lambda: True)  # fewer rows than a check: asked before saving
    assert path.read_bytes() == b"last week's ledger"
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["台账.xlsx"]
    assert list(private_temp.iterdir()) == []


def test_a_missing_folder_is_told_before_any_row_is_read(tmp_path: Path) -> None:
    read: list[int] = []

    def rows() -> Iterator[Sequence[object]]:
        read.append(1)
        yield ROWS[0]

    with pytest.raises(BadFile) as caught:
        write_ledger(_spec(), rows(), tmp_path / "已删除的文件夹" / "台账.xlsx")
    assert caught.value.message == f"无法保存“台账.xlsx”：文件夹“{tmp_path / '已删除的文件夹'}”不存在"
    assert read == []


def test_a_ledger_open_in_excel_is_left_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"the clerk's ledger")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(BadFile) as caught:
        write_ledger(_spec(), ROWS, path)
    assert caught.value.message == (
        "无法保存“台账.xlsx”：文件正被其他程序（如 Excel、WPS）打开，或没有写入权限。请关闭该文件后重试"
    )
    assert path.read_bytes() == b"the clerk's ledger"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"the clerk's ledger")

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(BadFile, match="磁盘空间不足"):
        write_ledger(_spec(), ROWS, path)
    assert path.read_bytes() == b"the clerk's ledger"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_a_failing_row_source_leaves_the_existing_file(tmp_path: Path, private_temp: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"last week's ledger")

    def rows() -> Iterator[Sequence[object]]:
        yield ROWS[0]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_ledger(_spec(), rows(), path)
    assert path.read_bytes() == b"last week's ledger"
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["台账.xlsx"]
    assert list(private_temp.iterdir()) == []
