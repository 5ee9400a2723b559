"""The window computes the district's reminders ahead: the 提醒 page opens on them, the status bar counts
the overdue ones, and a write that can change a reminder brings new ones without F5."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from gui_helpers import make_lift, wait_loaded

from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.reminders_page import RemindersPage
from putuo_community.gui.reminder_feed import FOLLOW_DELAY_MS
from putuo_community.services import Services


class CountingReminders:
    """The real reminders service, counting how often the whole district is computed."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls = 0

    def list(self, *, today: date, street_id: int | None = None) -> list[Any]:
        self.calls += 1
        return self.real.list(today=today, street_id=street_id)


@pytest.fixture
def counting(services: Services, monkeypatch: pytest.MonkeyPatch) -> CountingReminders:
    counter = CountingReminders(services.reminders)
    monkeypatch.setattr(services, "reminders", counter)
    return counter


def overdue_text(window: MainWindow) -> str:
    return window.overdue_label.text() if window.overdue_label.isVisibleTo(window) else ""


def test_the_reminders_are_computed_once_the_window_settles_and_the_page_opens_on_them(
    qtbot, counting: CountingReminders, services: Services, estates: dict[str, int], window: MainWindow
) -> None:
    make_lift(services, estates["万里城"], "31103100000000000099", first_use_on=date(2005, 6, 1))
    qtbot.waitUntil(lambda: window.reminder_feed.ready, timeout=5000)
    computed = counting.calls
    assert computed >= 1

    page = window.show_page("reminders")
    assert isinstance(page, RemindersPage)
    assert page.has_loaded
    assert not page.loading
    assert [page.model.row_object(r).subject for r in range(page.model.rowCount())] == ["电梯 31103100000000000099"]
    assert counting.calls == computed


def test_the_status_bar_counts_the_overdue_reminders_and_a_click_opens_them(
    qtbot, services: Services, estates: dict[str, int], window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: window.reminder_feed.ready, timeout=5000)
    assert overdue_text(window) == ""  # nothing overdue: no count shown

    make_lift(services, estates["万里城"], "31103100000000000099", first_use_on=date(2005, 6, 1))
    make_lift(services, estates["曹杨新村"], "31103100000000000098", first_use_on=date(2006, 6, 1))
    qtbot.waitUntil(lambda: "逾期提醒 2 条" in overdue_text(window), timeout=5000)

    window.overdue_label.linkActivated.emit("reminders")
    page = window.current_page
    assert isinstance(page, RemindersPage)
    wait_loaded(qtbot, page)
    assert page.model.rowCount() == 2
    assert page.model.overdue_count() == 2


def test_a_write_shown_on_the_open_page_without_f5_and_others_cost_nothing(
    qtbot, counting: CountingReminders, services: Services, estates: dict[str, int], window: MainWindow
) -> None:
    page = window.show_page("reminders")
    assert isinstance(page, RemindersPage)
    wait_loaded(qtbot, page)
    assert page.model.rowCount() == 0

    lift = make_lift(services, estates["万里城"], "31103100000000000099", first_use_on=date(2005, 6, 1))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    version = services.records.get("lifts", lift).version
    services.records.update("lifts", lift, {"assessed_on": date(2021, 3, 1)}, expected_version=version)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)  # assessed after its 15th year

    qtbot.waitUntil(lambda: window.reminder_feed.ready and not window.reminder_feed.computing, timeout=5000)
    calls = counting.calls
    services.records.create("buildings", {"estate_id": estates["万里城"], "number": "1号"})  # no reminder reads it
    qtbot.wait(FOLLOW_DELAY_MS * 3)
    assert counting.calls == calls
    assert window.reminder_feed.ready
