"""Brings each committed write's `Changes` to the GUI thread, for the open pages and windows to follow.

Services publish on whichever thread wrote (often a background task); the hub re-emits
on its Qt signal, which Qt queues to receivers living on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from putuo_community.domain.changes import ChangeBus, Changes


class ChangeHub(QObject):
    changed = Signal(object)  # Changes

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus: ChangeBus | None = bus
        bus.subscribe(self._deliver)

    def _deliver(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def close(self) -> None:
        """Stop listening (the window is closing); safe to call twice."""
        if self._bus is not None:
            self._bus.unsubscribe(self._deliver)
            self._bus = None
