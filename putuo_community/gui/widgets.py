"""Small widget helpers the pages share: the table view every list uses, column widths, heading fonts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

MAX_COLUMN_WIDTH = 360


def enlarged_font(font: QFont, factor: float, *, bold: bool = True) -> QFont:
    """A heading font; works whether the platform font is sized in points or pixels."""
    result = QFont(font)
    if result.pointSizeF() > 0:
        result.setPointSizeF(result.pointSizeF() * factor)
    elif result.pixelSize() > 0:
        result.setPixelSize(round(result.pixelSize() * factor))
    result.setBold(bold)
    return result


def make_table_view(parent: QWidget) -> QTableView:
    """A read-only, row-selecting, sortable table; unsorted until a header is clicked or a sort is asked for."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    header.setStretchLastSection(True)
    view.setSortingEnabled(True)
    return view


class SizedColumn(Protocol):
    """What sizing needs of a column, whichever model it belongs to."""

    @property
    def header(self) -> str: ...

    @property
    def width_chars(self) -> int: ...


class ColumnsModel(Protocol):
    @property
    def columns(self) -> Sequence[SizedColumn]: ...


def size_columns(view: QTableView, model: ColumnsModel) -> None:
    """Start each column at its declared width, never narrower than its header (any model with `columns`)."""
    digit = view.fontMetrics().horizontalAdvance("0")
    header_metrics = view.horizontalHeader().fontMetrics()
    for number, column in enumerate(model.columns):
        wanted = column.width_chars * digit + 16
        header_width = header_metrics.horizontalAdvance(column.header) + 28  # room for the sort arrow
        view.setColumnWidth(number, min(max(wanted, header_width), MAX_COLUMN_WIDTH))
