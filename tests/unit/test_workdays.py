"""The official calendar the 15-working-day objection deadline counts on, pinned against the State Council's
arrangements for 2024 (国办发明电〔2023〕7号), 2025 (国办发明电〔2024〕12号) and 2026 (国办发明电〔2025〕7号)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from putuo_community.domain.credit import objection_deadline
from putuo_community.domain.workdays import (
    SOURCE_LOCAL,
    WorkCalendar,
    YearArrangement,
    arrangement_problems,
    parse_days,
)
from putuo_community.services.workdays import library_arrangements


@pytest.fixture(scope="module")
def official() -> WorkCalendar:
    """The bundled library, up to 2026 (a newer library may know 2027; these tests need a year it does not)."""
    return WorkCalendar({a.year: a for a in library_arrangements() if a.year <= 2026})


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


# The make-up working days (调休上班) of each notice: all Saturdays or Sundays.
MAKE_UP_DAYS = {
    2024: {date(2024, 2, 4), date(2024, 2, 18), date(2024, 4, 7), date(2024, 4, 28), date(2024, 5, 11)}
    | {date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12)},
    2025: {date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)},
    2026: {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20)}
    | {date(2026, 10, 10)},
}
# The days off of each notice (weekends inside a span included).
DAYS_OFF = {
    2024: _span(date(2024, 2, 10), date(2024, 2, 17))
    | _span(date(2024, 10, 1), date(2024, 10, 7))
    | _span(date(2024, 5, 1), date(2024, 5, 5))
    | _span(date(2024, 9, 15), date(2024, 9, 17))
    | {date(2024, 1, 1), date(2024, 4, 4), date(2024, 4, 5), date(2024, 6, 10)},
    2025: _span(date(2025, 1, 28), date(2025, 2, 4))
    | _span(date(2025, 10, 1), date(2025, 10, 8))
    | _span(date(2025, 5, 1), date(2025, 5, 5))
    | _span(date(2025, 5, 31), date(2025, 6, 2))
    | {date(2025, 1, 1), date(2025, 4, 4)},
    2026: _span(date(2026, 2, 15), date(2026, 2, 23))
    | _span(date(2026, 10, 1), date(2026, 10, 7))
    | _span(date(2026, 1, 1), date(2026, 1, 3))
    | _span(date(2026, 5, 1), date(2026, 5, 5))
    | _span(date(2026, 4, 4), date(2026, 4, 6))
    | {date(2026, 6, 19), date(2026, 9, 25)},
}


def test_the_library_knows_the_years_the_deadlines_need(official: WorkCalendar) -> None:
    assert {2024, 2025, 2026} <= set(official.known_years)
    assert official.known_span().endswith("年")


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_make_up_days_are_working_days_and_no_other_weekend_is(official: WorkCalendar, year: int) -> None:
    day, worked_weekends = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() >= 5 and official.is_working_day(day):
            worked_weekends.add(day)
        day += timedelta(days=1)
    assert worked_weekends == MAKE_UP_DAYS[year]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_days_off_are_not_working_days(official: WorkCalendar, year: int) -> None:
    assert not any(official.is_working_day(d) for d in DAYS_OFF[year])
    weekdays_off = {d for d in DAYS_OFF[year] if d.weekday() < 5}
    day, found = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() < 5 and not official.is_working_day(day):
            found.add(day)
        day += timedelta(days=1)
    assert found >= weekdays_off


@pytest.mark.parametrize(
    ("accepted", "deadline", "what"),
    [
        # The issue's example: Mon–Fri counting gives 10-18; the 调休 Sunday 9-29, 国庆 and Saturday 10-12 give 10-23.
        (date(2024, 9, 27), date(2024, 10, 23), "2024 国庆"),
        (date(2024, 2, 2), date(2024, 2, 28), "2024 春节, Sundays 2-4 and 2-18 worked"),
        (date(2025, 1, 24), date(2025, 2, 20), "2025 春节, Sunday 1-26 and Saturday 2-8 worked"),
        (date(2025, 9, 26), date(2025, 10, 23), "2025 国庆中秋, Sunday 9-28 and Saturday 10-11 worked"),
        (date(2026, 2, 12), date(2026, 3, 11), "2026 春节, Saturdays 2-14 and 2-28 worked"),
        (date(2026, 9, 30), date(2026, 10, 27), "2026 国庆, Saturday 10-10 worked"),
    ],
)
def test_fifteen_working_days_on_the_official_calendar(
    official: WorkCalendar, accepted: date, deadline: date, what: str
) -> None:
    found = objection_deadline(accepted, official)
    assert (found.on, found.estimated) == (deadline, False), what


def test_a_make_up_saturday_counts_as_a_working_day(official: WorkCalendar) -> None:
    assert official.is_working_day(date(2024, 10, 12))  # Saturday, 调休上班
    assert not official.is_working_day(date(2024, 10, 13))  # the Sunday after
    # Accepted Friday 2024-10-11: the next working day is that Saturday.
    assert official.add_working_days(date(2024, 10, 11), 1).on == date(2024, 10, 12)


def test_weekdays_only_would_be_wrong_on_the_issues_example() -> None:
    assert objection_deadline(date(2024, 9, 27)).on == date(2024, 10, 18)  # no calendar: Mon–Fri only


def test_a_deadline_past_the_known_years_says_it_is_estimated(official: WorkCalendar) -> None:
    found = objection_deadline(date(2026, 12, 20), official)
    assert (found.on, found.estimated, found.unknown_years) == (date(2027, 1, 8), True, (2027,))
    assert found.describe() == "2027-01-08（2027年节假日安排未知，按周一至周五推算）"
    assert not objection_deadline(date(2026, 11, 2), official).estimated  # ends 11-23: all within 2026


def test_an_entered_year_is_counted_on(official: WorkCalendar) -> None:
    # An administrator enters 2027 (only 元旦 here, a Friday): the deadline moves a working day and is no estimate.
    new_year = YearArrangement(2027, frozenset({date(2027, 1, 1)}), frozenset(), SOURCE_LOCAL)
    found = objection_deadline(date(2026, 12, 20), official.with_arrangements([new_year]))
    assert (found.on, found.estimated) == (date(2027, 1, 11), False)


def test_typed_dates_and_spans() -> None:
    assert parse_days("2027-10-01 至 2027-10-03\n2027年9月26日, 2027.10.9") == [
        date(2027, 9, 26),
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
        date(2027, 10, 9),
    ]
    with pytest.raises(ValueError, match="无法识别"):
        parse_days("十月一日")
    with pytest.raises(ValueError, match="不存在"):
        parse_days("2027-02-30")


def test_an_arrangement_that_cannot_be_right_is_refused() -> None:
    assert arrangement_problems(2027, [date(2027, 1, 1)], [date(2027, 2, 6)]) == []  # 2-6 is a Saturday
    problems = arrangement_problems(2027, [date(2027, 1, 1), date(2028, 1, 3)], [date(2027, 2, 8)])
    assert any("不在2027年" in p for p in problems)
    assert any("调休上班日应为周六或周日" in p for p in problems)
