"""The change history of an estate (or of one record): who, when, field, old → new; filters; undo a save.

Rows are written by the change log in the registers' labels and the titles of records.
撤销 undoes the whole batch a row belongs to, through the same mechanism as an import
undo, and is refused (nothing changed) when later work depends on it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.accounts import Action
from putuo_community.domain.changes import Changes
from putuo_community.domain.errors import UserError
from putuo_community.domain.registers import REGISTERS
from putuo_community.gui.i18n import translator
from putuo_community.gui.models import Column, RowSortProxy, RowTableModel, native_sort_value
from putuo_community.gui.widgets import make_table_view, size_columns
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.gui.write_access import WriteAccess
from putuo_community.services import Record, Services
from putuo_community.services.change_log import Change, HistoryFilter

_tr = translator("HistoryView")
UNDONE_COLOUR = QColor("#888888")
ANY = ""


def history_columns() -> tuple[Column, ...]:
    return (
        Column(_tr("时间"), lambda c: c.changed_at[:16].replace("T", " "), lambda c: c.changed_at, width_chars=16),
        Column(_tr("操作人"), lambda c: c.user, lambda c: c.user or None, width_chars=8),
        Column(_tr("操作"), lambda c: c.action, lambda c: c.action, width_chars=5),
        Column(_tr("台账"), lambda c: c.register_label, lambda c: c.register_label, width_chars=10),
        Column(_tr("记录"), lambda c: c.record_title, lambda c: c.record_title or None, width_chars=14),
        Column(_tr("字段"), lambda c: c.field_label, lambda c: c.field_label or None, width_chars=10),
        Column(_tr("变更内容"), lambda c: c.text, lambda c: c.text or None, tooltip=lambda c: c.text, width_chars=40),
        Column(
            _tr("批次"),
            lambda c: _tr("{id}（已撤销）").format(id=c.batch_id) if c.batch_undone else str(c.batch_id),
            lambda c: native_sort_value(c.batch_id),
            width_chars=9,
        ),
    )


class HistoryTableModel(RowTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(history_columns(), parent)

    def row_foreground(self, row_object: Any) -> QColor | None:
        return UNDONE_COLOUR if row_object.batch_undone else None


class HistoryView(QWidget):
    """The history of one estate's dossier (or one record), newest first, with filters and 撤销."""

    loaded = Signal()

    def __init__(
        self,
        services: Services,
        runner: BackgroundRunner,
        *,
        estate_id: int | None = None,
        register: str | None = None,
        record_id: int | None = None,
        parent: QWidget | None = None,
        writes: WriteAccess | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.writes = writes if writes is not None else WriteAccess(services, self)
        self.estate_id = estate_id
        self.fixed_register = register
        self.record_id = record_id
        self._task: Task | None = None
        self.undo_task: Task | None = None

        self.register_combo = QComboBox(self)
        self.register_combo.addItem(self.tr("全部台账"), ANY)
        for key, reg in REGISTERS.items():
            if key != "change_history" and (register is None or key == register):
                self.register_combo.addItem(reg.label, key)
        self.register_combo.setVisible(register is None)
        self.user_combo = QComboBox(self)
        self.user_combo.addItem(self.tr("全部操作人"), ANY)
        self.since_edit = self._date_edit(self.tr("起始日期（含）"))
        self.until_edit = self._date_edit(self.tr("截止日期（含）"))
        self.since_edit.setDate(QDate.currentDate().addYears(-1))
        self.until_edit.setDate(QDate.currentDate())
        for combo in (self.register_combo, self.user_combo):
            combo.currentIndexChanged.connect(self.refresh)
        for edit in (self.since_edit, self.until_edit):
            edit.dateChanged.connect(self.refresh)

        self.undo_button = QPushButton(self.tr("撤销这次保存(&U)…"), self)
        self.undo_button.setToolTip(self.tr("撤销所选行所在的整次保存或导入；之后有人改过这些记录时会拒绝"))
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_selected)
        self.writes.changed.connect(self._row_changed)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("从"), self))
        filters.addWidget(self.since_edit)
        filters.addWidget(QLabel(self.tr("到"), self))
        filters.addWidget(self.until_edit)
        filters.addSpacing(8)
        filters.addWidget(self.register_combo)
        filters.addWidget(self.user_combo)
        filters.addStretch(1)
        filters.addWidget(self.undo_button)

        self.model = HistoryTableModel(self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        size_columns(self.view, self.model)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.empty_label = QLabel(self)
        self.empty_label.setStyleSheet("color: #666666;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)

    def _date_edit(self, tooltip: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setToolTip(tooltip)
        return edit

    # -- reading ---------------------------------------------------------------------------------

    @property
    def filter(self) -> HistoryFilter:
        return HistoryFilter(
            estate_id=self.estate_id,
            register=self.register_combo.currentData() or self.fixed_register,
            record_id=self.record_id,
            user=self.user_combo.currentData() or None,
            since=_date(self.since_edit.date()),
            until=_date(self.until_edit.date()),
        )

    def refresh(self) -> None:
        if self._task is not None:
            self._task.cancel()
        history, where, estate_id = self.services.history, self.filter, self.estate_id

        def read(_progress: Any) -> tuple[list[Change], list[str]]:
            return history.changes(where), history.users(estate_id=estate_id)

        self._task = self.runner.run(read, on_result=self._show, description=self.tr("读取变更记录"), parent=self)

    def _show(self, loaded: tuple[list[Change], list[str]]) -> None:
        self._task = None
        changes, users = loaded
        current_user = self.user_combo.currentData()
        self.user_combo.blockSignals(True)
        while self.user_combo.count() > 1:
            self.user_combo.removeItem(1)
        for user in users:
            self.user_combo.addItem(user, user)
        self.user_combo.setCurrentIndex(max(self.user_combo.findData(current_user), 0))
        self.user_combo.blockSignals(False)
        self.model.set_rows(changes)
        if changes:
            self.empty_label.setText(
                self.tr("共 {count} 条变更（最多显示 1,000 条，可按日期、台账、操作人筛选）").format(
                    count=f"{len(changes):,}"
                )
            )
        else:
            self.empty_label.setText(self.tr("所选范围内没有变更记录。新增、修改、删除和导入都会记在这里。"))
        self._row_changed()
        self.loaded.emit()

    def follow_changes(self, changes: Changes) -> None:
        """Every write adds history: read it again if it touched what this view lists."""
        if self.estate_id is None or changes.touches_estate(self.estate_id) or changes.everything:
            self.refresh()

    # -- undo ------------------------------------------------------------------------------------

    def selected_change(self) -> Change | None:
        index = self.view.currentIndex()
        return self.proxy.row_object(index.row()) if index.isValid() else None

    def _row_changed(self, *_args: object) -> None:
        change = self.selected_change()
        undoable = change is not None and not change.batch_undone and change.batch_kind != "撤销"
        self.writes.follow(self.undo_button, undoable, Action.UNDO)

    def undo_selected(self) -> Task | None:
        change = self.selected_change()
        if change is None:
            return None
        answer = QMessageBox.question(
            self,
            self.tr("撤销保存"),
            self.tr(
                "撤销 {time} {user} 的这次{kind}（批次 {batch}）？\n\n"
                "这次保存改动的所有内容都会恢复原样；如果之后又有人修改过这些记录，撤销会被拒绝，数据不变。"
            ).format(time=change.changed_at[:16], user=change.user, kind=change.batch_kind, batch=change.batch_id),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self.undo_batch(change.batch_id)

    def undo_batch(self, batch_id: int) -> Task:
        batches = self.services.batches
        self.undo_button.setEnabled(False)
        self.undo_task = self.runner.run(
            lambda _progress: batches.undo(batch_id),
            on_result=self._undone,
            on_error=self._undo_refused,
            description=self.tr("撤销保存"),
            parent=self,
        )
        return self.undo_task

    def _undone(self, _count: int) -> None:
        self.undo_task = None  # the undo's own Changes bring the new rows

    def _undo_refused(self, error: BaseException) -> bool:
        self.undo_task = None
        self._row_changed()
        if not isinstance(error, UserError):
            return False
        QMessageBox.warning(self, self.tr("不能撤销"), error.message)
        return True


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def open_record_history(
    services: Services, runner: BackgroundRunner, record: Record, parent: QWidget, *, writes: WriteAccess | None = None
) -> HistoryView:
    """The whole history of one record, in a small window of its own."""
    view = HistoryView(services, runner, register=record.register, record_id=record.id, parent=parent, writes=writes)
    view.setWindowFlag(Qt.WindowType.Window)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.setWindowTitle(
        _tr("{register}“{title}”的变更记录").format(register=REGISTERS[record.register].label, title=record.title)
    )
    view.resize(900, 420)
    view.since_edit.setDate(view.since_edit.date().addYears(-30))  # a record's whole life
    view.show()
    view.refresh()
    return view
