from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from putuo_community.domain.fields import Field, FieldType, decimal
from putuo_community.domain.parsing import (
    Parsed,
    chinese_numerals_to_digits,
    clean_text,
    header_matches,
    is_placeholder,
    neighbourhood_key,
    normalise_header,
    parse_cell,
    street_from_text,
    unit_factor,
)
from putuo_community.domain.parsing import text as parsing
from putuo_community.domain.registers import (
    COMMITTEE_MEMBERS,
    COMPANIES,
    ESTATES,
    FUNDS,
    LIFTS,
    PROJECTS,
    REGISTERS,
)
from putuo_community.domain.validation import field_problem

NAME = ESTATES.field("name")
NOTE = ESTATES.field("note")
CODE = ESTATES.field("code")
STREET = ESTATES.field("street_id")
HOUSING = ESTATES.field("housing_type")
HOUSEHOLDS = ESTATES.field("households")
BUILDINGS = ESTATES.field("building_count")
YEAR = ESTATES.field("completion_year")
AREA = ESTATES.field("floor_area")
FEE = ESTATES.field("fee")
ASSEMBLY = ESTATES.field("has_assembly")
DELIVERED = ESTATES.field("first_delivery_on")
PHONE = COMMITTEE_MEMBERS.field("phone")
SEAL = COMMITTEE_MEMBERS.field("seal")
CREDIT_CODE = COMPANIES.field("credit_code")
CAPITAL = COMPANIES.field("registered_capital")  # 万元
BALANCE = FUNDS.field("balance")  # 元
BUDGET = PROJECTS.field("budget")  # 万元
INSURED = LIFTS.field("insured")
RATE = next(f for r in REGISTERS.values() for f in r.fields if f.key == "consent_rate")  # %
PLAIN_NUMBER = decimal("amount", "金额", minimum=None)
SIGNED = decimal("change", "增减", minimum=Decimal(-100), maximum=Decimal(100))


def value_of(field: Field, raw: object, **kw: str) -> object:
    parsed = parse_cell(field, raw, **kw)
    assert parsed.problem is None, parsed.problem
    return parsed.value


def problem_of(field: Field, raw: object, **kw: str) -> str:
    parsed = parse_cell(field, raw, **kw)
    assert parsed.problem is not None, f"{raw!r} parsed as {parsed.value!r}"
    assert parsed.value is None
    return parsed.problem


# --- text clean-up -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  曹杨一村  ", "曹杨一村"),
        ("曹杨\u3000\u3000一村", "曹杨 一村"),
        ("曹杨\n一村\t", "曹杨 一村"),
        ("ＡＢＣ１２３", "ABC123"),
        ("ａｂｃ", "abc"),
        ("中远两湾城（一期）", "中远两湾城（一期）"),  # Chinese brackets stay as written
        ("\ufeff曹杨\u200b一村", "曹杨一村"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_keeps_newlines_for_long_text() -> None:
    assert clean_text("  第一行  有  空格 \r\n第二行\u3000\n\n", keep_newlines=True) == "第一行 有 空格\n第二行"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一", "1"),
        ("十", "10"),
        ("十二", "12"),
        ("二十", "20"),
        ("三十一", "31"),
        ("二〇一九", "2019"),
        ("曹杨五村", "曹杨5村"),
        ("万里", "万里"),
        ("一百十", "1百10"),
    ],
)
def test_chinese_numerals_to_digits(raw: str, expected: str) -> None:
    assert chinese_numerals_to_digits(raw) == expected


# --- empties ---------------------------------------------------------------------------------

PLACEHOLDERS = [None, "", "   ", "\u3000", "/", "／", "—", "－", "-", "--", "——", "无", "暂无", "空", "N/A", "n/a"]
EMPTY_FIELDS = [NAME, NOTE, STREET, HOUSING, HOUSEHOLDS, AREA, FEE, DELIVERED, CODE, RATE]


@pytest.mark.parametrize("raw", PLACEHOLDERS)
@pytest.mark.parametrize("field", EMPTY_FIELDS, ids=lambda f: f.key)
def test_placeholders_are_empty(field: Field, raw: object) -> None:
    assert parse_cell(field, raw) == Parsed(None)


