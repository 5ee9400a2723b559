"""The official working-day calendar (法定节假日 and 调休): which days count when a rule says "N 个工作日".

A year is known when its arrangement is given: the weekdays that are holidays and the
Saturdays and Sundays that are make-up working days (调休上班). Where the counting runs
into a year no arrangement covers, it falls back to Monday–Friday and says so, so a
deadline never pretends to a precision it does not have.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

# Where an arrangement came from: the bundled library, or an administrator who typed it in.
SOURCE_LIBRARY = "chinese-calendar"
SOURCE_LOCAL = "本地录入"


@dataclass(frozen=True)
class YearArrangement:
    """One year's official arrangement (国务院办公厅关于某年部分节假日安排的通知)."""

    year: int
    holidays: frozenset[date]  # days off; weekends inside a holiday span may be listed or not
    workdays: frozenset[date]  # Saturdays and Sundays worked in exchange (调休上班)
    source: str = SOURCE_LIBRARY
    note: str = ""  # the notice it comes from (文号), as the administrator gives it


@dataclass(frozen=True)
class Deadline:
    """The day a count of working days ends on, and whether every day counted was on a known year."""

    on: date
    estimated: bool = False  # some day counted lay in a year without an arrangement (Mon–Fri assumed)
    unknown_years: tuple[int, ...] = ()

    @property
    def note(self) -> str:
        """ "（2027年节假日安排未知，按周一至周五推算）" when estimated; "" otherwise."""
        if not self.estimated:
            return ""
        years = "、".join(str(y) for y in self.unknown_years)
        return f"（{years}年节假日安排未知，按周一至周五推算）"

    def describe(self) -> str:
        """The date as shown, with the note when it is only estimated."""
        return self.on.isoformat() + self.note


@dataclass(frozen=True)
class WorkCalendar:
    """Working days on the official calendar for the years it has an arrangement for."""

    arrangements: Mapping[int, YearArrangement] = field(default_factory=dict)

    @property
    def known_years(self) -> tuple[int, ...]:
        return tuple(sorted(self.arrangements))

    def knows(self, day: date) -> bool:
        return day.year in self.arrangements

    def known_span(self) -> str:
        """ "2004–2026年", or "无" when nothing is known: for messages."""
        years = self.known_years
        if not years:
            return "无"
        contiguous = years[-1] - years[0] + 1 == len(years)
        if contiguous:
            return f"{years[0]}–{years[-1]}年" if len(years) > 1 else f"{years[0]}年"
        return "、".join(str(y) for y in years) + "年"

    def is_working_day(self, day: date) -> bool:
        """A make-up weekend day works; a holiday does not; otherwise Monday to Friday."""
        arrangement = self.arrangements.get(day.year)
        if arrangement is not None:
            if day in arrangement.workdays:
                return True
            if day in arrangement.holidays:
                return False
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted: 第二日起算)."""
        if n < 0:
            raise ValueError("工作日天数不能为负数")
        current, remaining = start, n
        unknown: set[int] = set()
        while remaining > 0:
            current += timedelta(days=1)
            if current.year not in self.arrangements:
                unknown.add(current.year)
            if self.is_working_day(current):
                remaining -= 1
        return Deadline(current, bool(unknown), tuple(sorted(unknown)))

    def with_arrangements(self, extra: Iterable[YearArrangement]) -> WorkCalendar:
        """This calendar with ``extra`` years added; an extra year replaces the same year's arrangement."""
        merged = dict(self.arrangements)
        merged.update({a.year: a for a in extra})
        return WorkCalendar(merged)


# -- an arrangement typed in by an administrator -------------------------------------------------

_DAY = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"
_RANGE = re.compile(rf"^{_DAY}(?:\s*(?:至|到|~|～|—|–|-{{1,2}})\s*{_DAY})?$")


def parse_days(text: str) -> list[date]:
    """Dates one per line or separated by commas; a line may be a span: "2027-10-01 至 2027-10-07".

    Raises ValueError naming the line it cannot read.
    """
    days: list[date] = []
    for raw in re.split(r"[\n,，;；、]+", text):
        line = raw.strip()
        if not line:
            continue
        match = _RANGE.match(line)
        if match is None:
            raise ValueError(f"无法识别的日期：“{line}”（应写成 2027-10-01，或 2027-10-01 至 2027-10-07）")
        try:
            first = date(int(match[1]), int(match[2]), int(match[3]))
            last = date(int(match[4]), int(match[5]), int(match[6])) if match[4] else first
        except ValueError:
            raise ValueError(f"不存在的日期：“{line}”") from None
        if last < first:
            raise ValueError(f"日期范围的结束早于开始：“{line}”")
        if (last - first).days > 31:
            raise ValueError(f"日期范围超过一个月：“{line}”，请检查")
        days.extend(first + timedelta(days=n) for n in range((last - first).days + 1))
    return sorted(set(days))


def arrangement_problems(year: int, holidays: Iterable[date], workdays: Iterable[date]) -> list[str]:
    """Why an arrangement typed in cannot be right; empty when it can be saved."""
    holidays, workdays = set(holidays), set(workdays)
    problems = []
    if not 2000 <= year <= 2100:
        problems.append(f"年份 {year} 不在 2000–2100 之间")
    outside = sorted(d for d in holidays | workdays if d.year != year)
    if outside:
        problems.append("以下日期不在" + f"{year}年：" + "、".join(d.isoformat() for d in outside[:5]))
    weekdays = sorted(d for d in workdays if d.weekday() < 5)
    if weekdays:
        problems.append(
            "调休上班日应为周六或周日，以下日期本来就是工作日：" + "、".join(d.isoformat() for d in weekdays[:5])
        )
    both = sorted(holidays & workdays)
    if both:
        problems.append("以下日期既是放假日又是调休上班日：" + "、".join(d.isoformat() for d in both[:5]))
    if not any(d.weekday() < 5 for d in holidays):
        problems.append("没有落在工作日的放假日期（至少应有元旦、春节、国庆等假期）")
    return problems
