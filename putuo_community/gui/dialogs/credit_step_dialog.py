"""Asks the day of one step of a credit record's workflow: an objection's 提出 / 受理 / 维持 / 撤销, or a 修正.

The dialog only gathers the date; the credit service decides whether the step is allowed
(the entry rules: 18-point acts are never corrected, a correction waits 1 or 3 months ...).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget


class CreditStepDialog(QDialog):
    """One date for one step, with a line saying what the rule is."""

    def __init__(self, title: str, date_label: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.note = QLabel(note, self)
        self.note.setWordWrap(True)
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(QDate.currentDate())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if ok is not None:
            ok.setText(self.tr("确定"))
        if cancel is not None:
            cancel.setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(date_label, self.date_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    @property
    def chosen(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def set_chosen(self, day: date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
