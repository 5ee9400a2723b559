"""Residential lift rules: age, 15-year assessment, risk classes, 审价, remote monitoring, 加装电梯 subsidy."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from putuo_community.domain.dates import add_years

ASSESSMENT_AGE_YEARS = 15
PRICE_AUDIT_ABOVE_YUAN = Decimal(50_000)
REMOTE_MONITORING_DEADLINE = date(2027, 12, 31)
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


def needs_assessment(first_use_on: date, last_assessment_on: date | None, today: date) -> bool:
    """In service 15 years or more and not assessed on or after the 15-year date."""
    due = assessment_due_on(first_use_on)
    if today < due:
        return False
    return last_assessment_on is None or last_assessment_on < due


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


def needs_price_audit(cost_yuan: Decimal) -> bool:
    """Repair, modernisation or replacement works over ¥50,000 need 审价."""
    return cost_yuan > PRICE_AUDIT_ABOVE_YUAN


def remote_monitoring_overdue(has_monitoring: bool, today: date) -> bool:
    return not has_monitoring and today > REMOTE_MONITORING_DEADLINE


def lift_addition_subsidy(construction_cost_yuan: Decimal) -> Decimal:
    """40 % of the construction cost, at most ¥280,000 per lift, rounded to the fen."""
    if construction_cost_yuan < 0:
        raise ValueError("施工金额不能为负数")
    subsidy = min(construction_cost_yuan * ADDITION_SUBSIDY_RATE, ADDITION_SUBSIDY_CAP_YUAN)
    return subsidy.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
