"""`putuo-community reminders`: what needs action now, as a table, a CSV for Excel or json for other programs."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import sys
from datetime import date
from typing import Any, TextIO

from putuo_community.cli.common import street_id_of
from putuo_community.domain.errors import UserError
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.services import Services
from putuo_community.services.reminders.core import Reminder
from putuo_community.services.reminders.view import KINDS, as_dict, days_left, is_backlog, rule_in_force, split

FORMATS = ("table", "csv", "json")
CSV_HEADERS = (
    "状态",
    "到期日",
    "剩余天数",
    "街镇",
    "小区",
    "类别",
    "事项",
    "说明",
    "依据",
    "依据出处",
    "依据有效性",
)
BOM = "\ufeff"  # Excel reads a CSV without it in the system's code page, and the Chinese comes out garbled


def add_reminder_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    reminders = commands.add_parser(
        "reminders",
        parents=[common],
        help="列出需要办理的提醒（换届、业委会、年度审计、合同、电梯、维修资金、信用）",
        description="默认列出逾期一年以内和近期到期的提醒；逾期更久的（长期未办）加 --all 一并列出。",
    )
    reminders.add_argument("--street", metavar="街镇", help="只看一个街镇，例如 长征 或 长征镇")
    reminders.add_argument("--kind", metavar="类别", help="只看一类：" + "、".join(KINDS))
    reminders.add_argument(
        "--within", type=_days, metavar="天数", help="列出今后多少天内到期的（默认按本区设置，一般为 90 天）"
    )
    reminders.add_argument("--overdue", action="store_true", help="只列出已逾期的")
    reminders.add_argument("--all", action="store_true", help="连同逾期超过一年的长期未办一并列出")
    reminders.add_argument("--format", choices=FORMATS, default="table", help="输出格式：table（默认）、csv 或 json")
    reminders.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD", help="按哪一天计算（默认今天）")


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"天数应为整数，而不是“{text}”") from None
    if not 0 <= value <= 3660:
        raise argparse.ArgumentTypeError("天数应在 0 到 3660 之间")
    return value


def run_reminders(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    kind = getattr(args, "kind", None)
    if kind is not None and kind not in KINDS:
        raise UserError(f"没有“{kind}”这一类提醒。可选的类别：{'、'.join(KINDS)}。")
    street_id = street_id_of(services, args.street) if args.street else None
    today = args.date or date.today()
    within = getattr(args, "within", None)
    policy = services.reminders.policy()
    # Read as far ahead as asked: the service leaves out what lies beyond its horizon.
    wide = dataclasses.replace(policy, horizon_days=max(policy.horizon_days, within or 0))
    view = split(
        services.reminders.list(today=today, street_id=street_id, policy=wide),
        today=today,
        policy=policy,
        within_days=within,
    )
    show_all = bool(getattr(args, "all", False))
    current = [r for r in view.current if kind is None or r.category == kind]
    backlog = [r for r in view.backlog if kind is None or r.category == kind]
    chosen = current + backlog if show_all else current
    if args.overdue:
        chosen = [r for r in chosen if r.overdue]
    left_out = 0 if show_all else len(backlog)
    closing = _closing_line(chosen, left_out, today, policy.backlog_after_days)
    try:
        _write(getattr(args, "format", "table"), chosen, today, policy, closing, out)
    except BrokenPipeError:
        _quiet_after_broken_pipe(out)
    return 0


def _closing_line(chosen: list[Reminder], left_out: int, today: date, backlog_after_days: int) -> str:
    overdue = sum(1 for r in chosen if r.overdue)
    line = f"共 {len(chosen)} 条提醒，其中逾期 {overdue} 条（按 {today.isoformat()} 计算）。"
    if left_out:
        line += f"另有长期未办（逾期超过 {backlog_after_days} 天）{left_out} 条未列出，加 --all 一并列出。"
    return line


def _write(fmt: str, chosen: list[Reminder], today: date, policy: ReminderPolicy, closing: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump([as_dict(r, today, policy) for r in chosen], out, ensure_ascii=False, indent=2)
        out.write("\n")
        out.flush()
        print(closing, file=sys.stderr)  # stdout stays pure json
        return
    if fmt == "csv":
        out.write(BOM)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_HEADERS)
        for r in chosen:
            writer.writerow(_csv_row(r, today, policy))
        out.flush()
        print(closing, file=sys.stderr)
        return
    for r in chosen:
        due = r.due_on.isoformat() if r.due_on else "—"
        basis = f"依据：{r.rule.title}"
        if not rule_in_force(r.rule, today):
            basis += f"（⚠ {r.rule.validity_note(today)}）"
        print(
            f"{_state(r, today, policy)}\t{due}\t{r.street_name}\t{r.estate_name}\t{r.category}\t{r.message}\t{basis}",
            file=out,
        )
    print(closing, file=out)
    out.flush()


def _state(r: Reminder, today: date, policy: ReminderPolicy) -> str:
    if is_backlog(r, today, policy):
        return "长期未办"
    if r.overdue:
        return "逾期"
    return "将到期" if r.due_on is not None else "待办"


def _csv_row(r: Reminder, today: date, policy: ReminderPolicy) -> list[str]:
    left = days_left(r, today)
    validity = "有效" if rule_in_force(r.rule, today) else r.rule.validity_note(today)
    return [
        _state(r, today, policy),
        r.due_on.isoformat() if r.due_on else "",
        "" if left is None else str(left),
        r.street_name,
        r.estate_name,
        r.category,
        r.subject,
        r.message,
        r.rule.title,
        r.rule.source,
        validity,
    ]


def _quiet_after_broken_pipe(out: TextIO) -> None:
    """The reader went away (`| head`): stop without a traceback, and keep Python's last flush from raising."""
    try:
        fileno = out.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)
