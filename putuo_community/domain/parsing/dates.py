"""Dates as clerks type them: Excel serials, 2008年5月, 20080501, 2008.5.1 …, kept within 1900–2100."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from putuo_community.domain.fields import Field
from putuo_community.domain.parsing.text import (
    EMPTY,
    Parsed,
    cell_text,
    chinese_numerals_to_digits,
    clean_text,
    float_text,
    is_placeholder,
)

_FIRST_DAY = date(1900, 1, 1)
_LAST_DAY = date(2100, 12, 31)
_LAST_SERIAL = 2958465  # 9999-12-31
_TIME_TAIL = re.compile(r"(?:[T\s]+|(?<=[日号]))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?\.?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")
_YEAR_ONLY = re.compile(r"\d{4}年?")
_SHORT_YEAR = re.compile(r"\d{2}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}[日号]?)?月?")
# Dashes an input method types instead of "-": em and en dashes (one or the IME's "——"), the minus sign,
# wave dashes, and 一 (the character for one). Read as a separator only when one spelling of it stands
# between all the parts, so "2019.05~06" (a span of months) is not taken for the 6th of May.
_IME_SEPARATED = re.compile(r"(\d{4})([\u2010-\u2015\u2212\u301c~一]+)(\d{1,2})(?:\2(\d{1,2}))?")
_MONTH_WARNING = "只有年月，按当月1日计"


def _serial_date(serial: float) -> Parsed:
    """Excel's 1900 date system, with Lotus 1-2-3's 1900-02-29 (serial 60) that never was."""
    whole = math.floor(serial)
    if whole == 60:
        return Parsed(None, "Excel 日期序号 60 对应不存在的 1900-02-29")
    if whole < 60:
        return _in_range(date(1899, 12, 31) + timedelta(days=whole))
    return _in_range(date(1899, 12, 30) + timedelta(days=whole))


def _in_range(value: date, warning: str | None = None, shown: str = "") -> Parsed:
    if not _FIRST_DAY <= value <= _LAST_DAY:
        return Parsed(None, f"日期超出范围（1900-01-01 至 2100-12-31）：{shown or value.isoformat()}")
    return Parsed(value, warning=warning)


def _make_date(text: str, year: str, month: str, day: str, warning: str | None = None) -> Parsed:
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return Parsed(None, f"日期不存在：{text}")
    return Parsed(value, warning=warning)


def _date_text(text: str) -> str:
    """The text of a date in one spelling: half-width, digits for 二〇一九, no time of day, "-" for IME dashes."""
    value = unicodedata.normalize("NFKC", text).strip()
    if "年" in value:
        value = chinese_numerals_to_digits(value)  # 二〇一九年五月一日
    value = "".join(_TIME_TAIL.sub("", value).split())
    if match := _IME_SEPARATED.fullmatch(value):
        year, _separator, month, day = match.groups()
        value = f"{year}-{month}-{day}" if day else f"{year}-{month}"
    return value


def date_from_text(text: str) -> Parsed:
    """A date written as text, kept within 1900–2100."""
    read = read_date_text(text)
    return _in_range(read.value, read.warning, text) if isinstance(read.value, date) else read


def read_date_text(text: str) -> Parsed:
    """A date written as text, whatever its year (a year field judges the year by its own range)."""
    value = _date_text(text)
    if match := _FULL_DATE.fullmatch(value):
        return _make_date(text, *match.groups())
    if match := _COMPACT_DATE.fullmatch(value):
        return _make_date(text, *match.groups())
    if match := _MONTH_DATE.fullmatch(value):
        return _make_date(text, match.group(1), match.group(2), "1", _MONTH_WARNING)
    if _YEAR_ONLY.fullmatch(value):
        return Parsed(None, f"只有年份，不是完整日期：{text}")
    if _SHORT_YEAR.fullmatch(value):
        return Parsed(None, f"年份只有两位：{text}，请写四位年份（如 2019-05-01）")
    return Parsed(None, f"无法识别的日期：{text}（请写成 2019-05-01）")


def year_only(text: str) -> int | None:
    """The year of a text that names a year and nothing more (1998年, 一九九八年), else None."""
    value = _date_text(text)
    return int(value.removesuffix("年")) if _YEAR_ONLY.fullmatch(value) else None


def parse_date(field: Field, raw: object, header_unit: str) -> Parsed:
    if isinstance(raw, bool):
        return Parsed(None, "应为日期，不是是/否")
    if isinstance(raw, datetime):
        return _in_range(raw.date())
    if isinstance(raw, date):
        return _in_range(raw)
    if isinstance(raw, time):
        return Parsed(None, "只有时间，没有日期")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return EMPTY
        shown = float_text(raw)[0] if isinstance(raw, float) else str(raw)
        if 1900 <= raw <= 2100:
            # A serial this small is a day in 1905; far more likely a year someone typed.
            if float(raw).is_integer():
                return Parsed(None, f"只有年份，不是完整日期：{shown}")
            return Parsed(None, f"看起来是“年.月”：{shown}，请写成完整日期（如 2019-05-01）")
        if 1 <= raw <= _LAST_SERIAL:
            return _serial_date(raw)
        return date_from_text(shown)  # 20190501 typed as a number
    text = clean_text(cell_text(raw)[0])
    if is_placeholder(text):
        return EMPTY
    return date_from_text(text)
