"""Reading a register file (xlsx, xls, csv) into grids of raw cell values, and saving workbooks safely.

The format is told by the file's content, not its name: clerks rename files, and
systems export web pages as ".xls". Every way a file can be unreadable becomes a
`BadFile` with a Chinese message naming the file.
"""

from __future__ import annotations

import csv
import enum
import io
import mmap
import posixpath
import re
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree import ElementTree

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from putuo_community.domain.errors import BadFile
from putuo_community.io.files import atomic_target

if TYPE_CHECKING:  # reading a register needs only calamine: openpyxl loads with the first workbook written
    from openpyxl import Workbook

MAX_ROWS = 200_000
MAX_CELL_LENGTH = 32_767  # Excel's own limit for one cell

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 4 << 20


@dataclass(frozen=True)
class SheetGrid:
    """One sheet's cells as read: row i is Excel row i + 1, column j is Excel column j + 1; empty cells are None."""

    name: str
    rows: list[list[object]]
    hidden_columns: frozenset[int] = frozenset()
    hidden: bool = False


class _Format(enum.Enum):
    XLSX = "xlsx"  # also xlsm, xltx: Office Open XML
    XLSB = "xlsb"
    ODS = "ods"
    XLS = "xls"  # BIFF in an OLE2 compound file (also WPS .et)
    CSV = "csv"


# -- public API ---------------------------------------------------------------------------


def sheet_names(path: Path) -> list[str]:
    """The worksheets of a file, visible ones first (a CSV file has one, named after the file)."""
    fmt = _detect_format(path)
    if fmt is _Format.CSV:
        return [path.stem]
    with _calamine(path) as book:
        return [name for name, _hidden in _worksheets(book)]


def read_sheet(path: Path, sheet: str | None = None, *, max_rows: int = MAX_ROWS) -> SheetGrid:
    """Read one sheet (by default the first visible sheet that has data) into a grid of raw values."""
    fmt = _detect_format(path)
    if fmt is _Format.CSV:
        if sheet is not None and sheet != path.stem:
            raise _no_such_sheet(path, sheet, [path.stem])
        return SheetGrid(path.stem, _read_csv(path, max_rows=max_rows))
    with _calamine(path) as book:
        sheets = _worksheets(book)
        # The sheet's own XML is scanned (hidden columns, formulas without results) while calamine parses
        # it, which it does without holding Python's lock: a large register's read is that much shorter.
        likely = sheet if sheet is not None else next((n for n, hidden in sheets if not hidden), None)
        scan = _Scan(path, likely) if fmt is _Format.XLSX and likely is not None else None
        try:
            name, hidden, data = _choose_sheet(path, book, sheets, sheet)
            end = data.end
            if end is not None and end[0] + 1 > max_rows:
                raise _bad(path, f"表格超过 {max_rows:,} 行，请分批导入")
            if fmt is not _Format.XLSX:
                hidden_columns = frozenset[int]()
            elif scan is not None and scan.sheet == name:
                hidden_columns = scan.result()
            else:  # not the sheet guessed (the first visible one was empty)
                hidden_columns = _check_xlsx_sheet(path, name)
        finally:
            if scan is not None:
                scan.thread.join()  # the file is not left open behind a refusal
        try:
            raw = data.to_python(skip_empty_area=False) if end is not None else []
        except CalamineError as exc:
            raise _bad(path, str(exc)) from exc
        return SheetGrid(name, _clean_rows(path, raw), hidden_columns, hidden)


def save_workbook(book: Workbook, path: Path) -> None:
    """Save an openpyxl workbook atomically: a failure never leaves half a file at `path`."""
    with atomic_target(path) as stream:
        book.save(stream)


