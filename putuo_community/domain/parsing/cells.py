"""Read one spreadsheet cell (as python-calamine or csv gives it) into the typed value a declared field holds."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping

from putuo_community.domain.fields import Field, FieldType
from putuo_community.domain.parsing.dates import parse_date
from putuo_community.domain.parsing.numbers import parse_decimal, parse_integer, parse_year
from putuo_community.domain.parsing.text import EMPTY, EXCEL_ERRORS, Parsed, cell_text, clean_text, is_placeholder

_TRUE_WORDS = frozenset({"是", "是的", "有", "√", "✓", "✔", "☑", "y", "yes", "true", "t", "1", "已", "对"})
_FALSE_WORDS = frozenset(
    {"否", "不是", "无", "暂无", "没有", "×", "✗", "✘", "☒", "x", "n", "no", "false", "f", "0", "未", "错", "非"}
)
_DONE = re.compile(r"已[\u4e00-\u9fff]{1,6}")
_NOT_DONE = re.compile(r"未[\u4e00-\u9fff]{1,6}")
_UNKNOWN = frozenset({"未知", "未定", "未填", "未详", "未明", "未确定", "未核实", "未核查"})


def _parse_bool(field: Field, raw: object, header_unit: str) -> Parsed:
    if isinstance(raw, bool):
        return Parsed(raw)
    if isinstance(raw, (int, float)):
        if raw in (0, 1):
            return Parsed(raw == 1)
        if isinstance(raw, float) and not math.isfinite(raw):
            return EMPTY
    text = clean_text(cell_text(raw)[0])
    key = "".join(unicodedata.normalize("NFKC", text).split()).casefold()
    if not key:
        return EMPTY
    if key in _TRUE_WORDS:
        return Parsed(True)
    if key in _FALSE_WORDS:
        return Parsed(False)
    if is_placeholder(text):
        return EMPTY
    # 已成立/未成立, 已安装/未安装, 已投保/未投保 … but 未知 is not an answer.
    if key not in _UNKNOWN:
        if _DONE.fullmatch(key):
            return Parsed(True)
        if _NOT_DONE.fullmatch(key):
            return Parsed(False)
    return Parsed(None, f"“{text}”无法识别为是/否（可写：是/否、有/无、√/×）")


def _choice_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@functools.lru_cache(maxsize=512)
def _choice_lookup(field: Field) -> Mapping[str, str]:
    lookup: dict[str, str] = {}
    for synonym, choice in field.choice_synonyms:
        lookup[_choice_key(synonym)] = choice
    for choice in field.choices:  # a declared choice wins over a synonym spelled the same
        lookup[_choice_key(choice)] = choice
    return lookup


def _parse_choice(field: Field, raw: object, header_unit: str) -> Parsed:
    text = clean_text(cell_text(raw)[0])
    if not text:
        return EMPTY
    # Before the placeholder test: "无" is a declared choice of some fields (保管印章, 风险等级 …).
    choice = (
        field.normalise_choice(text)
        or field.normalise_choice(text.replace(" ", ""))
        or _choice_lookup(field).get(_choice_key(text))
    )
    if choice is not None:
        return Parsed(choice)
    if is_placeholder(text):
        return EMPTY
    return Parsed(None, f"“{text}”不是可选值（可选：{'、'.join(field.choices)}）")


def _parse_text(field: Field, raw: object, header_unit: str) -> Parsed:
    text, warning = cell_text(raw)
    text = clean_text(text, keep_newlines=field.type is FieldType.LONG_TEXT)
    if is_placeholder(text):
        return EMPTY
    if field.has_canonical_spelling:
        text = field.normalise_text(text)
    if field.type is not FieldType.REF and len(text) > field.max_length:
        return Parsed(None, f"过长（最多 {field.max_length} 字，现有 {len(text)} 字）")
    return Parsed(text, warning=warning)


_PARSERS: dict[FieldType, Callable[[Field, object, str], Parsed]] = {
    FieldType.TEXT: _parse_text,
    FieldType.LONG_TEXT: _parse_text,
    FieldType.REF: _parse_text,  # the services layer resolves the name to an id
    FieldType.CHOICE: _parse_choice,
    FieldType.INTEGER: parse_integer,
    FieldType.DECIMAL: parse_decimal,
    FieldType.DATE: parse_date,
    FieldType.BOOL: _parse_bool,
}


def parse_cell(field: Field, raw: object, *, header_unit: str = "") -> Parsed:
    """Read one cell for ``field``: str for TEXT/LONG_TEXT/CHOICE/REF, int, Decimal, date or bool.

    Empty cells and placeholders ("/", "—", "无", "N/A" …) give value None without a problem; "无"/"暂无"
    are False for BOOL and a declared choice where a field has one. Whether an empty value is allowed
    (必填) is validation's business, not this function's. ``header_unit`` is the unit the column header
    states ("万元" in "预算（万元）"); it scales numbers whose cell names no unit of its own.
    """
    if raw is None:
        return EMPTY
    if isinstance(raw, str) and "#" in raw and raw.strip().upper() in EXCEL_ERRORS:
        return Parsed(None, f"单元格是 Excel 错误值 {raw.strip().upper()}（公式出错）")
    parser = parse_year if field.is_year else _PARSERS[field.type]
    return parser(field, raw, header_unit)
