"""Files shaped like what clerks hand the importer: 街镇 ledgers, CSV exports, and the wrong files people pick."""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

STORED = Path(__file__).parents[2] / "data" / "registers"

# (小区名称, 所属居委, 地址, 建成年份, 建筑面积, 占地面积, 户数)
ESTATES: tuple[tuple[object, ...], ...] = (
    ("梅川一村", "梅川居委", "梅川路100弄", 1980, 18600.5, 9000, 300),
    ("金沙江二村", "金沙江居委会", "金沙江路101弄", "1981年", "20,894.5", None, "337"),
    ("真北花园", "真北居委", "真北路102弄", 1995, 23188.5, 12000.25, 374),
    ("棕榈苑", "棕榈居委会", "棕榈路103弄", 2003, 25482.5, 11000, 411),
)


def _sheet(book: Workbook, title: str) -> Worksheet:
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    return sheet


def write_street_sheet(
    sheet: Worksheet,
    *,
    street: str = "长征镇",
    estates: Sequence[tuple[object, ...]] = ESTATES,
    code_hidden: bool = True,
) -> None:
    """One 街镇's ledger as kept in Excel.

    Rows: 1 title, 2 填报单位 line, 3-4 a merged two-row header, 5.. data with a blank row after
    the second estate, then a blank row, a 合计 row, a note and a signature line.
    Columns: A 序号, B 所属居委 (merged down), C-E 基本情况 / 小区名称 地址 建成年份,
    F-G 面积 / 建筑面积（平方米） 占地面积（平方米）, H 户数（户）, I 小区编码 (a hidden column).
    """
    sheet.append([f"普陀区{street}住宅小区基本情况台账"])
    sheet.merge_cells("A1:I1")
    sheet.append([f"填报单位：{street}房管办    截至2025年12月31日"])
    sheet.merge_cells("A2:I2")
    sheet.append(["序号", "所属居委", "基本情况", None, None, "面积", None, "户数（户）", "小区编码"])
    sheet.append([None, None, "小区名称", "地址", "建成年份", "建筑面积（平方米）", "占地面积（平方米）", None, None])
    for column in "ABHI":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("C3:E3")
    sheet.merge_cells("F3:G3")
    for row in sheet.iter_rows(min_row=3, max_row=4):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, (name, committee, address, year, area, land, households) in enumerate(estates, start=1):
        sheet.append([number, committee, name, address, year, area, land, households, f"PT{number:04d}"])
        if number == 2:
            sheet.append([])
    sheet.append([])
    total = sum(int(str(e[6])) for e in estates)
    sheet.append(["合计", None, None, None, None, None, None, total])
    sheet.append(["注：建筑面积以产证为准；空白表示暂无数据。"])
    sheet.append(["填表人：王丽萍", None, None, "审核人：陈建国", None, None, "联系电话：52560000"])
    sheet.column_dimensions["I"].hidden = code_hidden


def street_ledger(path: Path, *, street: str = "长征镇", estates: Sequence[tuple[object, ...]] = ESTATES) -> Path:
    book = Workbook()
    write_street_sheet(_sheet(book, street), street=street, estates=estates)
    book.save(path)
    return path


def simple_workbook(path: Path, rows: Iterable[Sequence[object]], *, title: str = "Sheet1") -> Path:
    book = Workbook()
    sheet = _sheet(book, title)
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def store_cached_values(path: Path, value: str = "3") -> Path:
    """Give every formula the cached result Excel would have saved with it."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            parts[name] = re.sub(rb"<v\s*/>", f"<v>{value}</v>".encode(), data)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def sheet_xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part)


def replace_part(path: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return path


def word_document(path: Path) -> Path:
    """A minimal .docx (what Word saves), whatever name it is given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>长征镇小区情况说明</w:t></w:r></w:p></w:body></w:document>",
        )
    return path


def compound_file(path: Path, streams: Sequence[str]) -> Path:
    """A minimal OLE2 compound file (the container of .doc, .xls and encrypted .xlsx) holding empty streams."""
    end_of_chain, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    entries = ["Root Entry", *streams]
    directory_sectors = (len(entries) + 3) // 4
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 44, 1, 1, 0)  # one FAT sector; directory starts at sector 1
    struct.pack_into("<IIIII", header, 56, 4096, end_of_chain, 0, end_of_chain, 0)
    difat = [0] + [free] * 108
    struct.pack_into("<109I", header, 76, *difat)
    fat = [fat_sector, *range(2, 1 + directory_sectors), end_of_chain]
    fat += [free] * (128 - len(fat))
    directory = bytearray(512 * directory_sectors)
    for number, name in enumerate(entries):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), 5 if number == 0 else 2, 1)
        left_sibling = number + 1 if 0 < number < len(entries) - 1 else free
        child = 1 if number == 0 and len(entries) > 1 else free
        struct.pack_into("<III", entry, 68, free, left_sibling, child)
        struct.pack_into("<II", entry, 116, end_of_chain, 0)
        directory[number * 128 : (number + 1) * 128] = entry
    path.write_bytes(bytes(header) + struct.pack("<128I", *fat) + bytes(directory))
    return path
