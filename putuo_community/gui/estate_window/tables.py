"""One declared table of an estate's dossier on screen: its caption, 新增 / 修改 / 删除, and its records.

The cells come from the dossier service (the same declared columns and computed values
as the printed dossier); sorting uses each declared field's native value.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from putuo_community.domain.registers import get_register
from putuo_community.domain.registers.dossier import DossierTable
from putuo_community.gui.i18n import translator
from putuo_community.gui.models import Column, RowSortProxy, RowTableModel, native_sort_value
from putuo_community.gui.widgets import enlarged_font, make_table_view
from putuo_community.gui.write_access import WriteAccess, action_of_register
from putuo_community.io.document import Table
from putuo_community.services import Record

_tr = translator("EstateWindow")
ROWS_SHOWN = 8  # a table is this many rows high before it scrolls


def _cell(position: int) -> Any:
    return lambda row: row[1][position]


def _native(key: str) -> Any:
    return lambda row: native_sort_value(row[0].values.get(key))


def _text_sort(position: int) -> Any:
    return lambda row: row[1][position] or None


class DossierTableModel(RowTableModel):
    """Rows are (record, cells): the record for editing, the cells as the dossier writes them."""

    def __init__(self, declared: DossierTable, table: Table, parent: Any = None) -> None:
        register = get_register(declared.register)
        columns = []
        for position, header in enumerate(table.headers):
            if position < len(declared.columns):
                field = register.field(declared.columns[position])
                numeric = position in table.numeric
                columns.append(
                    Column(
                        header,
                        _cell(position),
                        _native(field.key),
                        alignment=_alignment(numeric),
                        width_chars=min(field.width, 24),
                    )
                )
            else:
                columns.append(Column(header, _cell(position), _text_sort(position), width_chars=12))
        super().__init__(columns, parent)

    def record(self, row: int) -> Record:
        record: Record = self.row_object(row)[0]
        return record


def _alignment(numeric: bool) -> Qt.AlignmentFlag:
    if numeric:
        return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class WithinProxy(RowSortProxy):
    """Keeps the rows whose parent field holds the chosen parent record (the units of one building)."""

    def __init__(self, parent_field: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.parent_field = parent_field
        self.parent_id: int | None = None

    def set_parent_id(self, parent_id: int | None) -> None:
        self.parent_id = parent_id
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.parent_field:
            return True
        model = self.sourceModel()
        assert isinstance(model, RowTableModel)
        record: Record = model.row_object(source_row)[0]
        return self.parent_id is not None and record.values.get(self.parent_field) == self.parent_id


class RecordTableBox(QWidget):
    """A caption, the buttons, and the records of one register in the estate window."""

    new_requested = Signal(str)  # register key
    edit_requested = Signal(object)  # Record
    delete_requested = Signal(object)  # Record
    history_requested = Signal(object)  # Record
    current_changed = Signal(object)  # Record | None

    def __init__(
        self, declared: DossierTable, table: Table, parent: QWidget | None = None, *, writes: WriteAccess | None = None
    ) -> None:
        super().__init__(parent)
        self.declared = declared
        self.writes = writes  # 新增 / 修改 / 删除 only while the archive may be written; None: always
        self.register = get_register(declared.register)
        self.caption = QLabel(declared.caption or self.register.label, self)
        self.caption.setFont(enlarged_font(self.caption.font(), 1.05))
        self.new_button = QPushButton(self.tr("新增(&N)…"), self)
        self.edit_button = QPushButton(self.tr("修改…"), self)
        self.delete_button = QPushButton(self.tr("删除…"), self)
        self.new_button.setToolTip(self.tr("新增一条{register}记录").format(register=self.register.label))
        self.edit_button.setToolTip(self.tr("修改所选记录（也可双击或按回车）"))
        self.delete_button.setToolTip(self.tr("删除所选记录（Delete）"))
        self.new_button.clicked.connect(lambda: self.new_requested.emit(self.register.key))
        self.edit_button.clicked.connect(self._edit_current)
        self.delete_button.clicked.connect(self._delete_current)
        header = QHBoxLayout()
        header.addWidget(self.caption)
        header.addStretch(1)
        for button in (self.new_button, self.edit_button, self.delete_button):
            header.addWidget(button)

        self.model = DossierTableModel(declared, table, self)
        self.proxy = WithinProxy(self.register.parent_field if declared.within else "", self)
        self.proxy.setSourceModel(self.model)
        self.view: QTableView = make_table_view(self)
        self.view.setModel(self.proxy)
        self.view.activated.connect(self._edit_current)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.empty_label = QLabel(self)
        self.empty_label.setStyleSheet("color: #777777;")
        delete_action = QAction(self.tr("删除…"), self.view)
        delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_action.triggered.connect(self._delete_current)
        history_action = QAction(self.tr("查看此记录的变更…"), self.view)
        history_action.triggered.connect(self._history_current)
        edit_action = QAction(self.tr("修改…"), self.view)
        edit_action.triggered.connect(self._edit_current)
        self.view.addActions([edit_action, delete_action, history_action])
        self.edit_action, self.delete_action = edit_action, delete_action
        if writes is not None:
            writes.changed.connect(self._update_state)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(header)
        layout.addWidget(self.view)
        layout.addWidget(self.empty_label)
        self.show_table(table)

    # -- data ------------------------------------------------------------------------------------

    def show_table(self, table: Table, records: dict[int, Record] | None = None) -> None:
        """The table's rows (cells) with their records; keeps the selected record selected."""
        kept = self.current_record()
        by_id = records or {}
        rows = [(by_id.get(i) or _Missing(i), cells) for i, cells in zip(table.record_ids, table.rows, strict=True)]
        self.model.set_rows(rows)
        self._size()
        if kept is not None:
            self.select(kept.id)
        self._update_state()

    def set_parent_record(self, parent: Record | None) -> None:
        """For a table within another: show the records of `parent` (None: none chosen yet)."""
        self.proxy.set_parent_id(parent.id if parent is not None else None)
        if self.declared.within:
            base = self.declared.caption or self.register.label
            if parent is None:
                self.caption.setText(base)
            else:
                parent_register = get_register(parent.register)
                label = parent_register.field(parent_register.title_field).label
                self.caption.setText(f"{base}（{label}：{parent.title}）")
        self._update_state()

    def select(self, record_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_object(row)[0].id == record_id:
                self.view.setCurrentIndex(self.proxy.index(row, 0))
                return True
        return False

    def current_record(self) -> Record | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        record = self.proxy.row_object(index.row())[0]
        return record if isinstance(record, Record) else None

    def shown_titles(self) -> list[str]:
        return [self.proxy.index(row, 0).data() for row in range(self.proxy.rowCount())]

    # -- behaviour -------------------------------------------------------------------------------

    def _size(self) -> None:
        digit = self.view.fontMetrics().horizontalAdvance("0")
        for number, column in enumerate(self.model.columns):
            header_width = self.view.horizontalHeader().fontMetrics().horizontalAdvance(column.header) + 24
            self.view.setColumnWidth(number, max(column.width_chars * digit + 12, header_width))
        fit_height(self.view, self.proxy.rowCount())

    def _row_changed(self, *_args: object) -> None:
        self._update_state()
        self.current_changed.emit(self.current_record())

    def _update_state(self) -> None:
        chosen = self.current_record() is not None
        for control in (self.edit_button, self.delete_button, self.edit_action, self.delete_action):
            self._follow(control, chosen)
        waiting_for_parent = bool(self.declared.within) and self.proxy.parent_id is None
        self._follow(self.new_button, not waiting_for_parent)
        if waiting_for_parent:
            parent = get_register(self.register.field(self.register.parent_field).ref)
            self.empty_label.setText(self.tr("先在上方选择一条{parent}记录。").format(parent=parent.label))
        elif self.proxy.rowCount() == 0:
            self.empty_label.setText(
                self.tr("尚无{register}记录，可点“新增”登记。").format(register=self.register.label)
            )
        self.empty_label.setVisible(waiting_for_parent or self.proxy.rowCount() == 0)
        self._size()

    def _follow(self, control: QPushButton | QAction, wanted: bool) -> None:
        if self.writes is None:
            control.setEnabled(wanted)
        else:
            self.writes.follow(control, wanted, action_of_register(self.register.key))

    def _edit_current(self, *_args: object) -> None:
        record = self.current_record()
        if record is not None:
            self.edit_requested.emit(record)

    def _delete_current(self) -> None:
        record = self.current_record()
        if record is not None:
            self.delete_requested.emit(record)

    def _history_current(self) -> None:
        record = self.current_record()
        if record is not None:
            self.history_requested.emit(record)


def fit_height(view: QTableView, rows: int) -> None:
    """Tall enough for its rows (up to ROWS_SHOWN) and the header and scroll bar, never more."""
    shown = min(max(rows, 2), ROWS_SHOWN)
    scroll_bar = view.horizontalScrollBar().sizeHint().height()
    header = view.horizontalHeader().sizeHint().height()
    view.setFixedHeight(view.verticalHeader().defaultSectionSize() * shown + header + scroll_bar + 4)


class _Missing:
    """A row whose record is not in the loaded dossier (never expected: shown, not editable)."""

    def __init__(self, record_id: int) -> None:
        self.id = record_id
        self.values: dict[str, Any] = {}
