"""Lift reminders: the 15-year assessment, Ⅰ类 risks, Ⅱ类 risk-control plans, 审价, remote monitoring."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, false, func, literal, or_

from putuo_community.domain import rules
from putuo_community.domain.dates import add_years
from putuo_community.domain.lifts import (
    ACTION_DONE,
    ASSESSMENT_AGE_YEARS,
    PRICE_AUDIT_ABOVE_YUAN,
    REMOTE_MONITORING_DEADLINE,
    RiskClass,
    assessment_due_on,
    needs_assessment,
    needs_risk_plan,
    price_audit_missing,
    risk_plan_due_on,
)
from putuo_community.services.reminders.core import DATE_SLACK, Reminder, Scan
from putuo_community.storage.schema import TABLES

_COST_SLACK = 1  # yuan: amounts SQLite keeps as floating point are judged exactly (in Decimal) by the rule


def _candidates(scan: Scan) -> ColumnElement[bool]:
    """Lifts that may need a reminder, by tests looser than the rules: the rules below decide."""
    lifts = TABLES["lifts"]
    not_done = or_(lifts.c.action_status.is_(None), lifts.c.action_status != ACTION_DONE)
    # 15 years in service by the horizon (2-29 clamps to 2-28: hence the slack).
    fifteen_years = lifts.c.first_use_on <= add_years(scan.horizon, -ASSESSMENT_AGE_YEARS) + DATE_SLACK
    if scan.conn.dialect.name == "sqlite":
        # and not assessed since a year before its 15th anniversary (SQLite's 2-29 + 14 years is 3-1:
        # later than the rule's 2-28, so looser).
        counts_from = func.date(lifts.c.first_use_on, literal(f"+{ASSESSMENT_AGE_YEARS - 1} years"))
        fifteen_years = and_(fifteen_years, or_(lifts.c.assessed_on.is_(None), lifts.c.assessed_on < counts_from))
    assessed_by_horizon = or_(lifts.c.assessed_on.is_(None), lifts.c.assessed_on <= scan.horizon)
    candidates = [
        fifteen_years,
        and_(lifts.c.risk_class == RiskClass.I.value, not_done, assessed_by_horizon),
        and_(
            lifts.c.risk_class == RiskClass.II.value,
            lifts.c.risk_plan_on.is_(None),
            not_done,
            or_(
                lifts.c.assessed_on.is_(None),
                lifts.c.assessed_on <= scan.horizon - timedelta(days=scan.policy.risk_plan_days),
            ),
        ),
        and_(lifts.c.action_cost > PRICE_AUDIT_ABOVE_YUAN - _COST_SLACK, lifts.c.price_audit_on.is_(None)),
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
        "risk_plan_on",
        "action_cost",
        "price_audit_on",
        "action_status",
        "remote_monitoring",
    )
    plan_days = scan.policy.risk_plan_days
    # No lift first used after this can be 15 years old by the horizon: the rule need not be asked.
    latest_first_use = add_years(scan.horizon, -ASSESSMENT_AGE_YEARS) + DATE_SLACK
    class_one, class_two = RiskClass.I.value, RiskClass.II.value
    monitoring_due = scan.horizon >= REMOTE_MONITORING_DEADLINE  # before then no lift is reminded of it
    for lift in scan.rows(lifts, *(lifts.c[k] for k in columns), where=_candidates(scan)):
        # Unpacked once: a district has tens of thousands of candidates, and each attribute costs a lookup.
        _, code, first_use_on, assessed_on, risk_class, plan_on, cost, audited_on, status, monitored = lift[:10]
        subject = f"电梯 {code}"
        if first_use_on <= latest_first_use and needs_assessment(first_use_on, assessed_on, scan.horizon):
            r = scan.reminder(
                lift,
                "电梯",
                subject,
                f"{first_use_on.year}年投用，满15年应进行安全评估（满15年前1年内的评估有效）",
                assessment_due_on(first_use_on),
                rules.LIFT_ASSESSMENT,
            )
            if r:
                yield r
        if risk_class == class_one and status != ACTION_DONE:
            r = scan.reminder(
                lift, "电梯", subject, "评估为Ⅰ类风险：应停用并修理、改造或更新", assessed_on, rules.LIFT_ASSESSMENT
            )
            if r:
                yield r
        if risk_class == class_two and needs_risk_plan(risk_class, plan_on, status):
            r = scan.reminder(
                lift,
                "电梯",
                subject,
                f"评估为Ⅱ类风险，尚未登记风险防控方案：应在评估后{plan_days}日内制定（本区口径）",
                risk_plan_due_on(assessed_on, plan_days),
                rules.LIFT_RISK_PLAN,
            )
            if r:
                yield r
        if cost is not None and price_audit_missing(cost, audited_on):
            r = scan.reminder(
                lift,
                "电梯",
                subject,
                f"处置费用{cost:,.2f}元，超过5万元，应进行审价（尚未登记审价日期）",
                None,  # a standing finding: see price_audit_missing
                rules.LIFT_PRICE_AUDIT,
            )
            if r:
                yield r
        if monitoring_due and not monitored:
            r = scan.reminder(
                lift,
                "电梯",
                subject,
                "尚未安装远程监测装置（2027年底前全覆盖）",
                REMOTE_MONITORING_DEADLINE,
                rules.LIFT_REMOTE_MONITORING,
            )
            if r:
                yield r
