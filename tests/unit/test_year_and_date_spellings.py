"""Cells as real 街镇 ledgers spell them: years written as 年.月 or as dates, dates typed with IME dashes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from putuo_community.domain.fields import Field
from putuo_community.domain.parsing import Parsed, parse_cell
from putuo_community.domain.registers import COMMITTEE_MEMBERS, ESTATES, REGISTERS

COMPLETION_YEAR = ESTATES.field("completion_year")
BIRTH_YEAR = COMMITTEE_MEMBERS.field("birth_year")
BATCH_YEAR = REGISTERS["projects"].field("batch_year")
HOUSEHOLDS = ESTATES.field("households")
DELIVERED = ESTATES.field("first_delivery_on")


def test_the_year_fields_are_the_ones_the_registers_declare() -> None:
    years = sorted(f"{r.key}.{f.key}" for r in REGISTERS.values() for f in r.fields if f.is_year)
    assert years == [
        "buildings.completion_year",
        "committee_members.birth_year",
        "estates.completion_year",
        "projects.batch_year",
    ]
    assert not HOUSEHOLDS.is_year


# --- years ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("1993.10", 1993),  # 年.月, the commonest spelling in 街镇 ledgers
        ("2016.5", 2016),
        ("2016.12", 2016),
        ("1998年10月", 1998),
        ("一九九八年十月", 1998),
        ("1998-10-01", 1998),
        ("1998.10.01", 1998),
        ("1998年10月1日", 1998),
        ("1998/10", 1998),
        ("1998—10—01", 1998),
        ("1998一10", 1998),
        (1993.1, 1993),  # "1993.10" typed into a number cell: Excel keeps 1993.1
        (2016.5, 2016),
        (2016.12, 2016),
        (datetime(1998, 10, 1), 1998),  # an Excel date cell
        (datetime(1998, 10, 1, 9, 30), 1998),
        (date(1998, 10, 1), 1998),
    ],
)
def test_a_year_written_with_its_month_or_day_keeps_the_year_with_a_note(raw: object, year: int) -> None:
    assert parse_cell(COMPLETION_YEAR, raw) == Parsed(year, warning=f"按日期取年份：{year}")


@pytest.mark.parametrize("field", [BIRTH_YEAR, BATCH_YEAR, REGISTERS["buildings"].field("completion_year")])
def test_every_year_field_reads_year_and_month(field: Field) -> None:
    assert parse_cell(field, "2016.5") == Parsed(2016, warning="按日期取年份：2016")
    assert parse_cell(field, 2016.1) == Parsed(2016, warning="按日期取年份：2016")


@pytest.mark.parametrize("raw", [1998, 1998.0, "1998", "1998年", "１９９８", "１９９８年", "一九九八年", " 1998 "])
def test_a_plain_year_is_read_without_a_note(raw: object) -> None:
    assert parse_cell(COMPLETION_YEAR, raw) == Parsed(1998)


def test_a_year_typed_into_a_date_formatted_cell_is_the_year_typed() -> None:
    # Excel shows 1998 in a cell formatted as a date as 1905-06-20, and that is what the file holds.
    parsed = parse_cell(COMPLETION_YEAR, datetime(1905, 6, 20))
    assert parsed.value == 1998
    assert parsed.warning == "单元格为日期格式（显示为 1905-06-20），按所填数字 1998 计，请核对"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("abc", "无法识别的年份：abc（请写四位年份，如 1998）"),
        ("2016.13", "无法识别的年份：2016.13（请写四位年份，如 1998）"),  # no 13th month
        (2016.13, "无法识别的年份：2016.13（请写四位年份，如 1998）"),
        ("1993.100", "无法识别的年份：1993.100（请写四位年份，如 1998）"),
        ("1799.10", "超出范围：应在 1900 至 2100 之间（现为 1799）"),
        (1799.5, "超出范围：应在 1900 至 2100 之间（现为 1799）"),
        ("1799-10-01", "超出范围：应在 1900 至 2100 之间（现为 1799）"),
        ("1850", "超出范围：应在 1900 至 2100 之间（现为 1850）"),
        ("2300年5月", "超出范围：应在 1900 至 2100 之间（现为 2300）"),
        (datetime(2230, 1, 1), "超出范围：应在 1900 至 2100 之间（现为 2230）"),
        ("98.10", "年份只有两位：98.10，请写四位年份"),
        (98.1, "年份只有两位：98.1，请写四位年份"),
        (True, "应为年份，不是是/否"),
    ],
)
def test_what_is_not_a_year_is_still_refused_with_the_reason(raw: object, problem: str) -> None:
    assert parse_cell(COMPLETION_YEAR, raw) == Parsed(None, problem)


def test_a_batch_year_keeps_its_own_range() -> None:
    assert parse_cell(BATCH_YEAR, "1999.10").problem == "超出范围：应在 2000 至 2100 之间（现为 1999）"


def test_other_integers_still_refuse_fractions_and_dates() -> None:
    assert parse_cell(HOUSEHOLDS, "1993.10") == Parsed(None, "应为整数：1993.1")
    assert parse_cell(HOUSEHOLDS, datetime(1998, 10, 1)) == Parsed(None, "应为整数，不是日期")


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2019—05—01",  # em dash
        "2019——05——01",  # the IME's doubled dash
        "2019–05–01",  # en dash
        "2019－05－01",  # full-width hyphen
        "2019一05一01",  # 一 typed for a dash
        "2019一5一1",
        "2019／5／1",
        "2019～05～01",
        "2019〜05〜01",
        "２０１９一０５一０１",
        "2019—05—01 08:30",
    ],
)
def test_dates_with_the_dashes_input_methods_type(raw: str) -> None:
    assert parse_cell(DELIVERED, raw) == Parsed(date(2019, 5, 1))


def test_a_year_and_month_with_an_ime_dash_is_the_first_of_the_month() -> None:
    assert parse_cell(DELIVERED, "2019一05") == Parsed(date(2019, 5, 1), warning="只有年月，按当月1日计")


def test_one_as_a_numeral_still_reads_as_one() -> None:
    assert parse_cell(DELIVERED, "二〇一九年一月一日") == Parsed(date(2019, 1, 1))
    assert parse_cell(DELIVERED, "2019年一月") == Parsed(date(2019, 1, 1), warning="只有年月，按当月1日计")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        # Mixed separators may be a span of months; not read as the 6th of May.
        ("2019.05~06", "无法识别的日期：2019.05~06（请写成 2019-05-01）"),
        ("2019一05—01", "无法识别的日期：2019一05—01（请写成 2019-05-01）"),
        ("2019一13一01", "日期不存在：2019一13一01"),
        ("1899—05—01", "日期超出范围（1900-01-01 至 2100-12-31）：1899—05—01"),
        ("一九九八年", "只有年份，不是完整日期：一九九八年"),
    ],
)
def test_ambiguous_or_impossible_dates_are_refused(raw: str, problem: str) -> None:
    assert parse_cell(DELIVERED, raw) == Parsed(None, problem)