def display_width(text: str) -> int:
    """Width of a text in Excel's column-width units: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# -- telling the format -------------------------------------------------------------------


def _bad(path: Path, problem: str) -> BadFile:
    return BadFile(f"无法读取“{path.name}”：{problem}")


# Files people pick by mistake, told by their first bytes.
_OTHER_KINDS = (
    (b"%PDF", "这是 PDF 文件，不是 Excel 表格"),
    (b"\x89PNG", "这是图片，不是 Excel 表格"),
    (b"\xff\xd8\xff", "这是图片，不是 Excel 表格"),
    (b"Rar!", "这是压缩包，请先解压，再选择其中的表格文件"),
    (b"7z\xbc\xaf", "这是压缩包，请先解压，再选择其中的表格文件"),
    (b"{\\rtf", "这是 Word 文档，不是 Excel 表格"),
)


def _detect_format(path: Path) -> _Format:
    if path.name.startswith("~$"):
        raise _bad(path, "这是 Excel 打开文件时生成的临时文件，请选择原文件")
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(4096)
    except FileNotFoundError as exc:
        raise _bad(path, "找不到文件") from exc
    except IsADirectoryError as exc:
        raise _bad(path, "这是文件夹，不是文件") from exc
    except PermissionError as exc:
        raise _bad(path, "没有读取权限，或文件正被其他程序占用") from exc
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from exc
    if size == 0:
        raise _bad(path, "文件是空的")
    if head.startswith(b"PK"):
        return _zip_format(path)
    if head.startswith(_OLE_MAGIC):
        return _ole_format(path)
    for magic, problem in _OTHER_KINDS:
        if head.startswith(magic):
            raise _bad(path, problem)
    return _text_format(path, head)


_SPREADSHEET_TYPES = ("spreadsheetml.sheet.main", "spreadsheetml.template.main", "sheet.macroEnabled.main")


def _zip_format(path: Path) -> _Format:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
        raise _bad(path, "文件已损坏（不是完整的 Excel 文件）") from exc
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from exc
    text = types.decode("utf-8", "replace")
    if any(t in text for t in _SPREADSHEET_TYPES):
        return _Format.XLSX
    if "sheet.binary.macroEnabled.main" in text:
        return _Format.XLSB
    if "wordprocessingml" in text or "word/document.xml" in names:
        raise _bad(path, "这是 Word 文档，不是 Excel 表格")
    if "presentationml" in text:
        raise _bad(path, "这是 PowerPoint 演示文稿，不是 Excel 表格")
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return _Format.ODS
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise _bad(path, "这是文字处理文档，不是表格")
    if types:
        raise _bad(path, "文件已损坏（不是完整的 Excel 文件）")
    if any(n.lower().endswith((".xlsx", ".xls", ".csv", ".et")) for n in names):
        raise _bad(path, "这是压缩包，请先解压，再选择其中的表格文件")
    raise _bad(path, "这是压缩包，不是 Excel 表格")


def _ole_streams(path: Path) -> set[str]:
    """Names of the streams in an OLE2 compound file, from its directory entries.

    A directory entry is 128 bytes, aligned to 128 in the file: 64 bytes of UTF-16 name,
    then the name's byte length. Looking for known names at such offsets is enough here.
    """
    wanted = ("EncryptionInfo", "EncryptedPackage", "Workbook", "Book", "WordDocument", "PowerPoint Document")
    found: set[str] = set()
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for name in wanted:
            needle = name.encode("utf-16-le") + b"\x00\x00"
            start = data.find(needle)
            while start != -1:
                length = int.from_bytes(data[start + 64 : start + 66], "little")
                if start % 128 == 0 and length == len(needle):
                    found.add(name)
                    break
                start = data.find(needle, start + 1)
    return found


def _ole_format(path: Path) -> _Format:
    try:
        streams = _ole_streams(path)
    except (OSError, ValueError) as exc:
        raise _bad(path, exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) from exc
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise _bad(path, "工作簿设有密码，请在 Excel 中取消密码后再导入")
    if "Workbook" in streams or "Book" in streams:
        return _Format.XLS
    if "WordDocument" in streams:
        raise _bad(path, "这是 Word 文档，不是 Excel 表格")
    if "PowerPoint Document" in streams:
        raise _bad(path, "这是 PowerPoint 演示文稿，不是 Excel 表格")
    raise _bad(path, "这是 Office 文件，但不是 Excel 表格")


_SAVE_AS = "请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入"


def _text_format(path: Path, head: bytes) -> _Format:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _Format.CSV  # UTF-16, as Excel saves "Unicode 文本"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in start[:1024]:
        raise _bad(path, f"这是网页格式导出的表格，不是真正的 Excel 文件。{_SAVE_AS}")
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise _bad(path, f"这是 XML 格式的表格（Excel 2003）。{_SAVE_AS}")
    if start.startswith(b"mime-version:"):
        raise _bad(path, f"这是网页存档格式（.mht）的表格。{_SAVE_AS}")
    if b"\x00" in head:
        suffix = path.suffix or "无扩展名"
        raise _bad(path, f"无法识别的文件格式（{suffix}），请选择 Excel 表格（.xlsx、.xls）或 CSV 文件")
    return _Format.CSV


# -- Excel through calamine ---------------------------------------------------------------


class _Book:
    """A calamine workbook with the file it was opened from, closed together."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stream: IO[bytes] = path.open("rb")
        try:
            self.book = CalamineWorkbook.from_filelike(self.stream)
        except PasswordError as exc:
            self.stream.close()
            raise _bad(path, "工作簿设有密码，请在 Excel 中取消密码后再导入") from exc
        except CalamineError as exc:
            self.stream.close()
            raise _bad(path, _calamine_problem(exc)) from exc

    def __enter__(self) -> CalamineWorkbook:
        return self.book

    def __exit__(self, *_exc: object) -> None:
        self.book.close()
        self.stream.close()