@pytest.mark.parametrize("raw", ["无", "暂无", "ｎ／ａ", "/"])
def test_is_placeholder(raw: str) -> None:
    assert is_placeholder(raw)


def test_required_fields_are_left_to_validation() -> None:
    assert parse_cell(NAME, "") == Parsed(None)  # 必填 is validation's message, not the parser's
    assert field_problem(NAME, parse_cell(NAME, "").value) == "必填"


@pytest.mark.parametrize("raw", ["无", "暂无"])
def test_no_means_false_for_booleans(raw: str) -> None:
    assert parse_cell(ASSEMBLY, raw) == Parsed(False)


@pytest.mark.parametrize("raw", [None, "", "/", "—", "-", "N/A"])
def test_placeholders_are_empty_for_booleans(raw: object) -> None:
    assert parse_cell(ASSEMBLY, raw) == Parsed(None)


def test_no_is_a_choice_where_declared() -> None:
    assert value_of(SEAL, "无") == "无"
    assert parse_cell(SEAL, "/") == Parsed(None)


def test_nan_is_empty() -> None:
    assert parse_cell(AREA, float("nan")) == Parsed(None)
    assert parse_cell(NAME, float("nan")) == Parsed(None)


@pytest.mark.parametrize("raw", ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", " #n/a "])
def test_excel_errors_are_problems(raw: str) -> None:
    assert "Excel 错误值" in problem_of(AREA, raw)


# --- text, REF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (NAME, "  曹杨\u3000一村 ", "曹杨 一村"),
        (NAME, "曹杨１村", "曹杨1村"),
        (CODE, 12, "12"),
        (CODE, 12.0, "12"),
        (CODE, 12.5, "12.5"),
        (PHONE, 13912345678.0, "13912345678"),
        (PHONE, 13912345678, "13912345678"),
        (CREDIT_CODE, "91310107MA1G1C8Q5W", "91310107MA1G1C8Q5W"),
        (CREDIT_CODE, 913101076072331000, "913101076072331000"),
        (CODE, 0.0000001, "0.0000001"),
        (CODE, True, "是"),
        (CODE, time(8, 30), "08:30"),
        (STREET, " 曹杨新村街道 ", "曹杨新村街道"),
        (STREET, 3.0, "3"),
        (NOTE, "第一行\n第二行", "第一行\n第二行"),
    ],
)
def test_text_values(field: Field, raw: object, expected: str) -> None:
    assert value_of(field, raw) == expected


def test_long_float_codes_warn_of_lost_digits() -> None:
    parsed = parse_cell(CREDIT_CODE, 9.13101076072331e17)
    assert parsed.value == "913101076072331008"
    assert parsed.warning is not None
    assert "15位" in parsed.warning


@pytest.mark.parametrize(("raw", "shown"), [(datetime(2019, 1, 2), "2019-01-02"), (date(2019, 1, 2), "2019-01-02")])
def test_dates_in_text_columns_are_flagged(raw: object, shown: str) -> None:
    parsed = parse_cell(CODE, raw)  # Excel turns a 楼号 1-2 into a date
    assert parsed.value == shown
    assert parsed.warning is not None
    assert shown in parsed.warning


def test_text_too_long() -> None:
    assert problem_of(CREDIT_CODE, "9131010760723310001") == "过长（最多 18 字，现有 19 字）"
    assert value_of(CREDIT_CODE, "913101076072331000 ") == "913101076072331000"


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2019-05-01",
        "2019-5-1",
        "2019/5/1",
        "2019/05/01",
        "2019.5.1",
        "2019.05.01",
        "2019年5月1日",
        "2019年05月01日",
        "2019年5月1号",
        "2019 年 5 月 1 日",
        "20190501",
        "2019-5-1 00:00:00",
        "2019-05-01 08:30",
        "2019-05-01T08:30:00",
        "２０１９年５月１日",
        "２０１９－０５－０１",
        "二〇一九年五月一日",
        datetime(2019, 5, 1),
        datetime(2019, 5, 1, 14, 30),
        date(2019, 5, 1),
        43586,
        43586.0,
        43586.75,  # with a time of day
        20190501,
        20190501.0,
    ],
)
def test_date_forms(raw: object) -> None:
    assert parse_cell(DELIVERED, raw) == Parsed(date(2019, 5, 1))


