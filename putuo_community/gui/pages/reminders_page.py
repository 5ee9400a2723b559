"""The 提醒 page: what needs action now, each with the rule that produced it; the 长期未办 apart.

It opens on the deadlines passed within the district's `backlog_after_days` and those due within its
`horizon_days`, most urgent first; the ones overdue longer are a second tab, 长期未办, with their count.
The rows can be grouped by kind or by estate (a tree whose groups carry their counts).

The whole district's reminders come ready from the window's `ReminderFeed` (computed in the
background before the page is opened, and again after each write), with every column's sort keys;
one 街镇's are computed when it is chosen, with the keys of the column sorted on, and the other
columns' keys follow in the background once the rows are painted. The model filters and sorts in
memory, so a header click only compares numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTabBar,
    QTreeView,
    QWidget,
)

from putuo_community.domain.changes import Changes
from putuo_community.gui.pages.base import ALL, Page, PageContext, fill_street_combo, own_street_only, street_combo
from putuo_community.gui.pages.company_window import CompanyWindow
from putuo_community.gui.reminder_feed import ReminderFeed
from putuo_community.gui.reminder_model import (
    GROUP_BY_CATEGORY,
    GROUP_BY_ESTATE,
    PreparedReminders,
    ReminderGroupModel,
    ReminderTableModel,
    prepare_reminders,
    reminder_columns,
    sort_keys_of,
)
from putuo_community.gui.widgets import make_table_view, size_columns
from putuo_community.gui.worker import Progress, Task
from putuo_community.services import Record
from putuo_community.services.reminders import INPUTS
from putuo_community.services.reminders.settings import POLICY_KEY
from putuo_community.services.reminders.view import section_of

SORT_KEYS_AFTER_MS = 50
SEARCH_DELAY_MS = 300  # as the register pages: wait for the clerk to stop typing before filtering
CURRENT_TAB, BACKLOG_TAB = 0, 1
NO_GROUPS = ""


class RemindersPage(Page):
    # Enter or double-click on a reminder: its estate's window, at the section where the work is done.
    open_estate_requested = Signal(int, str)

    def __init__(self, context: PageContext, title: str, feed: ReminderFeed, parent: QWidget | None = None) -> None:
        super().__init__(context, title, self_description(), parent)
        self.today = date.today()
        self.feed = feed
        self._waiting_for_feed = False
        feed.updated.connect(self._feed_updated)
        feed.failed.connect(self._feed_failed)

        self.street_filter = street_combo(self)
        self.street_filter.currentIndexChanged.connect(self._street_changed)
        self.category_filter = QComboBox(self)
        self.category_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.category_filter.addItem(self.tr("全部类别"), ALL)
        self.category_filter.currentIndexChanged.connect(self._category_changed)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("输入小区、事项等关键字（Ctrl+F）"))
        self.search_edit.setMinimumWidth(220)
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.returnPressed.connect(self.apply_search_now)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search_now)
        search_label = QLabel(self.tr("搜索(&S)："), self)
        search_label.setBuddy(self.search_edit)
        self.grouping = QComboBox(self)
        self.grouping.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.grouping.setToolTip(self.tr("按类别或按小区分组，每组注明条数"))
        self.grouping.addItem(self.tr("不分组"), NO_GROUPS)
        self.grouping.addItem(self.tr("按类别分组"), GROUP_BY_CATEGORY)
        self.grouping.addItem(self.tr("按小区分组"), GROUP_BY_ESTATE)
        self.grouping.currentIndexChanged.connect(self._grouping_changed)
        for widget in (self.street_filter, self.category_filter, self.grouping):
            self.header.addWidget(widget)
        self.header.addSpacing(8)
        self.header.addWidget(search_label)
        self.header.addWidget(self.search_edit)

        self.model = ReminderTableModel(self)
        self.model.sort_keys_wanted.connect(self._compute_sort_keys)
        self._sort_keys_task: Task | None = None
        self._cursor: tuple[Any, int] | None = None  # the reminder the cursor is on, and its column
        self.view = make_table_view(self)
        self.view.setModel(self.model)
        size_columns(self.view, self.model)
        self.view.activated.connect(self.open_estate)

        # The same rows in groups: a tree lays out only the groups it expands.
        self.groups = ReminderGroupModel(self.model, self)
        self.tree = QTreeView(self)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setExpandsOnDoubleClick(False)  # a double-click opens the reminder; on a group, it toggles
        self.tree.setModel(self.groups)
        self.tree.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.tree.setSortingEnabled(True)
        self.tree.activated.connect(self._tree_activated)
        self.tree.expanded.connect(self._group_toggled)
        self.tree.collapsed.connect(self._group_toggled)
        self.groups.modelReset.connect(self._restore_expanded)
        self._expanded: set[Any] = set()  # the groups the clerk opened, kept through a filter or a reload
        self.company_window: CompanyWindow | None = None

        # What needs action now, and the 长期未办 apart.
        self.tabs = QTabBar(self)
        self.tabs.setDrawBase(False)
        self.tabs.addTab(self.tr("需要办理"))
        self.tabs.addTab(self.tr("长期未办"))
        self.tabs.setTabToolTip(CURRENT_TAB, self.tr("逾期一年以内和近期到期的事项，最紧急的在前"))
        self.tabs.setTabToolTip(BACKLOG_TAB, self.tr("逾期超过一年仍未办理的事项：积压，需要另行安排"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.layout_.addWidget(self.tabs)

        self.views = QStackedWidget(self)
        self.views.addWidget(self.view)
        self.views.addWidget(self.tree)
        self.layout_.addWidget(self.views, 1)
        self.setFocusProxy(self.view)

    # -- Page ------------------------------------------------------------------------------

    def set_streets(self, streets: list[Record]) -> None:
        fill_street_combo(self.street_filter, streets, own_only=own_street_only(self.context.services))

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def activate(self) -> None:
        if self._street_id() is None:
            if self.feed.ready and self.model.prepared is not self.feed.prepared:
                self.stale = False
                self._show_feed()  # computed before the page was shown
            elif not self.feed.ready and self.has_loaded:
                self.stale = False
                self.feed.ensure()  # a new day, or a write not yet followed: shown when computed
        super().activate()

    def refresh(self) -> None:
        """Compute the reminders again: the whole district's by the feed, one 街镇's here."""
        street_id = self._street_id()
        if street_id is None:
            self.cancel_load()
            self._waiting_for_feed = True
            self.set_status(self.tr("正在计算提醒…"))
            self.feed.request()
            return
        self._waiting_for_feed = False
        reminders = self.context.services.reminders
        self.today = today = date.today()
        sort_column = self.model.sort_column

        def compute() -> PreparedReminders:
            policy = reminders.policy()
            found = reminders.list(today=today, street_id=street_id, policy=policy)
            return prepare_reminders(found, (sort_column,), today=today, policy=policy)

        self.start_load(compute, self._show_reminders, description=self.tr("计算提醒"))

    def _street_changed(self) -> None:
        if self._street_id() is None and self.feed.ready:
            self.cancel_load()
            self._show_feed()  # back to the whole district: its reminders are ready
        else:
            self.refresh()

    def follow_changes(self, changes: Changes) -> None:
        if self._street_id() is not None:
            self.refresh()
        # The whole district's: the feed computes them again and `_feed_updated` shows them.

    def depends_on(self, changes: Changes) -> bool:
        return changes.touches(*INPUTS) or POLICY_KEY in changes.settings

    @property
    def loading(self) -> bool:
        return super().loading or self._waiting_for_feed

    def _street_id(self) -> int | None:
        value = self.street_filter.currentData()
        return int(value) if value is not None else None

    # -- the feed ----------------------------------------------------------------------------

    def _feed_updated(self) -> None:
        if self._street_id() is not None:
            return
        if self._waiting_for_feed or self.isVisible():
            self._show_feed()
        elif self.has_loaded:
            self.stale = True

    def _feed_failed(self) -> None:
        if self._waiting_for_feed:
            self._waiting_for_feed = False
            self.set_status(self.tr("读取失败"))

    def _show_feed(self) -> None:
        prepared, today = self.feed.prepared, self.feed.today
        assert prepared is not None
        assert today is not None
        self._waiting_for_feed = False
        self.today = today
        self._show_reminders(prepared)
        self.has_loaded = True
        self.loaded.emit()

    # -- showing ---------------------------------------------------------------------------

    def _show_reminders(self, prepared: PreparedReminders) -> None:
        with self._current_kept():
            self.model.show_prepared(prepared)
        self._fill_categories(prepared.categories)
        self._update_status()
        # The other columns' sort keys once these rows are painted: a background task busy in Python
        # meanwhile would make the paint wait for the interpreter at each of its thousands of calls.
        QTimer.singleShot(SORT_KEYS_AFTER_MS, self, self._compute_sort_keys)

    def _compute_sort_keys(self, _column: int = -1) -> None:
        """The sort keys of every column not yet sorted on, in the background; a waiting sort follows."""
        if self._sort_keys_task is not None:
            self._sort_keys_task.cancel()
        prepared, missing = self.model.prepared, self.model.missing_sort_keys()
        if not prepared.rows or not missing:
            return
        if self.model.sort_column in missing:  # asked for now: first
            missing.remove(self.model.sort_column)
            missing.insert(0, self.model.sort_column)
        columns = reminder_columns()

        def compute(progress: Progress) -> dict[int, list[Any]]:
            keys = {}
            for column in missing:
                progress.check()
                keys[column] = sort_keys_of(prepared.rows, columns[column])
            return keys

        def deliver(keys: dict[int, list[Any]]) -> None:
            self._sort_keys_task = None
            with self._current_kept():
                self.model.add_sort_keys(prepared, keys)

        def failed(_error: BaseException) -> bool:
            self._sort_keys_task = None
            return False

        self._sort_keys_task = self.context.runner.run(
            compute, on_result=deliver, on_error=failed, description=self.tr("准备排序"), parent=self
        )

    def _fill_categories(self, categories: list[str]) -> None:
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        try:
            while self.category_filter.count() > 1:
                self.category_filter.removeItem(1)
            for category in categories:
                self.category_filter.addItem(category, category)
            index = self.category_filter.findData(current)
            self.category_filter.setCurrentIndex(max(index, 0))
        finally:
            self.category_filter.blockSignals(False)
        self._apply_filter()

    def _category_changed(self) -> None:
        self._apply_filter()
        self._update_status()

    def _search_changed(self, _text: str) -> None:
        self._search_timer.start()  # filtered once the typing stops

    def apply_search_now(self) -> None:
        """Filter by the search box at once (Enter, or the typing has stopped)."""
        self._search_timer.stop()
        self._apply_filter()
        self._update_status()

    def _tab_changed(self, _tab: int) -> None:
        self._apply_filter()
        self._update_status()

    @property
    def showing_backlog(self) -> bool:
        return self.tabs.currentIndex() == BACKLOG_TAB

    def show_backlog(self, backlog: bool) -> None:
        """Show the 长期未办 (`backlog`) or what needs action now."""
        self.tabs.setCurrentIndex(BACKLOG_TAB if backlog else CURRENT_TAB)

    def _apply_filter(self) -> None:
        with self._current_kept():
            self.model.set_filter(
                category=self.category_filter.currentData(),
                search=self.search_edit.text(),
                backlog=self.showing_backlog,
            )

    # -- groups ------------------------------------------------------------------------------

    def _grouping_changed(self) -> None:
        grouping = self.grouping.currentData()
        if not grouping:
            self.views.setCurrentWidget(self.view)
            self.setFocusProxy(self.view)
            return
        self._expanded.clear()
        self.groups.set_grouping(grouping)
        self.views.setCurrentWidget(self.tree)
        self.setFocusProxy(self.tree)
        self.tree.setColumnWidth(0, self.tree.fontMetrics().horizontalAdvance("0") * 24)
        for number in range(self.model.columnCount()):  # the table's widths, the clerk's own if changed
            self.tree.setColumnWidth(number + 1, self.view.columnWidth(number))

    def _group_toggled(self, index: QModelIndex) -> None:
        if index.isValid() and not index.parent().isValid():
            key = self.groups.groups[index.row()].key
            if self.tree.isExpanded(index):
                self._expanded.add(key)
            else:
                self._expanded.discard(key)

    def _restore_expanded(self) -> None:
        """The groups open before a filter, a sort or a reload stay open (the few the clerk opened)."""
        for key in list(self._expanded):
            row = self.groups.group_row(key)
            if row is not None:
                self.tree.expand(self.groups.index(row, 0))

    def _tree_activated(self, index: QModelIndex) -> None:
        reminder = self.groups.reminder(index)
        if reminder is not None:
            self.open_reminder(reminder)
            return
        group = index.siblingAtColumn(0)
        self.tree.setExpanded(group, not self.tree.isExpanded(group))

    @contextmanager
    def _current_kept(self) -> Iterator[None]:
        """Keep the cursor on its reminder through a filter or a reload; when a filter hides it,
        the cursor comes back to it once it is shown again."""
        index = self.view.currentIndex()
        if index.isValid():
            self._cursor = (self.model.row_object(index.row()), index.column())
        yield
        if self._cursor is None or self.view.currentIndex().isValid():
            return
        reminder, column = self._cursor
        row = self.model.row_of(reminder)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, column))

    def _update_status(self) -> None:
        prepared = self.model.prepared
        backlog = prepared.backlog_count
        self.tabs.setTabText(
            CURRENT_TAB, self.tr("需要办理（{count}）").format(count=f"{len(prepared.rows) - backlog:,}")
        )
        self.tabs.setTabText(BACKLOG_TAB, self.tr("长期未办（{count}）").format(count=f"{backlog:,}"))
        text = self.tr("截至 {today}：{count} 条提醒，其中 {overdue} 条已逾期").format(
            today=self.today.isoformat(),
            count=f"{self.model.rowCount():,}",
            overdue=f"{self.model.overdue_count():,}",
        )
        if self.showing_backlog:
            text = self.tr("长期未办（逾期超过一年）：") + text
        self.set_status(text)

    def open_estate(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Double-click or Enter on a reminder in the table."""
        if index.isValid():
            self.open_reminder(self.model.row_object(index.row()))

    def open_reminder(self, reminder: Any) -> None:
        """The estate a reminder is about, at the section where the work is done; a company's own
        credit reminder (no estate) opens the company."""
        if reminder.estate_id is not None:
            self.open_estate_requested.emit(reminder.estate_id, section_of(reminder.category))
        elif reminder.category == "信用" and reminder.subject:
            self._open_company(reminder.subject)
        else:
            self.set_status(self.tr("这条提醒不属于某个小区，没有可打开的小区档案"))

    def _open_company(self, name: str) -> None:
        records = self.context.services.records

        def found(companies: list[Record]) -> None:
            if not companies:
                self.set_status(self.tr("找不到物业企业“{name}”，可能已改名或删除").format(name=name))
                return
            if self.company_window is None:
                self.company_window = CompanyWindow(
                    self.context.services.listing,
                    self.context.runner,
                    self,
                    services=self.context.services,
                    writes=self.context.writes,
                )
            self.company_window.show_company(companies[0].id, companies[0].title)

        self.context.runner.run(
            lambda _progress: records.list("companies", filters={"name": name}),
            on_result=found,
            description=self.tr("查找物业企业"),
            parent=self,
        )


def self_description() -> str:
    return QCoreApplication.translate(
        "RemindersPage", "到期和逾期的工作，每条注明所依据的规定；把鼠标停在“依据”上可看原文"
    )