def _calamine(path: Path) -> _Book:
    try:
        return _Book(path)
    except PermissionError as exc:
        raise _bad(path, "没有读取权限，或文件正被其他程序占用") from exc
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from exc


def _calamine_problem(exc: Exception) -> str:
    text = str(exc)
    if "Zip" in type(exc).__name__ or "zip" in text.lower() or "EOCD" in text:
        return "文件已损坏（不是完整的 Excel 文件）"
    return text or type(exc).__name__


def _worksheets(book: CalamineWorkbook) -> list[tuple[str, bool]]:
    """(name, hidden) of each worksheet (not chart sheets), visible ones first."""
    sheets = [
        (m.name, m.visible is not SheetVisibleEnum.Visible)
        for m in book.sheets_metadata
        if m.typ is SheetTypeEnum.WorkSheet
    ]
    return sorted(sheets, key=lambda s: s[1])


def _no_such_sheet(path: Path, sheet: str, names: list[str]) -> BadFile:
    listed = "".join(f"“{n}”" for n in names) or "（无）"
    return _bad(path, f"没有名为“{sheet}”的工作表；文件中的工作表有：{listed}")


def _choose_sheet(
    path: Path, book: CalamineWorkbook, sheets: list[tuple[str, bool]], wanted: str | None
) -> tuple[str, bool, CalamineSheet]:
    try:
        if wanted is not None:
            for name, hidden in sheets:
                if name == wanted:
                    return name, hidden, book.get_sheet_by_name(name)
            raise _no_such_sheet(path, wanted, [n for n, _ in sheets])
        first: tuple[str, bool, CalamineSheet] | None = None
        for name, hidden in sheets:
            if hidden:
                continue
            data = book.get_sheet_by_name(name)
            if data.end is not None:
                return name, hidden, data
            first = first or (name, hidden, data)
    except CalamineError as exc:
        raise _bad(path, _calamine_problem(exc)) from exc
    if first is None:
        raise _bad(path, "没有可见的工作表")
    raise _bad(path, "文件中没有数据（工作表都是空的）")


class _CellTooLong(Exception):
    pass


def _long_text(text: str) -> str:
    raise _CellTooLong(text)


def _clean_rows(path: Path, raw: Sequence[Sequence[object]]) -> list[list[object]]:
    """Empty cells become None and whole-number floats ints (calamine reads 3 as 3.0); overlong cells are refused."""
    limit = MAX_CELL_LENGTH
    str_type, float_type = str, float  # local names: looked up for each of a million cells
    rows: list[list[object]] = []
    for number, row in enumerate(raw, start=1):
        try:
            rows.append(
                [
                    ((v if len(v) <= limit else _long_text(v)) if v else None)
                    if type(v) is str_type
                    else (int(v) if type(v) is float_type and v.is_integer() else v)
                    for v in row
                ]
            )
        except _CellTooLong as exc:
            raise _too_long(path, number, row) from exc
    return rows


