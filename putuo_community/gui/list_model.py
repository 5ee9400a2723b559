"""The list pages' table model: it holds the ordered ids of a list and reads rows in blocks as the view asks.

As Anki's browser table does: filtering and sorting happen in the listing service, off
the UI thread, and give the model the list's ids in order; the model then reads the rows
of the block the view paints (one bounded query) and keeps a few thousand of them.
Following a change moves, inserts and removes single rows, so the view keeps its place.
What a row shows (texts, colours) is worked out once, the first time it is painted: a repaint
asks seven roles of every cell, and each answer should be a look-up.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from putuo_community.gui.models import RECORD_ROLE, SORT_ROLE, field_alignment, field_text, native_sort_value
from putuo_community.services import Record
from putuo_community.services.listing import ListRow

AnyIndex = QModelIndex | QPersistentModelIndex

BLOCK_ROWS = 100  # rows read at a time: a screenful or three
CACHED_ROWS = 3_000  # rows kept; the rest are read again when scrolled back to

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter

Fetch = Callable[[list[int]], list[ListRow]]

# The roles answered, as the slots `data` looks them up by (Qt passes the role as a plain int).
_DISPLAY, _ALIGNMENT, _FOREGROUND, _BACKGROUND, _TOOLTIP, _RECORD, _SORT = range(7)
_SLOTS = {
    int(Qt.ItemDataRole.DisplayRole): _DISPLAY,
    int(Qt.ItemDataRole.TextAlignmentRole): _ALIGNMENT,
    int(Qt.ItemDataRole.ForegroundRole): _FOREGROUND,
    int(Qt.ItemDataRole.BackgroundRole): _BACKGROUND,
    int(Qt.ItemDataRole.ToolTipRole): _TOOLTIP,
    int(RECORD_ROLE): _RECORD,
    int(SORT_ROLE): _SORT,
}
_HEADER_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_HEADER_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_BRUSHES: dict[int, QBrush] = {}  # one brush per colour, shared by every cell painted in it


@dataclass(frozen=True)
class ListColumn:
    """One column of a list: `key` is what the listing service sorts on (a field or a computed key)."""

    key: str
    header: str
    text: Callable[[ListRow], str]
    sort_value: Callable[[ListRow], object]
    alignment: Qt.AlignmentFlag = _LEFT
    tooltip: Callable[[ListRow], str] | None = None
    foreground: Callable[[ListRow], QColor | None] | None = None
    background: Callable[[ListRow], QColor | None] | None = None
    width_chars: int = 12


def field_column(register: Any, key: str) -> ListColumn:
    fld = register.field(key)
    return ListColumn(
        key=key,
        header=fld.header,
        text=lambda r: field_text(r.record, fld),
        sort_value=lambda r: native_sort_value(r.record.values.get(key)),
        alignment=field_alignment(fld),
        width_chars=fld.width,
    )


def _brush(colour: QColor | None) -> QBrush | None:
    if colour is None:
        return None
    brush = _BRUSHES.get(colour.rgba())
    if brush is None:
        brush = _BRUSHES[colour.rgba()] = QBrush(colour)
    return brush


class _Held:
    """A row read, and (once painted) its cells' texts and brushes."""

    __slots__ = ("backgrounds", "foregrounds", "row", "texts")

    def __init__(self, row: ListRow) -> None:
        self.row = row
        self.texts: tuple[str, ...] | None = None
        self.foregrounds: tuple[QBrush | None, ...] = ()
        self.backgrounds: tuple[QBrush | None, ...] = ()

    def prepare(self, columns: Sequence[ListColumn]) -> tuple[str, ...]:
        row = self.row
        texts = tuple(c.text(row) for c in columns)
        self.foregrounds = tuple(_brush(c.foreground(row)) if c.foreground is not None else None for c in columns)
        self.backgrounds = tuple(_brush(c.background(row)) if c.background is not None else None for c in columns)
        self.texts = texts
        return texts


