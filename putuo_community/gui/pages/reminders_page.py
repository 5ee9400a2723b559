"""The 提醒 page: deadlines that are due or overdue, each with the rule that produced it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from putuo_community.domain.registers.dossier import section_of_reminder
from putuo_community.gui.models import ReminderTableModel, RowSortProxy, text_collator
from putuo_community.gui.pages.base import ALL, Page, PageContext, fill_street_combo, street_combo
from putuo_community.gui.widgets import make_table_view, size_columns
from putuo_community.services import Record


class ReminderFilterProxy(RowSortProxy):
    """Keeps the reminders of one category whose text contains every word typed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._category: str | None = None
        self._words: list[str] = []

    def set_category(self, category: str | None) -> None:
        self._change_filter(category, self._words)

    def set_search(self, text: str) -> None:
        self._change_filter(self._category, [w.casefold() for w in text.split()])

    def _change_filter(self, category: str | None, words: list[str]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self._category, self._words = category, words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._category, self._words = category, words
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ReminderTableModel)
        reminder = model.row_object(source_row)
        if self._category is not None and reminder.category != self._category:
            return False
        if self._words:
            haystack = " ".join(
                (reminder.estate_name, reminder.street_name, reminder.subject, reminder.message, reminder.rule.title)
            ).casefold()
            return all(w in haystack for w in self._words)
        return True


class RemindersPage(Page):
    # Enter or double-click on a reminder: its estate's window, at the section where the work is done.
    open_estate_requested = Signal(int, str)

    def __init__(self, context: PageContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(context, title, self_description(), parent)
        self.today = date.today()

        self.street_filter = street_combo(self)
        self.street_filter.currentIndexChanged.connect(self.refresh)
        self.category_filter = QComboBox(self)
        self.category_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.category_filter.addItem(self.tr("全部类别"), ALL)
        self.category_filter.currentIndexChanged.connect(self._category_changed)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("输入小区、事项等关键字（Ctrl+F）"))
        self.search_edit.setMinimumWidth(220)
        self.search_edit.textChanged.connect(self._search_changed)
        search_label = QLabel(self.tr("搜索(&S)："), self)
        search_label.setBuddy(self.search_edit)
        for widget in (self.street_filter, self.category_filter):
            self.header.addWidget(widget)
        self.header.addSpacing(8)
        self.header.addWidget(search_label)
        self.header.addWidget(self.search_edit)

        self.model = ReminderTableModel(self)
        self.proxy = ReminderFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        size_columns(self.view, self.model)
        self.view.activated.connect(self.open_estate)
        self.layout_.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

    # -- Page ------------------------------------------------------------------------------

    def set_streets(self, streets: list[Record]) -> None:
        fill_street_combo(self.street_filter, streets)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def refresh(self) -> None:
        reminders = self.context.services.reminders
        value = self.street_filter.currentData()
        street_id = int(value) if value is not None else None
        self.today = today = date.today()
        self.start_load(
            lambda: reminders.list(today=today, street_id=street_id),
            self._show_reminders,
            description=self.tr("计算提醒"),
        )

    # -- showing ---------------------------------------------------------------------------

    def _show_reminders(self, reminders: list[Any]) -> None:
        self.model.set_rows(reminders)
        self._fill_categories(sorted({r.category for r in reminders if r.category}, key=text_collator().sortKey))
        self._update_status()

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
        self.proxy.set_category(self.category_filter.currentData())

    def _category_changed(self) -> None:
        self.proxy.set_category(self.category_filter.currentData())
        self._update_status()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_status()

    def _update_status(self) -> None:
        shown = [self.proxy.row_object(row) for row in range(self.proxy.rowCount())]
        overdue = sum(1 for r in shown if r.overdue)
        self.set_status(
            self.tr("截至 {today}：{count} 条提醒，其中 {overdue} 条已逾期").format(
                today=self.today.isoformat(), count=f"{len(shown):,}", overdue=f"{overdue:,}"
            )
        )

    def open_estate(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Double-click or Enter on a reminder: the estate it is about."""
        if not index.isValid():
            return
        reminder = self.proxy.row_object(index.row())
        if reminder.estate_id is not None:
            self.open_estate_requested.emit(reminder.estate_id, section_of_reminder(reminder.category))


def self_description() -> str:
    return QCoreApplication.translate(
        "RemindersPage", "到期和逾期的工作，每条注明所依据的规定；把鼠标停在“依据”上可看原文"
    )