def _too_long(path: Path, line: int, row: Sequence[object]) -> BadFile:
    for column, value in enumerate(row, start=1):
        if isinstance(value, str) and len(value) > MAX_CELL_LENGTH:
            return _bad(path, f"第{line}行第{column}列的内容过长（{len(value):,} 字），请检查")
    return _bad(path, f"第{line}行的内容过长，请检查")  # pragma: no cover - the caller found a long cell


# -- xlsx: what calamine does not tell -----------------------------------------------------

_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>"  # a cell that has content
    rb"\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)"  # its formula
    rb"\s*(?:(<(?:\w+:)?v\s*/>)|<(?:\w+:)?v\s*>([^<]*)</(?:\w+:)?v>)?"  # its cached value, if any
)
_CELL_REF = re.compile(rb"([A-Z]{1,3})([0-9]+)")
_ROOT = re.compile(rb"<(\w+:)?worksheet\b")


def _check_xlsx_sheet(path: Path, sheet: str) -> frozenset[int]:
    """The sheet's hidden columns; refuse formulas that were never calculated (no cached value to read)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return frozenset()
            # Excel and WPS keep a calculation chain and always store results; only programs forget them.
            calculated = any(n.endswith("/calcChain.xml") for n in archive.namelist())
            with archive.open(part) as stream:
                return _scan_sheet_xml(path, stream, formulas=not calculated)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ElementTree.ParseError) as exc:
        raise _bad(path, "文件已损坏（不是完整的 Excel 文件）") from exc


class _Scan:
    """`_check_xlsx_sheet` of one sheet, run in a thread of its own; `result` returns or raises what it did."""

    def __init__(self, path: Path, sheet: str) -> None:
        self.sheet = sheet
        self._outcome: frozenset[int] | BaseException = frozenset()
        self.thread = threading.Thread(target=self._run, args=(path,), name="检查表格", daemon=True)
        self.thread.start()

    def _run(self, path: Path) -> None:
        try:
            self._outcome = _check_xlsx_sheet(path, self.sheet)
        except BaseException as exc:  # raised again by `result`, where the check would have raised it
            self._outcome = exc

    def result(self) -> frozenset[int]:
        self.thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome


def _attributes(tag: bytes) -> dict[str, str]:
    return {k.decode().rsplit(":", 1)[-1]: v.decode() for k, v in _ATTRIBUTE.findall(tag)}


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding `sheet`'s XML, found through the workbook's relationships."""
    names = set(archive.namelist())
    workbook = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in _relationships(archive.read("_rels/.rels")):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook = _resolve("", rel.get("Target", workbook))
    rels_name = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    if workbook not in names or rels_name not in names:
        return None
    targets = {rel.get("Id", ""): rel.get("Target", "") for rel in _relationships(archive.read(rels_name))}
    for element in ElementTree.fromstring(archive.read(workbook)).iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet" and element.get("name") == sheet:
            rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), "")
            target = targets.get(rid)
            if target:
                member = _resolve(posixpath.dirname(workbook), target)
                return member if member in names else None
    return None


def _relationships(data: bytes) -> Iterator[ElementTree.Element]:
    for element in ElementTree.fromstring(data).iter():
        if element.tag.rsplit("}", 1)[-1] == "Relationship":
            yield element


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _scan_sheet_xml(path: Path, stream: IO[bytes], *, formulas: bool) -> frozenset[int]:
    hidden: set[int] = set()
    head = b""
    while True:  # the <cols> element comes before <sheetData>
        chunk = stream.read(_CHUNK)
        head += chunk
        cut = head.find(b"sheetData")
        if cut != -1 or not chunk:
            break
    rest = head[cut:] if cut != -1 else b""
    head = head[:cut] if cut != -1 else head
    for match in _COL.finditer(head):
        attrs = _attributes(match.group(1))
        if attrs.get("hidden") in ("1", "true"):
            first, last = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
            hidden.update(range(first - 1, last))
    if formulas:
        root = _ROOT.search(head)
        prefix = (root.group(1) if root else None) or b""
        _look_for_formulas(path, stream, rest, re.compile(b"<" + re.escape(prefix) + rb"f[\s>/]"))
    return frozenset(hidden)


