"""Numbers as clerks type them: units (万元, 平方米, 幢), approximations, totals, ranges of a field.

Also years, which registers write as numbers, dates or 年.月 (1993.10, 1998年10月).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from putuo_community.domain.fields import Field, FieldType
from putuo_community.domain.parsing.dates import read_date_text, year_only
from putuo_community.domain.parsing.text import EMPTY, Parsed, cell_text, clean_text, float_text, is_placeholder

_NUMBER = re.compile(r"(?P<sign>[-+]?)(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)")
_APPROX_PREFIXES = ("大约", "将近", "约", "近")
_TOTAL_PREFIXES = ("共计", "合计", "总计", "共", "计", "第")
_APPROX_INFIXES = ("余", "多", "来")
_APPROX_SUFFIXES = ("左右", "以上")
_COUNT_UNITS = frozenset(
    {*"户幢栋座台部个人名位层站分年套间次届处", "字节"},
)
_SAME_COUNT_UNITS = (frozenset("幢栋座"), frozenset("人名位"))
_TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True)
class _Number:
    value: Decimal
    unit: str  # as a unit key, see _unit_key
    approximate: bool


def _unit_key(unit: str) -> str:
    """One spelling per unit: ㎡, m², 平方米, 平米 → m2; 元/㎡·月, 元/平方米/月 → 元m2月."""
    value = "".join(unicodedata.normalize("NFKC", unit).casefold().split())
    for spelling in ("平方米", "平米", "平方", "m^2"):
        value = value.replace(spelling, "m2")
    return re.sub(r"[/·・•.*每]", "", value)


def _split_number(text: str) -> _Number | None:
    value = "".join(unicodedata.normalize("NFKC", text).split()).replace("\u2212", "-")
    approximate = False
    for prefix in _APPROX_PREFIXES:
        if value.startswith(prefix):
            value, approximate = value.removeprefix(prefix), True
            break
    for prefix in _TOTAL_PREFIXES:
        if value.startswith(prefix):
            value = value.removeprefix(prefix)
            break
    percent = value.startswith("百分之")
    value = value.removeprefix("百分之")
    match = _NUMBER.match(value)
    if match is None:
        return None
    number = Decimal(match.group("digits").replace(",", ""))
    if match.group("sign") == "-":
        number = -number
    tail = value[match.end() :]
    if tail[:1] in _APPROX_INFIXES:
        tail, approximate = tail[1:], True
    for suffix in _APPROX_SUFFIXES:
        if tail.endswith(suffix):
            tail, approximate = tail.removesuffix(suffix), True
    tail = tail.removesuffix("整")
    if percent:
        if tail:
            return None
        tail = "%"
    return _Number(number, _unit_key(tail), approximate)


@functools.lru_cache(maxsize=256)
def _decimal_units(field_unit: str) -> Mapping[str, Decimal]:
    """What a value written in each unit is worth in the field's unit."""
    key = _unit_key(field_unit)
    units: dict[str, Decimal] = {"": Decimal(1)}
    if key:
        units[key] = Decimal(1)
    if key == "m2":
        units["万m2"] = _TEN_THOUSAND
    elif key == "元":
        units |= {"万元": _TEN_THOUSAND, "万": _TEN_THOUSAND}
    elif key == "万元":
        units |= {"万": Decimal(1), "元": Decimal(1).scaleb(-4)}
    elif key == "%":
        units["百分比"] = Decimal(1)
    elif key == "元m2月":
        units |= {"元月m2": Decimal(1), "元": Decimal(1)}
    return units


def unit_factor(field: Field, unit: str) -> Decimal | None:
    """What 1 in ``unit`` (from a cell or a header) is worth in the field's unit; None if it cannot be converted.

    For INTEGER fields any counting word (户, 幢, 人 …) counts as 1.
    """
    key = _unit_key(unit)
    if field.type is FieldType.INTEGER:
        return Decimal(1) if not key or key in _COUNT_UNITS or key == _unit_key(field.unit) else None
    if field.type is FieldType.DECIMAL:
        return _decimal_units(field.unit).get(key)
    return None


