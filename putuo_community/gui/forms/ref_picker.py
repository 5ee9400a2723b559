"""The editor of a reference field: type a few characters, pick one of the records the lookup service offers.

Options are fetched in the background, narrowed by the record's other values
(the buildings of the chosen estate). Picking sets the id; typed text that names
exactly one option (a name, a 统一社会信用代码, an alias) picks it too; anything else
is "请从列表中选择".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QToolButton, QWidget

from putuo_community.domain.errors import UserError
from putuo_community.domain.fields import Field, Register
from putuo_community.domain.parsing import Parsed, clean_text
from putuo_community.gui.forms.editors import HINT_STYLE, FieldEditor
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.services.lookups import LookupService, RefOption

# What a picker says while its lookup runs: not yet an error, but nothing to save either.
PENDING = "正在查找……"
LOOKUP_DELAY_MS = 200  # wait for a pause in typing before asking the database

AnyIndex = QModelIndex | QPersistentModelIndex


class RefOptionModel(QAbstractListModel):
    """The options a picker offers: “label　detail” to read, the label to insert, the id to keep."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._options: list[RefOption] = []

    @property
    def options(self) -> list[RefOption]:
        return list(self._options)

    def set_options(self, options: list[RefOption]) -> None:
        self.beginResetModel()
        self._options = list(options)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._options)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._options):
            return None
        option = self._options[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{option.label}　{option.detail}" if option.detail else option.label
        if role == Qt.ItemDataRole.EditRole:  # what the completer puts in the line edit
            return option.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return option.detail or None
        if role == self.ID_ROLE:
            return option.id
        if role == self.DETAIL_ROLE:
            return option.detail
        return None


class RefPicker(FieldEditor):
    """A searchable picker for one reference field of `register`."""

    def __init__(
        self,
        field: Field,
        register: Register,
        lookups: LookupService,
        runner: BackgroundRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(field, parent)
        self.register = register
        self.lookups = lookups
        self.runner = runner
        self._id: int | None = None
        self._label = ""  # the picked option's label
        self._resolved_text = ""  # the text the id was picked or matched for
        self._pending = False
        self._failed = ""
        self._awaiting_label = False  # set_value gave an id without its label: still that record meanwhile
        self._context: dict[str, Any] = {}
        self._request = 0  # answers to older requests are dropped
        self.last_task: Task | None = None

        self.line_edit = QLineEdit(self)
        self.line_edit.setAccessibleName(field.label)
        self.line_edit.setPlaceholderText(self.tr("输入名称查找"))
        self.line_edit.setMinimumWidth(self.line_edit.fontMetrics().horizontalAdvance("0" * 24))
        self.setFocusProxy(self.line_edit)
        self.model = RefOptionModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated[QModelIndex].connect(self._activated)  # type: ignore[index]  # stubs lack overloads
        self.line_edit.setCompleter(self.completer)
        self.list_button = QToolButton(self)
        self.list_button.setArrowType(Qt.ArrowType.DownArrow)
        self.list_button.setToolTip(self.tr("列出可选的记录"))
        self.list_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list_button.clicked.connect(self.show_options)
        self.detail = QLabel(self)
        self.detail.setStyleSheet(HINT_STYLE)
        self.detail.setWordWrap(True)
        self.row.addWidget(self.line_edit, 3)
        self.row.addWidget(self.list_button)
        self.row.addWidget(self.detail, 2)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOOKUP_DELAY_MS)
        self._timer.timeout.connect(self._look_up_typed)
        self.line_edit.textEdited.connect(self._typed)
        self.line_edit.editingFinished.connect(self.tidy)

    # -- FieldEditor ----------------------------------------------------------------------------

    @property
    def record_id(self) -> int | None:
        return self._id

    @property
    def pending(self) -> bool:
        return self._pending

    def text(self) -> str:
        return self.line_edit.text()

    def set_text(self, text: str) -> None:
        self.line_edit.setText(text)
        self.line_edit.setCursorPosition(0)

    def parse(self) -> Parsed:
        if self._id is not None and (self._awaiting_label or clean_text(self.text())):
            return Parsed(self._id)
        if not clean_text(self.text()):
            return Parsed(None)
        if self._failed:
            return Parsed(None, self._failed)
        if self._pending:
            return Parsed(None, PENDING)
        return Parsed(None, self.tr("请从列表中选择"))

    def set_value(self, value: object, label: str | None = None) -> None:
        """Point at record `value`; its label is looked up unless given."""
        self._forget_requests()
        self.initial = value
        self._id = value if isinstance(value, int) else None
        self._failed = ""
        self.model.set_options([])
        self.detail.clear()
        if self._id is None:
            self._label = self._resolved_text = ""
            self.set_text("")
            return
        self._label = self._resolved_text = label or ""
        self._awaiting_label = not label
        self.set_text(self._label)
        record_id, request = self._id, self._request
        lookups, register_key, field_key = self.lookups, self.register.key, self.field.key
        self.last_task = self.runner.run(
            lambda _progress: lookups.option(register_key, field_key, record_id),
            on_result=lambda option: self._labelled(request, option),
            on_error=self._failed_lookup(request),
            description=self.tr("读取{label}").format(label=self.field.label),
            parent=self,
        )

    def tidy(self) -> None:
        if self._id is not None and self._label and self.text() != self._label:
            self.set_text(self._label)
            self._resolved_text = self._label

    def _apply_read_only(self, read_only: bool) -> None:
        self.line_edit.setReadOnly(read_only)
        self.line_edit.setFrame(not read_only)  # a fixed value reads as text, not as a box to type in
        self.line_edit.setStyleSheet("QLineEdit { background: transparent; }" if read_only else "")
        self.line_edit.setToolTip(self.tr("由打开此窗口的位置确定，不能在此修改") if read_only else "")
        self.list_button.setVisible(not read_only)

    # -- narrowing --------------------------------------------------------------------------------

    def set_context(self, context: Mapping[str, Any], *, recheck: bool = True) -> None:
        """The record's values that narrow the options (its 小区 for a 楼栋).

        With `recheck`, what is typed is matched again among the new options: the same
        record is kept if it is still offered, else an exact match is picked, else the
        field asks to choose from the list.
        """
        context = dict(context)
        if context == self._context:
            return
        self._context = context
        self.model.set_options([])
        if recheck and clean_text(self.text()) and not self.read_only:
            keep = self._id
            self._id = None
            self._fetch(self.text(), keep=keep, resolve=True, popup=False)
            self.edited.emit()

    @property
    def context(self) -> dict[str, Any]:
        return dict(self._context)

    # -- what the clerk does ----------------------------------------------------------------------

    def show_options(self) -> None:
        """The list button: every option in the current context (or matching what is typed)."""
        if self.read_only:
            return
        self.line_edit.setFocus()
        typed = "" if self._id is not None else self.text()
        self._fetch(typed, keep=self._id, resolve=False, popup=True)

    def choose(self, option: RefOption) -> None:
        """Pick `option`, as clicking it in the list does."""
        self._forget_requests()
        self._pick(option)
        self.set_text(option.label)
        self._resolved_text = option.label
        self._changed_by_user()

    def _typed(self, text: str) -> None:
        self._failed = ""
        if self._id is not None and text == self._resolved_text:
            return
        self._forget_requests()
        self._id = None
        self._label = self._resolved_text = ""
        self.detail.clear()
        self._pending = bool(clean_text(text))
        if self._pending:
            self._timer.start()
        self._changed_by_user()

    def _look_up_typed(self) -> None:
        self._fetch(self.text(), keep=None, resolve=True, popup=True)

    def _activated(self, index: QModelIndex) -> None:
        record_id = index.data(RefOptionModel.ID_ROLE)
        option = next((o for o in self.model.options if o.id == record_id), None)
        if option is not None:
            self.choose(option)

    # -- background answers -----------------------------------------------------------------------

    def _forget_requests(self) -> None:
        self._timer.stop()
        self._request += 1
        self._pending = False
        self._awaiting_label = False

    def _fetch(self, text: str, *, keep: int | None, resolve: bool, popup: bool) -> None:
        self._timer.stop()
        self._request += 1
        request = self._request
        if resolve:
            self._pending = True
        lookups, register_key, field_key = self.lookups, self.register.key, self.field.key
        context = dict(self._context)
        self.last_task = self.runner.run(
            lambda _progress: lookups.ref_options(register_key, field_key, text=text, context=context),
            on_result=lambda options: self._arrived(request, text, keep, resolve, popup, options),
            on_error=self._failed_lookup(request),
            description=self.tr("查找{label}").format(label=self.field.label),
            parent=self,
        )

    def _arrived(
        self, request: int, text: str, keep: int | None, resolve: bool, popup: bool, options: list[RefOption]
    ) -> None:
        if request != self._request:
            return
        self.model.set_options(options)
        if resolve:
            self._pending = False
            kept = next((o for o in options if o.id == keep), None) if keep is not None else None
            exact = [o for o in options if o.exact]
            if kept is not None:
                self._pick(kept)
                self._resolved_text = text
            elif len(exact) == 1:
                self._pick(exact[0])
                self._resolved_text = text
            self._changed_by_user()
        if popup and options and self.line_edit.hasFocus() and (self._id is None or not resolve):
            self.completer.complete()

    def _labelled(self, request: int, option: RefOption) -> None:
        if request != self._request:
            return
        self._awaiting_label = False
        self._label = self._resolved_text = option.label
        self.set_text(option.label)
        self.detail.setText(option.detail)

    def _failed_lookup(self, request: int) -> Any:
        def handle(error: BaseException) -> bool:
            if not isinstance(error, UserError):
                return False  # a bug: the crash dialog
            if request == self._request:
                self._pending = self._awaiting_label = False
                self._failed = self.tr("查找失败：{message}").format(message=error.message)
                self._changed_by_user()
            return True

        return handle

    def _pick(self, option: RefOption) -> None:
        self._id = option.id
        self._label = option.label
        self._failed = ""
        self.detail.setText(option.detail)