@pytest.mark.parametrize("raw", ["2019年5月", "2019.5", "2019-05", "2019/5", "２０１９年５月"])
def test_month_precision_dates(raw: str) -> None:
    assert parse_cell(DELIVERED, raw) == Parsed(date(2019, 5, 1), warning="只有年月，按当月1日计")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2019年", "只有年份，不是完整日期：2019年"),
        ("2019", "只有年份，不是完整日期：2019"),
        (2019, "只有年份，不是完整日期：2019"),
        (2019.0, "只有年份，不是完整日期：2019"),
        ("2019-02-30", "日期不存在：2019-02-30"),
        ("2019-02-29", "日期不存在：2019-02-29"),
        ("2019-13-01", "日期不存在：2019-13-01"),
        ("2019年2月30日", "日期不存在：2019年2月30日"),
        ("19.5.1", "年份只有两位：19.5.1，请写四位年份（如 2019-05-01）"),
        ("19-5-1", "年份只有两位：19-5-1，请写四位年份（如 2019-05-01）"),
        ("19年5月1日", "年份只有两位：19年5月1日，请写四位年份（如 2019-05-01）"),
        ("1899-12-31", "日期超出范围（1900-01-01 至 2100-12-31）：1899-12-31"),
        ("2101-01-01", "日期超出范围（1900-01-01 至 2100-12-31）：2101-01-01"),
        (datetime(1899, 12, 31), "日期超出范围（1900-01-01 至 2100-12-31）：1899-12-31"),
        (2958465, "日期超出范围（1900-01-01 至 2100-12-31）：9999-12-31"),
        (60, "Excel 日期序号 60 对应不存在的 1900-02-29"),
        ("下个月", "无法识别的日期：下个月（请写成 2019-05-01）"),
        ("01/05/2019", "无法识别的日期：01/05/2019（请写成 2019-05-01）"),
        (2019.05, "看起来是“年.月”：2019.05，请写成完整日期（如 2019-05-01）"),
        (-3, "无法识别的日期：-3（请写成 2019-05-01）"),
        (True, "应为日期，不是是/否"),
        (time(8, 30), "只有时间，没有日期"),
    ],
)
def test_date_problems(raw: object, message: str) -> None:
    assert problem_of(DELIVERED, raw) == message


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (25569, date(1970, 1, 1)),
        (43586, date(2019, 5, 1)),
        (73050, date(2099, 12, 31)),
    ],
)
def test_excel_serials(serial: int, expected: date) -> None:
    assert value_of(DELIVERED, serial) == expected


@pytest.mark.parametrize(("raw", "expected"), [("2020-02-29", date(2020, 2, 29)), ("2000-02-29", date(2000, 2, 29))])
def test_leap_days(raw: str, expected: date) -> None:
    assert value_of(DELIVERED, raw) == expected
    assert "日期不存在" in problem_of(DELIVERED, "1900-02-29")


FULL_WIDTH_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _excel_serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_any_date_in_any_format_parses_back(d: date) -> None:
    forms: list[object] = [
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month:02d}.{d.day:02d}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
        f"{d.year}年{d.month}月{d.day}日".translate(FULL_WIDTH_DIGITS),
        d.isoformat().translate(FULL_WIDTH_DIGITS),
        f"{d.isoformat()} 00:00:00",
        datetime(d.year, d.month, d.day),
    ]
    if _excel_serial(d) > 2100:  # smaller numbers read as years, see test_small_serials_read_as_years
        forms += [_excel_serial(d), float(_excel_serial(d))]
    for raw in forms:
        assert parse_cell(DELIVERED, raw) == Parsed(d), raw


def test_small_serials_read_as_years() -> None:
    # Serials 1900–2100 are days in 1905, but in a register they are years someone typed.
    assert problem_of(DELIVERED, 1918) == "只有年份，不是完整日期：1918"
    assert value_of(DELIVERED, 2101) == date(1905, 10, 1)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).filter(
        lambda d: not date(1905, 3, 14) <= d <= date(1905, 9, 30)
    )
)
def test_excel_serial_matches_the_1900_system(d: date) -> None:
    # Day 1 is 1900-01-01, and Lotus' phantom 1900-02-29 (day 60) shifts everything after it.
    serial = (d - date(1899, 12, 31)).days + (1 if d >= date(1900, 3, 1) else 0)
    assert value_of(DELIVERED, serial) == d