class LazyListModel(QAbstractTableModel):
    """Rows of a list by position; `ids` in the list's order, row data read block by block through `fetch`."""

    # The header asked for a sort: the page reads the order again (column -1: the default order).
    sort_requested = Signal(int, Qt.SortOrder)

    def __init__(self, columns: Sequence[ListColumn], fetch: Fetch, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._fetch = fetch
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = None
        self._cache: OrderedDict[int, _Held | None] = OrderedDict()
        self._alignments = tuple(c.alignment for c in self._columns)
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    # -- ours ------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[ListColumn, ...]:
        return self._columns

    def ids(self) -> list[int]:
        return list(self._ids)

    def set_ids(self, ids: Sequence[int], *, fresh: Sequence[ListRow] = (), keep_rows: bool = True) -> None:
        """A new order for the same rows moves them (the selection follows); other ids reset the list.

        `fresh`: rows just read with the order (those the view shows first), held at once, so that
        painting reads nothing. `keep_rows=False`: the other rows held may be stale, read them again.
        """
        new = list(ids)
        if len(new) == len(self._ids) and set(new) == set(self._ids):
            if not keep_rows:
                self._cache.clear()
            for row in fresh:
                self._remember(row.id, row)
            self._move_to(new)
            if not keep_rows and new:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(self._columns) - 1))
            return
        self.beginResetModel()
        self._ids = new
        self._positions = None
        self._cache.clear()
        for row in fresh:
            self._remember(row.id, row)
        self.endResetModel()

    def row_of(self, record_id: int) -> int | None:
        if self._positions is None:
            self._positions = {i: row for row, i in enumerate(self._ids)}
        return self._positions.get(record_id)

    def list_row(self, row: int) -> ListRow | None:
        """The row at a position, read with its block if it is not held; None if it has gone meanwhile."""
        held = self._held(row)
        return held.row if held is not None else None

    def row_object(self, row: int) -> Record | None:
        found = self.list_row(row)
        return found.record if found is not None else None

    def rows(self) -> list[Record]:
        """The records held now (not every row of a long list): those a change could have made stale."""
        return [h.row.record for h in self._cache.values() if h is not None]

    def forget_rows(self) -> None:
        """Values shown may have changed (a computed column's inputs): read the visible rows again."""
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self._columns) - 1))

    def apply_order(self, order: Sequence[int] | None, fresh: Sequence[ListRow], asked: Collection[int]) -> None:
        """Bring the list up to date after a change: `order` is the list's new order (None: keep it),
        `fresh` the current rows of the `asked` ids that still belong in it.

        Rows that left are removed, new ones inserted where the order puts them, moved ones
        moved, and changed ones repainted: no reset, so selection and scroll position stay.
        """
        by_id = {r.id: r for r in fresh}
        for record_id in asked:
            self._cache.pop(record_id, None)
        if order is None:
            kept = [i for i in self._ids if i not in asked or i in by_id]
            order = kept + [i for i in by_id if self.row_of(i) is None]
        target = list(order)
        target_set = set(target)
        # Removals, last first, in runs.
        gone = [row for row, i in enumerate(self._ids) if i not in target_set]
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._ids[first : last + 1]
            self._positions = None
            self.endRemoveRows()
        # Moves: the remaining rows in their new relative order.
        present = set(self._ids)
        remaining = [i for i in target if i in present]
        if remaining != self._ids:
            self._move_to(remaining)
        # Inserts, first first, in runs.
        new_rows = [row for row, i in enumerate(target) if i not in present]
        for first, last in _runs(new_rows):
            self.beginInsertRows(QModelIndex(), first, last)
            self._ids[first:first] = target[first : last + 1]
            self._positions = None
            self.endInsertRows()
        for row in by_id.values():
            self._remember(row.id, row)
        last_column = len(self._columns) - 1
        for record_id in sorted(asked, key=lambda i: self.row_of(i) or 0):
            position = self.row_of(record_id)
            if position is not None and record_id in by_id and record_id in present:
                self.dataChanged.emit(self.index(position, 0), self.index(position, last_column))

    def _move_to(self, new: list[int]) -> None:
        self.layoutAboutToBeChanged.emit()
        old_positions = {i: row for row, i in enumerate(self._ids)}
        new_positions = {i: row for row, i in enumerate(new)}
        persistent = self.persistentIndexList()
        moved = []
        for index in persistent:
            record_id = self._ids[index.row()] if index.isValid() and index.row() < len(self._ids) else None
            row = new_positions.get(record_id) if record_id is not None else None
            moved.append(self.index(row, index.column()) if row is not None else QModelIndex())
        del old_positions
        self._ids = new
        self._positions = new_positions
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _read_block(self, row: int) -> None:
        start = row - row % BLOCK_ROWS
        wanted = [i for i in self._ids[start : start + BLOCK_ROWS] if i not in self._cache]
        found = {r.id: r for r in self._fetch(wanted)}
        for record_id in wanted:
            self._remember(record_id, found.get(record_id))

    def _held(self, row: int) -> _Held | None:
        ids = self._ids
        if not 0 <= row < len(ids):
            return None
        record_id = ids[row]
        cache = self._cache
        if record_id not in cache:
            self._read_block(row)
        return cache.get(record_id)

    def _remember(self, record_id: int, row: ListRow | None) -> None:
        self._cache[record_id] = _Held(row) if row is not None else None
        self._cache.move_to_end(record_id)
        while len(self._cache) > CACHED_ROWS:
            self._cache.popitem(last=False)

    # -- Qt overrides ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        slot = _SLOTS.get(role)
        if slot is None:
            return None
        column = index.column()
        if not 0 <= column < len(self._columns):  # an invalid index too (column -1)
            return None
        held = self._held(index.row())
        if held is None:
            return None
        if slot <= _BACKGROUND:  # what painting asks, for every cell: looked up
            if slot == _ALIGNMENT:
                return self._alignments[column]
            texts = held.texts or held.prepare(self._columns)
            if slot == _DISPLAY:
                return texts[column]
            return (held.foregrounds if slot == _FOREGROUND else held.backgrounds)[column]
        row = held.row
        if slot == _RECORD:
            return row.record
        if slot == _SORT:
            value = self._columns[column].sort_value(row)
            return value.isoformat() if isinstance(value, date) else value
        tooltip = self._columns[column].tooltip
        return tooltip(row) if tooltip is not None else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked five times for each of 200 rows whenever the row count changes: the role first.
        if role == _HEADER_DISPLAY:
            if orientation == Qt.Orientation.Vertical:
                return section + 1
            return self._columns[section].header if 0 <= section < len(self._columns) else None
        if role == _HEADER_ALIGNMENT and orientation == Qt.Orientation.Horizontal:
            return _CENTER if 0 <= section < len(self._columns) else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The order is the listing service's to work out: say what was asked, and wait for the ids."""
        column = column if 0 <= column < len(self._columns) else -1
        if (column, order) == (self.sort_column, self.sort_order):
            return
        self.sort_column, self.sort_order = column, order
        self.sort_requested.emit(column, order)

    @property
    def sort_key(self) -> str:
        return self._columns[self.sort_column].key if self.sort_column >= 0 else ""


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of neighbours."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
