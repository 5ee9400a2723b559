from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from putuo_community.domain.dates import (
    add_months,
    add_working_days,
    add_years,
    is_working_day,
)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2024, 8, 31), -5, date(2024, 3, 31)),
        (date(2024, 10, 31), -5, date(2024, 5, 31)),
        (date(2024, 7, 31), -5, date(2024, 2, 29)),
        (date(2024, 5, 10), 0, date(2024, 5, 10)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


def test_add_years_from_feb_29() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), -1) == date(2023, 2, 28)
    assert add_years(date(2023, 3, 1), 1) == date(2024, 3, 1)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)), st.integers(-240, 240))
def test_add_months_keeps_day_unless_clamped(d: date, n: int) -> None:
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day == d.day or (result.day < d.day and (result + timedelta(days=1)).day == 1)


def test_working_days_skip_the_weekend() -> None:
    friday = date(2024, 6, 7)
    assert add_working_days(friday, 1) == date(2024, 6, 10)  # Monday
    assert add_working_days(friday, 5) == date(2024, 6, 14)
    assert add_working_days(date(2024, 6, 8), 1) == date(2024, 6, 10)  # from a Saturday
    assert add_working_days(friday, 0) == friday


def test_working_days_skip_a_holiday() -> None:
    # 端午节 2024-06-10 (Monday) was a public holiday.
    friday = date(2024, 6, 7)
    assert add_working_days(friday, 1, frozenset({date(2024, 6, 10)})) == date(2024, 6, 11)


def test_fifteen_working_days_across_national_day() -> None:
    holidays = frozenset(date(2024, 10, d) for d in range(1, 8))
    makeup = frozenset({date(2024, 9, 29), date(2024, 10, 12)})  # 调休 Sunday and Saturday
    start = date(2024, 9, 27)  # Friday
    assert add_working_days(start, 15, holidays) == date(2024, 10, 25)
    assert add_working_days(start, 15, holidays, extra_working_days=makeup) == date(2024, 10, 23)
    assert is_working_day(date(2024, 9, 29), holidays, extra_working_days=makeup)
    assert not is_working_day(date(2024, 10, 1), holidays)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="负数"):
        add_working_days(date(2024, 1, 1), -1)