# --- integers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (HOUSEHOLDS, 120, 120),
        (HOUSEHOLDS, 120.0, 120),
        (HOUSEHOLDS, "120", 120),
        (HOUSEHOLDS, " 120 ", 120),
        (HOUSEHOLDS, "1,234", 1234),
        (HOUSEHOLDS, "1，234", 1234),
        (HOUSEHOLDS, "１２３４", 1234),
        (HOUSEHOLDS, "１，２３４", 1234),
        (HOUSEHOLDS, "120户", 120),
        (HOUSEHOLDS, "120 户", 120),
        (HOUSEHOLDS, "共120户", 120),
        (HOUSEHOLDS, "120.0", 120),
        (BUILDINGS, "12幢", 12),
        (BUILDINGS, "12栋", 12),
        (BUILDINGS, "12座", 12),
        (COMMITTEE_MEMBERS.field("birth_year"), "1960年", 1960),
        (YEAR, "1998年", 1998),
        (YEAR, "１９９８", 1998),
        (YEAR, "１９９８年", 1998),
        (YEAR, 1998.0, 1998),
        (REGISTERS["committee_terms"].field("seats"), "7人", 7),
        (REGISTERS["committee_terms"].field("term_no"), "第3届", 3),
        (REGISTERS["credit_events"].field("points"), "5分", 5),
        (REGISTERS["lifts"].field("stops"), "18站", 18),
        (REGISTERS["buildings"].field("floors"), "6层", 6),
        (REGISTERS["buildings"].field("unit_count"), "3个", 3),
        (HOUSEHOLDS, "0", 0),
    ],
)
def test_integer_values(field: Field, raw: object, expected: int) -> None:
    assert parse_cell(field, raw) == Parsed(expected)


@pytest.mark.parametrize("raw", ["约120户", "大约120户", "120余户", "120多户", "120户左右", "近120户"])
def test_approximate_integers_warn(raw: str) -> None:
    parsed = parse_cell(HOUSEHOLDS, raw)
    assert parsed.value == 120
    assert parsed.warning == f"原文“{raw}”为约数，按 120 计"


def test_integer_unit_mismatch_warns() -> None:
    parsed = parse_cell(BUILDINGS, "12户")
    assert parsed.value == 12
    assert parsed.warning == "单位“户”与本列单位“幢”不一致，请核对"


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (YEAR, datetime(1998, 6, 1), 1998),
        (YEAR, date(1998, 6, 1), 1998),
        (YEAR, "1998年5月", 1998),
        (YEAR, "1998-05-01", 1998),
    ],
)
def test_year_from_a_whole_date(field: Field, raw: object, expected: int) -> None:
    assert parse_cell(field, raw) == Parsed(expected, warning=f"按日期取年份：{expected}")


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        (HOUSEHOLDS, 12.5, "应为整数：12.5"),
        (HOUSEHOLDS, "12.5户", "应为整数：12.5"),
        (HOUSEHOLDS, "-3", "不能小于 0（现为 -3）"),
        (HOUSEHOLDS, "一百二十", "无法识别的整数：一百二十"),
        (HOUSEHOLDS, "12-15", "无法识别的单位：12-15（本列单位：户）"),
        (HOUSEHOLDS, "120亩", "无法识别的单位：120亩（本列单位：户）"),
        (HOUSEHOLDS, "1,23", "无法识别的单位：1,23（本列单位：户）"),
        (HOUSEHOLDS, True, "应为整数，不是是/否"),
        (HOUSEHOLDS, datetime(2019, 1, 2), "应为整数，不是日期"),
        (YEAR, "1850", "超出范围：应在 1900 至 2100 之间（现为 1850）"),
        (YEAR, 2200, "超出范围：应在 1900 至 2100 之间（现为 2200）"),
        (YEAR, "98年", "年份只有两位：98年，请写四位年份"),
        (YEAR, "1990年代", "无法识别的单位：1990年代（本列单位：无）"),
        (REGISTERS["credit_events"].field("points"), "120", "超出范围：应在 0 至 100 之间（现为 120）"),
        (REGISTERS["committee_terms"].field("term_no"), "0", "不能小于 1（现为 0）"),
    ],
)
def test_integer_problems(field: Field, raw: object, message: str) -> None:
    assert problem_of(field, raw) == message


