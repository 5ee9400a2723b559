"""One editor per field type, built from the field's declaration alone.

Every editor reads what a clerk types the way the importer reads a cell
(`parse_cell`): 2019.5.1, 2019年5月1日, full-width digits, choice synonyms, 是/否,
units. Once the clerk leaves the field it shows the value as understood.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from putuo_community.domain.fields import Field, FieldType
from putuo_community.domain.parsing import Parsed, parse_cell

HINT_STYLE = "color: #5f6368;"
_NUMBER_CHARS = 16  # room for 99,999,999.99 and a little more
_DATE_CHARS = 14


def value_text(field: Field, value: object) -> str:
    """A stored value as an editor shows it, in a spelling `parse_cell` reads back to the same value."""
    if value is None:
        return ""
    if field.type is FieldType.BOOL:
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) and field.type is FieldType.DECIMAL:
        return f"{value:.{field.decimals}f}"
    return str(value)


class FieldEditor(QWidget):
    """The editor of one declared field: what the clerk typed, and what it reads as."""

    edited = Signal()  # the clerk changed the input (typed, picked); never on `set_value`

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.initial: object = None
        self.read_only = False
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)

    # -- to be provided by each kind -----------------------------------------------------------

    def text(self) -> str:
        raise NotImplementedError

    def set_text(self, text: str) -> None:
        """Show `text` as if typed, without emitting `edited`."""
        raise NotImplementedError

    def _apply_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------------

    def parse(self) -> Parsed:
        text = self.text()
        return parse_cell(self.field, text) if text.strip() else Parsed(None)

    def set_value(self, value: object) -> None:
        """Show a stored value; it becomes the value `is_changed` compares with."""
        self.initial = value
        self.set_text(value_text(self.field, value))
        self.refresh_hint()

    def is_changed(self) -> bool:
        parsed = self.parse()
        return parsed.problem is not None or parsed.value != self.initial

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._apply_read_only(read_only)

    def tidy(self) -> None:
        """Once the clerk leaves the field: show the value as understood (2019-05-01, 售后公房, 12.50)."""
        parsed = self.parse()
        if parsed.ok and parsed.value is not None:
            shown = value_text(self.field, parsed.value)
            if shown != self.text():
                self.set_text(shown)
        self.refresh_hint()

    def refresh_hint(self) -> None:
        """Kinds with a hint show what the input reads as while it is typed."""

    def _changed_by_user(self) -> None:
        self.refresh_hint()
        self.edited.emit()


class _LineFieldEditor(FieldEditor):
    """A line edit, with a unit after it and a hint saying what the input reads as."""

    def __init__(self, field: Field, parent: QWidget | None = None, *, chars: int = 0) -> None:
        super().__init__(field, parent)
        self.line_edit = QLineEdit(self)
        self.line_edit.setAccessibleName(field.label)
        self.setFocusProxy(self.line_edit)
        self.row.addWidget(self.line_edit, 0 if chars else 1)
        if chars:
            width = self.line_edit.fontMetrics().horizontalAdvance("0" * chars) + 16
            self.line_edit.setFixedWidth(width)
        self.unit_label: QLabel | None = None
        if field.unit:
            self.unit_label = QLabel(field.unit, self)
            self.row.addWidget(self.unit_label)
        self.hint = QLabel(self)
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row.addWidget(self.hint, 1 if chars else 0)
        self.line_edit.textEdited.connect(self._changed_by_user)
        self.line_edit.editingFinished.connect(self.tidy)

    def text(self) -> str:
        return self.line_edit.text()

    def set_text(self, text: str) -> None:
        self.line_edit.setText(text)
        self.line_edit.setCursorPosition(0)

    def _apply_read_only(self, read_only: bool) -> None:
        self.line_edit.setReadOnly(read_only)
        self.line_edit.setFrame(not read_only)  # a fixed value reads as text, not as a box to type in
        self.line_edit.setStyleSheet("QLineEdit { background: transparent; }" if read_only else "")

    def refresh_hint(self) -> None:
        parsed = self.parse()
        shown = ""
        if parsed.ok and parsed.value is not None:
            understood = self._understood(parsed.value)
            if understood != self.text().strip():
                shown = f"= {understood}"
        self.hint.setText(shown)

    def _understood(self, value: object) -> str:
        return value_text(self.field, value)


class TextEditor(_LineFieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line_edit.setMaxLength(field.max_length)
        if field.note:
            self.line_edit.setPlaceholderText(field.note)

    def refresh_hint(self) -> None:  # text reads as typed; nothing to say
        self.hint.setText("")


class NumberEditor(_LineFieldEditor):
    """INTEGER and DECIMAL: right-aligned, the unit after it, the declared decimals once read."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent, chars=_NUMBER_CHARS)
        self.line_edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class DateEditor(_LineFieldEditor):
    """Any spelling `parse_cell` reads (2019.5.1, 2019年5月1日 …), or a date picked on a calendar."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent, chars=_DATE_CHARS)
        self.line_edit.setPlaceholderText(self.tr("如 2019-05-01"))
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._show_current)
        self.menu = menu
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText(self.tr("日历"))
        self.calendar_button.setToolTip(self.tr("在日历上选择日期"))
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar_button.setMenu(menu)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # The popup arrow overlaps the two characters on some styles; the tooltip says what it does.
        self.calendar_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.row.insertWidget(1, self.calendar_button)

    def _show_current(self) -> None:
        parsed = self.parse()
        shown = parsed.value if isinstance(parsed.value, date) else date.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))

    def _picked(self, picked: QDate) -> None:
        self.menu.close()
        self.set_text(date(picked.year(), picked.month(), picked.day()).isoformat())
        self._changed_by_user()

    def _apply_read_only(self, read_only: bool) -> None:
        super()._apply_read_only(read_only)
        self.calendar_button.setEnabled(not read_only)


class LongTextEditor(FieldEditor):
    """A few lines of free text; Tab moves on rather than typing a tab."""

    LINES = 3

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setAccessibleName(field.label)
        self.text_edit.setTabChangesFocus(True)
        line = self.text_edit.fontMetrics().lineSpacing()
        self.text_edit.setFixedHeight(line * self.LINES + 14)
        if field.note:
            self.text_edit.setPlaceholderText(field.note)
        self.setFocusProxy(self.text_edit)
        self.row.addWidget(self.text_edit)
        self._loading = False
        self.text_edit.textChanged.connect(self._text_changed)

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def set_text(self, text: str) -> None:
        self._loading = True
        try:
            self.text_edit.setPlainText(text)
        finally:
            self._loading = False

    def _text_changed(self) -> None:
        if not self._loading:
            self._changed_by_user()

    def _apply_read_only(self, read_only: bool) -> None:
        self.text_edit.setReadOnly(read_only)


class _ComboFieldEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None, *, editable: bool) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(field.label)
        self.combo.setEditable(editable)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFocusProxy(self.combo)
        self.row.addWidget(self.combo)
        self._loading = False
        self.combo.currentTextChanged.connect(self._text_changed)

    def text(self) -> str:
        return self.combo.currentText()

    def set_text(self, text: str) -> None:
        self._loading = True
        try:
            index = self.combo.findText(text, Qt.MatchFlag.MatchExactly)
            if index >= 0:
                self.combo.setCurrentIndex(index)
            if self.combo.isEditable():
                self.combo.setEditText(text)
        finally:
            self._loading = False

    def _text_changed(self, _text: str) -> None:
        if not self._loading:
            self._changed_by_user()

    def _apply_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)


class BoolEditor(_ComboFieldEditor):
    """Blank (not recorded), 是 or 否."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent, editable=False)
        self.combo.addItem(self.tr("（未填）"), None)
        self.combo.addItem(self.tr("是"), True)
        self.combo.addItem(self.tr("否"), False)
        self.combo.setMinimumContentsLength(5)
        self.row.addStretch(1)

    def parse(self) -> Parsed:
        return Parsed(self.combo.currentData())

    def set_text(self, text: str) -> None:
        self._loading = True
        try:
            index = {"是": 1, "否": 2}.get(text, 0)
            self.combo.setCurrentIndex(index)
        finally:
            self._loading = False


