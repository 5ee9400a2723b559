"""Workbooks shaped like a real 街镇 estate ledger, with the values a test expects back from it.

Title rows, a merged two-row header, a 序号 column, values written the many ways
clerks write them, a blank row, a 合计 row, and notes and signatures below.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# Column layout: (group header or None for a vertically merged header, sub-header)
COLUMNS = (
    (None, "序号"),
    (None, "小区名称"),
    (None, "所属居委"),
    ("基本情况", "地址"),
    ("基本情况", "房屋类型"),
    ("基本情况", "建成年份"),
    ("规模", "幢数"),
    ("规模", "户数"),
    ("规模", "建筑面积（平方米）"),
    ("物业管理", "管理方式"),
    ("物业管理", "物业费（元/㎡·月）"),
    ("物业管理", "业主大会成立情况"),
    (None, "首次交付日期"),
)


@dataclass(frozen=True)
class LedgerEstate:
    """One estate as the ledger writes it (raw cells) and as the database must hold it."""

    cells: tuple[object, ...]  # without 序号
    name: str
    neighbourhood: str
    housing_type: str
    completion_year: int
    building_count: int
    households: int
    floor_area: Decimal
    management_mode: str
    fee: Decimal
    has_assembly: bool
    first_delivery_on: dt.date


_ROADS = ("梅川", "金沙江", "真北", "棕榈", "怒江", "丹巴", "杏山", "清涧", "铜川", "武威")
_SUFFIXES = ("一村", "二村", "苑", "花园", "新村", "家园")
_DATE_FORMS = (
    lambda d: d,  # a real Excel date cell
    lambda d: d.strftime("%Y-%m-%d"),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
)
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def ledger_estates(count: int = 36) -> list[LedgerEstate]:
    estates = []
    for i in range(count):
        name = f"{_ROADS[i % len(_ROADS)]}{_SUFFIXES[i // len(_ROADS) % len(_SUFFIXES)]}"
        if i >= len(_ROADS) * len(_SUFFIXES):
            name += f"{i}号"
        neighbourhood = f"{_ROADS[i % 4]}居委会"
        year = 1980 + i
        households = 300 + 37 * i
        area = Decimal(households * 62) + Decimal("0.5")
        delivered = dt.date(year, 1 + i % 12, 1 + i % 28)
        housing_written, housing = (("售后房", "售后公房"), ("商品住宅", "商品房"), ("动迁安置房", "动迁安置房"))[i % 3]
        assembly_written, assembly = (("已成立", True), ("未成立", False), ("√", True), ("否", False))[i % 4]
        year_written: object = (year, f"{year}年", str(year).translate(_FULL))[i % 3]
        households_written: object = (households, f"{households:,}", f"{str(households).translate(_FULL)}户")[i % 3]
        area_written: object = (float(area), f"{area:,}", f"{area}㎡")[i % 3]
        neighbourhood_written = neighbourhood if i % 2 else neighbourhood.removesuffix("居委会") + "居委"
        cells = (
            name,
            neighbourhood_written,
            f"{_ROADS[i % len(_ROADS)]}路{100 + i}弄",
            housing_written,
            year_written,
            3 + i % 9,
            households_written,
            area_written,
            ("物业企业", "自管", "物业公司")[i % 3],
            f"{Decimal('0.50') + Decimal(i) / 20:.2f}",
            assembly_written,
            _DATE_FORMS[i % len(_DATE_FORMS)](delivered),
        )
        estates.append(
            LedgerEstate(
                cells=cells,
                name=name,
                neighbourhood=neighbourhood,
                housing_type=housing,
                completion_year=year,
                building_count=3 + i % 9,
                households=households,
                floor_area=area,
                management_mode=("物业企业", "自管", "物业企业")[i % 3],
                fee=Decimal("0.50") + Decimal(i) / 20,
                has_assembly=assembly,
                first_delivery_on=delivered,
            )
        )
    return estates


def build_street_ledger(path: Path, estates: list[LedgerEstate], *, street: str = "长征镇") -> Path:
    """Write the ledger the way a 街镇 keeps it; the sheet is named after the street."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = street
    width = len(COLUMNS)
    sheet.append([f"普陀区{street}住宅小区基本情况台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(
        [f"填报单位：{street}房管办（盖章）", None, None, None, None, None, None, None, "截至：2025年12月31日"]
    )
    groups = [g if g is not None else sub for g, sub in COLUMNS]
    subs = [sub if g is not None else None for g, sub in COLUMNS]
    # A group's text stands only in its first cell, as after merging in Excel.
    sheet.append([g if i == 0 or groups[i - 1] != g else None for i, g in enumerate(groups)])
    sheet.append(subs)
    column = 1
    while column <= width:
        group, _sub = COLUMNS[column - 1]
        if group is None:
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
            column += 1
            continue
        end = column
        while end < width and COLUMNS[end][0] == group:
            end += 1
        sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=end)
        column = end + 1
    for cell in sheet[3] + sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for number, estate in enumerate(estates, start=1):
        sheet.append([number, *estate.cells])
        if isinstance(estate.cells[-1], dt.date):
            sheet.cell(row=sheet.max_row, column=width).number_format = "yyyy/m/d"
    sheet.append([])
    total_households = sum(e.households for e in estates)
    sheet.append(["合计", None, None, None, None, None, None, total_households, None])
    sheet.append(["注：1. 本表由各居委会填报，街镇房管办汇总；2. 建筑面积以产证为准。"])
    sheet.append(["填表人：王丽萍", None, None, None, "审核人：陈建国", None, None, None, "填报日期：2026年1月5日"])
    book.save(path)
    return path


def simple_sheet(path: Path, header: list[str], rows: list[list[object]], title: str = "Sheet1") -> Path:
    """A one-sheet workbook: the header on the first row, the rows below it (the plainest register there is)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# A district register as a CSV: its 小区等级 and 物业联系人手机 columns name no field, so they are left out.
CSV_REGISTER_HEADER = ["序号", "街镇", "小区名称", "户数", "小区等级", "物业联系人手机"]


def csv_register(path: Path, rows: int) -> Path:
    """`rows` new estates in two 街镇, as a UTF-8 CSV with a byte-order mark (as Excel saves one)."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        out.writerow(CSV_REGISTER_HEADER)
        for i in range(rows):
            out.writerow(
                [i + 1, ("长征镇", "桃浦镇")[i % 2], f"测试{i}号小区", 300 + i % 90, "A级" if i % 3 else "", ""]
            )
    return path
