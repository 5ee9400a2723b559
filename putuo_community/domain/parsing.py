"""Read one spreadsheet cell (as python-calamine or csv gives it) into the typed value a declared field holds.

Also the clean-up the importer shares: text, headers, 街镇 and 居委会 names.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from putuo_community.domain.fields import Field, FieldType
from putuo_community.domain.streets import PUTUO_STREETS, Street, street_by_any_name


@dataclass(frozen=True)
class Parsed:
    """A cell read for one field: the value (None when empty or on a problem), or why it cannot be read."""

    value: object
    problem: str | None = None
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


_EMPTY = Parsed(None)

# ---------------------------------------------------------------------------
# Text clean-up
# ---------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_FULL_WIDTH_ALNUM = {
    code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
# Every full-width ASCII character, brackets and punctuation too (for keys, never for stored text).
FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


# Anything clean_text would change: surrounding or doubled whitespace, any whitespace but a single
# space, zero-width characters, full-width letters and digits.
_NEEDS_CLEANING = re.compile(
    r"^\s|\s$|\s\s|[^\S ]|[\u200b\u200c\u200d\u2060\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
)


def clean_text(text: str, *, keep_newlines: bool = False) -> str:
    """Strip, collapse whitespace (full-width spaces too) and turn full-width letters/digits half-width.

    Chinese punctuation such as （） stays as written. With ``keep_newlines`` (LONG_TEXT) line breaks
    survive and only the spaces inside each line collapse.
    """
    if not _NEEDS_CLEANING.search(text):  # most cells: nothing to change, one regex scan instead of three passes
        return text
    text = text.translate(_ZERO_WIDTH).translate(_FULL_WIDTH_ALNUM)
    if not keep_newlines:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_RUN = re.compile("[〇零一二三四五六七八九十]+")


def _cn_run_to_digits(run: str) -> str:
    if "十" not in run:
        return "".join(str(_CN_DIGITS[c]) for c in run)
    head, _, tail = run.partition("十")
    if len(head) <= 1 and len(tail) <= 1 and "十" not in tail:
        tens = _CN_DIGITS[head] if head else 1
        return str(tens * 10 + (_CN_DIGITS[tail] if tail else 0))
    return run  # 一百十 and the like: not a number people write in names or dates


def chinese_numerals_to_digits(text: str) -> str:
    """一 → 1, 十二 → 12, 二十一 → 21, 二〇一九 → 2019; other characters untouched."""
    return _CN_RUN.sub(lambda m: _cn_run_to_digits(m.group()), text)


# The placeholders clerks put in a cell that has nothing to say.
_EMPTY_MARKS = frozenset({"无", "暂无", "空", "n/a"})
_DASHES = frozenset("-/—–_\\")
_EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)


_LONGEST_MARK = max(map(len, _EMPTY_MARKS))


def is_placeholder(text: str) -> bool:
    """True for a cell that is empty in substance: blank, "/", "—", "-", "无", "暂无", "空", "N/A"."""
    if len(text) > _LONGEST_MARK:
        # Most cells: longer than any mark, so only a run of dashes can be one; told by the first character.
        first = text[0].translate(FULL_WIDTH_TO_ASCII)
        if first not in _DASHES and not first.isspace():
            return False
    value = "".join(text.translate(FULL_WIDTH_TO_ASCII).split()).casefold()
    return not value or value in _EMPTY_MARKS or all(c in _DASHES for c in value)


def _float_text(number: float) -> tuple[str, str | None]:
    # Excel keeps 15 significant digits; a longer ID or code typed as a number has lost its tail.
    warning = "数字超过15位，Excel 可能已丢失末几位，请核对原件" if abs(number) >= 1e15 else None
    if number.is_integer():
        return str(int(number)), warning
    return format(Decimal(format(number, ".15g")), "f"), warning


def _cell_text(raw: object) -> tuple[str, str | None]:
    """The cell as text, as a clerk would read it on screen."""
    if isinstance(raw, str):
        return raw, None
    if isinstance(raw, bool):
        return ("是" if raw else "否"), None
    if isinstance(raw, int):
        return str(raw), None
    if isinstance(raw, float):
        return ("", None) if not math.isfinite(raw) else _float_text(raw)
    if isinstance(raw, Decimal):
        return format(raw, "f"), None
    if isinstance(raw, datetime):
        shown = raw.date().isoformat() if raw.time() == time(0) else raw.strftime("%Y-%m-%d %H:%M")
        # Excel turns 1-2 (a 楼号) into a date; say so rather than store it silently.
        return shown, f"单元格为日期格式，已按“{shown}”读取，请核对"
    if isinstance(raw, date):
        return raw.isoformat(), f"单元格为日期格式，已按“{raw.isoformat()}”读取，请核对"
    if isinstance(raw, time):
        return raw.strftime("%H:%M" if raw.second == 0 else "%H:%M:%S"), None
    return str(raw), None


# ---------------------------------------------------------------------------
# Headers, streets, 居委会
# ---------------------------------------------------------------------------

_BRACKETS_TO_ROUND = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"})
_HEADER_MARKS = "*※★☆:"
_TRAILING_BRACKET = re.compile(r"(.+?)\(([^()]*)\)")


def normalise_header(text: str) -> tuple[str, str]:
    """(bare header, unit): "建筑面积（平方米）" → ("建筑面积", "平方米"), "*小区名称" → ("小区名称", "").

    Spaces and line breaks go, brackets become half-width "()", required-column marks (*, ※) and a
    trailing colon are dropped; the text of a trailing bracket (usually the unit) is returned apart.
    """
    value = "".join(text.translate(FULL_WIDTH_TO_ASCII).translate(_ZERO_WIDTH).split())
    value = value.translate(_BRACKETS_TO_ROUND).strip(_HEADER_MARKS)
    match = _TRAILING_BRACKET.fullmatch(value)
    if match is None:
        return value, ""
    return match.group(1).strip(_HEADER_MARKS), match.group(2)


def header_matches(field: Field, header: str) -> bool:
    """True when a column header names this field: its label or one of its synonyms, unit aside."""
    bare = normalise_header(header)[0].casefold()
    return bool(bare) and any(normalise_header(name)[0].casefold() == bare for name in (field.label, *field.synonyms))


_STREET_PREFIXES = ("上海市", "上海", "普陀区")
_STREET_SUFFIXES = ("人民政府", "政府", "办事处", "党工委")


def street_from_text(text: str) -> Street | None:
    """The 街镇 a cell names: 曹杨新村街道, 曹杨, 曹杨街道, 曹杨新村街道办事处, 长征镇人民政府 …"""
    value = "".join(clean_text(text).translate(FULL_WIDTH_TO_ASCII).split())
    for prefix in _STREET_PREFIXES:
        value = value.removeprefix(prefix)
    for suffix in _STREET_SUFFIXES:
        value = value.removesuffix(suffix)
    if value.endswith("街道办"):
        value = value.removesuffix("办")
    return street_by_any_name(value) if value else None


_NEIGHBOURHOOD_SUFFIXES = ("社区居民委员会", "居民委员会", "社区居委会", "居委会", "居委", "社区")
_NUMERAL_AHEAD = "(?=[0-9〇零一二三四五六七八九十])"


def neighbourhood_key(text: str) -> str:
    """A key under which the spellings of one 居委会 meet: 兰溪路第一居委会 = 兰溪一居委 = 兰溪一居民委员会."""
    value = "".join(clean_text(text).translate(FULL_WIDTH_TO_ASCII).split())
    for prefix in _STREET_PREFIXES:
        value = value.removeprefix(prefix)
    for street in PUTUO_STREETS:
        if value.startswith(street.name) and len(value) > len(street.name):
            value = value.removeprefix(street.name)
            break
    for suffix in _NEIGHBOURHOOD_SUFFIXES:
        if value.endswith(suffix) and len(value) > len(suffix):
            value = value.removesuffix(suffix)
    value = re.sub("第" + _NUMERAL_AHEAD, "", value)
    value = chinese_numerals_to_digits(value)
    value = re.sub(r"路(?=\d)", "", value)  # 兰溪路1 and 兰溪1 are the same 居委
    return value.casefold()


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

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


def _parse_integer(field: Field, raw: object, header_unit: str) -> Parsed:
    warning: str | None = None
    if isinstance(raw, bool):
        return Parsed(None, "应为整数，不是是/否")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return _EMPTY
        header = _header_factor(field, header_unit)
        if isinstance(header, Parsed):
            return header
        number = _float_decimal(raw) if isinstance(raw, float) else Decimal(raw)
    elif isinstance(raw, (date, datetime)):
        if not field.key.endswith("_year"):
            return Parsed(None, "应为整数，不是日期")
        number, warning = Decimal(raw.year), f"按日期取年份：{raw.year}"
    elif isinstance(raw, time):
        return Parsed(None, "应为整数，不是时间")
    else:
        text = clean_text(_cell_text(raw)[0])
        if is_placeholder(text):
            return _EMPTY
        read = _number_from_text(field, text, header_unit)
        if isinstance(read, Parsed):
            return _year_from_date_text(field, text) or read
        number, warning = read
        if field.key.endswith("_year") and 0 <= number < 100:
            return Parsed(None, f"年份只有两位：{text}，请写四位年份")
    if number != number.to_integral_value():
        return Parsed(None, f"应为整数：{_plain(number)}")
    problem = _range_problem(field, number)
    if problem:
        return Parsed(None, problem)
    return Parsed(int(number), warning=warning)


def _year_from_date_text(field: Field, text: str) -> Parsed | None:
    """A year field given a whole date ("1998年5月", "1998-05-01") keeps its year."""
    if not field.key.endswith("_year"):
        return None
    read = _date_from_text(text)
    if not isinstance(read.value, date):
        return None
    year = Decimal(read.value.year)
    problem = _range_problem(field, year)
    return Parsed(None, problem) if problem else Parsed(read.value.year, warning=f"按日期取年份：{read.value.year}")


def _parse_decimal(field: Field, raw: object, header_unit: str) -> Parsed:
    warning: str | None = None
    if isinstance(raw, bool):
        return Parsed(None, "应为数字，不是是/否")
    if isinstance(raw, (date, datetime, time)):
        return Parsed(None, "应为数字，不是日期或时间")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return _EMPTY
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
        text = clean_text(_cell_text(raw)[0])
        if is_placeholder(text):
            return _EMPTY
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


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_FIRST_DAY = date(1900, 1, 1)
_LAST_DAY = date(2100, 12, 31)
_LAST_SERIAL = 2958465  # 9999-12-31
_TIME_TAIL = re.compile(r"(?:[T\s]+|(?<=[日号]))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?\.?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")
_YEAR_ONLY = re.compile(r"\d{4}年?")
_SHORT_YEAR = re.compile(r"\d{2}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}[日号]?)?月?")
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
    return _in_range(value, warning, text)


def _date_from_text(text: str) -> Parsed:
    value = unicodedata.normalize("NFKC", text).strip()
    if "年" in value:
        value = chinese_numerals_to_digits(value)  # 二〇一九年五月一日
    value = "".join(_TIME_TAIL.sub("", value).split())
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


def _parse_date(field: Field, raw: object, header_unit: str) -> Parsed:
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
            return _EMPTY
        shown = _float_text(raw)[0] if isinstance(raw, float) else str(raw)
        if 1900 <= raw <= 2100:
            # A serial this small is a day in 1905; far more likely a year someone typed.
            if float(raw).is_integer():
                return Parsed(None, f"只有年份，不是完整日期：{shown}")
            return Parsed(None, f"看起来是“年.月”：{shown}，请写成完整日期（如 2019-05-01）")
        if 1 <= raw <= _LAST_SERIAL:
            return _serial_date(raw)
        return _date_from_text(shown)  # 20190501 typed as a number
    text = clean_text(_cell_text(raw)[0])
    if is_placeholder(text):
        return _EMPTY
    return _date_from_text(text)


# ---------------------------------------------------------------------------
# Booleans, choices, text
# ---------------------------------------------------------------------------

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
            return _EMPTY
    text = clean_text(_cell_text(raw)[0])
    key = "".join(unicodedata.normalize("NFKC", text).split()).casefold()
    if not key:
        return _EMPTY
    if key in _TRUE_WORDS:
        return Parsed(True)
    if key in _FALSE_WORDS:
        return Parsed(False)
    if is_placeholder(text):
        return _EMPTY
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
    text = clean_text(_cell_text(raw)[0])
    if not text:
        return _EMPTY
    # Before the placeholder test: "无" is a declared choice of some fields (保管印章, 风险等级 …).
    choice = (
        field.normalise_choice(text)
        or field.normalise_choice(text.replace(" ", ""))
        or _choice_lookup(field).get(_choice_key(text))
    )
    if choice is not None:
        return Parsed(choice)
    if is_placeholder(text):
        return _EMPTY
    return Parsed(None, f"“{text}”不是可选值（可选：{'、'.join(field.choices)}）")


def _parse_text(field: Field, raw: object, header_unit: str) -> Parsed:
    text, warning = _cell_text(raw)
    text = clean_text(text, keep_newlines=field.type is FieldType.LONG_TEXT)
    if is_placeholder(text):
        return _EMPTY
    if field.type is not FieldType.REF and len(text) > field.max_length:
        return Parsed(None, f"过长（最多 {field.max_length} 字，现有 {len(text)} 字）")
    return Parsed(text, warning=warning)


_PARSERS: dict[FieldType, Callable[[Field, object, str], Parsed]] = {
    FieldType.TEXT: _parse_text,
    FieldType.LONG_TEXT: _parse_text,
    FieldType.REF: _parse_text,  # the services layer resolves the name to an id
    FieldType.CHOICE: _parse_choice,
    FieldType.INTEGER: _parse_integer,
    FieldType.DECIMAL: _parse_decimal,
    FieldType.DATE: _parse_date,
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
        return _EMPTY
    if isinstance(raw, str) and "#" in raw and raw.strip().upper() in _EXCEL_ERRORS:
        return Parsed(None, f"单元格是 Excel 错误值 {raw.strip().upper()}（公式出错）")
    return _PARSERS[field.type](field, raw, header_unit)


__all__ = [
    "FULL_WIDTH_TO_ASCII",
    "Parsed",
    "chinese_numerals_to_digits",
    "clean_text",
    "header_matches",
    "is_placeholder",
    "neighbourhood_key",
    "normalise_header",
    "parse_cell",
    "street_from_text",
    "unit_factor",
]