def _plain(number: Decimal) -> str:
    """85.00 → 85, 0.50 → 0.5, 1E+3 → 1000: a number as a person writes it."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _range_problem(field: Field, number: Decimal) -> str | None:
    low, high = field.minimum, field.maximum
    if (low is None or number >= low) and (high is None or number <= high):
        return None
    if low is not None and high is not None:
        return f"超出范围：应在 {_plain(low)} 至 {_plain(high)} 之间（现为 {_plain(number)}）"
    if low is not None:
        return f"不能小于 {_plain(low)}（现为 {_plain(number)}）"
    return f"不能大于 {_plain(high)}（现为 {_plain(number)}）" if high is not None else None


def _unit_name(field: Field) -> str:
    return f"“{field.unit}”" if field.unit else "本列"


def _header_factor(field: Field, header_unit: str) -> Decimal | Parsed:
    if not header_unit:
        return Decimal(1)
    factor = unit_factor(field, header_unit)
    if factor is None:
        return Parsed(None, f"表头单位“{header_unit}”无法换算为{_unit_name(field)}")
    return factor


def _number_from_text(field: Field, text: str, header_unit: str) -> tuple[Decimal, str | None] | Parsed:
    """The number a text cell states, in the field's unit, with a warning; or a Parsed problem."""
    number = _split_number(text)
    kind = "整数" if field.type is FieldType.INTEGER else "数字"
    if number is None:
        return Parsed(None, f"无法识别的{kind}：{text}")
    warning = f"原文“{text}”为约数，按 {_plain(number.value)} 计" if number.approximate else None
    if number.unit:
        factor = unit_factor(field, number.unit)
        if factor is None:
            return Parsed(None, f"无法识别的单位：{text}（本列单位：{field.unit or '无'}）")
        if field.type is FieldType.INTEGER and warning is None:
            warning = _count_unit_warning(field, number.unit)
    else:
        header = _header_factor(field, header_unit)
        if isinstance(header, Parsed):
            return header
        factor = header
    return (number.value if factor == 1 else number.value * factor), warning


def _count_unit_warning(field: Field, unit: str) -> str | None:
    expected = _unit_key(field.unit)
    if not expected or unit == expected or unit not in _COUNT_UNITS:
        return None
    if any(unit in group and expected in group for group in _SAME_COUNT_UNITS):
        return None
    return f"单位“{unit}”与本列单位“{field.unit}”不一致，请核对"


def _float_decimal(number: float) -> Decimal:
    # 15 significant digits, as Excel shows them: 0.1 + 0.2 reads 0.3, not 0.30000000000000004.
    return Decimal(format(number, ".15g"))


def parse_integer(field: Field, raw: object, header_unit: str) -> Parsed:
    warning: str | None = None
    if isinstance(raw, bool):
        return Parsed(None, "应为整数，不是是/否")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return EMPTY
        header = _header_factor(field, header_unit)
        if isinstance(header, Parsed):
            return header
        number = _float_decimal(raw) if isinstance(raw, float) else Decimal(raw)
    elif isinstance(raw, (date, datetime)):
        return Parsed(None, "应为整数，不是日期")
    elif isinstance(raw, time):
        return Parsed(None, "应为整数，不是时间")
    else:
        text = clean_text(cell_text(raw)[0])
        if is_placeholder(text):
            return EMPTY
        read = _number_from_text(field, text, header_unit)
        if isinstance(read, Parsed):
            return read
        number, warning = read
    if number != number.to_integral_value():
        return Parsed(None, f"应为整数：{_plain(number)}")
    problem = _range_problem(field, number)
    if problem:
        return Parsed(None, problem)
    return Parsed(int(number), warning=warning)


# ---------------------------------------------------------------------------
# Years
# ---------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_YEAR_OF_DATE = "按日期取年份：{}"


