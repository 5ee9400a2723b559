"""Calendar arithmetic for rule deadlines: month and year steps clamped to month end, working days."""

from __future__ import annotations

import calendar
from collections.abc import Collection
from datetime import date, timedelta


def add_months(d: date, n: int) -> date:
    """Step ``n`` calendar months; a day past the new month's end clamps to it (1-31 + 1 月 = 2-28/29)."""
    month_index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(month_index, 12)
    if d.day <= 28:  # every month has it: no need to ask the calendar (a hot path at district scale)
        return date(year, month0 + 1, d.day)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


def add_years(d: date, n: int) -> date:
    """Step ``n`` years; 2-29 lands on 2-28 in a common year."""
    return add_months(d, 12 * n)


def is_working_day(
    d: date,
    holidays: Collection[date] = frozenset(),
    *,
    extra_working_days: Collection[date] = frozenset(),
) -> bool:
    """Mon–Fri and not a holiday; ``extra_working_days`` are weekend make-up days (调休上班)."""
    if d in extra_working_days:
        return True
    return d.weekday() < 5 and d not in holidays


def add_working_days(
    start: date,
    n: int,
    holidays: Collection[date] = frozenset(),
    *,
    extra_working_days: Collection[date] = frozenset(),
) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted; n=0 gives ``start``)."""
    if n < 0:
        raise ValueError("工作日天数不能为负数")
    current = start
    remaining = n
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays, extra_working_days=extra_working_days):
            remaining -= 1
    return current
