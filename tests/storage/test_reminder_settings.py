"""The local reminder policy (本地口径): saved by one service method, every change in the history."""

from __future__ import annotations

from dataclasses import replace

import pytest

from putuo_community.domain.changes import Changes
from putuo_community.domain.errors import UserError
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.services import Services
from putuo_community.services.change_log import HistoryFilter
from putuo_community.services.reminders import read_policy
from putuo_community.services.reminders.settings import POLICY_KEY


def test_saving_keeps_the_policy_and_writes_each_change_to_the_history(services: Services) -> None:
    heard: list[Changes] = []
    services.changes.subscribe(heard.append)
    assert services.reminder_settings.policy() == ReminderPolicy()
    saved = services.reminder_settings.save_policy(ReminderPolicy(horizon_days=60, risk_plan_days=45))
    assert saved
    assert services.reminder_settings.policy() == ReminderPolicy(horizon_days=60, risk_plan_days=45)
    changes = [c for c in services.history.changes(HistoryFilter()) if c.register_label == "系统设置"]
    assert {(c.field_label, c.text) for c in changes} == {
        ("提前提醒天数", "90 → 60"),
        ("Ⅱ类风险电梯防控方案期限（评估后天数）", "30 → 45"),
    }
    assert all("本区管理口径" in c.record_title for c in changes)
    assert all(c.user == "测试员" for c in changes)
    assert [POLICY_KEY in c.settings for c in heard] == [True]


def test_saving_the_same_policy_writes_nothing(services: Services) -> None:
    assert not services.reminder_settings.save_policy(ReminderPolicy())
    assert services.history.changes(HistoryFilter()) == []


@pytest.mark.parametrize(
    ("field", "value", "refused"),
    [
        ("horizon_days", 6, True),  # the day below the limit
        ("horizon_days", 7, False),  # the limit itself
        ("horizon_days", 366, False),
        ("horizon_days", 367, True),
        ("renewal_watch_months", 4, True),  # shorter than the 5-month report deadline
        ("renewal_watch_months", 5, False),
    ],
)
def test_values_outside_the_limits_are_refused_with_the_reason(
    services: Services, field: str, value: int, refused: bool
) -> None:
    policy = replace(ReminderPolicy(), **{field: value})
    if refused:
        with pytest.raises(UserError, match=r"应为\d+到\d+之间的整数"):
            services.reminder_settings.save_policy(policy)
        assert services.reminder_settings.policy() == ReminderPolicy()
        assert services.history.changes(HistoryFilter()) == []
    else:
        assert services.reminder_settings.save_policy(policy)
        assert services.reminder_settings.policy() == policy


def test_the_reminders_follow_the_saved_policy(services: Services) -> None:
    services.reminder_settings.save_policy(ReminderPolicy(horizon_days=30))
    with services.database.read() as conn:
        assert read_policy(conn).horizon_days == 30
