"""Finding the table in a sheet the way a person would: its header among the title rows, its data rows, what to skip.

Clerks' ledgers open with titles and "填报单位" lines, often have a two-row header
(groups merged over sub-headers), and end with a 合计 row, notes and signatures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from putuo_community.domain.errors import BadFile
from putuo_community.domain.fields import Field, Register
from putuo_community.domain.parsing import header_forms, header_key, normalise_header
from putuo_community.io.workbook import SheetGrid

HEADER_SEARCH_ROWS = 30  # the header is looked for in this many rows at the top of the sheet
GROUP_SEPARATOR = " / "

_TOTAL_WORDS = ("合计", "小计", "总计", "累计")
_NOTE_WORDS = (
    "说明",
    "备注",
    "填表人",
    "填报人",
    "审核人",
    "负责人",
    "联系人",
    "联系电话",
    "填报日期",
    "填表日期",
    "制表",
    "签字",
    "盖章",
)
_SERIAL_HEADERS = frozenset({"序号", "序", "no", "no.", "顺序号"})
_TITLE_ENDINGS = ("表", "台账", "清单", "汇总", "一览")
# Texts that cannot be a header, not worth looking up (the first 30 rows hold data too).
_LONGEST_HEADER = 40
_NUMBER_OR_DATE = re.compile(r"[-+]?[\d,.]+|\d{4}-\d{2}-\d{2}(T[\d:.]+)?|[\d:.]+")


@dataclass(frozen=True)
class HeaderColumn:
    """A column of the table as its header shows it."""

    index: int  # 0-based column in the sheet
    text: str  # as shown: "小区名称", or "面积 / 建筑面积（平方米）" under a group
    group: str = ""  # the merged group header above this column, if any
    hidden: bool = False

    @property
    def sub(self) -> str:
        """The column's own header, without its group."""
        return self.text.removeprefix(self.group + GROUP_SEPARATOR) if self.group else self.text


class SourceRow(NamedTuple):
    """A data row of the sheet (a named tuple: a register has tens of thousands)."""

    line: int  # 1-based row number in the sheet, as Excel shows it
    cells: tuple[object, ...]  # raw values; cells[i] is the sheet's column i


@dataclass(frozen=True)
class DetectedTable:
    sheet: str
    header_lines: tuple[int, ...]  # 1-based; two lines for a two-row header
    columns: tuple[HeaderColumn, ...]
    rows: tuple[SourceRow, ...]
    skipped: tuple[tuple[int, str], ...]  # (line, why it is not a data row)


# -- header matching ----------------------------------------------------------------------


def _match_texts(column: HeaderColumn) -> tuple[str, ...]:
    """The header texts a column may name a field by: its own header first, then with its group."""
    if column.group:
        return (column.sub, column.group + column.sub)
    if GROUP_SEPARATOR in column.text:  # a two-row header written back as one row (an error report)
        group, _, sub = column.text.rpartition(GROUP_SEPARATOR)
        return (column.text, sub, group.replace(GROUP_SEPARATOR, "") + sub)
    return (column.text,)


