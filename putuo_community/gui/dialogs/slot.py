"""One dialog of a kind open at a time: opening the next closes the one before."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

D = TypeVar("D", bound=QDialog)


class DialogSlot(QObject):
    """Holds the open dialog (deleted on close) of a page or window; `dialog` is None once it is gone."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: QDialog | None = None

    def open(self, dialog: D) -> D:
        if self.dialog is not None:
            self.dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._gone)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _gone(self) -> None:
        self.dialog = None