class ChoiceEditor(_ComboFieldEditor):
    """The declared choices in a list; any declared synonym is accepted when typed (售后房 → 售后公房)."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent, editable=True)
        self.combo.addItem("")
        self.combo.addItems(list(field.choices))
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumContentsLength(max(6, *(len(c) for c in field.choices)) + 2)
        completer = QCompleter(list(field.choices), self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        line_edit = self.combo.lineEdit()
        assert line_edit is not None  # the combo is editable
        line_edit.setAccessibleName(field.label)
        line_edit.editingFinished.connect(self.tidy)
        self.hint = QLabel(self)
        self.hint.setStyleSheet(HINT_STYLE)
        self.row.addWidget(self.hint)
        self.row.addStretch(1)

    def refresh_hint(self) -> None:
        parsed = self.parse()
        typed = self.text().strip()
        understood = parsed.value if parsed.ok and isinstance(parsed.value, str) else ""
        self.hint.setText(f"= {understood}" if understood and understood != typed else "")


def make_field_editor(field: Field, parent: QWidget | None = None) -> FieldEditor:
    """The editor a field's type calls for. REF fields need lookups: see `RefPicker`."""
    match field.type:
        case FieldType.TEXT:
            return TextEditor(field, parent)
        case FieldType.LONG_TEXT:
            return LongTextEditor(field, parent)
        case FieldType.INTEGER | FieldType.DECIMAL:
            return NumberEditor(field, parent)
        case FieldType.DATE:
            return DateEditor(field, parent)
        case FieldType.BOOL:
            return BoolEditor(field, parent)
        case FieldType.CHOICE:
            return ChoiceEditor(field, parent)
    raise ValueError(f"{field.key}: no plain editor for {field.type}")
