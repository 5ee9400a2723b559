"""Table models of the import wizard: the sheet as read, and the dry run's verdict on every row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from putuo_community.gui.i18n import translator
from putuo_community.gui.models import Column, RowSortProxy, RowTableModel, native_sort_value
from putuo_community.services.importing import RowPlan, RowStatus

AnyIndex = QModelIndex | QPersistentModelIndex

STATUS_COLOURS = {
    RowStatus.NEW: QColor("#2e7d32"),
    RowStatus.UPDATE: QColor("#1565c0"),
    RowStatus.UNCHANGED: QColor("#757575"),
    RowStatus.ERROR: QColor("#c62828"),
    RowStatus.CONFIRM: QColor("#e65100"),
}
HEADER_BACKGROUND = QColor("#fff3c4")
SKIPPED_FOREGROUND = QColor("#9e9e9e")

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


_tr = translator("import_wizard")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_text(value: object) -> str:
    """A raw cell as a person reads it: no 1980.0, no 00:00:00 after a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _tr("是") if value else _tr("否")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


# -- the sheet as read ---------------------------------------------------------------------------


class LineRole(Enum):
    HEADER = "header"
    DATA = "data"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SheetLine:
    """One line of the sheet for the preview (or a run of skipped lines): Excel's numbers, cells, what it is."""

    line: int
    cells: tuple[object, ...]
    role: LineRole
    note: str = ""  # why a skipped line is skipped; shown across the row
    last_line: int | None = None  # a run of lines shown as one row (the titles above the header)

    @property
    def label(self) -> str:
        return f"{self.line}–{self.last_line}" if self.last_line and self.last_line != self.line else str(self.line)


def _cell_column(index: int, header: str) -> Column:
    def text(line: SheetLine) -> str:
        if line.note:
            return line.note if index == 0 else ""
        return cell_text(line.cells[index]) if index < len(line.cells) else ""

    return Column(header, text, lambda line: line.line, tooltip=text, width_chars=12)


class SheetPreviewModel(RowTableModel):
    """The first lines of the sheet as they are in the file; header lines shaded, skipped lines grey."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__((), parent)

    def set_lines(self, lines: Sequence[SheetLine], headers: Sequence[str]) -> None:
        self.beginResetModel()
        self._columns = tuple(_cell_column(i, h) for i, h in enumerate(headers))
        self.endResetModel()
        self.set_rows(lines)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        line: SheetLine = self.row_object(index.row())
        if role == Qt.ItemDataRole.BackgroundRole and line.role is LineRole.HEADER:
            return QBrush(HEADER_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and line.role is LineRole.HEADER:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and line.role is LineRole.SKIPPED:
            return QBrush(SKIPPED_FOREGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and line.note:
            return _tr("第 {line} 行：{note}").format(line=line.label, note=line.note)
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < self.rowCount():
                return self.row_object(section).label  # the line number Excel shows
            return None
        return super().headerData(section, orientation, role)


# -- the dry run ---------------------------------------------------------------------------------


def row_explanation(row: RowPlan) -> str:
    """What the 说明 column says: the changed fields, the error, the candidates, or a warning."""
    if row.status is RowStatus.UPDATE:
        changes = _tr("；").join(
            _tr("{label} {old}→{new}").format(label=c.label, old=c.old or _tr("（空）"), new=c.new or _tr("（空）"))
            for c in row.changes
        )
        return changes or _tr("按确认记为同一小区，新增别名“{name}”").format(name=row.title)
    if row.status is RowStatus.ERROR:
        return row.reason
    if row.status is RowStatus.CONFIRM:
        return _tr("名称与已有小区相近：{names}").format(
            names=_tr("、").join(
                _tr("{name}（{street}，{reason}）").format(name=c.name, street=c.street, reason=c.reason)
                for c in row.candidates
            )
        )
    return _tr("；").join(_tr("提示：{warning}").format(warning=w) for w in row.warnings)


def row_tooltip(row: RowPlan) -> str:
    if row.status is RowStatus.NEW or row.status is RowStatus.UNCHANGED:
        return "\n".join(_tr("提示：{warning}").format(warning=w) for w in row.warnings)
    lines = [row_explanation(row), *(_tr("提示：{warning}").format(warning=w) for w in row.warnings)]
    return "\n".join(line for line in lines if line)


def plan_columns() -> tuple[Column, ...]:
    return (
        Column(_tr("行号"), lambda r: str(r.line), lambda r: float(r.line), alignment=_RIGHT, width_chars=6),
        Column(_tr("状态"), lambda r: r.status.value, lambda r: list(RowStatus).index(r.status), width_chars=7),
        Column(_tr("记录"), lambda r: r.title, lambda r: r.title or None, tooltip=lambda r: r.title, width_chars=24),
        Column(_tr("说明"), row_explanation, lambda r: native_sort_value(row_explanation(r)), tooltip=row_tooltip),
    )


STATUS_COLUMN = 1


class PlanRowModel(RowTableModel):
    """Every row of the dry run, its 状态 in the status colour."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(plan_columns(), parent)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and 0 <= index.row() < self.rowCount():
            row: RowPlan = self.row_object(index.row())
            if index.column() == STATUS_COLUMN or row.status is RowStatus.ERROR:
                return QBrush(STATUS_COLOURS[row.status])
            return None
        if role == Qt.ItemDataRole.FontRole and index.column() == STATUS_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)

    def position_of_line(self, line: int) -> int:
        for position, row in enumerate(self._rows):
            if row.line == line:
                return position
        return -1


class PlanFilterProxy(RowSortProxy):
    """Shows the rows of one status, or all."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._status: RowStatus | None = None

    @property
    def status(self) -> RowStatus | None:
        return self._status

    def set_status(self, status: RowStatus | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self._status = status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._status = status
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._status is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, PlanRowModel)
        row: RowPlan = model.row_object(source_row)
        return row.status is self._status
