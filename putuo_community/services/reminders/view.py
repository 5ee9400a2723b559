"""Which reminders need action now, which are 长期未办, and how each reads: shared by the 提醒 page and the CLI.

What needs action now: deadlines passed within the district's `backlog_after_days`, deadlines within
its `horizon_days`, and standing findings that carry no date. A deadline passed longer ago is a
backlog (an estate without a committee since 1992, a lift never assessed): counted and listed apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from putuo_community.domain.policies import Validity
from putuo_community.domain.registers.dossier import DOSSIER_SECTIONS, section_of_register
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.domain.rules import Rule
from putuo_community.services.reminders.core import SECTION_OF_CATEGORY, Reminder

# The kinds of reminder, in the order a clerk meets them (the CLI's --kind, the page's groups).
KINDS: tuple[str, ...] = ("换届", "业委会组建", "业委会", "年度审计", "物业合同", "电梯", "维修资金", "信用")


def days_left(reminder: Reminder, today: date) -> int | None:
    """Days until the deadline: negative once it has passed, None for a finding without a date."""
    return None if reminder.due_on is None else (reminder.due_on - today).days


def is_backlog(reminder: Reminder, today: date, policy: ReminderPolicy) -> bool:
    """Overdue by more than the policy's `backlog_after_days`: 长期未办."""
    left = days_left(reminder, today)
    return reminder.overdue and left is not None and -left > policy.backlog_after_days


def is_current(reminder: Reminder, today: date, policy: ReminderPolicy, *, within_days: int | None = None) -> bool:
    """Needs action now: overdue but not a backlog, due within the horizon (`within_days` if given), or undated."""
    left = days_left(reminder, today)
    if left is None:
        return True
    if reminder.overdue:
        return not is_backlog(reminder, today, policy)
    return left <= (policy.horizon_days if within_days is None else within_days)


@dataclass(frozen=True)
class ReminderView:
    """The reminders as of `today` split in two: what needs action now (`current`), most urgent first,
    and the 长期未办 (`backlog`), longest overdue first."""

    today: date
    policy: ReminderPolicy
    current: list[Reminder] = field(default_factory=list)
    backlog: list[Reminder] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        """Overdue items of the current view (the 长期未办 are counted apart)."""
        return sum(1 for r in self.current if r.overdue)


def split(
    reminders: Iterable[Reminder], *, today: date, policy: ReminderPolicy, within_days: int | None = None
) -> ReminderView:
    """`reminders` (in the service's order: overdue first, then by due date) as the current view and the backlog.

    Upcoming deadlines beyond the horizon (or `within_days`) are left out of both.
    """
    current, backlog = [], []
    for r in reminders:
        if is_backlog(r, today, policy):
            backlog.append(r)
        elif is_current(r, today, policy, within_days=within_days):
            current.append(r)
    return ReminderView(today, policy, current, backlog)


def section_of(category: str) -> str:
    """The key of the estate window's section where a reminder of `category` is worked on."""
    for section in DOSSIER_SECTIONS:
        if category in section.reminder_categories:
            return section.key
    register = SECTION_OF_CATEGORY.get(category)
    return section_of_register(register) if register is not None else "basic"


def rule_in_force(rule: Rule, today: date) -> bool:
    return rule.validity_on(today) is Validity.IN_FORCE


def as_dict(reminder: Reminder, today: date, policy: ReminderPolicy) -> dict[str, Any]:
    """One reminder as plain data (the CLI's json): text, ISO dates, numbers, booleans and nulls only."""
    rule = reminder.rule
    return {
        "estate": reminder.estate_name or None,
        "estate_id": reminder.estate_id,
        "street": reminder.street_name or None,
        "kind": reminder.category,
        "item": reminder.subject,
        "message": reminder.message,
        "due_on": reminder.due_on.isoformat() if reminder.due_on is not None else None,
        "days_left": days_left(reminder, today),
        "overdue": reminder.overdue,
        "backlog": is_backlog(reminder, today, policy),
        "rule": {
            "code": rule.code,
            "title": rule.title,
            "text": rule.text,
            "citation": rule.source,
            "in_force": rule_in_force(rule, today),
            "validity_note": rule.validity_note(today),
        },
    }