# --- decimals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (AREA, 12345.67, "12345.67"),
        (AREA, 12345, "12345.00"),
        (AREA, "12,345.67", "12345.67"),
        (AREA, "12，345.67", "12345.67"),
        (AREA, "１２，３４５．６７", "12345.67"),
        (AREA, "12345.67㎡", "12345.67"),
        (AREA, "12345.67 m²", "12345.67"),
        (AREA, "12345.67m2", "12345.67"),
        (AREA, "12345.67M2", "12345.67"),
        (AREA, "12345.67平方米", "12345.67"),
        (AREA, "12345.67平米", "12345.67"),
        (AREA, "1.2万㎡", "12000.00"),
        (AREA, "1.2万平方米", "12000.00"),
        (AREA, "1.2万平米", "12000.00"),
        (AREA, ".5", "0.50"),
        (AREA, 0.1 + 0.2, "0.30"),  # binary noise is not a rounding the clerk needs to hear about
        (BALANCE, "1,234,567.89元", "1234567.89"),
        (BALANCE, "123.4万元", "1234000.00"),
        (BALANCE, "123.4万", "1234000.00"),
        (BALANCE, "1000元整", "1000.00"),
        (BUDGET, "123.45", "123.45"),
        (BUDGET, "123.45万元", "123.45"),
        (BUDGET, "1234500元", "123.45"),
        (CAPITAL, "500万", "500.00"),
        (RATE, "85%", "85.00"),
        (RATE, "85％", "85.00"),
        (RATE, "85.5%", "85.50"),
        (RATE, "百分之85", "85.00"),
        (RATE, 85, "85.00"),
        (RATE, "85", "85.00"),
        (FEE, "2.5", "2.50"),
        (FEE, "2.5元", "2.50"),
        (FEE, "2.5元/㎡·月", "2.50"),
        (FEE, "2.5元/平方米·月", "2.50"),
        (FEE, "2.5元/平方米/月", "2.50"),
        (FEE, "2.5 元/m²·月", "2.50"),
        (FEE, "2.5元/月/㎡", "2.50"),
        (FEE, "2.5元/㎡.月", "2.50"),
        (SIGNED, "-12.5", "-12.50"),
        (SIGNED, "−12.5", "-12.50"),
        (SIGNED, "－12.5", "-12.50"),
        (PLAIN_NUMBER, "-1,000", "-1000.00"),
    ],
)
def test_decimal_values(field: Field, raw: object, expected: str) -> None:
    assert parse_cell(field, raw) == Parsed(Decimal(expected))


@pytest.mark.parametrize(("raw", "expected"), [(0.85, "85.00"), (0.855, "85.50"), (1.0, "100.00")])
def test_percentage_cells_are_scaled(raw: float, expected: str) -> None:
    parsed = parse_cell(RATE, raw)
    assert parsed.value == Decimal(expected)
    assert parsed.warning is not None
    assert parsed.warning.startswith("按百分比换算")


def test_decimals_are_rounded_half_up_with_a_warning() -> None:
    assert parse_cell(AREA, "12.345") == Parsed(Decimal("12.35"), warning="已四舍五入为 12.35（本列保留 2 位小数）")
    assert parse_cell(AREA, "12.344").value == Decimal("12.34")
    assert parse_cell(AREA, "12.3").warning is None


def test_approximate_decimals_warn() -> None:
    parsed = parse_cell(AREA, "约1.2万㎡")
    assert parsed.value == Decimal("12000.00")
    assert parsed.warning == "原文“约1.2万㎡”为约数，按 1.2 计"