class _Matcher:
    """Which fields a header text names, each text looked up once."""

    def __init__(self, fields: Sequence[Field]) -> None:
        self.fields = tuple(fields)
        self._cache: dict[tuple[str, bool], tuple[int, ...]] = {}
        self._by_key: dict[str, set[int]] = {}  # header key → the fields one of whose names has it
        self._by_form: dict[str, set[int]] | None = None  # header form → the fields one of whose names has it
        for i, f in enumerate(self.fields):
            for name in (f.label, *f.synonyms):
                self._by_key.setdefault(header_key(name), set()).add(i)

    def matches(self, text: str, *, loosely: bool = False) -> tuple[int, ...]:
        """The fields `text` names by a label or synonym (`header_matches`); `loosely`, by a variant of one
        (`header_resembles`). The fields' names are indexed once: the 30 rows searched for the header hold
        hundreds of data cells, and each then costs a lookup or two."""
        found = self._cache.get((text, loosely))
        if found is None:
            plausible = 0 < len(text) <= _LONGEST_HEADER and not _NUMBER_OR_DATE.fullmatch(text)
            if not plausible:
                found = ()
            elif loosely:
                by_form = self._forms()
                found = tuple(sorted({i for form in header_forms(text) for i in by_form.get(form, ())}))
            else:
                key = header_key(text)
                found = tuple(sorted(self._by_key.get(key, ()))) if key else ()
            self._cache[(text, loosely)] = found
        return found

    def _forms(self) -> dict[str, set[int]]:
        """What `header_resembles` compares, indexed as the names are for `header_matches`."""
        if self._by_form is None:
            self._by_form = {}
            for i, f in enumerate(self.fields):
                for name in (f.label, *f.synonyms):
                    for form in header_forms(name):
                        self._by_form.setdefault(form, set()).add(i)
        return self._by_form

    def assign(self, columns: Iterable[HeaderColumn]) -> dict[int, str]:
        """Column index → field key; each field at most once, the first column naming it wins.

        Columns that name a field exactly are assigned first; a variant ("居委会名称", "栋数") only then
        takes a field still free, so an exact header elsewhere in the sheet always wins.
        """
        columns = tuple(columns)
        used: set[int] = set()
        mapping: dict[int, str] = {}
        for loosely in (False, True):
            for column in columns:
                if column.index in mapping:
                    continue
                for text in _match_texts(column):
                    chosen = next((i for i in self.matches(text, loosely=loosely) if i not in used), None)
                    if chosen is not None:
                        used.add(chosen)
                        mapping[column.index] = self.fields[chosen].key
                        break
        return dict(sorted(mapping.items()))


def _cell_text(value: object) -> str:
    """A cell as a person reads it in a header: line breaks inside a header cell removed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join("".join(line.strip() for line in value.splitlines()).split())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _row_texts(grid: SheetGrid, line: int) -> list[str]:
    return [_cell_text(v) for v in grid.rows[line]] if line < len(grid.rows) else []


def _single_header(texts: list[str]) -> list[HeaderColumn]:
    return [HeaderColumn(i, t) for i, t in enumerate(texts) if t]


def _paired_header(upper: list[str], lower: list[str]) -> list[HeaderColumn]:
    """Combine a group row with the sub-header row below it.

    A group's text stands in its first cell (Excel keeps a merged cell's value there) and
    carries over the empty cells to its right that have a sub-header below. A header cell
    with nothing below is a single header merged down over both rows.
    """
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    columns: list[HeaderColumn] = []
    group = ""
    for i in range(width):
        if upper[i]:
            group = upper[i] if lower[i] else ""
        elif not lower[i]:
            group = ""
        if lower[i]:
            text = f"{group}{GROUP_SEPARATOR}{lower[i]}" if group else lower[i]
            columns.append(HeaderColumn(i, text, group))
        elif upper[i]:
            columns.append(HeaderColumn(i, upper[i]))
    return columns


def _looks_like_header_row(texts: list[str]) -> bool:
    """Short labels, several of them, none a "填报单位：…" line."""
    filled = [t for t in texts if t]
    return len(filled) >= 2 and all(len(t) <= 20 and "：" not in t and ":" not in t for t in filled)


def _has_groups(upper: list[str], lower: list[str]) -> bool:
    """Some upper cell spans empty cells to its right that have sub-headers below."""
    width = min(len(upper), len(lower))
    return any(upper[i] and lower[i] and not upper[i + 1] and lower[i + 1] for i in range(width - 1))


def _has_merged_down(upper: list[str], lower: list[str]) -> bool:
    """Some upper cell has nothing below it: a single header merged over both rows."""
    return any(text and (i >= len(lower) or not lower[i]) for i, text in enumerate(upper))


def _find_header(grid: SheetGrid, matcher: _Matcher) -> tuple[tuple[int, ...], list[HeaderColumn]]:
    """The header's lines (1-based) and columns; no lines when no row names two fields."""
    top = min(len(grid.rows), HEADER_SEARCH_ROWS)
    if not top:
        return (), []
    texts = [_row_texts(grid, i) for i in range(top)]
    singles = [_single_header(t) for t in texts]
    single_scores = [len(matcher.assign(c)) for c in singles]
    pairs = [_paired_header(texts[i], texts[i + 1]) for i in range(top - 1)]  # pairs[i]: rows i and i + 1
    pair_scores = [len(matcher.assign(c)) for c in pairs]
    best = max(range(top), key=lambda i: (single_scores[i], -i))
    score = single_scores[best]
    if pairs:
        best_pair = max(range(len(pairs)), key=lambda i: (pair_scores[i], -i))
        if pair_scores[best_pair] > score and pair_scores[best_pair] >= 2:
            return (best_pair + 1, best_pair + 2), pairs[best_pair]
    if score < 2:
        return (), []
    # Two rows scoring the same as one: take both when they are shaped like a two-row header.
    row = texts[best]
    if best > 0 and pair_scores[best - 1] == score:
        above = texts[best - 1]
        if _looks_like_header_row(above) and (_has_groups(above, row) or _has_merged_down(above, row)):
            return (best, best + 1), pairs[best - 1]
    if best < len(pairs) and pair_scores[best] == score:
        below = texts[best + 1]
        if _looks_like_header_row(below) and _has_groups(row, below):
            return (best + 1, best + 2), pairs[best]
    return (best + 1,), singles[best]


