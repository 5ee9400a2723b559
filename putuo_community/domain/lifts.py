"""Residential lift rules: age, 15-year assessment, risk classes, 审价, remote monitoring, 加装电梯 subsidy."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from putuo_community.domain.dates import add_years

ASSESSMENT_AGE_YEARS = 15
PRICE_AUDIT_ABOVE_YUAN = Decimal(50_000)
REMOTE_MONITORING_DEADLINE = date(2027, 12, 31)
ACTION_DONE = "已完成"  # 处置进度 when the repair, modernisation or replacement is finished
ADDITION_SUBSIDY_RATE = Decimal("0.40")
ADDITION_SUBSIDY_CAP_YUAN = Decimal(280_000)


def lift_age_years(first_use_on: date, today: date) -> int:
    """Whole years in service; a lift first used on 2-29 turns a year older on 2-28 in common years."""
    years = today.year - first_use_on.year
    if add_years(first_use_on, years) > today:
        years -= 1
    return max(years, 0)  # a first-use date in the future means not yet in service


def assessment_due_on(first_use_on: date) -> date:
    return add_years(first_use_on, ASSESSMENT_AGE_YEARS)


def assessment_counts_from(first_use_on: date) -> date:
    """The first day an assessment counts for the 15-year one: a year before the 15th anniversary.

    Of a lift first used on 2-29 the anniversary is 2-28 (`add_years`), and the window opens on the
    2-28 a year before it.
    """
    return add_years(assessment_due_on(first_use_on), -1)


def needs_assessment(first_use_on: date, last_assessment_on: date | None, today: date) -> bool:
    """In service 15 years or more, and not assessed on or after `assessment_counts_from`.

    An assessment in the year before the 15th anniversary counts (the day a year before it too);
    one done earlier does not.
    """
    due = assessment_due_on(first_use_on)
    if today < due:
        return False
    # The day a year before the due date (`assessment_counts_from`), without stepping the calendar twice.
    return last_assessment_on is None or last_assessment_on < add_years(due, -1)


class RiskClass(Enum):
    I = "Ⅰ类"  # noqa: E741 - Ⅰ类 is the official name of the class
    II = "Ⅱ类"
    NONE = "无"

    @property
    def label(self) -> str:
        return self.value

    @property
    def action(self) -> str:
        return _RISK_ACTIONS[self]


_RISK_ACTIONS = {
    RiskClass.I: "停用并整改（修理、改造或更新）",
    RiskClass.II: "制定并落实风险防控方案",
    RiskClass.NONE: "按常规维保",
}


def needs_risk_plan(risk_class: str | None, risk_plan_on: date | None, action_status: str | None) -> bool:
    """A Ⅱ类 lift without a recorded risk-control plan, whose works are not 已完成."""
    return risk_class == RiskClass.II.value and risk_plan_on is None and action_status != ACTION_DONE


def risk_plan_due_on(assessed_on: date | None, plan_days: int) -> date | None:
    """The plan is due `plan_days` after the assessment: a local limit (`ReminderPolicy.risk_plan_days`),
    no published document fixes one. None when the assessment date is not recorded."""
    return assessed_on + timedelta(days=plan_days) if assessed_on is not None else None


def needs_price_audit(cost_yuan: Decimal) -> bool:
    """Repair, modernisation or replacement works over ¥50,000 need 审价 (exactly ¥50,000 does not)."""
    return cost_yuan > PRICE_AUDIT_ABOVE_YUAN


def price_audit_missing(cost_yuan: Decimal | None, price_audit_on: date | None) -> bool:
    """Works over ¥50,000 with no 审价 date recorded.

    A standing finding with no due date: the register keeps no date the works were settled on, from
    which a 审价 deadline could be counted, so it is flagged until the 审价 date is entered.
    """
    return cost_yuan is not None and needs_price_audit(cost_yuan) and price_audit_on is None


def remote_monitoring_overdue(has_monitoring: bool, today: date) -> bool:
    return not has_monitoring and today > REMOTE_MONITORING_DEADLINE


def lift_addition_subsidy(construction_cost_yuan: Decimal) -> Decimal:
    """40 % of the construction cost, at most ¥280,000 per lift, rounded to the fen."""
    if construction_cost_yuan < 0:
        raise ValueError("施工金额不能为负数")
    subsidy = min(construction_cost_yuan * ADDITION_SUBSIDY_RATE, ADDITION_SUBSIDY_CAP_YUAN)
    return subsidy.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