@pytest.mark.parametrize(
    ("field", "raw", "header_unit", "expected"),
    [
        (BALANCE, 12.5, "万元", "125000.00"),
        (BALANCE, "12.5", "万元", "125000.00"),
        (BALANCE, "12.5元", "万元", "12.50"),  # the cell's own unit wins
        (AREA, 1.5, "万㎡", "15000.00"),
        (AREA, 1500, "平方米", "1500.00"),
        (BUDGET, 1234500, "元", "123.45"),
        (RATE, 85, "%", "85.00"),
    ],
)
def test_header_units_scale_bare_numbers(field: Field, raw: object, header_unit: str, expected: str) -> None:
    assert value_of(field, raw, header_unit=header_unit) == Decimal(expected)


def test_unknown_header_unit_is_a_problem() -> None:
    assert problem_of(AREA, 3, header_unit="亩") == "表头单位“亩”无法换算为“㎡”"
    assert problem_of(HOUSEHOLDS, 3, header_unit="万户") == "表头单位“万户”无法换算为“户”"
    assert value_of(NAME, "曹杨一村", header_unit="全称") == "曹杨一村"


@pytest.mark.parametrize(
    ("field", "unit", "factor"),
    [
        (AREA, "㎡", Decimal(1)),
        (AREA, "平方米", Decimal(1)),
        (AREA, "万平方米", Decimal(10000)),
        (BALANCE, "万元", Decimal(10000)),
        (BUDGET, "元", Decimal("0.0001")),
        (FEE, "元/平方米·月", Decimal(1)),
        (HOUSEHOLDS, "户", Decimal(1)),
        (AREA, "亩", None),
        (NAME, "㎡", None),
    ],
)
def test_unit_factor(field: Field, unit: str, factor: Decimal | None) -> None:
    assert unit_factor(field, unit) == factor


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        (AREA, "-5", "不能小于 0（现为 -5）"),
        (AREA, -5.0, "不能小于 0（现为 -5）"),
        (FEE, "120", "超出范围：应在 0 至 100 之间（现为 120）"),
        (RATE, "120%", "超出范围：应在 0 至 100 之间（现为 120）"),
        (SIGNED, "-100.01", "超出范围：应在 -100 至 100 之间（现为 -100.01）"),
        (AREA, "85%", "无法识别的单位：85%（本列单位：㎡）"),
        (AREA, "12亩", "无法识别的单位：12亩（本列单位：㎡）"),
        (PLAIN_NUMBER, "12㎡", "无法识别的单位：12㎡（本列单位：无）"),
        (AREA, "很大", "无法识别的数字：很大"),
        (AREA, True, "应为数字，不是是/否"),
        (AREA, datetime(2019, 1, 2), "应为数字，不是日期或时间"),
        (PLAIN_NUMBER, "1" * 40, "数字太大：" + "1" * 40),
    ],
)
def test_decimal_problems(field: Field, raw: object, message: str) -> None:
    assert problem_of(field, raw) == message


@given(
    st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False, allow_infinity=False),
    st.booleans(),
)
def test_any_decimal_with_separators_and_full_width_digits_parses_back(number: Decimal, full_width: bool) -> None:
    written = f"{number:,.2f}"
    if full_width:
        written = written.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    assert parse_cell(PLAIN_NUMBER, written) == Parsed(number)
    assert parse_cell(AREA, written + "㎡") == Parsed(number)


@given(st.integers(min_value=0, max_value=10**12), st.booleans())
def test_any_integer_with_separators_parses_back(number: int, full_width: bool) -> None:
    written = f"{number:,}户"
    if full_width:
        written = written.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    assert parse_cell(HOUSEHOLDS, written) == Parsed(number)


# --- booleans -------------------------------------------------------------------------------

TRUE_WORDS = "是 有 √ ✓ ✔ Y y yes YES true TRUE 1 已成立 已安装 已投保 已 对 Ｙ"
FALSE_WORDS = "否 无 暂无 × ✗ X N n no false FALSE 0 未成立 未安装 未投保 未 错"
TRUE_FORMS: list[object] = [*TRUE_WORDS.split(), " 是 ", True, 1, 1.0]
FALSE_FORMS: list[object] = [*FALSE_WORDS.split(), " 否 ", False, 0, 0.0]


@pytest.mark.parametrize("raw", TRUE_FORMS)
@pytest.mark.parametrize("field", [ASSEMBLY, INSURED], ids=lambda f: f.key)
def test_true_forms(field: Field, raw: object) -> None:
    assert parse_cell(field, raw) == Parsed(True)


