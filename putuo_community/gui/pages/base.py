"""What every page shares: the services it reads through, the background runner, and its signals."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from putuo_community.domain.accounts import Role
from putuo_community.domain.changes import Changes
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.gui.write_access import WriteAccess
from putuo_community.services import Record, Services

ALL = None  # the data of a combo's "全部…" entry


@dataclass(frozen=True)
class PageContext:
    services: Services
    runner: BackgroundRunner
    write_access: WriteAccess | None = None  # the window's; None: one of the page's own

    @functools.cached_property
    def writes(self) -> WriteAccess:
        """Whether the pages' buttons that write may be used now, and why not."""
        return self.write_access if self.write_access is not None else WriteAccess(self.services)


class Page(QWidget):
    """A page of the main window. It loads its data in the background the first time it is shown."""

    # The status bar text for this page ("共 1,234 个小区").
    status_changed = Signal(str)
    # Emitted each time the page's data has arrived and is on screen.
    loaded = Signal()

    def __init__(self, context: PageContext, title: str, description: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.title = title
        self.has_loaded = False
        self.stale = False  # data changed while the page was hidden: reload when it is shown
        self._status = ""
        self._load_task: Task | None = None

        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 10, 12, 8)
        self.header = QHBoxLayout()
        title_label = QLabel(title)
        title_label.setFont(enlarged_font(title_label.font(), 1.35))
        self.header.addWidget(title_label)
        if description:
            note = QLabel(description)
            note.setObjectName("pageDescription")
            note.setStyleSheet("color: #666666;")
            self.header.addSpacing(12)
            self.header.addWidget(note, 0, Qt.AlignmentFlag.AlignBottom)
        self.header.addStretch(1)
        self.layout_.addLayout(self.header)

    # -- what the main window calls ----------------------------------------------------------

    def activate(self) -> None:
        """The page became visible: load it the first time, or again if its data changed meanwhile."""
        if (not self.has_loaded or self.stale) and self._load_task is None:
            self.stale = False
            self.refresh()
        self.status_changed.emit(self._status)

    def apply_changes(self, changes: Changes) -> None:
        """A write was committed somewhere: follow it if it concerns this page.

        A page on screen updates what changed at once; a hidden one only notes that it
        must reload when it is next shown (or reloads nothing if it never loaded).
        """
        if not self.has_loaded or not self.depends_on(changes):
            return
        if self.isVisible():
            self.follow_changes(changes)
        else:
            self.stale = True

    def depends_on(self, changes: Changes) -> bool:
        """Whether the page shows anything `changes` touched; by default, any record or setting."""
        return not changes.empty

    def follow_changes(self, changes: Changes) -> None:
        """Bring the page up to date with `changes`; by default, read it again."""
        self.refresh()

    def refresh(self) -> None:
        """Read the page's data again (F5)."""

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the page's search box, if it has one."""

    def set_streets(self, streets: list[Record]) -> None:
        """The 10 街镇, once they are read; pages with a 街镇 filter fill it."""

    @property
    def status_text(self) -> str:
        return self._status

    # -- for subclasses ----------------------------------------------------------------------

    def set_status(self, text: str) -> None:
        self._status = text
        self.status_changed.emit(text)

    def start_load(self, function: Callable[[], Any], on_result: Callable[[Any], None], description: str) -> None:
        """Run the page's query in the background; a newer load replaces an older one still running."""
        self.cancel_load()

        def deliver(result: object) -> None:
            self._load_task = None
            on_result(result)
            self.has_loaded = True
            self.loaded.emit()

        def failed(_error: BaseException) -> bool:
            self._load_task = None
            self.set_status(self.tr("读取失败"))
            return False  # still shown as a message or a crash report

        self.set_status(self.tr("正在读取…"))
        self._load_task = self.context.runner.run(
            lambda _progress: function(), on_result=deliver, on_error=failed, description=description, parent=self
        )

    def cancel_load(self) -> None:
        """Drop the load under way, if any: its result is no longer wanted."""
        if self._load_task is not None:
            self._load_task.cancel()
            self._load_task = None

    @property
    def loading(self) -> bool:
        return self._load_task is not None


def street_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItem(parent.tr("全部街镇"), ALL)
    combo.setToolTip(parent.tr("只看一个街镇"))
    return combo


def own_street_only(services: Services) -> bool:
    """Whether the session's lists, reminders and ledgers hold one 街镇 only: a 街镇经办人's (the services
    narrow them; a filter offering 全部街镇 would say otherwise)."""
    return services.actor.role is Role.STREET_CLERK


def fill_street_combo(combo: QComboBox, streets: list[Record], *, own_only: bool = False) -> None:
    """Put the 街镇 into a combo that holds "全部街镇", keeping the current choice and emitting nothing.

    `own_only` (a 街镇经办人's view, `streets` their own): the combo shows that 街镇, fixed, and says why.
    """
    current = combo.currentData()
    combo.blockSignals(True)
    try:
        while combo.count() > 1:
            combo.removeItem(1)
        for street in streets:
            combo.addItem(street.title, street.id)
        if own_only and len(streets) == 1:
            combo.setCurrentIndex(1)
            combo.setEnabled(False)
            combo.setToolTip(combo.tr("街镇经办人只看本街镇的记录"))
        else:
            combo.setCurrentIndex(max(combo.findData(current), 0))
    finally:
        combo.blockSignals(False)
