"""The official holiday calendar the deadlines count on: the chinese-calendar library, plus the years an
administrator enters when the library lags behind the State Council's notice (published each autumn).

The library is read here and nowhere else; what it knows becomes plain `YearArrangement`s, so the
rules (domain/workdays.py) stay testable with any calendar. Entered years are a district setting:
they live in the database (every clerk counts on the same calendar) and each change is in the history.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.errors import UserError
from putuo_community.domain.workdays import (
    SOURCE_LIBRARY,
    SOURCE_LOCAL,
    WorkCalendar,
    YearArrangement,
    arrangement_problems,
)
from putuo_community.services.history import ChangeWriter
from putuo_community.services.permissions import Permissions
from putuo_community.storage.database import Database
from putuo_community.storage.schema import app_settings

log = logging.getLogger(__name__)

CALENDAR_KEY = "calendar.official_arrangements"
CALENDAR_TITLE = "法定节假日安排（管理员录入）"
# Years tried when asking the library what it knows (it raises for a year it has no data for).
_FIRST_YEAR = 2004
_LOOK_AHEAD_YEARS = 3


@functools.cache
def library_arrangements() -> tuple[YearArrangement, ...]:
    """Every year chinese-calendar knows, as arrangements (read once: about 8,000 look-ups)."""
    try:
        import chinese_calendar
    except ImportError:  # a broken install: deadlines fall back to Mon–Fri and say so
        log.warning("chinese-calendar is not installed; working days are counted Monday to Friday")
        return ()
    found = []
    for year in range(_FIRST_YEAR, date.today().year + _LOOK_AHEAD_YEARS + 1):
        try:
            holidays, workdays = set(), set()
            day = date(year, 1, 1)
            while day.year == year:
                working = chinese_calendar.is_workday(day)
                if day.weekday() < 5 and not working:
                    holidays.add(day)
                elif day.weekday() >= 5 and working:
                    workdays.add(day)
                day += timedelta(days=1)
        except NotImplementedError:  # the library has no data for this year
            continue
        found.append(YearArrangement(year, frozenset(holidays), frozenset(workdays), SOURCE_LIBRARY))
    return tuple(found)


def _encode(arrangement: YearArrangement) -> dict[str, Any]:
    return {
        "holidays": sorted(d.isoformat() for d in arrangement.holidays),
        "workdays": sorted(d.isoformat() for d in arrangement.workdays),
        "note": arrangement.note,
    }


def _decode(data: Mapping[str, Any]) -> list[YearArrangement]:
    result = []
    for year_text, entry in data.items():
        if not isinstance(entry, Mapping):
            continue
        try:
            year = int(year_text)
            holidays = frozenset(date.fromisoformat(str(d)) for d in entry.get("holidays", ()))
            workdays = frozenset(date.fromisoformat(str(d)) for d in entry.get("workdays", ()))
        except ValueError:
            log.warning("ignoring an unreadable entered arrangement for %s", year_text)
            continue
        result.append(YearArrangement(year, holidays, workdays, SOURCE_LOCAL, str(entry.get("note", ""))))
    return sorted(result, key=lambda a: a.year)


def entered_arrangements(conn: Connection) -> list[YearArrangement]:
    """The years an administrator entered, oldest first."""
    text = conn.scalar(select(app_settings.c.value).where(app_settings.c.key == CALENDAR_KEY))
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        log.warning("the entered holiday arrangements are not JSON; ignoring them")
        return []
    return _decode(data) if isinstance(data, dict) else []


def load_calendar(conn: Connection) -> WorkCalendar:
    """The library's years with the entered ones on top (an entered year replaces the library's)."""
    return WorkCalendar({a.year: a for a in library_arrangements()}).with_arrangements(entered_arrangements(conn))


def _summary(arrangement: YearArrangement | None) -> str:
    if arrangement is None:
        return ""
    return f"放假 {len(arrangement.holidays)} 天，调休上班 {len(arrangement.workdays)} 天"


class CalendarService:
    """Reads the official calendar and keeps the years an administrator enters.

    Entering is for administrators (LOCAL_POLICY); with accounts off, anyone with write access may.
    """

    def __init__(self, database: Database, *, user: str, actor: Actor | None = None) -> None:
        self.database = database
        self.user = user
        self.permissions = Permissions(database, actor or Actor.local(user))

    def calendar(self) -> WorkCalendar:
        with self.database.read() as conn:
            return load_calendar(conn)

    def library_years(self) -> tuple[int, ...]:
        return tuple(a.year for a in library_arrangements())

    def entered(self) -> list[YearArrangement]:
        with self.database.read() as conn:
            return entered_arrangements(conn)

    def set_year(self, year: int, *, holidays: Iterable[date], workdays: Iterable[date], note: str = "") -> None:
        """Enter (or replace) one year's arrangement; refused with the reasons when it cannot be right."""
        self.permissions.require(Action.LOCAL_POLICY)
        holidays, workdays = frozenset(holidays), frozenset(workdays)
        problems = arrangement_problems(year, holidays, workdays)
        if problems:
            raise UserError(f"{year}年节假日安排未保存：" + "；".join(problems) + "。")
        self._write({year: YearArrangement(year, holidays, workdays, SOURCE_LOCAL, note.strip())}, ())

    def remove_year(self, year: int) -> None:
        """Forget an entered year (the library's arrangement, if any, applies again)."""
        self._write({}, (year,))

    def import_file(self, path: Path) -> list[int]:
        """Enter the years of a JSON file {"2027": {"holidays": [...], "workdays": [...], "note": ""}}."""
        self.permissions.require(Action.LOCAL_POLICY)
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise UserError(f"无法读取文件“{path.name}”：{exc.strerror or exc}") from exc
        except ValueError as exc:
            raise UserError(f"文件“{path.name}”不是有效的 JSON：{exc}") from exc
        if not isinstance(data, dict) or not data:
            raise UserError(f'文件“{path.name}”中没有节假日安排（应为 {{"2027": {{"holidays": [...]}}}} 的形式）。')
        arrangements = _decode(data)
        if len(arrangements) != len(data):
            raise UserError(f"文件“{path.name}”中有无法识别的年份或日期（日期应写成 2027-01-01）。")
        problems = [
            f"{a.year}年：{p}" for a in arrangements for p in arrangement_problems(a.year, a.holidays, a.workdays)
        ]
        if problems:
            raise UserError("节假日安排未导入：" + "；".join(problems) + "。")
        self._write({a.year: a for a in arrangements}, ())
        return [a.year for a in arrangements]

    def _write(self, new: Mapping[int, YearArrangement], removed: Iterable[int]) -> None:
        self.permissions.require(Action.LOCAL_POLICY)
        with self.database.transaction() as conn:
            current = {a.year: a for a in entered_arrangements(conn)}
            merged = {**current, **new}
            for year in removed:
                merged.pop(year, None)
            items = {
                f"{year}年": (_summary(current.get(year)), _summary(merged.get(year)))
                for year in sorted(set(current) | set(merged))
                if current.get(year) != merged.get(year)
            }
            if not items:
                return
            conn.execute(delete(app_settings).where(app_settings.c.key == CALENDAR_KEY))
            if merged:
                value = json.dumps({str(y): _encode(a) for y, a in sorted(merged.items())}, ensure_ascii=False)
                conn.execute(insert(app_settings).values(key=CALENDAR_KEY, value=value))
            writer = ChangeWriter(conn, user=self.user, kind="设置", description="修改法定节假日安排")
            writer.setting_changed(CALENDAR_KEY, CALENDAR_TITLE, items)