@pytest.mark.parametrize("raw", FALSE_FORMS)
@pytest.mark.parametrize("field", [ASSEMBLY, INSURED], ids=lambda f: f.key)
def test_false_forms(field: Field, raw: object) -> None:
    assert parse_cell(field, raw) == Parsed(False)


@pytest.mark.parametrize("raw", ["也许", "未知", "2", 2, 0.5, "待定"])
def test_boolean_problems(raw: object) -> None:
    assert "无法识别为是/否" in problem_of(ASSEMBLY, raw)


# --- choices --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (HOUSING, "商品房", "商品房"),
        (HOUSING, " 商品房 ", "商品房"),
        (HOUSING, "商 品 房", "商品房"),
        (HOUSING, "商品住宅", "商品房"),
        (HOUSING, "售后房", "售后公房"),
        (HOUSING, "直管公房（不成套）", "直管公房"),
        (HOUSING, "直管公房(不成套)", "直管公房"),
        (REGISTERS["lifts"].field("risk_class"), "Ⅱ类", "Ⅱ类"),
        (REGISTERS["lifts"].field("risk_class"), "II类", "Ⅱ类"),
        (REGISTERS["estate_issues"].field("source"), 12345, "12345热线"),
        (REGISTERS["committee_members"].field("gender"), "男", "男"),
    ],
)
def test_choice_values(field: Field, raw: object, expected: str) -> None:
    assert parse_cell(field, raw) == Parsed(expected)


def test_choice_problem_lists_the_choices() -> None:
    assert problem_of(HOUSING, "别墅") == (
        "“别墅”不是可选值（可选：商品房、售后公房、直管公房、系统公房、保障性住房、动迁安置房、混合）"
    )


# --- every declared field -------------------------------------------------------------------

ALL_FIELDS = [f for r in REGISTERS.values() for f in r.fields]


def _sample(field: Field) -> object:
    return {
        FieldType.TEXT: "甲",
        FieldType.LONG_TEXT: "甲\n乙",
        FieldType.INTEGER: str(field.minimum if field.minimum is not None else 0),
        FieldType.DECIMAL: f"{field.minimum if field.minimum is not None else 0}{field.unit}",
        FieldType.DATE: "2019年5月1日",
        FieldType.BOOL: "是",
        FieldType.CHOICE: field.choices[0] if field.choices else "",
    }.get(field.type, "")


@pytest.mark.parametrize("field", [f for f in ALL_FIELDS if f.type is not FieldType.REF], ids=lambda f: f.key)
def test_every_declared_field_parses_to_what_validation_accepts(field: Field) -> None:
    assert parse_cell(field, None) == Parsed(None)
    parsed = parse_cell(field, _sample(field))
    assert parsed.problem is None
    assert field_problem(field, parsed.value) is None


def test_ref_fields_give_the_cleaned_name() -> None:
    assert parse_cell(ESTATES.field("company_id"), " 上海  某某物业 ") == Parsed("上海 某某物业")


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("建筑面积（平方米）", ("建筑面积", "平方米")),
        ("面积(㎡)", ("面积", "㎡")),
        ("户数（户）", ("户数", "户")),
        ("建筑面积\n（㎡）", ("建筑面积", "㎡")),
        ("  小区 名称  ", ("小区名称", "")),
        ("*小区名称", ("小区名称", "")),
        ("小区名称*", ("小区名称", "")),
        ("小区名称※", ("小区名称", "")),
        ("小区名称＊", ("小区名称", "")),
        ("建筑面积（㎡）*", ("建筑面积", "㎡")),
        ("预算【万元】", ("预算", "万元")),
        ("预算[万元]", ("预算", "万元")),
        ("小区名称：", ("小区名称", "")),
        ("街道（镇）", ("街道", "镇")),
        ("", ("", "")),
    ],
)
def test_normalise_header(header: str, expected: tuple[str, str]) -> None:
    assert normalise_header(header) == expected


