"""A list's table view with a column chooser, and the layout it keeps between runs.

Column order, widths and hidden columns, the sort and the splitter beside the list are
kept in the main window's settings file (QSettings, .ini), under the list's own key.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSplitter, QTableView, QWidget

SAVE_DELAY_MS = 400  # dragging a column edge writes once, when it stops


class ListLayout:
    """Remembers one list's header (order, widths, hidden columns, sort) and its splitter."""

    def __init__(self, key: str, view: QTableView, splitter: QSplitter, owner: QWidget) -> None:
        self.key = key
        self.view = view
        self.splitter = splitter
        self.owner = owner
        self.settings: QSettings | None = None
        self._timer = QTimer(owner)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_column_menu)
        self.column_menu: QMenu | None = None
        self._default_state = QByteArray()
        self._default_splitter = QByteArray()
        self._pending_splitter: QByteArray | None = None

    # -- column chooser ---------------------------------------------------------------------

    def column_menu_for(self) -> QMenu:
        """One check box per column, and a way back to the starting layout."""
        header = self.view.horizontalHeader()
        model = self.view.model()
        menu = QMenu(self.owner)
        visible = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        for logical in sorted(range(header.count()), key=header.visualIndex):
            title = str(model.headerData(logical, Qt.Orientation.Horizontal))
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(logical))
            action.setEnabled(not (len(visible) == 1 and logical in visible))  # keep at least one column
            action.toggled.connect(partial(self.set_column_visible, logical))
            menu.addAction(action)
        menu.addSeparator()
        reset = QAction(self.owner.tr("恢复默认列"), menu)
        reset.triggered.connect(self.restore_defaults)
        menu.addAction(reset)
        return menu

    def show_column_menu(self, position: QPoint) -> None:
        if self.column_menu is not None:
            self.column_menu.deleteLater()
        self.column_menu = self.column_menu_for()
        self.column_menu.popup(self.view.horizontalHeader().mapToGlobal(position))

    def set_column_visible(self, logical: int, visible: bool) -> None:
        self.view.horizontalHeader().setSectionHidden(logical, not visible)
        self.changed()

    def restore_defaults(self) -> None:
        header = self.view.horizontalHeader()
        if not self._default_state.isEmpty():
            header.restoreState(self._default_state)
        for logical in range(header.count()):
            header.setSectionHidden(logical, False)
        self.changed()

    # -- remembering ------------------------------------------------------------------------

    def attach(self, settings: QSettings | None, *, writable: bool) -> tuple[int, Qt.SortOrder] | None:
        """Restore the saved layout; from now on, save each change if `writable`. Returns the saved sort."""
        header = self.view.horizontalHeader()
        self._default_state = header.saveState()
        self._default_splitter = self.splitter.saveState()
        saved_sort = None
        if settings is not None:
            state = settings.value(f"lists/{self.key}/header")
            if isinstance(state, QByteArray) and not state.isEmpty() and header.restoreState(state):
                saved_sort = (header.sortIndicatorSection(), header.sortIndicatorOrder())
            splitter = settings.value(f"lists/{self.key}/splitter")
            if isinstance(splitter, QByteArray) and not splitter.isEmpty():
                self._pending_splitter = splitter  # once the page has its size (see `shown`)
        self.settings = settings if writable else None
        header.sectionMoved.connect(self.changed)
        header.sectionResized.connect(self.changed)
        header.sortIndicatorChanged.connect(self.changed)
        self.splitter.splitterMoved.connect(self.changed)
        return saved_sort

    def shown(self) -> None:
        """The page is on screen with its real size: put the splitter where it was left."""
        if self._pending_splitter is not None:
            self.splitter.restoreState(self._pending_splitter)
            self._pending_splitter = None

    def changed(self, *_args: Any) -> None:
        if self.settings is not None:
            self._timer.start()

    def save(self) -> None:
        self._timer.stop()
        if self.settings is None:
            return
        self.settings.setValue(f"lists/{self.key}/header", self.view.horizontalHeader().saveState())
        self.settings.setValue(f"lists/{self.key}/splitter", self.splitter.saveState())
        self.settings.sync()
