"""The 提醒 page, fed by a stand-in reminders service of the real shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from gui_helpers import street_id, wait_loaded
from PySide6.QtCore import Qt

from putuo_community.domain import rules
from putuo_community.domain.rules import Rule
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.models import OVERDUE_COLOUR
from putuo_community.gui.pages.reminders_page import RemindersPage
from putuo_community.services import Services


@dataclass(frozen=True)
class FakeReminder:
    estate_id: int | None
    estate_name: str
    street_name: str
    category: str
    subject: str
    message: str
    due_on: date | None
    overdue: bool
    rule: Rule


@dataclass
class FakeReminders:
    """Same call as ReminderService.list; remembers what it was asked. Set before the window opens: it
    computes the reminders in the background as soon as it has settled."""

    reminders: list[FakeReminder]
    calls: list[dict[str, Any]] = field(default_factory=list)

    def list(self, *, today: date, street_id: int | None = None) -> list[FakeReminder]:
        self.calls.append({"today": today, "street_id": street_id})
        return list(self.reminders)


@pytest.fixture
def fake_reminders(services: Services, estates: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> FakeReminders:
    fake = FakeReminders(
        [
            FakeReminder(
                estates["曹杨新村"],
                "曹杨新村",
                "曹杨新村街道",
                "换届",
                "第3届业委会（2026-04-30届满）",
                "向街镇书面报告换届",
                date(2025, 11, 30),
                True,
                rules.RENEWAL_REPORT,
            ),
            FakeReminder(
                estates["万里城"],
                "万里城",
                "万里街道",
                "电梯",
                "电梯 31103100000000000016",
                "2011年投用，满15年应进行安全评估",
                date(2026, 5, 1),
                False,
                rules.LIFT_ASSESSMENT,
            ),
            FakeReminder(
                None,
                "",
                "",
                "信用",
                "上海曹杨物业管理有限公司",
                "记分到期",
                date(2026, 2, 1),
                False,
                rules.CREDIT_ACTIVE,
            ),
        ]
    )
    monkeypatch.setattr(services, "reminders", fake)
    return fake


@pytest.fixture
def page(qtbot, fake_reminders: FakeReminders, window: MainWindow) -> RemindersPage:
    shown = window.show_page("reminders")
    assert isinstance(shown, RemindersPage)
    wait_loaded(qtbot, shown)
    return shown


def shown_subjects(page: RemindersPage) -> list[str]:
    return [page.model.row_object(row).subject for row in range(page.model.rowCount())]


def test_reminders_are_listed_for_today(page: RemindersPage, fake_reminders: FakeReminders) -> None:
    assert page.model.rowCount() == 3
    assert fake_reminders.calls[-1] == {"today": date.today(), "street_id": None}
    assert page.status_text.endswith("3 条提醒，其中 1 条已逾期")


def test_overdue_rows_are_red(page: RemindersPage) -> None:
    columns = page.model.columnCount()
    overdue_row = shown_subjects(page).index("第3届业委会（2026-04-30届满）")
    for column in range(columns):
        brush = page.model.index(overdue_row, column).data(Qt.ItemDataRole.ForegroundRole)
        assert brush is not None
        assert brush.color() == OVERDUE_COLOUR
    other = shown_subjects(page).index("电梯 31103100000000000016")
    assert page.model.index(other, 0).data(Qt.ItemDataRole.ForegroundRole) is None


def test_basis_column_names_the_rule_and_quotes_it(page: RemindersPage) -> None:
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    basis = headers.index("依据")
    row = shown_subjects(page).index("电梯 31103100000000000016")
    index = page.model.index(row, basis)
    assert index.data() == rules.LIFT_ASSESSMENT.title
    assert rules.LIFT_ASSESSMENT.text in index.data(Qt.ItemDataRole.ToolTipRole)
    assert rules.LIFT_ASSESSMENT.source in index.data(Qt.ItemDataRole.ToolTipRole)


def test_category_filter(qtbot, page: RemindersPage) -> None:
    categories = [page.category_filter.itemText(i) for i in range(page.category_filter.count())]
    assert categories[0] == "全部类别"
    assert sorted(categories[1:]) == sorted(["信用", "换届", "电梯"])
    page.category_filter.setCurrentIndex(page.category_filter.findData("电梯"))
    assert shown_subjects(page) == ["电梯 31103100000000000016"]
    assert page.status_text.endswith("1 条提醒，其中 0 条已逾期")
    page.category_filter.setCurrentIndex(0)
    assert page.model.rowCount() == 3


def test_street_filter_asks_the_service_for_one_street(qtbot, page: RemindersPage, services, fake_reminders) -> None:
    qtbot.waitUntil(lambda: page.street_filter.count() == 11)
    wanted = street_id(services, "万里")
    page.street_filter.setCurrentIndex(page.street_filter.findData(wanted))
    qtbot.waitUntil(lambda: fake_reminders.calls[-1]["street_id"] == wanted and not page.loading)


def test_search_box_filters_reminders(page: RemindersPage) -> None:
    page.search_edit.setText("万里")
    assert shown_subjects(page) == ["电梯 31103100000000000016"]
    page.search_edit.setText("")
    assert page.model.rowCount() == 3


def test_enter_on_a_reminder_opens_its_estate_at_the_section_of_the_work(qtbot, page: RemindersPage) -> None:
    row = shown_subjects(page).index("第3届业委会（2026-04-30届满）")
    page.view.setCurrentIndex(page.model.index(row, 0))
    page.view.setFocus()
    with qtbot.waitSignal(page.open_estate_requested) as opened:
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    estate_id, section = opened.args
    assert section == "committee"  # a 换届 reminder: the committee section
    assert page.model.row_object(row).estate_id == estate_id


def test_a_reminder_opens_the_estate_window_through_the_main_window(
    qtbot, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    reminders = window.page("reminders")
    assert isinstance(reminders, RemindersPage)
    reminders.open_estate_requested.emit(estates["万里城"], "lifts")
    estate_window = window.estate_windows[estates["万里城"]]
    assert estate_window.current_section() == "lifts"


def test_the_real_reminder_service_has_the_shape_the_page_reads(services: Services) -> None:
    from putuo_community.services.reminders import Reminder

    assert set(Reminder._fields) == set(FakeReminder.__dataclass_fields__)
    assert services.reminders.list(today=date(2026, 1, 1)) == []


def shown_estates(page: RemindersPage) -> list[str]:
    return [page.model.row_object(row).estate_name for row in range(page.model.rowCount())]


def column_of(page: RemindersPage, header: str) -> int:
    return [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())].index(header)


@pytest.mark.usefixtures("chinese_locale")  # before the page: its sort keys are computed as it loads
def test_a_header_click_sorts_in_chinese_order_blanks_last_and_a_reload_keeps_it(
    qtbot, page: RemindersPage, fake_reminders: FakeReminders
) -> None:
    estate = column_of(page, "小区")
    page.view.sortByColumn(estate, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: shown_estates(page) == ["曹杨新村", "万里城", ""])  # cáo before wàn
    page.view.sortByColumn(estate, Qt.SortOrder.DescendingOrder)  # sorted as soon as the keys are ready
    qtbot.waitUntil(lambda: shown_estates(page) == ["万里城", "曹杨新村", ""])
    calls = len(fake_reminders.calls)
    page.refresh()
    qtbot.waitUntil(lambda: len(fake_reminders.calls) > calls and not page.loading)
    assert shown_estates(page) == ["万里城", "曹杨新村", ""]
    page.view.sortByColumn(column_of(page, "到期日"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: shown_subjects(page)[0] == "第3届业委会（2026-04-30届满）")
    assert [page.model.row_object(r).due_on for r in range(3)] == [
        date(2025, 11, 30),
        date(2026, 2, 1),
        date(2026, 5, 1),
    ]


def test_search_and_category_together_keep_the_reminder_the_cursor_is_on(qtbot, page: RemindersPage) -> None:
    row = shown_subjects(page).index("电梯 31103100000000000016")
    page.view.setCurrentIndex(page.model.index(row, 2))
    page.category_filter.setCurrentIndex(page.category_filter.findData("电梯"))
    page.search_edit.setText("万里 评估")
    assert shown_subjects(page) == ["电梯 31103100000000000016"]
    assert page.view.currentIndex().row() == 0
    assert page.view.currentIndex().column() == 2
    page.search_edit.setText("万里 曹杨")  # every word must be found
    assert page.model.rowCount() == 0
    assert page.status_text.endswith("0 条提醒，其中 0 条已逾期")
    page.search_edit.setText("")  # back where the cursor was, though it was hidden a moment
    page.category_filter.setCurrentIndex(0)
    assert page.model.rowCount() == 3
    assert page.model.row_object(page.view.currentIndex().row()).subject == "电梯 31103100000000000016"


@pytest.mark.usefixtures("chinese_locale")
def test_a_sort_keeps_the_cursor_on_its_reminder(qtbot, page: RemindersPage) -> None:
    qtbot.waitUntil(lambda: not page.model.missing_sort_keys())
    lift = "电梯 31103100000000000016"
    page.view.setCurrentIndex(page.model.index(shown_subjects(page).index(lift), 2))
    for header, order, row in (("小区", Qt.SortOrder.AscendingOrder, 1), ("到期日", Qt.SortOrder.DescendingOrder, 0)):
        page.view.sortByColumn(column_of(page, header), order)
        assert shown_subjects(page)[row] == lift  # by 到期日 it moves from the second row to the first
        assert (page.view.currentIndex().row(), page.view.currentIndex().column()) == (row, 2)


def test_the_filtered_and_sorted_model_passes_qt_model_tester(qtbot, qtmodeltester, page: RemindersPage) -> None:
    page.view.sortByColumn(column_of(page, "事项"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not page.model.missing_sort_keys())
    page.search_edit.setText("曹杨")
    qtmodeltester.check(page.model, force_py=True)


def test_back_to_every_street_shows_the_district_at_once(qtbot, page: RemindersPage, services, fake_reminders) -> None:
    qtbot.waitUntil(lambda: page.street_filter.count() == 11)
    page.street_filter.setCurrentIndex(page.street_filter.findData(street_id(services, "万里")))
    qtbot.waitUntil(lambda: fake_reminders.calls[-1]["street_id"] is not None and not page.loading)
    calls = len(fake_reminders.calls)
    page.street_filter.setCurrentIndex(0)
    assert not page.loading  # the window's reminders of the whole district, computed already
    assert page.model.rowCount() == 3
    assert len(fake_reminders.calls) == calls
