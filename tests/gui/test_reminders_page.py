"""The 提醒 page, fed by a stand-in reminders service of the real shape: what needs action now, the 长期未办
apart with their count, groups by kind and by estate, each row opening where its work is done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from gui_helpers import street_id, wait_loaded
from PySide6.QtCore import Qt

from putuo_community.domain import rules
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.domain.rules import Rule, cites
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.models import OVERDUE_COLOUR
from putuo_community.gui.pages.reminders_page import RemindersPage
from putuo_community.services import Services

TODAY = date.today()  # the page computes as of today: the stand-in's dates are set from it


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
    settings: ReminderPolicy = field(default_factory=ReminderPolicy)

    def list(
        self, *, today: date, street_id: int | None = None, policy: ReminderPolicy | None = None
    ) -> list[FakeReminder]:
        self.calls.append({"today": today, "street_id": street_id})
        return list(self.reminders)

    def policy(self) -> ReminderPolicy:
        return self.settings


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
                TODAY - timedelta(days=30),
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
                TODAY + timedelta(days=60),
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
                TODAY + timedelta(days=30),
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


def test_search_box_filters_reminders_once_the_typing_stops(qtbot, page: RemindersPage) -> None:
    page.search_edit.setText("万里")
    assert page.model.rowCount() == 3  # debounced: nothing filtered while the clerk types
    qtbot.waitUntil(lambda: shown_subjects(page) == ["电梯 31103100000000000016"])
    page.search_edit.setText("")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)


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
        TODAY - timedelta(days=30),
        TODAY + timedelta(days=30),
        TODAY + timedelta(days=60),
    ]


def test_search_and_category_together_keep_the_reminder_the_cursor_is_on(qtbot, page: RemindersPage) -> None:
    row = shown_subjects(page).index("电梯 31103100000000000016")
    page.view.setCurrentIndex(page.model.index(row, 2))
    page.category_filter.setCurrentIndex(page.category_filter.findData("电梯"))
    page.search_edit.setText("万里 评估")
    page.apply_search_now()  # as Enter does
    assert shown_subjects(page) == ["电梯 31103100000000000016"]
    assert page.view.currentIndex().row() == 0
    assert page.view.currentIndex().column() == 2
    page.search_edit.setText("万里 曹杨")  # every word must be found
    page.apply_search_now()
    assert page.model.rowCount() == 0
    assert page.status_text.endswith("0 条提醒，其中 0 条已逾期")
    page.search_edit.setText("")  # back where the cursor was, though it was hidden a moment
    page.apply_search_now()
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
    page.apply_search_now()
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


# -- what needs action now, the 长期未办, groups, the rule's validity -----------------------------------

COMPANY = "上海曹杨物业管理有限公司"  # the company `estates` makes
LAPSED = Rule(
    "TEST_LAPSED",
    "按2021年若干意见办理",
    "按沪房规范〔2021〕6号办理的事项。",
    citations=cites((2, "第十条")),  # 沪房规范〔2021〕6号: valid until 2026-06-30
)


@pytest.fixture
def district(services: Services, estates: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> FakeReminders:
    def reminder(estate: str | None, category: str, subject: str, due: int | None, rule: Rule) -> FakeReminder:
        due_on = None if due is None else TODAY + timedelta(days=due)
        street = {"曹杨新村": "曹杨新村街道", "万里城": "万里街道"}.get(estate or "", "")
        overdue = due is not None and due < 0
        return FakeReminder(
            estates[estate] if estate else None, estate or "", street, category, subject, "说明", due_on, overdue, rule
        )

    fake = FakeReminders(
        [
            reminder("曹杨新村", "电梯", "电梯 一年零一天", -366, rules.LIFT_ASSESSMENT),  # 长期未办
            reminder("曹杨新村", "换届", "换届 整一年", -365, rules.RENEWAL_REPORT),  # still current
            reminder("万里城", "电梯", "电梯 十天后", 10, LAPSED),
            reminder(None, "信用", COMPANY, 20, rules.CREDIT_ACTIVE),
            reminder(None, "业委会", "无小区的事项", 30, rules.OPERATION),
            reminder("万里城", "维修资金", "维修资金 不足30%", None, rules.FUND_TOPUP),  # undated finding
        ]
    )
    monkeypatch.setattr(services, "reminders", fake)
    return fake


@pytest.fixture
def district_page(qtbot, district: FakeReminders, window: MainWindow) -> RemindersPage:
    shown = window.show_page("reminders")
    assert isinstance(shown, RemindersPage)
    wait_loaded(qtbot, shown)
    return shown


def tab_texts(page: RemindersPage) -> list[str]:
    return [page.tabs.tabText(i) for i in range(page.tabs.count())]


def group_labels(page: RemindersPage) -> list[str]:
    return [page.groups.index(row, 0).data() for row in range(page.groups.rowCount())]


def test_the_page_opens_on_what_needs_action_now_with_the_long_overdue_apart(district_page: RemindersPage) -> None:
    page = district_page
    assert tab_texts(page) == ["需要办理（5）", "长期未办（1）"]
    assert "电梯 一年零一天" not in shown_subjects(page)  # overdue 366 days: a backlog, not today's news
    assert "换届 整一年" in shown_subjects(page)  # overdue 365 days: still to act on now
    assert "维修资金 不足30%" in shown_subjects(page)  # a finding without a date stays in view
    assert page.status_text.endswith("5 条提醒，其中 1 条已逾期")

    page.show_backlog(True)
    assert shown_subjects(page) == ["电梯 一年零一天"]
    assert page.status_text.startswith("长期未办")
    assert page.status_text.endswith("1 条提醒，其中 1 条已逾期")
    page.show_backlog(False)
    assert len(shown_subjects(page)) == 5


def test_the_backlog_follows_the_districts_setting(qtbot, district_page: RemindersPage, district) -> None:
    district.settings = ReminderPolicy(backlog_after_days=364)  # the 365-day one becomes a backlog too
    district_page.refresh()
    qtbot.waitUntil(lambda: tab_texts(district_page) == ["需要办理（4）", "长期未办（2）"])


def test_groups_by_kind_and_by_estate_carry_their_counts(qtbot, district_page: RemindersPage) -> None:
    page = district_page
    page.grouping.setCurrentIndex(page.grouping.findData("category"))
    assert page.views.currentWidget() is page.tree
    assert sorted(group_labels(page)) == sorted(["换届（1）", "电梯（1）", "信用（1）", "业委会（1）", "维修资金（1）"])
    assert group_labels(page)[0] == "换届（1）"  # the group of the most urgent reminder first
    assert page.groups.index(0, 1).data() == "逾期 1"

    page.grouping.setCurrentIndex(page.grouping.findData("estate"))
    assert group_labels(page) == ["曹杨新村（1）", "万里城（2）", "（不属于小区）（2）"]
    page.search_edit.setText("万里")
    page.apply_search_now()
    assert group_labels(page) == ["万里城（2）"]  # the groups follow the search

    page.search_edit.setText("")
    page.apply_search_now()
    page.show_backlog(True)
    assert group_labels(page) == ["曹杨新村（1）"]
    assert page.groups.index(0, 1).data() == "逾期 1"


def test_the_grouped_model_passes_qt_model_tester(qtmodeltester, district_page: RemindersPage) -> None:
    district_page.grouping.setCurrentIndex(district_page.grouping.findData("estate"))
    qtmodeltester.check(district_page.groups, force_py=True)


def test_enter_on_a_grouped_reminder_opens_its_estate_at_the_section_of_the_work(
    qtbot, district_page: RemindersPage, estates: dict[str, int]
) -> None:
    page = district_page
    page.grouping.setCurrentIndex(page.grouping.findData("category"))
    group = page.groups.index(group_labels(page).index("维修资金（1）"), 0)
    page.tree.setFocus()
    page.tree.setCurrentIndex(group)
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)  # on a group: opens it
    assert page.tree.isExpanded(group)
    page.tree.setCurrentIndex(page.groups.index(0, 3, group))
    with qtbot.waitSignal(page.open_estate_requested) as opened:
        qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert opened.args == [estates["万里城"], "funds"]
    page.search_edit.setText("不足")
    page.apply_search_now()
    assert page.tree.isExpanded(page.groups.index(0, 0))  # still open after the filter


@pytest.mark.parametrize(
    ("category", "section"),
    [
        ("换届", "committee"),
        ("业委会组建", "committee"),
        ("电梯", "lifts"),
        ("维修资金", "funds"),
        ("物业合同", "service"),
    ],
)
def test_each_kind_opens_the_estate_window_at_a_section_it_has(category: str, section: str) -> None:
    from putuo_community.domain.registers.dossier import DOSSIER_SECTIONS
    from putuo_community.services.reminders.view import KINDS, section_of

    assert section_of(category) == section
    keys = {s.key for s in DOSSIER_SECTIONS}
    assert all(section_of(kind) in keys for kind in KINDS)


def test_a_company_credit_reminder_opens_the_company_and_one_without_either_says_why(
    qtbot, district_page: RemindersPage
) -> None:
    page = district_page
    page.open_reminder(next(r for r in page.model.shown() if r.subject == COMPANY))
    qtbot.waitUntil(lambda: page.company_window is not None and page.company_window.isVisible())
    assert page.company_window is not None
    assert page.company_window.windowTitle() == f"物业企业：{COMPANY}"
    page.company_window.close()

    page.open_reminder(next(r for r in page.model.shown() if r.subject == "无小区的事项"))
    assert page.status_text == "这条提醒不属于某个小区，没有可打开的小区档案"


def test_a_rule_past_its_validity_is_marked_and_its_tooltip_says_why(district_page: RemindersPage) -> None:
    page = district_page
    basis = column_of(page, "依据")
    lapsed = page.model.index(shown_subjects(page).index("电梯 十天后"), basis)
    assert lapsed.data() == f"⚠ {LAPSED.title}"
    tooltip = lapsed.data(Qt.ItemDataRole.ToolTipRole)
    assert LAPSED.validity_note(TODAY) in tooltip
    assert "沪房规范〔2021〕6号" in tooltip
    assert "2026-06-30" in tooltip
    in_force = page.model.index(shown_subjects(page).index("维修资金 不足30%"), basis)
    assert in_force.data() == rules.FUND_TOPUP.title  # 沪房规范〔2024〕7号, in force until 2029-06-30
    assert "⚠" not in in_force.data(Qt.ItemDataRole.ToolTipRole)
