"""Lift reminders: the 15-year assessment, Ⅰ类 risks, remote monitoring."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, and_, false, func, literal, or_

from putuo_community.domain import rules
from putuo_community.domain.dates import add_years
from putuo_community.domain.lifts import (
    ASSESSMENT_AGE_YEARS,
    REMOTE_MONITORING_DEADLINE,
    assessment_due_on,
    needs_assessment,
)
from putuo_community.services.reminders.core import DATE_SLACK, Reminder, Scan
from putuo_community.storage.schema import TABLES


def _candidates(scan: Scan) -> ColumnElement[bool]:
    """Lifts that may need a reminder: the rules below decide."""
    lifts = TABLES["lifts"]
    # 15 years in service by the horizon (2-29 clamps to 2-28: hence the slack).
    fifteen_years = lifts.c.first_use_on <= add_years(scan.horizon, -ASSESSMENT_AGE_YEARS) + DATE_SLACK
    if scan.conn.dialect.name == "sqlite":
        # and not assessed since its 15th anniversary (SQLite's 2-29 + 15 years is 3-1: later, so looser).
        anniversary = func.date(lifts.c.first_use_on, literal(f"+{ASSESSMENT_AGE_YEARS} years"))
        fifteen_years = and_(fifteen_years, or_(lifts.c.assessed_on.is_(None), lifts.c.assessed_on < anniversary))
    candidates = [
        fifteen_years,
        and_(
            lifts.c.risk_class == "Ⅰ类",
            or_(lifts.c.action_status.is_(None), lifts.c.action_status != "已完成"),
            or_(lifts.c.assessed_on.is_(None), lifts.c.assessed_on <= scan.horizon),
        ),
    ]
    if scan.horizon >= REMOTE_MONITORING_DEADLINE:
        candidates.append(or_(lifts.c.remote_monitoring.is_(None), lifts.c.remote_monitoring == false()))
    return or_(*candidates)


def reminders(scan: Scan) -> Iterator[Reminder]:
    lifts = TABLES["lifts"]
    columns = (
        "estate_id",
        "registration_code",
        "first_use_on",
        "assessed_on",
        "risk_class",
        "action_status",
        "remote_monitoring",
    )
    for lift in scan.rows(lifts, *(lifts.c[k] for k in columns), where=_candidates(scan)):
        code = lift.registration_code
        if needs_assessment(lift.first_use_on, lift.assessed_on, scan.horizon):
            due = assessment_due_on(lift.first_use_on)
            r = scan.reminder(
                lift,
                "电梯",
                f"电梯 {code}",
                f"{lift.first_use_on.year}年投用，满15年应进行安全评估",
                due,
                rules.LIFT_ASSESSMENT,
            )
            if r:
                yield r
        if lift.risk_class == "Ⅰ类" and lift.action_status != "已完成":
            r = scan.reminder(
                lift,
                "电梯",
                f"电梯 {code}",
                "评估为Ⅰ类风险：应停用并修理、改造或更新",
                lift.assessed_on,
                rules.LIFT_ASSESSMENT,
            )
            if r:
                yield r
        if not lift.remote_monitoring:
            r = scan.reminder(
                lift,
                "电梯",
                f"电梯 {code}",
                "尚未安装远程监测装置（2027年底前全覆盖）",
                REMOTE_MONITORING_DEADLINE,
                rules.LIFT_REMOTE_MONITORING,
            )
            if r:
                yield r