# -- data rows ----------------------------------------------------------------------------


def _filled(value: object) -> bool:
    return value is not None and (type(value) is not str or bool(value.strip()))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit())


def _squeezed(value: object) -> str:
    return "".join(value.split()) if isinstance(value, str) else ""


def _is_total(text: str) -> bool:
    return text.startswith(_TOTAL_WORDS)


def _is_note(text: str) -> bool:
    if not text:
        return False
    if text.startswith("注"):
        return len(text) == 1 or text[1] in "：:0123456789０１２３４５６７８９.、意"
    return text.startswith(_NOTE_WORDS)


class _RowSorter:
    """Says why a row below the header is not a data row, or that it is one."""

    def __init__(
        self, grid: SheetGrid, header_lines: tuple[int, ...], columns: Sequence[HeaderColumn], title: int
    ) -> None:
        self.serial = frozenset(c.index for c in columns if normalise_header(c.sub)[0].casefold() in _SERIAL_HEADERS)
        self.total_columns = sorted({*self.serial, title} - {-1})
        # Rows a pasted-twice sheet repeats: the header lines and the title lines above them.
        # By the column of their first filled cell: a data row is told from them by one cell, mostly a number.
        self.repeats: dict[int, list[tuple[str, dict[int, str]]]] = {}
        for line in range(header_lines[-1]):
            cells = {i: t for i, t in enumerate(_row_texts(grid, line)) if t}
            if cells:
                start, text = next(iter(cells.items()))
                self.repeats.setdefault(start, []).append((text, cells))

    def reason(self, row: Sequence[object]) -> str | None:
        # Runs for every row of a sheet that may have 200,000: the common case (a data row) must stay cheap.
        for index, first in enumerate(row):  # noqa: B007 - `index` is used after the loop
            if first is not None and (type(first) is not str or first.strip()):
                break
        else:
            return "空行"
        if index in self.serial and _is_number(first) and not any(map(_filled, row[index + 1 :])):
            return "空行"  # a template numbered in advance: only the 序号 is filled
        text = "".join(first.split()) if type(first) is str else ""
        if (text and _is_total(text)) or self._total_in_name_or_serial(row):
            return "合计行"
        if text and _is_note(text) and all(_is_note(_squeezed(v)) for v in row if _filled(v)):
            return "表格下方的说明"
        if self._repeats_header(row):
            return "重复的表头"
        if len(text) >= 6 and text.endswith(_TITLE_ENDINGS) and sum(1 for v in row if _filled(v)) == 1:
            return "表格中间的标题行"
        return None

    def _total_in_name_or_serial(self, row: Sequence[object]) -> bool:
        """合计 written in the name or 序号 column, after a filled cell (a 序号 number, say)."""
        for column in self.total_columns:
            value = row[column] if column < len(row) else None
            # every total word has 计: most names are ruled out without squeezing them
            if isinstance(value, str) and "计" in value and _is_total(_squeezed(value)):
                return True
        return False

    def _repeats_header(self, row: Sequence[object]) -> bool:
        for start, repeats in self.repeats.items():
            value = row[start] if start < len(row) else None
            if type(value) is not str:
                continue
            for text, cells in repeats:
                if text[0] not in value or _cell_text(value) != text:
                    continue
                same = sum(1 for i, t in cells.items() if i < len(row) and _cell_text(row[i]) == t)
                if same * 2 >= len(cells):
                    return True
        return False


