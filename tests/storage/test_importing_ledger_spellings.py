"""A 街镇 ledger written the way clerks write years, dates and codes imports whole, each conversion noted."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from ledger_builder import COLUMNS, LedgerEstate, build_street_ledger, ledger_estates
from openpyxl import Workbook, load_workbook

from putuo_community.services import Services
from putuo_community.services.importing import RowStatus

YEAR_COLUMN = 4  # in LedgerEstate.cells, which leave out 序号
DELIVERED_COLUMN = 11
FIRST_DATA_ROW = 5  # below the title, the 填报单位 line and the two header rows

# How each estate's 建成年份 is written, and whether the dry run should say it took the year from more.
YEAR_SPELLINGS: tuple[tuple[str, bool], ...] = (
    ("{year}.10", True),
    ("{year}.5", True),
    ("{year}年10月", True),
    ("{year}.1", True),  # becomes a number cell below, as Excel keeps "1983.10" typed into one
    ("date", True),  # a real Excel date cell
    ("{year}-10-01", True),
    ("{year}", False),
    ("{year}年", False),
    ("１９８８年", False),
    ("typed into a date cell", True),
    ("{year}—10—01", True),
    ("{year}.12", True),
)
IME_DATES = {
    0: "{d.year}—{d.month:02d}—{d.day:02d}",
    1: "{d.year}一{d.month}一{d.day}",
    2: "{d.year}－{d.month:02d}－{d.day:02d}",
    3: "{d.year}／{d.month}／{d.day}",
    4: "{d.year}～{d.month:02d}～{d.day:02d}",
}


def _written(estate: LedgerEstate, index: int) -> LedgerEstate:
    year = estate.completion_year
    spelling, _noted = YEAR_SPELLINGS[index]
    written: object
    if spelling == "date":
        written = dt.datetime(year, 10, 1)
    elif spelling == "{year}.1":
        written = year + 0.1
    elif spelling == "typed into a date cell":
        written = year  # formatted as a date once the workbook is saved
    else:
        written = spelling.format(year=year)
    cells = list(estate.cells)
    cells[YEAR_COLUMN] = written
    if index in IME_DATES:
        cells[DELIVERED_COLUMN] = IME_DATES[index].format(d=estate.first_delivery_on)
    return replace(estate, cells=tuple(cells))


def _ledger(tmp_path: Path) -> tuple[Path, list[LedgerEstate]]:
    estates = ledger_estates(len(YEAR_SPELLINGS))
    path = build_street_ledger(tmp_path / "长征镇小区台账.xlsx", [_written(e, i) for i, e in enumerate(estates)])
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    year_column = 1 + [sub for _group, sub in COLUMNS].index("建成年份")
    typed_in_date_cell = next(i for i, (s, _) in enumerate(YEAR_SPELLINGS) if s == "typed into a date cell")
    sheet.cell(row=FIRST_DATA_ROW + typed_in_date_cell, column=year_column).number_format = "yyyy/m/d"
    book.save(path)
    return path, estates


def _year_notes(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if w.startswith("建成年份：")]


def test_every_row_of_a_ledger_with_real_spellings_imports(services: Services, tmp_path: Path) -> None:
    path, estates = _ledger(tmp_path)
    plan = services.imports.plan(services.imports.read("estates", path))
    assert [(r.line, r.reason) for r in plan.rows if r.status is not RowStatus.NEW] == []
    assert plan.count(RowStatus.NEW) == len(estates)

    rows = {r.title: r for r in plan.rows}
    for estate, (spelling, noted) in zip(estates, YEAR_SPELLINGS, strict=True):
        notes = _year_notes(rows[estate.name].warnings)
        year = estate.completion_year
        if spelling == "typed into a date cell":
            assert notes == [f"建成年份：单元格为日期格式（显示为 {_excel_day(year)}），按所填数字 {year} 计，请核对"]
        elif noted:
            assert notes == [f"建成年份：按日期取年份：{year}"], spelling
        else:
            assert notes == [], spelling

    services.imports.commit(plan)
    stored = {r.values["name"]: r.values for r in services.records.list("estates")}
    for estate in estates:
        assert stored[estate.name]["completion_year"] == estate.completion_year
        assert stored[estate.name]["first_delivery_on"] == estate.first_delivery_on


def _excel_day(serial: int) -> str:
    return (dt.date(1899, 12, 30) + dt.timedelta(days=serial)).isoformat()


def test_a_company_typed_with_another_spelling_of_its_code_is_the_company_on_file(
    services: Services, tmp_path: Path
) -> None:
    code = "91310107MA1G1C8Q5W"
    company_id = services.records.create("companies", {"name": "上海曹杨物业管理有限公司", "credit_code": code})
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["普陀区物业服务企业名录"])
    sheet.append(["企业名称", "统一社会信用代码", "法定代表人"])
    sheet.append(["上海曹杨物业管理有限公司", "９１３１ ０１０７ ｍａ１ｇ １ｃ８ｑ ５ｗ", "王建国"])
    path = tmp_path / "企业名录.xlsx"
    book.save(path)

    plan = services.imports.plan(services.imports.read("companies", path))
    (row,) = plan.rows
    assert row.status is RowStatus.UPDATE
    assert row.record_id == company_id
    assert [(c.label, c.new) for c in row.changes] == [("法定代表人", "王建国")]
    services.imports.commit(plan)
    (company,) = services.records.list("companies")
    assert company.values["credit_code"] == code
    assert company.values["legal_rep"] == "王建国"
