"""The window computes the district's reminders ahead: the 提醒 page opens on them, the status bar counts
the overdue ones (what needs action now; the 长期未办 in its tooltip), and a write that can change a reminder,
or a change of the district's reminder settings, brings new ones without F5."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from gui_helpers import make_lift, wait_loaded

from putuo_community.domain.dates import add_years
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.reminders_page import RemindersPage
from putuo_community.gui.reminder_feed import FOLLOW_DELAY_MS
from putuo_community.services import Services

TODAY = date.today()
# A lift whose 15th year of service ended 100 days ago: its assessment is overdue, but not for a year.
RECENTLY_DUE = add_years(TODAY, -15) - timedelta(days=100)
LONG_OVERDUE = date(2005, 6, 1)  # 15 years in 2020: 长期未办


class CountingReminders:
    """The real reminders service, counting how often the whole district is computed."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls = 0

    def list(self, *, today: date, street_id: int | None = None, policy: ReminderPolicy | None = None) -> list[Any]:
        self.calls += 1
        return self.real.list(today=today, street_id=street_id, policy=policy)

    def policy(self) -> ReminderPolicy:
        return self.real.policy()


@pytest.fixture
def counting(services: Services, monkeypatch: pytest.MonkeyPatch) -> CountingReminders:
    counter = CountingReminders(services.reminders)
    monkeypatch.setattr(services, "reminders", counter)
    return counter


def lifts_shown(page: RemindersPage) -> list[str]:
    """The lift reminders on the page (the estates' other deadlines, whatever the rules give, are left aside)."""
    return [r.subject for r in page.model.shown() if r.category == "电梯"]


def overdue_text(window: MainWindow) -> str:
    return window.overdue_label.text() if window.overdue_label.isVisibleTo(window) else ""


def test_the_reminders_are_computed_once_the_window_settles_and_the_page_opens_on_them(
    qtbot, counting: CountingReminders, services: Services, estates: dict[str, int], window: MainWindow
) -> None:
    make_lift(services, estates["万里城"], "31103100000000000099", first_use_on=RECENTLY_DUE)
    qtbot.waitUntil(lambda: window.reminder_feed.ready, timeout=5000)
    computed = counting.calls
    assert computed >= 1

    page = window.show_page("reminders")
    assert isinstance(page, RemindersPage)
    assert page.has_loaded
    assert not page.loading
    assert lifts_shown(page) == ["电梯 31103100000000000099"]
    assert counting.calls == computed


def test_the_status_bar_counts_the_overdue_reminders_and_a_click_opens_them(
    qtbot, services: Services, estates: dict[str, int], window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: window.reminder_feed.ready, timeout=5000)
    before = window.reminder_feed.overdue_count or 0  # the estates' other deadlines
    backlog = window.reminder_feed.backlog_count or 0

    make_lift(services, estates["万里城"], "31103100000000000099", first_use_on=RECENTLY_DUE)
    make_lift(services, estates["曹杨新村"], "31103100000000000098", first_use_on=RECENTLY_DUE)
    make_lift(services, estates["曹杨新村"], "31103100000000000097", first_use_on=LONG_OVERDUE)  # 长期未办: not counted
    qtbot.waitUntil(lambda: f"逾期提醒 {before + 2} 条" in overdue_text(window), timeout=5000)
    assert f"长期未办（逾期超过一年）{backlog + 1} 条" in window.overdue_label.toolTip()

    window.overdue_label.linkActivated.emit("reminders")
    page = window.current_page
    assert isinstance(page, RemindersPage)
    wait_loaded(qtbot, page)
    assert sorted(lifts_shown(page)) == ["电梯 31103100000000000098", "电梯 31103100000000000099"]
    assert page.model.overdue_count() == before + 2


def test_a_write_shown_on_the_open_page_without_f5_and_others_cost_nothing(
    qtbot, counting: CountingReminders, services: Services, estates: dict[str, int], window: MainWindow
) -> None:
    page = window.show_page("reminders")
    assert isinstance(page, RemindersPage)
    wait_loaded(qtbot, page)
    assert lifts_shown(page) == []

    lift = make_lift(services, estates["万里城"], "31103100000000000099", first_use_on=RECENTLY_DUE)
    qtbot.waitUntil(lambda: len(lifts_shown(page)) == 1, timeout=5000)
    version = services.records.get("lifts", lift).version
    assessed = add_years(RECENTLY_DUE, 15) + timedelta(days=10)
    services.records.update("lifts", lift, {"assessed_on": assessed}, expected_version=version)
    qtbot.waitUntil(lambda: lifts_shown(page) == [], timeout=5000)  # assessed after its 15th year

    qtbot.waitUntil(lambda: window.reminder_feed.ready and not window.reminder_feed.computing, timeout=5000)
    calls = counting.calls
    services.records.create("buildings", {"estate_id": estates["万里城"], "number": "1号"})  # no reminder reads it
    qtbot.wait(FOLLOW_DELAY_MS * 3)
    assert counting.calls == calls
    assert window.reminder_feed.ready


def test_a_change_of_the_reminder_settings_is_followed_without_f5(
    qtbot, services: Services, estates: dict[str, int], window: MainWindow
) -> None:
    make_lift(services, estates["万里城"], "31103100000000000099", first_use_on=RECENTLY_DUE)
    page = window.show_page("reminders")
    assert isinstance(page, RemindersPage)
    wait_loaded(qtbot, page)
    assert lifts_shown(page) == ["电梯 31103100000000000099"]

    # 长期未办 after 90 days rather than a year: the lift overdue for 100 days moves to the backlog.
    policy = replace(services.reminder_settings.policy(), backlog_after_days=90)
    assert services.reminder_settings.save_policy(policy)
    qtbot.waitUntil(lambda: lifts_shown(page) == [], timeout=5000)
    page.show_backlog(True)
    assert lifts_shown(page) == ["电梯 31103100000000000099"]
    assert page.tabs.tabText(1).startswith("长期未办（")
