"""The one table-model pattern: rows of plain objects, declared columns, a sort role and a record role.

`RowTableModel` holds a list of row objects (a `Record`, a `Reminder`, a register
summary) and a tuple of `Column`s that say how a row reads, sorts and aligns.
Reloads reset the model; views sit behind a `RowSortProxy`.

Sorting is done by the model itself, on the `SORT_ROLE` values, with Python's
sort and a Chinese collator: a `QSortFilterProxyModel` sorting 20,000 estates
calls back into Python half a million times and froze the window for 2–4 s; this
takes well under 0.2 s. The proxy hands sort requests to the model and keeps the
filtering.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from putuo_community.domain.fields import Field, FieldType, Register
from putuo_community.domain.formatting import mask_personal
from putuo_community.gui.i18n import translator
from putuo_community.services import Record

# Native values for sorting: date/datetime, numbers as float, booleans as int, text; None for blank.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# The row object itself (a Record for register tables).
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter

OVERDUE_COLOUR = QColor("#b71c1c")

AnyIndex = QModelIndex | QPersistentModelIndex


def native_sort_value(value: object) -> object:
    """A value as `SORT_ROLE` gives it: None for blank, float for numbers, int for booleans."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):  # datetime too
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    return str(value)


def text_collator() -> QCollator:
    collator = QCollator(QLocale())  # the default locale: Chinese once run_gui set it, so 拼音 order
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    collator.setNumericMode(True)  # 2弄 before 10弄
    return collator


@dataclass(frozen=True)
class Column:
    """How one column of a table reads (`text`), sorts (`sort_value`) and lines up."""

    header: str
    text: Callable[[Any], str]
    sort_value: Callable[[Any], object]
    alignment: Qt.AlignmentFlag = _LEFT
    tooltip: Callable[[Any], str] | None = None
    width_chars: int = 12  # a starting width, in Latin characters