def parse_year(field: Field, raw: object, header_unit: str) -> Parsed:
    """A year field's cell: 1998, 1998年, １９９８ as they are; a date, 1993.10 or 1998年10月 by its year, with a note.

    Excel keeps "1993.10" typed into a number cell as the float 1993.1: read as 年.月 too.
    """
    if isinstance(raw, bool):
        return Parsed(None, "应为年份，不是是/否")
    if isinstance(raw, date):  # a datetime too
        return _year_of_date_cell(field, raw.date() if isinstance(raw, datetime) else raw)
    if isinstance(raw, time):
        return Parsed(None, "应为年份，不是时间")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return EMPTY
        if isinstance(raw, int) or raw.is_integer():
            return parse_integer(field, raw, header_unit)
        return _year_from_text(field, float_text(raw)[0], header_unit)
    text = clean_text(cell_text(raw)[0])
    if is_placeholder(text):
        return EMPTY
    return _year_from_text(field, text, header_unit)


def _year_of_date_cell(field: Field, day: date) -> Parsed:
    serial = (day - _EXCEL_EPOCH).days
    if 1900 <= serial <= 2100:
        # 1998 typed into a cell formatted as a date shows as 1905-06-20; nobody records a building that way.
        note = f"单元格为日期格式（显示为 {day.isoformat()}），按所填数字 {serial} 计，请核对"
        return _checked_year(field, Decimal(serial), note)
    return _checked_year(field, Decimal(day.year), _YEAR_OF_DATE.format(day.year))


def _year_from_text(field: Field, text: str, header_unit: str) -> Parsed:
    read = _number_from_text(field, text, header_unit)
    if not isinstance(read, Parsed):
        number, warning = read
        if 0 <= number < 100:
            return Parsed(None, f"年份只有两位：{text}，请写四位年份")
        if number == number.to_integral_value():
            return _checked_year(field, number, warning)
    dated = _year_from_date_text(field, text)
    if dated is not None:
        return dated
    if isinstance(read, Parsed) and _split_number(text) is not None:
        return read  # a number with a unit no year has: 1990年代
    return Parsed(None, f"无法识别的年份：{text}（请写四位年份，如 1998）")


def _year_from_date_text(field: Field, text: str) -> Parsed | None:
    """The year of a whole date or 年.月 ("1998年10月", "1993.10", "1998-10-01"), or of 一九九八年; else None."""
    read = read_date_text(text)
    if isinstance(read.value, date):
        return _checked_year(field, Decimal(read.value.year), _YEAR_OF_DATE.format(read.value.year))
    year = year_only(text)
    return None if year is None else _checked_year(field, Decimal(year), None)


def _checked_year(field: Field, year: Decimal, warning: str | None) -> Parsed:
    problem = _range_problem(field, year)
    return Parsed(None, problem) if problem else Parsed(int(year), warning=warning)


def parse_decimal(field: Field, raw: object, header_unit: str) -> Parsed:
    warning: str | None = None
    if isinstance(raw, bool):
        return Parsed(None, "应为数字，不是是/否")
    if isinstance(raw, (date, datetime, time)):
        return Parsed(None, "应为数字，不是日期或时间")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return EMPTY
        number = _float_decimal(raw) if isinstance(raw, float) else Decimal(raw)
        # A cell formatted as a percentage holds 0.85 for 85%.
        if isinstance(raw, float) and _unit_key(field.unit) == "%" and 0 < raw <= 1:
            converted = number.scaleb(2)
            number, warning = converted, f"按百分比换算：{_plain(_float_decimal(raw))} → {_plain(converted)}%"
        else:
            header = _header_factor(field, header_unit)
            if isinstance(header, Parsed):
                return header
            number = number if header == 1 else number * header
    else:
        text = clean_text(cell_text(raw)[0])
        if is_placeholder(text):
            return EMPTY
        read = _number_from_text(field, text, header_unit)
        if isinstance(read, Parsed):
            return read
        number, warning = read
    try:
        rounded = number.quantize(Decimal(1).scaleb(-field.decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return Parsed(None, f"数字太大：{_plain(number)}")
    if rounded != number and warning is None:
        warning = f"已四舍五入为 {rounded}（本列保留 {field.decimals} 位小数）"
    problem = _range_problem(field, rounded)
    if problem:
        return Parsed(None, problem)
    return Parsed(rounded, warning=warning)
