"""One register as a list: a 街镇 filter, a search box, a sortable table and a detail dialog."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QWidget,
)

from putuo_community.domain.changes import Changes
from putuo_community.domain.fields import FieldType, Register
from putuo_community.gui.detail_dialog import RecordDetailDialog
from putuo_community.gui.long_task import LongTask
from putuo_community.gui.models import RecordTableModel, RowSortProxy
from putuo_community.gui.pages.base import Page, PageContext, fill_street_combo, street_combo
from putuo_community.gui.pages.export_page import export_ledger
from putuo_community.gui.widgets import make_table_view, size_columns
from putuo_community.services import Record
from putuo_community.services.importing import IMPORT_KINDS
from putuo_community.services.queries import street_filter_kind

SEARCH_DELAY_MS = 300  # wait for the clerk to stop typing before querying
# Past this many changed records a list reads itself again rather than record by record.
TARGETED_LIMIT = 500
STATUS_MESSAGE_MS = 15_000

# The ledger (import kind) each register exports as: register key → kind key.
LEDGER_KINDS = {kind.register.key: kind.key for kind in IMPORT_KINDS.values()}


def _record_id(record: Record) -> int:
    return record.id


class RegisterPage(Page):
    """The records of one register. Registers with a 街镇 (or an estate) get a 街镇 filter."""

    # The record under the cursor changed (None when nothing is selected).
    current_record_changed = Signal(object)

    def __init__(
        self, context: PageContext, register: Register, title: str, description: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(context, title, description or register.description, parent)
        self.register = register
        self.detail_dialog: RecordDetailDialog | None = None
        self._selected_id: int | None = None

        self.street_filter = street_combo(self)
        self.street_filter.setVisible(bool(street_filter_kind(register)))
        self.street_filter.currentIndexChanged.connect(self.refresh)

        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self._search_hint())
        self.search_edit.setMinimumWidth(300)
        self.search_edit.returnPressed.connect(self._search_now)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._search_timer.start)

        search_label = QLabel(self.tr("搜索(&S)："), self)
        search_label.setBuddy(self.search_edit)
        self.header.addWidget(self.street_filter)
        self.header.addSpacing(8)
        self.header.addWidget(search_label)
        self.header.addWidget(self.search_edit)

        self.export_task: LongTask | None = None
        self.export_button: QPushButton | None = None
        if register.key in LEDGER_KINDS:
            self.export_button = QPushButton(self.tr("导出台账(&E)…"), self)
            self.export_button.setToolTip(self.tr("把列表中的记录（按当前的街镇和搜索筛选）导出为 Excel 台账"))
            self.export_button.clicked.connect(self.export_ledger)
            self.header.addSpacing(8)
            self.header.addWidget(self.export_button)

        self.model = RecordTableModel(register, self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        size_columns(self.view, self.model)
        self.view.sortByColumn(self._default_sort_column(), Qt.SortOrder.AscendingOrder)
        self.view.activated.connect(self.open_detail)
        self.view.selectionModel().currentRowChanged.connect(self._current_row_changed)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.layout_.addWidget(self.splitter, 1)
        self.setFocusProxy(self.view)

    def _default_sort_column(self) -> int:
        """Estate-owned records by estate (拼音), others by their title."""
        keys = [f.key for f in self.register.columns]
        for key in (self.register.estate_field, self.register.title_field):
            if key in keys:
                return keys.index(key)
        return 0

    def _search_hint(self) -> str:
        labels = [f.label for f in self.register.columns if f.type in (FieldType.TEXT, FieldType.REF)][:3]
        return self.tr("{fields}…（Ctrl+F）").format(fields="、".join(labels))

    # -- Page ------------------------------------------------------------------------------

    def set_streets(self, streets: list[Record]) -> None:
        fill_street_combo(self.street_filter, streets)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @property
    def street_id(self) -> int | None:
        if not street_filter_kind(self.register):
            return None
        value = self.street_filter.currentData()
        return int(value) if value is not None else None

    def refresh(self) -> None:
        self._search_timer.stop()
        queries = self.context.services.queries
        key, street_id, search = self.register.key, self.street_id, self.search_edit.text()
        self.start_load(
            lambda: queries.list_records(key, street_id=street_id, search=search),
            self._show_records,
            description=self.tr("读取{register}").format(register=self.register.label),
        )

    # -- following changes -------------------------------------------------------------------

    def depends_on(self, changes: Changes) -> bool:
        """The list shows its own register and the titles of the records it refers to."""
        return changes.touches(self.register.key, *(f.ref for f in self.register.ref_fields))

    def follow_changes(self, changes: Changes) -> None:
        ids = self.affected_ids(changes)
        if ids is None:
            self.refresh()
            return
        if not ids:
            return
        queries = self.context.services.queries
        key, street_id, search = self.register.key, self.street_id, self.search_edit.text()
        self.context.runner.run(
            lambda _progress: queries.list_records(key, street_id=street_id, search=search, ids=ids),
            on_result=lambda records: self._apply_records(records, ids),
            description=self.tr("更新{register}").format(register=self.register.label),
            parent=self,
        )

    def affected_ids(self, changes: Changes) -> set[int] | None:
        """Which of the list's records `changes` touched (its own, or ones whose referred titles changed).

        None when the list had better be read again whole.
        """
        if changes.everything:
            return None
        ids: set[int] = set()
        own = changes.of(self.register.key)
        if own is not None:
            ids |= own.ids
        for ref_field in self.register.ref_fields:
            referred = changes.of(ref_field.ref)
            if referred is not None and referred.updated:
                ids |= {r.id for r in self.model.rows() if r.values.get(ref_field.key) in referred.updated}
        return ids if len(ids) <= TARGETED_LIMIT else None

    def _apply_records(self, records: list[Record], ids: set[int]) -> None:
        self.model.apply_rows(records, ids, key=_record_id)
        self.set_status(self.count_text(self.model.rowCount()))
        current = self.current_record()
        if current is not None and current.id in ids:
            self.current_record_changed.emit(current)  # panels beside the list show the new values

    def _search_now(self) -> None:
        if self._search_timer.isActive():
            self.refresh()

    # -- showing ---------------------------------------------------------------------------

    def _show_records(self, records: list[Record]) -> None:
        keep = self._selected_id
        self.model.set_rows(records)
        self.set_status(self.count_text(len(records)))
        if keep is not None:
            self.select_record(keep)
        if self.proxy.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def count_text(self, count: int) -> str:
        filtered = self.street_id is not None or bool(self.search_edit.text().strip())
        if filtered:
            return self.tr("筛选出 {count} 条{register}记录").format(count=f"{count:,}", register=self.register.label)
        return self.tr("共 {count} 条{register}记录").format(count=f"{count:,}", register=self.register.label)

    def select_record(self, record_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            record = self.proxy.row_object(row)
            if record.id == record_id:
                index = self.proxy.index(row, 0)
                self.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.view.scrollTo(index)
                return True
        return False

    def current_record(self) -> Record | None:
        index = self.view.currentIndex()
        return self.proxy.row_object(index.row()) if index.isValid() else None

    def _current_row_changed(self, current: QModelIndex | QPersistentModelIndex, _previous: object) -> None:
        record = self.proxy.row_object(current.row()) if current.isValid() else None
        if record is not None:
            self._selected_id = record.id
        self.current_record_changed.emit(record)

    def open_detail(self, index: QModelIndex | QPersistentModelIndex | None = None) -> RecordDetailDialog | None:
        """Double-click or Enter: every field of the record, read-only."""
        if index is None or isinstance(index, bool):
            index = self.view.currentIndex()
        if not index.isValid():
            return None
        record: Record = self.proxy.row_object(index.row())
        return self.show_detail(record)

    # -- export --------------------------------------------------------------------------------

    def export_ledger(self) -> LongTask | None:
        """The records the list shows (same 街镇, same search), as an Excel ledger; personal numbers masked."""
        kind_key = LEDGER_KINDS.get(self.register.key)
        if kind_key is None:
            return None
        task = export_ledger(
            self,
            self.context,
            kind_key,
            street_id=self.street_id,
            street_name=self.street_filter.currentText(),
            search=self.search_edit.text(),
            include_personal=False,
            on_status=self.show_message,
        )
        self.export_task = task or self.export_task
        return task

    def show_message(self, text: str) -> None:
        """A passing note in the window's status bar (what was exported where)."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text.replace("\n", " "), STATUS_MESSAGE_MS)

    def show_detail(self, record: Record) -> RecordDetailDialog:
        if self.detail_dialog is not None:  # one at a time
            self.detail_dialog.close()
            self.detail_dialog.deleteLater()
        self.detail_dialog = RecordDetailDialog(self.register, record, self)
        self.detail_dialog.open()
        return self.detail_dialog