class RowTableModel(QAbstractTableModel):
    """A read-only table over a list of row objects. Subclasses give the columns and row colours."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[Any] = []
        self._sort_cache: dict[int, list[object]] = {}
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- ours ------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (a reload), keeping the current sort."""
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_cache.clear()
        if self._sort_column >= 0:
            order = self._sorted_positions(self._sort_column, self._sort_order)
            self._rows = [self._rows[i] for i in order]
            self._sort_cache.clear()
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_foreground(self, row_object: Any) -> QColor | None:
        """The text colour of a whole row; None for the default."""
        return None

    def _sort_value(self, row: int, column: int) -> object:
        # Sorting and SORT_ROLE ask for each value many times; compute a column once per reload.
        cached = self._sort_cache.get(column)
        if cached is None:
            key = self._columns[column].sort_value
            cached = [key(r) for r in self._rows]
            self._sort_cache[column] = cached
        return cached[row]

    def _sorted_positions(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Row positions in sorted order; blanks always last, ties keep their order."""
        values = [self._sort_value(row, column) for row in range(len(self._rows))]
        filled = [row for row, value in enumerate(values) if value is not None]
        blank = [row for row, value in enumerate(values) if value is None]
        if filled and all(isinstance(values[row], str) for row in filled):
            sort_key = text_collator().sortKey
            keys: list[Any] = [None if value is None else sort_key(str(value)) for value in values]
        else:
            keys = values
        filled.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return filled + blank

    # -- Qt overrides ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return self._sort_value(index.row(), index.column())
        if role == RECORD_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self.row_foreground(row)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _CENTER
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        if not (0 <= column < len(self._columns)) or not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        positions = self._sorted_positions(column, order)
        new_row = [0] * len(positions)
        for new, old in enumerate(positions):
            new_row[old] = new
        self._rows = [self._rows[i] for i in positions]
        self._sort_cache = {c: [values[i] for i in positions] for c, values in self._sort_cache.items()}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(new_row[i.row()], i.column()) if i.isValid() else i for i in persistent]
        )
        self.layoutChanged.emit()


# -- records of a register --------------------------------------------------------------------


def field_text(record: Record, field: Field) -> str:
    """A field's value as a table or a detail dialog shows it: personal data masked."""
    text = record.display(field.key)
    return mask_personal(text) if field.personal and text else text


def _field_sort_value(field: Field) -> Callable[[Record], object]:
    if field.personal:
        return lambda r: field_text(r, field) or None
    if field.type in (FieldType.REF, FieldType.CHOICE):
        return lambda r: r.display(field.key) or None
    return lambda r: native_sort_value(r.values.get(field.key))


def field_alignment(field: Field) -> Qt.AlignmentFlag:
    if field.type in (FieldType.INTEGER, FieldType.DECIMAL) and not field.personal:
        return _RIGHT
    if field.type is FieldType.BOOL:
        return _CENTER
    return _LEFT


def record_column(field: Field) -> Column:
    return Column(
        header=field.header,
        text=lambda r: field_text(r, field),
        sort_value=_field_sort_value(field),
        alignment=field_alignment(field),
        width_chars=field.width,
    )


class RecordTableModel(RowTableModel):
    """The records of one register, with the register's list columns."""

    def __init__(self, register: Register, parent: Any = None) -> None:
        super().__init__([record_column(f) for f in register.columns], parent)
        self.register = register
        self.fields = register.columns

    def record(self, row: int) -> Record:
        record: Record = self.row_object(row)
        return record


class RowSortProxy(QSortFilterProxyModel):
    """Filters rows and hands them back through `RECORD_ROLE`; sorting goes to the `RowTableModel`.

    The sort role is still `SORT_ROLE`, for anyone who sorts the proxy itself.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            source.sort(column, order)  # the proxy stays unsorted and follows the source's order
        else:
            super().sort(column, order)

    def row_object(self, proxy_row: int) -> Any:
        return self.index(proxy_row, 0).data(RECORD_ROLE)


_tr = translator("models")


# -- reminders ------------------------------------------------------------------------------------


def _date_text(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _rule_tooltip(reminder: Any) -> str:
    rule = reminder.rule
    return _tr("{text}\n依据：{source}").format(text=rule.text, source=rule.source)


def reminder_columns() -> tuple[Column, ...]:
    """Columns of the reminders table; a row is a `Reminder` from the reminders service.

    依据 comes right after the message so it stays in view on a small screen.
    """
    return (
        Column(
            _tr("状态"),
            lambda r: _tr("已逾期") if r.overdue else _tr("待办"),
            lambda r: int(not r.overdue),
            width_chars=6,
        ),
        Column(_tr("到期日"), lambda r: _date_text(r.due_on), lambda r: native_sort_value(r.due_on), width_chars=11),
        Column(_tr("小区"), lambda r: r.estate_name, lambda r: r.estate_name or None, width_chars=18),
        Column(
            _tr("事项"), lambda r: r.subject, lambda r: r.subject or None, tooltip=lambda r: r.subject, width_chars=26
        ),
        Column(
            _tr("说明"), lambda r: r.message, lambda r: r.message or None, tooltip=lambda r: r.message, width_chars=28
        ),
        Column(
            _tr("依据"), lambda r: r.rule.title, lambda r: r.rule.title or None, tooltip=_rule_tooltip, width_chars=18
        ),
        Column(_tr("类别"), lambda r: r.category, lambda r: r.category or None, width_chars=8),
        Column(_tr("街镇"), lambda r: r.street_name, lambda r: r.street_name or None, width_chars=12),
    )


def sort_keys_of(rows: Sequence[Any], column: Column) -> list[Any]:
    """A value per row that orders like `column` does in `RowTableModel` (None for blank).

    Text becomes its rank among the column's distinct texts in the Chinese collation, so a
    later sort compares integers: collating 43,000 reminders anew at each header click took
    longer than the click may. Runs in any thread: the collator is its own.
    """
    values: list[Any] = []
    for start in range(0, len(rows), _COLLATED_AT_ONCE):
        values.extend(column.sort_value(r) for r in rows[start : start + _COLLATED_AT_ONCE])
        _let_the_gui_thread_in()
    filled = {v for v in values if v is not None}
    texts = {v for v in filled if isinstance(v, str)}
    if not texts or len(texts) < len(filled):
        return values
    rank = _collation_ranks(texts)
    return [None if v is None else rank[str(v)] for v in values]


_COLLATED_AT_ONCE = 2_000  # Python cannot switch threads inside a sort of collation keys: sort in runs


def _let_the_gui_thread_in() -> None:
    """Hand the interpreter over between runs of background work, so the window never waits a whole
    run of it: a busy background thread otherwise keeps the GUI thread's slots waiting in turn."""
    time.sleep(0.001)


def _collation_ranks(texts: Collection[str]) -> dict[str, int]:
    """Each text's place in the Chinese collation; texts that collate alike share a place."""
    sort_key = text_collator().sortKey
    items = list(texts)
    keys: dict[str, Any] = {}
    runs = []
    for start in range(0, len(items), _COLLATED_AT_ONCE):
        run = items[start : start + _COLLATED_AT_ONCE]
        keys.update((text, sort_key(text)) for text in run)
        runs.append(sorted(run, key=keys.__getitem__))
        _let_the_gui_thread_in()
    rank: dict[str, int] = {}
    previous: Any = None
    place = -1
    for text in heapq.merge(*runs, key=keys.__getitem__):
        key = keys[text]
        if previous is None or previous.compare(key) != 0:
            place += 1
        rank[text] = place
        previous = key
    return rank


@dataclass(frozen=True)
class PreparedReminders:
    """Reminders made ready for the table off the UI thread: what the search looks in, their
    categories in collation order, and the sort keys of the columns asked for."""

    rows: list[Any]
    search_text: list[str]  # casefolded: the estate, 街镇, subject, message and rule title
    categories: list[str]
    sort_keys: dict[int, list[Any]]
    overdue: bytes = b""  # 1 for each overdue row: counting a filtered 43,000 takes a C loop, not a Python one


def prepare_reminders(reminders: Sequence[Any], sort_columns: Collection[int] = ()) -> PreparedReminders:
    """Runs with the query, in the background; `sort_columns` are the columns whose order is wanted at once."""
    rows = list(reminders)
    search_text = [
        " ".join((r.estate_name, r.street_name, r.subject, r.message, r.rule.title)).casefold() for r in rows
    ]
    categories = sorted({r.category for r in rows if r.category}, key=text_collator().sortKey)
    columns = reminder_columns()
    keys = {c: sort_keys_of(rows, columns[c]) for c in sort_columns if 0 <= c < len(columns)}
    return PreparedReminders(rows, search_text, categories, keys, bytes(r.overdue for r in rows))


class ReminderTableModel(RowTableModel):
    """Reminders, overdue ones in red, filtered by category and search words in the model itself.

    A `QSortFilterProxyModel` asked Python about each of 43,000 rows at every keystroke; here a
    filter is one pass over the text prepared with the rows. Sorting compares the keys of
    `sort_keys_of`; a column whose keys are not there yet is sorted once they arrive
    (`sort_keys_wanted` asks for them), keeping the current order meanwhile.
    """

    # A sort by this column waits for its keys: compute them (`sort_keys_of`) and hand them to `add_sort_keys`.
    sort_keys_wanted = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(reminder_columns(), parent)
        self._prepared = PreparedReminders([], [], [], {})
        self._keys: dict[int, list[Any]] = {}
        self._order: list[int] = []  # every reminder's position in `prepared.rows`, in the shown order
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None  # the sort `_order` follows
        self._visible: list[int] = []  # the positions that pass the filter, in order
        self._category: str | None = None
        self._words: list[str] = []

    # -- rows --------------------------------------------------------------------------------

    @property
    def prepared(self) -> PreparedReminders:
        return self._prepared

    @property
    def categories(self) -> list[str]:
        return self._prepared.categories

    @property
    def sort_column(self) -> int:
        return self._sort_column

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every reminder, preparing them here (a few rows, or tests)."""
        self.show_prepared(prepare_reminders(rows, (self._sort_column,)))

    def show_prepared(self, prepared: PreparedReminders) -> None:
        """Replace every reminder (a reload), keeping the current sort and filter."""
        self.beginResetModel()
        self._prepared = prepared
        self._keys = dict(prepared.sort_keys)
        self._order = list(range(len(prepared.rows)))
        self._sorted_by = None
        if self._sort_column in self._keys:
            self._order = self._sorted_positions_by_keys()
            self._sorted_by = (self._sort_column, self._sort_order)
        self._refilter()
        self.endResetModel()
        if self._sort_column >= 0 and self._sorted_by is None and prepared.rows:
            self.sort_keys_wanted.emit(self._sort_column)

    def missing_sort_keys(self) -> list[int]:
        return [c for c in range(len(self._columns)) if c not in self._keys]

    def add_sort_keys(self, prepared: PreparedReminders, keys: dict[int, list[Any]]) -> None:
        """Keys computed in the background for `prepared`'s rows; dropped if other rows are shown by now."""
        if prepared is not self._prepared:
            return
        prepared.sort_keys.update(keys)  # kept with the rows: shown again, they need no new keys
        self._keys.update(keys)
        if self._sort_column in keys and self._sorted_by != (self._sort_column, self._sort_order):
            self.sort(self._sort_column, self._sort_order)

    def overdue_count(self) -> int:
        """How many of the reminders shown are overdue."""
        return sum(map(self._prepared.overdue.__getitem__, self._visible))

    def row_of(self, reminder: Any) -> int | None:
        """The row showing `reminder` (the same object, else an equal one, as after a reload); None if hidden."""
        found = next((row for row, r in enumerate(self._rows) if r is reminder), None)
        if found is None:
            found = next((row for row, r in enumerate(self._rows) if r == reminder), None)
        return found

    # -- filtering ---------------------------------------------------------------------------

    def set_filter(self, *, category: str | None, search: str) -> None:
        """Show the reminders of `category` (None: all) whose text holds every word of `search`."""
        words = [w.casefold() for w in search.split()]
        if (category, words) == (self._category, self._words):
            return
        self.beginResetModel()
        self._category, self._words = category, words
        self._refilter()
        self.endResetModel()

    def _refilter(self) -> None:
        rows, text = self._prepared.rows, self._prepared.search_text
        visible = self._order
        if self._category is not None:
            category = self._category
            visible = [i for i in visible if rows[i].category == category]
        for word in self._words:  # the rarest word first would be quicker still; typing narrows anyway
            visible = [i for i in visible if word in text[i]]
        self._visible = visible
        self._rows = list(map(rows.__getitem__, visible))
        self._sort_cache.clear()

    # -- sorting -----------------------------------------------------------------------------

    def _sorted_positions_by_keys(self) -> list[int]:
        """`_order` sorted by the current sort column's keys; blanks last, ties keep their order."""
        keys = self._keys[self._sort_column]
        filled = [i for i in self._order if keys[i] is not None]
        blank = [i for i in self._order if keys[i] is None]
        filled.sort(key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        return filled + blank

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        if not (0 <= column < len(self._columns)) or not self._prepared.rows:
            return
        if column not in self._keys:
            self.sort_keys_wanted.emit(column)
            return
        if self._sorted_by == (column, order):
            # Already in this order: a header click reaches here twice (the view's sortByColumn, then
            # the header's indicator signal), and the second would cost as much as the first.
            return
        self.layoutAboutToBeChanged.emit()
        old_visible = self._visible
        self._order = self._sorted_positions_by_keys()
        self._sorted_by = (column, order)
        self._refilter()
        persistent = self.persistentIndexList()
        if persistent:
            new_row = self._rows_of({old_visible[i.row()] for i in persistent if i.isValid()})
            self.changePersistentIndexList(
                persistent,
                [self.index(new_row[old_visible[i.row()]], i.column()) if i.isValid() else i for i in persistent],
            )
        self.layoutChanged.emit()

    def _rows_of(self, positions: set[int]) -> dict[int, int]:
        """The rows now showing these reminders (by position in `prepared.rows`); the few the view keeps
        track of (the current row, a selection) are found by a C-level scan each, not a 43,000-entry dict."""
        visible = self._visible
        if len(positions) > 32:
            return {position: row for row, position in enumerate(visible)}
        return {position: visible.index(position) for position in positions}

    # -- Qt overrides ----------------------------------------------------------------------

    def row_foreground(self, row_object: Any) -> QColor | None:
        return OVERDUE_COLOUR if row_object.overdue else None


# -- the register overview (导入 / 导出 pages) ------------------------------------------------------


def summary_columns() -> tuple[Column, ...]:
    """Columns over `RegisterSummary` rows: 台账, 记录数, 最近更新."""
    return (
        Column(_tr("台账"), lambda s: s.label, lambda s: s.label, width_chars=24),
        Column(_tr("记录数"), lambda s: f"{s.count:,}", lambda s: float(s.count), alignment=_RIGHT, width_chars=10),
        Column(
            _tr("最近更新"),
            lambda s: s.last_updated.strftime("%Y-%m-%d %H:%M") if s.last_updated else _tr("尚无记录"),
            lambda s: native_sort_value(s.last_updated),
            width_chars=18,
        ),
    )


class RegisterSummaryModel(RowTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(summary_columns(), parent)
