"""Regenerate the stored register files the io tests read (the ones that cannot be built in a test).

Not run by the tests. Needs tools the project does not: ``pip install xlwt msoffcrypto-tool openpyxl``
in a throwaway environment, then ``python tests/data/registers/generate.py``.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import xlwt  # type: ignore[import-not-found]
from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-not-found]
from openpyxl import Workbook

HERE = Path(__file__).parent


def legacy_xls(path: Path) -> None:
    """An Excel 97-2003 ledger as a 街镇 still keeps it: title, one-row header, dates, a 合计 row."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("真如镇")
    sheet.write_merge(0, 0, 0, 5, "普陀区真如镇住宅小区基本情况表（截至2025年12月）")
    headers = ["序号", "小区名称", "地址", "建成年份", "户数（户）", "首次交付日期"]
    for column, text in enumerate(headers):
        sheet.write(1, column, text)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    estates = [
        ("真如一村", "真如路100弄", 1985, 420, dt.date(1985, 6, 1)),
        ("曹杨八村", "曹杨路200弄", 1992, 618, dt.date(1992, 9, 30)),
        ("铜川小区", "铜川路300号", 2003, 256.0, dt.date(2003, 12, 15)),
    ]
    for row, (name, address, year, households, delivered) in enumerate(estates, start=2):
        sheet.write(row, 0, row - 1)
        sheet.write(row, 1, name)
        sheet.write(row, 2, address)
        sheet.write(row, 3, year)
        sheet.write(row, 4, households)
        sheet.write(row, 5, delivered, date_style)
    sheet.write(5, 0, "合计")
    sheet.write(5, 4, 1294)
    old = book.add_sheet("旧数据")
    old.write(0, 0, "小区名称")
    old.visibility = 1  # hidden
    book.save(str(path))


def password_xlsx(path: Path) -> None:
    """A workbook with an opening password ("1234"): Excel stores it as an encrypted OLE2 file."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["小区名称", "地址"])
    sheet.append(["真如一村", "真如路100弄"])
    plain = io.BytesIO()
    book.save(plain)
    plain.seek(0)
    document = OOXMLFile(plain)
    with path.open("wb") as out:
        document.encrypt("1234", out)


if __name__ == "__main__":
    legacy_xls(HERE / "legacy.xls")
    password_xlsx(HERE / "password.xlsx")
