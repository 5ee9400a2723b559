"""The district's own reminder settings (本地口径): how far ahead to remind and the local time limits.

Published rules fix the deadlines; how early a clerk is told of one, and the few limits no
document states (the time for a Ⅱ类 lift's risk-control plan), are the district's choice. An
administrator changes them; every change goes in the history, marked as local policy.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ReminderPolicy:
    horizon_days: int = 90  # upcoming deadlines are shown this far ahead
    backlog_after_days: int = 365  # overdue longer than this: 长期未办, a backlog rather than today's news
    renewal_watch_months: int = 6  # 换届 steps are watched from this long before the term ends
    credit_expiry_days: int = 30  # a score about to lapse is mentioned this long before
    periodic_ahead_days: int = 30  # yearly and half-yearly duties (审计, 账目公布) are reminded this long before
    risk_plan_days: int = 30  # a Ⅱ类 lift's risk-control plan is due this long after its assessment


POLICY_LABELS: dict[str, str] = {
    "horizon_days": "提前提醒天数",
    "backlog_after_days": "逾期多少天后列入长期未办",
    "renewal_watch_months": "换届提前关注月数",
    "credit_expiry_days": "信用记分期满提前提醒天数",
    "periodic_ahead_days": "年度审计、账目公布提前提醒天数",
    "risk_plan_days": "Ⅱ类风险电梯防控方案期限（评估后天数）",
}

_LIMITS: dict[str, tuple[int, int]] = {
    "horizon_days": (7, 366),
    "backlog_after_days": (90, 3660),
    "renewal_watch_months": (5, 12),  # never shorter than the 5-month report deadline
    "credit_expiry_days": (0, 180),
    "periodic_ahead_days": (0, 180),
    "risk_plan_days": (1, 365),
}


def policy_problems(policy: ReminderPolicy) -> list[str]:
    """Why these settings cannot be kept (empty when they can)."""
    problems = []
    for f in fields(ReminderPolicy):
        value = getattr(policy, f.name)
        low, high = _LIMITS[f.name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(f"{POLICY_LABELS[f.name]}应为{low}到{high}之间的整数")
    return problems
