"""Pieces of the register pages' lists: the banner of a list opened from a figure, the rows shown first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class OnlyBanner(QFrame):
    """仅显示：<what>（N 条） [清除筛选]: the list holds only the records behind a figure; Esc clears it too."""

    cleared = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("onlyBanner")
        self.setStyleSheet("#onlyBanner { background: #fff4ce; border: 1px solid #e0c36a; border-radius: 3px; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.clear_button = QPushButton(self.tr("清除筛选"), self)
        self.clear_button.setToolTip(self.tr("显示全部记录（Esc）"))
        self.clear_button.clicked.connect(self.cleared)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 4, 3)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.clear_button)
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), parent)
        self.escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.escape.setEnabled(False)
        self.escape.activated.connect(self.cleared)
        self.hide()

    def show_label(self, label: str, count: int) -> None:
        self.label.setText(self.tr("仅显示：{label}（{count} 条）").format(label=label, count=f"{count:,}"))
        self.escape.setEnabled(True)
        self.show()

    def clear(self) -> None:
        self.escape.setEnabled(False)
        self.hide()


def first_shown(ids: Sequence[int], selected: int | None, screenful: int) -> list[int]:
    """The ids of the rows a list shows when its ids arrive: a screenful either side of the selected record,
    which it scrolls to if it is still there, else the first screenful."""
    if selected is not None:
        try:
            at = ids.index(selected)
        except ValueError:
            pass
        else:
            return list(ids[max(at - screenful, 0) : at + screenful])
    return list(ids[:screenful])
