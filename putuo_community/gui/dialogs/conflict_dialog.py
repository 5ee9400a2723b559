"""Two people, one record: what changed since the clerk opened it, and what to do about it.

Shown when saving meets a newer version (optimistic locking). Field by field: the
version the clerk started from, the one someone else saved, and the clerk's own
edits. Nothing is overwritten silently: the clerk reloads theirs, or applies the
edits again on top of it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.fields import Register
from putuo_community.gui.models import field_text
from putuo_community.gui.widgets import enlarged_font
from putuo_community.services import Record

THEIRS_COLOUR = QColor("#fff1c2")  # changed by the other person
MINE_COLOUR = QColor("#dcecfb")  # changed by this clerk
CLASH_COLOUR = QColor("#f9d6d5")  # changed by both, differently

FIELD_COLUMN, BASE_COLUMN, THEIRS_COLUMN, MINE_COLUMN = range(4)


class ConflictChoice(enum.Enum):
    RELOAD = "reload"  # drop my edits, show their version
    REAPPLY = "reapply"  # my changed fields on top of their version


class ConflictDialog(QDialog):
    """`choice` says what the clerk chose once the dialog is accepted; rejected: back to the form."""

    def __init__(
        self,
        register: Register,
        base: Record,
        theirs: Record,
        mine: Mapping[str, Any],
        mine_text: Mapping[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.base = base
        self.theirs = theirs
        self.mine = dict(mine)
        self.choice: ConflictChoice | None = None
        self.setWindowTitle(self.tr("此记录已被他人修改"))

        heading = QLabel(self.tr("此记录已被他人修改"), self)
        heading.setFont(enlarged_font(heading.font(), 1.25))
        explanation = QLabel(
            self.tr(
                "您打开此{register}记录（第 {base} 版）后，有人保存了第 {theirs} 版，您的修改还没有保存。"
                "下表列出有差异的字段：黄色是对方改动的，蓝色是您改动的，红色是双方都改了且不一致的。"
            ).format(register=register.label, base=base.version, theirs=theirs.version),
            self,
        )
        explanation.setWordWrap(True)

        self.rows: list[str] = [
            f.key for f in register.fields if base.values.get(f.key) != theirs.values.get(f.key) or f.key in self.mine
        ]
        self.table = QTableWidget(len(self.rows), 4, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("字段"),
                self.tr("您打开时（第 {version} 版）").format(version=base.version),
                self.tr("对方保存的（第 {version} 版）").format(version=theirs.version),
                self.tr("您的修改"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clashes: list[str] = []
        for row, key in enumerate(self.rows):
            self._fill_row(row, key, mine_text.get(key, ""))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FIELD_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        for column in (BASE_COLUMN, THEIRS_COLUMN, MINE_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        # Rows follow their wrapped text as the columns stretch.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.reload_button = QPushButton(self.tr("重新载入（放弃我的修改）"), self)
        self.reload_button.setToolTip(self.tr("显示对方保存的版本，您的修改不再保留"))
        self.reapply_button = QPushButton(self.tr("重新应用我的修改"), self)
        self.reapply_button.setToolTip(self.tr("在对方保存的版本上，再填入您改动的字段并保存"))
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.reapply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        back = buttons.addButton(self.tr("返回编辑"), QDialogButtonBox.ButtonRole.RejectRole)
        back.clicked.connect(self.reject)
        self.reload_button.clicked.connect(lambda: self._choose(ConflictChoice.RELOAD))
        self.reapply_button.clicked.connect(lambda: self._choose(ConflictChoice.REAPPLY))
        self.reapply_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        if self.clashes:
            clash = QLabel(
                self.tr("双方都改了：{fields}。重新应用会以您的修改为准。").format(
                    fields="、".join(register.field(k).label for k in self.clashes)
                ),
                self,
            )
            clash.setWordWrap(True)
            clash.setStyleSheet("color: #c62828;")
            layout.addWidget(clash)
        layout.addWidget(buttons)
        self.resize(820, min(560, 220 + 34 * max(len(self.rows), 3)))

    def _fill_row(self, row: int, key: str, mine_text: str) -> None:
        field = self.register.field(key)
        theirs_changed = self.base.values.get(key) != self.theirs.values.get(key)
        mine_changed = key in self.mine
        clash = theirs_changed and mine_changed and self.mine[key] != self.theirs.values.get(key)
        if clash:
            self.clashes.append(key)
        texts = (
            field.label,
            field_text(self.base, field),
            field_text(self.theirs, field),
            mine_text if mine_changed else self.tr("（未改）"),
        )
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text or self.tr("（空）"))
            if column == FIELD_COLUMN:
                bold = QFont(item.font())
                bold.setBold(clash)
                item.setFont(bold)
            if column == THEIRS_COLUMN and theirs_changed:
                item.setBackground(QBrush(CLASH_COLOUR if clash else THEIRS_COLOUR))
            if column == MINE_COLUMN and mine_changed:
                item.setBackground(QBrush(CLASH_COLOUR if clash else MINE_COLOUR))
            if column == MINE_COLUMN and not mine_changed:
                item.setForeground(QBrush(QColor("#80868b")))
            self.table.setItem(row, column, item)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()
