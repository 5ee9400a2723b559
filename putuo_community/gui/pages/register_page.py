"""One register as a list: a 街镇 filter, a search box, a sortable table of any length and a detail dialog.

The list's order comes from the listing service, worked out off the UI thread; the table
reads its rows block by block as they scroll into view (see `gui/list_model.py`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QWidget,
)

from putuo_community.domain.changes import Changes
from putuo_community.domain.errors import UserError
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.registers import COMPANIES
from putuo_community.domain.registers.dossier import section_of_register
from putuo_community.gui.crash import show_user_error
from putuo_community.gui.dialogs import RecordDialog, confirm_delete
from putuo_community.gui.dialogs.slot import DialogSlot
from putuo_community.gui.history_view import HistoryView, open_record_history
from putuo_community.gui.list_columns import list_columns
from putuo_community.gui.list_model import BLOCK_ROWS, LazyListModel
from putuo_community.gui.list_view import ListLayout
from putuo_community.gui.long_task import LongTask
from putuo_community.gui.models import text_collator
from putuo_community.gui.pages.base import Page, PageContext, fill_street_combo, own_street_only, street_combo
from putuo_community.gui.pages.company_window import CompanyWindow
from putuo_community.gui.pages.export_page import export_ledger
from putuo_community.gui.pages.list_parts import OnlyBanner, first_shown
from putuo_community.gui.widgets import make_table_view, size_columns
from putuo_community.gui.write_access import action_of_register
from putuo_community.services import Record
from putuo_community.services.credit import POLICY_KEYS
from putuo_community.services.importing import IMPORT_KINDS
from putuo_community.services.listing import ListFilter, ListRow, ListSort
from putuo_community.services.queries import street_filter_kind

SEARCH_DELAY_MS = 300  # wait for the clerk to stop typing before querying
# Past this many changed records a list reads itself again rather than record by record.
TARGETED_LIMIT = 500
STATUS_MESSAGE_MS = 15_000

# The ledger (import kind) each register exports as: register key → kind key.
LEDGER_KINDS = {kind.register.key: kind.key for kind in IMPORT_KINDS.values()}

# Registers whose changes alter a list's computed columns (not its own records or referred titles).
COMPUTED_INPUTS = {
    "estates": (
        "committee_terms",
        "committee_members",
        "credit_events",
        "buildings",
        "contracts",
        "funds",
        "lifts",
        "attachments",
    ),
    "companies": ("credit_events", "estates"),
    "managers": ("credit_events", "estates"),
    "committee_terms": ("estates",),
    "lift_projects": ("estates",),
}
# Lists whose warning levels or scores follow the district's credit policy (a settings change).
CREDIT_POLICY_LISTS = frozenset({"estates", "companies", "managers"})


@dataclass(frozen=True)
class _Read:
    """A list read in the background: its ids in order, the search they were found with, the rows shown first."""

    ids: list[int]
    search: str
    rows: list[ListRow]


class RegisterPage(Page):
    """The records of one register. Registers with a 街镇 (or an estate) get a 街镇 filter."""

    # The record under the cursor changed (None when nothing is selected).
    current_record_changed = Signal(object)
    # An estate's own window is wanted: (estate id, dossier section key).
    open_estate_requested = Signal(int, str)

    def __init__(
        self, context: PageContext, register: Register, title: str, description: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(context, title, description or register.description, parent)
        self.register = register
        self.listing = context.services.listing
        self.writes = context.writes  # 新增 / 修改 / 删除 only while the archive may be written
        self.company_window: CompanyWindow | None = None
        self._selected_id: int | None = None
        self._shown_search = ""  # the search the rows on screen were found with (for 匹配)
        self._follow_serial = 0
        self._search_prepared = False
        self._pending_ids: set[int] = set()
        self._read_error_pending = False  # a block that could not be read is being told of
        self._pending_inputs = False

        self.street_filter = street_combo(self)
        self.street_filter.setVisible(bool(street_filter_kind(register)))
        self.street_filter.currentIndexChanged.connect(self.refresh)

        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self._search_hint())
        self.search_edit.setMinimumWidth(220)
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

        self.dialogs = DialogSlot(self)
        self.record_history: HistoryView | None = None
        self.new_button = QPushButton(self.tr("新建小区(&N)…") if register.is_estate else self.tr("新增(&N)…"), self)
        self.new_button.setToolTip(self.tr("登记一条新的{register}记录").format(register=register.label))
        self.new_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton(self.tr("修改…"), self)
        self.edit_button.setToolTip(self.tr("修改所选记录（也可双击或按回车）"))
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button = QPushButton(self.tr("删除…"), self)
        self.delete_button.setToolTip(self.tr("删除所选记录（Delete）；仍有记录挂在它下面时会拒绝并说明"))
        self.delete_button.clicked.connect(self.delete_current)
        # The record commands get a row of their own under the title: the header is full at 150 %.
        self.actions_row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            self.actions_row.addWidget(button)
        self.actions_row.addStretch(1)
        self.layout_.addLayout(self.actions_row)
        self.only_banner = OnlyBanner(self)  # the records behind a figure of the 概览 page
        self.only_banner.cleared.connect(self.clear_only)
        self.layout_.addWidget(self.only_banner)
        self._only: tuple[frozenset[int], str] | None = None

        self.export_task: LongTask | None = None
        self.export_button: QPushButton | None = None
        if register.key in LEDGER_KINDS:
            self.export_button = QPushButton(self.tr("导出台账(&E)…"), self)
            self.export_button.setToolTip(
                self.tr("把列表中的记录（按当前的街镇、搜索和概览中点开的筛选）导出为 Excel 台账")
            )
            self.export_button.clicked.connect(self.export_ledger)
            self.actions_row.addWidget(self.export_button)

        self.model = LazyListModel(list_columns(register), self._fetch_rows, self)
        self.proxy = self.model  # filtering and sorting happen in the listing service; kept for callers
        self.view = make_table_view(self)
        self.view.setModel(self.model)
        size_columns(self.view, self.model)
        default_column = self._default_sort_column()
        self.model.sort_column = default_column  # the service's own order: no second read for it
        self.view.sortByColumn(default_column, Qt.SortOrder.AscendingOrder)
        self.model.sort_requested.connect(self._sort_requested)
        self.view.activated.connect(self.open_detail)
        self.view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self._build_record_actions()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.layout_.addWidget(self.splitter, 1)
        self.setFocusProxy(self.view)
        self.list_layout = ListLayout(register.key, self.view, self.splitter, self)
        self._layout_attached = False
        self.writes.changed.connect(self._update_record_buttons)

    def _default_sort_column(self) -> int:
        """Estate-owned records by estate (拼音), others by their title."""
        keys = [c.key for c in self.model.columns]
        for key in (self.register.estate_field, self.register.title_field):
            if key in keys:
                return keys.index(key)
        return 0

    def _search_hint(self) -> str:
        labels = [f.label for f in self.register.columns if f.type in (FieldType.TEXT, FieldType.REF)][:3]
        return self.tr("{fields}…（Ctrl+F）").format(fields="、".join(labels))

    # -- Page ------------------------------------------------------------------------------

    def activate(self) -> None:
        self._attach_layout()
        super().activate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.list_layout.shown()

    def _attach_layout(self) -> None:
        """The first time the page is shown: the column layout, sort and splitter of the last run."""
        if self._layout_attached:
            return
        self._layout_attached = True
        window = self.window()
        settings = getattr(window, "settings", None)
        writable = bool(getattr(window, "remember_state", False))
        saved = self.list_layout.attach(settings if isinstance(settings, QSettings) else None, writable=writable)
        if saved is not None:
            column, order = saved
            self.model.sort_column, self.model.sort_order = (column if column < self.model.columnCount() else -1), order

    def set_streets(self, streets: list[Record]) -> None:
        fill_street_combo(self.street_filter, streets, own_only=own_street_only(self.context.services))

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @property
    def street_id(self) -> int | None:
        if not street_filter_kind(self.register):
            return None
        value = self.street_filter.currentData()
        return int(value) if value is not None else None

    def list_filter(self) -> ListFilter:
        """What the clerk narrowed the list to."""
        ids, label = self._only if self._only is not None else (None, "")
        return ListFilter(street_id=self.street_id, search=self.search_edit.text(), ids=ids, ids_label=label)

    def show_only(self, ids: frozenset[int], label: str, *, street_id: int | None = None) -> None:
        """Only these records (the list behind a figure), under a banner that says what they are.

        The page's other filters are cleared, so the list holds exactly the records counted.
        """
        self._only = (ids, label)
        self.clear_filters(street_id)
        self.only_banner.show_label(label, len(ids))
        self.refresh()

    def clear_filters(self, street_id: int | None) -> None:
        """The 街镇 set to `street_id` (all for None) and the search emptied, without reading the list."""
        for widget in (self.street_filter, self.search_edit):
            widget.blockSignals(True)
        try:
            self.street_filter.setCurrentIndex(max(self.street_filter.findData(street_id), 0))
            self.search_edit.clear()
        finally:
            for widget in (self.street_filter, self.search_edit):
                widget.blockSignals(False)

    def clear_only(self) -> None:
        """[清除筛选] or Esc: the whole list again (the 街镇 chosen stays)."""
        if self._only is None:
            return
        self._only = None
        self.only_banner.clear()
        self.refresh()

    def list_sort(self) -> ListSort:
        return ListSort(self.model.sort_key, self.model.sort_order == Qt.SortOrder.DescendingOrder)

    def refresh(self, *, keep_rows: bool = False) -> None:
        """Read the list again; `keep_rows`: only its order changed (a sort), the rows held are still good."""
        self._search_timer.stop()
        self._follow_serial += 1  # a whole read supersedes any change being followed
        self._pending_ids, self._pending_inputs = set(), False
        listing, key, where, sort = self.listing, self.register.key, self.list_filter(), self.list_sort()
        today, keep = date.today(), self._selected_id
        screenful = self.view.viewport().height() // max(self.view.verticalHeader().defaultSectionSize(), 1) + 1
        screenful = min(max(screenful, 20), BLOCK_ROWS)  # a page not laid out yet: a small screen's worth

        def read() -> _Read:
            collator = text_collator()  # 拼音 order; a collator of this thread's own
            ids = listing.ordered_ids(
                key, where=where, sort=sort, today=today, text_key=collator.sortKey, collation=collator.locale().name()
            )
            # The rows shown first, read here too: the UI thread then only swaps them in. After a sort the
            # list keeps its place and the rows it holds: those it lacks are read as they are painted.
            shown = (
                []
                if keep_rows
                else listing.rows(key, first_shown(ids, keep, screenful), today=today, search=where.search)
            )
            return _Read(ids, where.search, shown)

        self.start_load(
            read,
            lambda result: self._show_ids(result, keep_rows=keep_rows),
            description=self.tr("读取{register}").format(register=self.register.label),
        )

    def _sort_requested(self, _column: int, _order: Qt.SortOrder) -> None:
        if self.has_loaded or self.loading:
            self.refresh(keep_rows=True)

    def _fetch_rows(self, ids: list[int]) -> list[ListRow]:
        """A block of rows for the table (a bounded query: it may run on the UI thread, while painting).

        A block that cannot be read (a damaged page, say) stays blank and the clerk is told once, after
        the paint: an error must not escape the table's painting."""
        try:
            return self.listing.rows(self.register.key, ids, today=date.today(), search=self._shown_search)
        except UserError as error:
            if not self._read_error_pending:
                self._read_error_pending = True
                QTimer.singleShot(0, functools.partial(self._tell_read_error, error))
            return []

    def _tell_read_error(self, error: UserError) -> None:
        show_user_error(self, error)
        self._read_error_pending = False

    # -- following changes -------------------------------------------------------------------

    def depends_on(self, changes: Changes) -> bool:
        """The list shows its own register, the titles of the records it refers to and what it computes from."""
        return self._policy_changed(changes) or changes.touches(
            self.register.key,
            *(f.ref for f in self.register.ref_fields),
            *COMPUTED_INPUTS.get(self.register.key, ()),
        )

    def _policy_changed(self, changes: Changes) -> bool:
        """The credit policy (warning thresholds, score base) changed and this list shows levels or scores."""
        return self.register.key in CREDIT_POLICY_LISTS and bool(changes.settings & POLICY_KEYS)

    def follow_changes(self, changes: Changes) -> None:
        self.listing.forget()  # this page may hear of the write before the listing service does
        if self.company_window is not None:
            self.company_window.reload()
        ids = self.affected_ids(changes)
        if ids is None or self._policy_changed(changes):
            self.refresh()
            return
        inputs = changes.touches(*COMPUTED_INPUTS.get(self.register.key, ()))
        if not ids and not inputs:
            return
        listing, key, where, sort = self.listing, self.register.key, self.list_filter(), self.list_sort()
        today, search = date.today(), self._shown_search
        # Writes in quick succession start reads that may finish out of order: only the latest is
        # applied, for every record asked about since the last one applied.
        self._follow_serial += 1
        serial = self._follow_serial
        self._pending_ids |= ids
        self._pending_inputs = self._pending_inputs or inputs
        asked = set(self._pending_ids)

        def read() -> tuple[list[int], list[ListRow]]:
            collator = text_collator()
            order = listing.ordered_ids(
                key, where=where, sort=sort, today=today, text_key=collator.sortKey, collation=collator.locale().name()
            )
            return order, listing.rows(key, sorted(asked), today=today, search=search)

        def apply(result: tuple[list[int], list[ListRow]]) -> None:
            if serial != self._follow_serial:
                return  # a later read brings a later state
            order, rows = result
            if self._pending_inputs:
                self.model.forget_rows()  # computed columns of rows on screen may have changed
            self._pending_ids, self._pending_inputs = set(), False
            self._apply_records(rows, asked, order)

        self.context.runner.run(
            lambda _progress: read(),
            on_result=apply,
            description=self.tr("更新{register}").format(register=self.register.label),
            parent=self,
        )

    def affected_ids(self, changes: Changes) -> set[int] | None:
        """Which of the list's records `changes` touched (its own, or ones whose referred titles changed).

        Only the rows the list holds now are looked at for referred titles: the others are read
        fresh when they scroll into view. None when the list had better be read again whole.
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

    def _apply_records(
        self, records: Sequence[Record | ListRow], ids: set[int], order: Sequence[int] | None = None
    ) -> None:
        rows = [r if isinstance(r, ListRow) else ListRow(r) for r in records]
        self.model.apply_order(order, rows, ids)
        self.set_status(self.count_text(self.model.rowCount()))
        current = self.current_record()
        if current is not None and current.id in ids:
            self.current_record_changed.emit(current)  # panels beside the list show the new values

    def _search_now(self) -> None:
        if self._search_timer.isActive():
            self.refresh()

    # -- showing ---------------------------------------------------------------------------

    def _show_ids(self, result: _Read, *, keep_rows: bool = False) -> None:
        ids, self._shown_search = result.ids, result.search
        if not self._search_prepared:
            self._search_prepared = True  # the first keystroke should not wait for the text to be read
            listing, key = self.listing, self.register.key
            self.context.runner.run(
                lambda progress: listing.prepare_search(key, today=date.today(), cancelled=lambda: progress.cancelled),
                on_error=lambda _error: True,  # only a head start: a search reads the text itself if need be
                description=self.tr("准备搜索{register}").format(register=self.register.label),
                parent=self,
            )
        keep = self._selected_id
        # Without `keep_rows`, the rows held before are read again: their values may have changed.
        self.model.set_ids(ids, fresh=result.rows, keep_rows=keep_rows)
        self.set_status(self.count_text(len(ids)))
        if keep is not None and not self.view.currentIndex().isValid():
            self.select_record(keep)
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def count_text(self, count: int) -> str:
        if self.list_filter().narrowed:
            return self.tr("筛选出 {count} 条{register}记录").format(count=f"{count:,}", register=self.register.label)
        return self.tr("共 {count} 条{register}记录").format(count=f"{count:,}", register=self.register.label)

    def select_record(self, record_id: int) -> bool:
        row = self.model.row_of(record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)
        return True

    def current_record(self) -> Record | None:
        index = self.view.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    def _current_row_changed(self, current: QModelIndex | QPersistentModelIndex, _previous: object) -> None:
        record = self.model.row_object(current.row()) if current.isValid() else None
        if record is not None:
            self._selected_id = record.id
        self._update_record_buttons()
        self.current_record_changed.emit(record)

    def open_detail(self, index: QModelIndex | QPersistentModelIndex | None = None) -> QWidget | None:
        """Double-click or Enter: an estate's own window, a company's window, any other record's form."""
        if index is None or isinstance(index, bool):
            index = self.view.currentIndex()
        if not index.isValid():
            return None
        record = self.model.row_object(index.row())
        if record is None:
            return None
        if self.register.is_estate:
            self.open_estate_requested.emit(record.id, "basic")
            return None
        if self.register.key == COMPANIES.key:
            return self.open_company(record)
        return self.edit_record(record)

    # -- records ---------------------------------------------------------------------------

    def _build_record_actions(self) -> None:
        """The list's context menu and keys: the same commands as the buttons, and the record's history."""
        edit_action = QAction(self.tr("修改(&E)…"), self.view)
        edit_action.triggered.connect(self.edit_current)
        delete_action = QAction(self.tr("删除(&D)…"), self.view)
        delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_action.triggered.connect(self.delete_current)
        history_action = QAction(self.tr("变更记录(&H)…"), self.view)
        history_action.triggered.connect(self.show_history)
        actions = [edit_action, delete_action, history_action]
        self.writing_actions = (edit_action, delete_action)
        if self.register.estate_field:
            dossier_action = QAction(self.tr("打开所在小区档案(&O)"), self.view)
            dossier_action.triggered.connect(self.open_estate_of_current)
            actions.insert(0, dossier_action)
        self.view.addActions(actions)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.record_actions = actions
        self._update_record_buttons()

    def _update_record_buttons(self) -> None:
        record = self.current_record()
        chosen = record is not None
        right = action_of_register(self.register.key)
        # An estate of another 街镇 is refused to a 街镇经办人 (other registers: the service says so).
        street = self._street_of(record)
        self.writes.follow(self.new_button, action=right)
        self.writes.follow(self.edit_button, chosen, right, street=street)
        self.writes.follow(self.delete_button, chosen, right, street=street)
        for action in self.record_actions:
            if action in self.writing_actions:
                self.writes.follow(action, chosen, right, street=street)
            else:
                action.setEnabled(chosen)

    def _street_of(self, record: Record | None) -> tuple[int | None, str] | None:
        if record is None or not self.register.is_estate:
            return None
        street_id = record.values.get("street_id")
        return (int(street_id) if street_id is not None else None, record.ref_titles.get("street_id", ""))

    @property
    def record_dialog(self) -> QDialog | None:
        """The record form open over this page, if any."""
        return self.dialogs.dialog

    def new_record(self) -> RecordDialog:
        """A new record; on a 街镇-filtered estate list the 街镇 is filled in."""
        preset = {"street_id": self.street_id} if self.register.is_estate and self.street_id is not None else {}
        dialog = RecordDialog.for_new(self.context.services, self.register, self, preset=preset, fixed=())
        if self.register.is_estate:
            dialog.saved.connect(self._estate_created)
        return self.dialogs.open(dialog)

    def _estate_created(self, _register: str, estate_id: int) -> None:
        self.open_estate_requested.emit(estate_id, "buildings")  # go on with the new estate's dossier

    def edit_record(self, record: Record) -> RecordDialog:
        return self.dialogs.open(RecordDialog.for_record(self.context.services, record, self))

    def edit_current(self) -> RecordDialog | None:
        record = self.current_record()
        return self.edit_record(record) if record is not None else None

    def delete_current(self) -> bool:
        record = self.current_record()
        return confirm_delete(self.context.services, record, self) if record is not None else False

    def open_estate_of_current(self) -> None:
        record = self.current_record()
        if record is None:
            return
        if self.register.is_estate:
            self.open_estate_requested.emit(record.id, "basic")
            return
        estate_id = record.values.get(self.register.estate_field)
        if estate_id is not None:
            self.open_estate_requested.emit(int(estate_id), section_of_register(self.register.key))

    def show_history(self) -> HistoryView | None:
        record = self.current_record()
        if record is None:
            return None
        view = open_record_history(self.context.services, self.context.runner, record, self, writes=self.writes)
        view.destroyed.connect(self._record_history_gone)
        self.record_history = view
        return view

    def _record_history_gone(self) -> None:
        self.record_history = None

    def apply_changes(self, changes: Changes) -> None:
        if self.record_history is not None:  # an open record history gains the new rows too
            self.record_history.follow_changes(changes)
        super().apply_changes(changes)

    def open_company(self, record: Record) -> CompanyWindow:
        """A company's window: its estates, managers, contracts and credit ledger. One window, reused."""
        if self.company_window is None:
            self.company_window = CompanyWindow(
                self.listing, self.context.runner, self, services=self.context.services, writes=self.writes
            )
        self.company_window.show_company(record.id, record.title)
        return self.company_window

    # -- export --------------------------------------------------------------------------------

    def export_ledger(self) -> LongTask | None:
        """The records the list shows (same 街镇, same search, the figure's records), as an Excel ledger;
        personal numbers masked."""
        kind_key = LEDGER_KINDS.get(self.register.key)
        if kind_key is None:
            return None
        ids, ids_label = self._only if self._only is not None else (None, "")
        task = export_ledger(
            self,
            self.context,
            kind_key,
            street_id=self.street_id,
            street_name=self.street_filter.currentText(),
            search=self.search_edit.text(),
            include_personal=False,
            on_status=self.show_message,
            ids=ids,
            ids_label=ids_label,
        )
        self.export_task = task or self.export_task
        return task

    def show_message(self, text: str) -> None:
        """A passing note in the window's status bar (what was exported where)."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text.replace("\n", " "), STATUS_MESSAGE_MS)
