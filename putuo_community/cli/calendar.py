"""The holiday calendar from the command line: which years are known, entering a year's arrangement
(when the bundled library lags behind the State Council's notice), and checking a deadline.

Entering is for administrators; until the program has accounts, anyone who may write to the archive may.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from putuo_community.domain.credit import OBJECTION_WORKING_DAYS, objection_deadline
from putuo_community.domain.errors import UserError
from putuo_community.domain.workdays import parse_days
from putuo_community.services import Services

EXIT_OK = 0


def add_calendar_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    calendar = commands.add_parser(
        "calendar",
        parents=[common],
        help="法定节假日安排：查看已知年份、录入新一年的放假和调休安排、推算异议处理期限",
    )
    calendar.add_argument(
        "--import", dest="import_file", type=Path, metavar="FILE.json", help='导入安排：{"2027": {"holidays": [...]}}'
    )
    calendar.add_argument("--year", type=int, metavar="YYYY", help="录入或删除这一年的安排")
    calendar.add_argument("--holidays", metavar="日期", help="放假日期，逗号分隔，可写范围：2027-10-01至2027-10-07")
    calendar.add_argument("--workdays", metavar="日期", default="", help="调休上班的周六、周日，逗号分隔")
    calendar.add_argument("--note", metavar="依据", default="", help="依据的通知（文号）")
    calendar.add_argument("--remove", action="store_true", help="与 --year 同用：删除该年的录入")
    calendar.add_argument(
        "--deadline", type=date.fromisoformat, metavar="YYYY-MM-DD", help="按异议受理日推算15个工作日的处理期限"
    )


def calendar_writes(args: argparse.Namespace) -> bool:
    """Whether the calendar command changes the archive."""
    return bool(args.import_file or args.remove or args.holidays is not None)


def run_calendar(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    calendars = services.credit.calendars
    if args.import_file:
        years = calendars.import_file(args.import_file)
        print(f"已导入 {'、'.join(str(y) for y in years)} 年的节假日安排。", file=out)
    elif args.remove:
        if args.year is None:
            raise UserError("--remove 需与 --year 同用，例如：calendar --year 2027 --remove")
        calendars.remove_year(args.year)
        print(f"已删除 {args.year} 年的录入。", file=out)
    elif args.holidays is not None:
        if args.year is None:
            raise UserError("录入安排需写明年份，例如：calendar --year 2027 --holidays 2027-01-01,...")
        try:
            holidays, workdays = parse_days(args.holidays), parse_days(args.workdays)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
        calendars.set_year(args.year, holidays=holidays, workdays=workdays, note=args.note)
        print(f"已保存 {args.year} 年的节假日安排：放假 {len(holidays)} 天，调休上班 {len(workdays)} 天。", file=out)
    calendar = services.credit.calendar()
    if args.deadline is not None:
        deadline = objection_deadline(args.deadline, calendar)
        print(
            f"异议受理日 {args.deadline.isoformat()}，{OBJECTION_WORKING_DAYS}个工作日后：{deadline.describe()}",
            file=out,
        )
        return EXIT_OK
    library = calendars.library_years()
    print(f"程序自带：{library[0]}–{library[-1]}年（chinese-calendar）" if library else "程序自带：无", file=out)
    for arrangement in calendars.entered():
        note = f"，依据：{arrangement.note}" if arrangement.note else ""
        print(
            f"已录入：{arrangement.year}年，放假 {len(arrangement.holidays)} 天，"
            f"调休上班 {len(arrangement.workdays)} 天{note}",
            file=out,
        )
    return EXIT_OK