@pytest.mark.parametrize(
    ("field", "header", "matches"),
    [
        (NAME, "小区名称", True),
        (NAME, " 小区\n名称 *", True),
        (NAME, "物业管理区域", True),
        (NAME, "小区名", True),
        (NAME, "小区编码", False),
        (AREA, "建筑面积（平方米）", True),
        (AREA, "总建筑面积(㎡)", True),
        (AREA, "占地面积", False),
        (HOUSEHOLDS, "户数（户）", True),
        (HOUSEHOLDS, "总户数", True),
        (STREET, "街道（镇）", True),
        (STREET, "街道(镇)", True),
        (STREET, "街道/镇", True),
        (FEE, "物业费（元/㎡·月）", True),
        (NAME, "", False),
    ],
)
def test_header_matches(field: Field, header: str, matches: bool) -> None:
    assert header_matches(field, header) is matches


# --- streets and 居委会 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("曹杨新村街道", "曹杨新村街道"),
        ("曹杨", "曹杨新村街道"),
        ("曹杨街道", "曹杨新村街道"),
        ("曹杨新村街道办事处", "曹杨新村街道"),
        ("曹杨街道办", "曹杨新村街道"),
        (" 曹杨新村\u3000街道 ", "曹杨新村街道"),
        ("普陀区曹杨新村街道", "曹杨新村街道"),
        ("长征镇人民政府", "长征镇"),
        ("长征镇政府", "长征镇"),
        ("长征", "长征镇"),
        ("桃浦镇", "桃浦镇"),
        ("真如镇", "真如镇街道"),
        ("真如", "真如镇街道"),
        ("长风新村街道", "长风新村街道"),
        ("万里街道", "万里街道"),
    ],
)
def test_street_from_text(raw: str, expected: str) -> None:
    street = street_from_text(raw)
    assert street is not None
    assert street.name == expected


@pytest.mark.parametrize("raw", ["", "  ", "徐汇区", "人民政府", "江宁路街道"])
def test_street_from_text_unknown(raw: str) -> None:
    assert street_from_text(raw) is None


@pytest.mark.parametrize(
    "spellings",
    [
        ("兰溪路第一居委会", "兰溪一居委", "兰溪一居民委员会", "兰溪1居委", "兰溪１居委会", " 兰溪路第一 居委会"),
        ("曹杨新村第三居委会", "曹杨新村三居委", "曹杨新村街道曹杨新村第三居民委员会"),
        ("中远两湾城居委会", "中远两湾城社区居委会", "中远两湾城居委"),
    ],
)
def test_neighbourhood_key_brings_spellings_together(spellings: tuple[str, ...]) -> None:
    assert len({neighbourhood_key(s) for s in spellings}) == 1


def test_neighbourhood_key_keeps_different_committees_apart() -> None:
    assert neighbourhood_key("兰溪一居委") != neighbourhood_key("兰溪二居委")
    assert neighbourhood_key("兰溪一居委") != neighbourhood_key("兰岭一居委")


CELLS = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789０１２３４５６７８９,，.．-－/年月日号万元㎡%％约户 "),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
)


@given(st.sampled_from([f for f in ALL_FIELDS if f.type is not FieldType.REF]), CELLS)
def test_any_cell_gives_a_valid_value_or_a_problem(field: Field, raw: object) -> None:
    parsed = parse_cell(field, raw)
    if parsed.problem is not None:
        assert parsed.value is None
        assert parsed.problem
    elif parsed.value is not None:
        assert field_problem(field, parsed.value) is None, (raw, parsed)


@given(st.text(alphabet=st.sampled_from(list("曹杨一村12 \t\n\u3000\u200bＡ１ａ（）-")), max_size=12))
def test_the_fast_path_of_clean_text_changes_nothing_the_full_cleaning_would(text: str) -> None:
    full = " ".join(text.translate(parsing._ZERO_WIDTH).translate(parsing._FULL_WIDTH_ALNUM).split())
    assert clean_text(text) == full


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("——————", True),
        ("－－－－－－", True),
        ("//////", True),
        ("　　　　　　", True),
        (" - - - - - ", True),
        ("n/a", True),
        ("暂无", True),
        ("梅川一村第二居委会", False),
        ("N/A（未填）", False),
        ("-3号楼东侧车棚", False),
    ],
)
def test_long_and_short_placeholders(text: str, empty: bool) -> None:
    assert is_placeholder(text) is empty