def _look_for_formulas(path: Path, stream: IO[bytes], chunk: bytes, tag: re.Pattern[bytes]) -> None:
    """Refuse the first formula without a result. Most sheets have no formula: that case is one fast search."""
    previous = b""
    while chunk:
        if tag.search(chunk) or tag.search(previous[-16:] + chunk[:16]):
            # From the row before the formula on, look at whole rows.
            cut = previous.rfind(b"</row>")
            _look_at_rows(path, stream, (previous[cut:] if cut != -1 else previous) + chunk, tag)
            return
        previous, chunk = chunk, stream.read(_CHUNK)


def _look_at_rows(path: Path, stream: IO[bytes], buffer: bytes, tag: re.Pattern[bytes]) -> None:
    while True:
        chunk = stream.read(_CHUNK)
        buffer += chunk
        cut = buffer.rfind(b"</row>") if chunk else len(buffer)
        if cut == -1:
            continue  # one enormous row: read on until it ends
        done, buffer = buffer[:cut], buffer[cut:]
        if tag.search(done):
            _refuse_uncalculated(path, done)
        if not chunk:
            return


def _refuse_uncalculated(path: Path, xml: bytes) -> None:
    for match in _FORMULA_CELL.finditer(xml):
        attrs = _attributes(match.group(1))
        empty_tag, value = match.group(2), match.group(3)
        if empty_tag is None and value:
            continue
        if value is not None and attrs.get("t") == "str":
            continue  # a formula whose result is the empty text
        ref = _CELL_REF.fullmatch(attrs.get("r", "").encode())
        if ref is None:
            raise _bad(path, "表格中有公式但没有计算结果，请在 Excel 中打开并保存后再导入")
        column = 0
        for letter in ref.group(1):
            column = column * 26 + letter - 64
        raise _bad(path, f"第{int(ref.group(2))}行第{column}列是公式但没有计算结果，请在 Excel 中打开并保存后再导入")


# -- CSV ----------------------------------------------------------------------------------


# Letters a Chinese register does not hold (accented Latin, Greek, Cyrillic …), but which GB18030
# bytes produce when wrongly read as UTF-8. Symbols such as · × ÷ ° ² are left out: registers use them.
_UNLIKELY_IN_UTF8 = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u07ff]")


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _UNLIKELY_IN_UTF8.search(text):
            return text
        try:  # a short GB18030 text can be valid UTF-8 too ("弄" reads as "Ū")
            return data.decode("gb18030")
        except UnicodeDecodeError:
            return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _bad(path, f"无法识别文件的文字编码（既不是 UTF-8 也不是 GBK）。{_SAVE_AS}") from exc


def _delimiter(text: str) -> str:
    """Comma or tab: the one that splits more of the first lines into several cells."""
    sample = text[:65536].splitlines()[:50]

    def score(delimiter: str) -> int:
        return sum(1 for row in csv.reader(sample, delimiter=delimiter) if len(row) > 1)

    return "\t" if score("\t") > score(",") else ","


def _read_csv(path: Path, *, max_rows: int) -> list[list[object]]:
    try:
        text = _decode(path, path.read_bytes())
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[object]] = []
    previous = csv.field_size_limit(1 << 30)  # overlong cells get their own message below
    try:
        for row in reader:
            if len(rows) >= max_rows:
                raise _bad(path, f"表格超过 {max_rows:,} 行，请分批导入")
            for column, value in enumerate(row, start=1):
                if len(value) > MAX_CELL_LENGTH:
                    raise _bad(path, f"第{len(rows) + 1}行第{column}列的内容过长（{len(value):,} 字），请检查")
            rows.append([value or None for value in row])
    except csv.Error as exc:
        raise _bad(path, f"第{len(rows) + 1}行无法读取：{exc}") from exc
    finally:
        csv.field_size_limit(previous)
    return rows
