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

from collections.abc import Callable, Sequence
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