def detect_table(grid: SheetGrid, register: Register) -> DetectedTable:
    """Find the header (one or two rows within the first 30) and the data rows below it."""
    matcher = _Matcher(register.fields)
    header_lines, header = _find_header(grid, matcher)
    if not header_lines:
        required = "".join(f"“{f.label}”" for f in register.fields if f.required) or f"“{register.fields[0].label}”"
        raise BadFile(f"在“{grid.name}”中没有找到表头：请确认第一张表是{register.label}台账，表头包含{required}等列")
    mapping = matcher.assign(header)
    title = next((i for i, key in mapping.items() if key == register.title_field), -1)
    sorter = _RowSorter(grid, header_lines, header, title)
    # Columns with data but no header text are columns too (the user may map them).
    unnamed: set[int] = set()
    pending = set(range(max(map(len, grid.rows), default=0))) - {c.index for c in header}
    kept: list[tuple[int, list[object]]] = []
    skipped: list[tuple[int, str]] = []
    blanks: list[int] = []  # recorded only when something follows them
    for number in range(header_lines[-1], len(grid.rows)):
        row = grid.rows[number]
        reason = sorter.reason(row)
        if reason == "空行":
            blanks.append(number + 1)
            continue
        if blanks:
            skipped.extend((line, "空行") for line in blanks)
            blanks.clear()
        if reason is not None:
            skipped.append((number + 1, reason))
            continue
        if pending:
            found = {i for i in pending if i < len(row) and _filled(row[i])}
            unnamed |= found
            pending -= found
        kept.append((number + 1, row))
    columns = [
        replace(c, hidden=c.index in grid.hidden_columns)
        for c in sorted([*header, *(HeaderColumn(i, "") for i in unnamed)], key=lambda c: c.index)
    ]
    width = max((c.index for c in columns), default=-1) + 1
    rows = tuple(SourceRow(line, _fit(row, width)) for line, row in kept)
    return DetectedTable(grid.name, header_lines, tuple(columns), rows, tuple(sorted(skipped)))


def _fit(row: list[object], width: int) -> tuple[object, ...]:
    if len(row) == width:
        return tuple(row)
    if len(row) > width:
        return tuple(row[:width])
    return (*row, *([None] * (width - len(row))))


# -- mapping ------------------------------------------------------------------------------


def suggest_mapping(table: DetectedTable, register: Register, *, extra: Sequence[Field] = ()) -> dict[int, str]:
    """Column index → field key for the columns whose header names a field (or one of `extra`).

    Each field at most once: the first visible column naming it wins, a hidden one only if no visible one does.
    """
    matcher = _Matcher((*register.fields, *extra))
    ordered = sorted(table.columns, key=lambda c: (c.hidden, c.index))
    return dict(sorted(matcher.assign(ordered).items()))


def header_signature(table: DetectedTable) -> str:
    """A stable fingerprint of the header's shape, to remember a mapping for files laid out the same way."""
    parts = []
    for column in table.columns:
        bare, unit = normalise_header(column.text)
        parts.append(f"{column.index}\t{bare.casefold()}\t{unit.casefold()}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
