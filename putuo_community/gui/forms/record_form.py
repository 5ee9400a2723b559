"""A form for one record of any register, laid out from its declaration.

One row per field in declaration order: the label (a red * when required), the
editor its type calls for, and a line under it for what is wrong. Every keystroke
re-reads the field and re-checks the whole record with `validate_record`;
errors show in red, warnings in amber.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from putuo_community.domain.errors import FieldProblem, ValidationReport
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.validation import record_problems, validate_record
from putuo_community.gui.forms.editors import FieldEditor, make_field_editor
from putuo_community.gui.forms.ref_picker import PENDING, RefPicker
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services.lookups import LookupService, ref_context_keys

ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#a15c00"  # amber dark enough to read on white
PENDING_COLOUR = "#5f6368"
REQUIRED = "必填"  # validate_record's word for a blank required field


class RecordForm(QWidget):
    """Every field of `register`; `fixed` fields (the estate a section belongs to) are shown read-only."""

    changed = Signal()  # a value, and so the report, changed

    def __init__(
        self,
        register: Register,
        lookups: LookupService,
        runner: BackgroundRunner,
        *,
        fixed: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.fixed = frozenset(fixed)
        for key in self.fixed:
            register.field(key)  # an unknown key is a bug: say so now
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, QLabel] = {}
        self.row_labels: dict[str, QLabel] = {}
        self._external: dict[str, str] = {}  # problems the service found (a duplicate)
        self._warnings: dict[str, str] = {}  # warnings the service found (a manager's fourth estate)
        # "必填" waits until the clerk has been through a field or tried to save: a new form is not all red.
        self._touched: set[str] = set()
        self.show_all_problems = False
        self._report = ValidationReport()
        # For each picker, the fields whose values narrow it (a lift's 楼栋 by its 小区).
        self._narrowed_by: dict[str, tuple[str, ...]] = {}

        self.record_message = QLabel(self)
        self.record_message.setWordWrap(True)
        self.record_message.setVisible(False)

        body = QWidget()
        grid = QGridLayout(body)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        for number, field in enumerate(register.fields):
            if field.type is FieldType.REF:
                editor: FieldEditor = RefPicker(field, register, lookups, runner, body)
                self._narrowed_by[field.key] = ref_context_keys(register, field)
            else:
                editor = make_field_editor(field, body)
            editor.set_read_only(field.key in self.fixed)
            star = f' <span style="color:{ERROR_COLOUR}">*</span>' if field.required else ""
            label = QLabel(f"{html.escape(field.label)}{star}", body)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setBuddy(editor)
            if field.note:
                label.setToolTip(field.note)
                editor.setToolTip(field.note)
            vertical = Qt.AlignmentFlag.AlignTop if field.type is FieldType.LONG_TEXT else Qt.AlignmentFlag.AlignVCenter
            message = QLabel(body)
            message.setWordWrap(True)
            message.setVisible(False)
            grid.addWidget(label, number * 2, 0, Qt.AlignmentFlag.AlignRight | vertical)
            grid.addWidget(editor, number * 2, 1)
            grid.addWidget(message, number * 2 + 1, 1)
            self.editors[field.key] = editor
            self.messages[field.key] = message
            self.row_labels[field.key] = label
            editor.edited.connect(lambda key=field.key: self._edited(key))
        grid.setRowStretch(len(register.fields) * 2, 1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(body)
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.record_message)
        layout.addWidget(self.scroll_area, 1)
        self._refresh()

    # -- filling ----------------------------------------------------------------------------------

    def load(self, values: Mapping[str, Any] | None = None, ref_titles: Mapping[str, str] | None = None) -> None:
        """Show a record's values (or a new record's preset); the form is clean afterwards."""
        values = values or {}
        titles = ref_titles or {}
        self._external.clear()
        self._touched.clear()
        self.show_all_problems = False
        for key, editor in self.editors.items():
            value = values.get(key)
            if isinstance(editor, RefPicker):
                editor.set_value(value, titles.get(key))
            else:
                editor.set_value(value)
        for key in self._narrowed_by:
            self._narrow(key, recheck=False)
        self._refresh()

    def apply_values(self, values: Mapping[str, Any], ref_titles: Mapping[str, str] | None = None) -> None:
        """Put values in as if the clerk typed them (their edits again, on top of a newer version)."""
        titles = ref_titles or {}
        for key, value in values.items():
            editor = self.editors[key]
            initial = editor.initial
            if isinstance(editor, RefPicker):
                editor.set_value(value, titles.get(key))
            else:
                editor.set_value(value)
            editor.initial = initial  # still a change against the loaded record
        for key in self._narrowed_by:
            self._narrow(key, recheck=False)
        self._refresh()

    # -- reading ----------------------------------------------------------------------------------

    def editor(self, key: str) -> FieldEditor:
        return self.editors[key]

    def picker(self, key: str) -> RefPicker:
        editor = self.editors[key]
        assert isinstance(editor, RefPicker), key
        return editor

    def values(self) -> dict[str, Any]:
        """Every field's value as read (None where blank or unreadable)."""
        return {key: editor.parse().value for key, editor in self.editors.items()}

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the loaded record."""
        return {
            key: value
            for key, value in self.values().items()
            if key not in self.fixed and value != self.editors[key].initial
        }

    def is_dirty(self) -> bool:
        return any(editor.is_changed() for key, editor in self.editors.items() if key not in self.fixed)

    def report(self) -> ValidationReport:
        return self._report

    @property
    def pending(self) -> bool:
        """A picker is still looking up what was typed."""
        return any(isinstance(e, RefPicker) and e.pending for e in self.editors.values())

    def message_text(self, key: str) -> str:
        return self.messages[key].text() if self.messages[key].isVisibleTo(self) else ""

    def shown_text(self, key: str) -> str:
        """The field's text as on screen (a picker's label)."""
        return self.editors[key].text()

    def set_field_problems(self, problems: Mapping[str, str]) -> None:
        """Problems the service found (a duplicate natural key), shown until one of those fields is edited."""
        self._external = {key: message for key, message in problems.items() if key in self.editors}
        self._refresh()

    def set_field_warnings(self, warnings: Mapping[str, str]) -> None:
        """Warnings the service found (they never block saving), shown until replaced."""
        wanted = {key: message for key, message in warnings.items() if key in self.editors}
        if wanted != self._warnings:
            self._warnings = wanted
            self._refresh()

    def focus_first_problem(self) -> None:
        """Show every problem (blank required fields too) and put the cursor in the first one."""
        if not self.show_all_problems:
            self.show_all_problems = True
            self._refresh()
        for key in self.editors:
            if any(not p.warning for p in self._report.for_field(key)) and key not in self.fixed:
                editor = self.editors[key]
                self.scroll_area.ensureWidgetVisible(editor)
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # -- reacting ---------------------------------------------------------------------------------

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        if key in self._external:
            self._external.clear()
        for picker_key, keys in self._narrowed_by.items():
            if key in keys:
                self._narrow(picker_key, recheck=True)
        self._refresh()

    def _narrow(self, picker_key: str, *, recheck: bool) -> None:
        keys = self._narrowed_by[picker_key]
        context = {key: self.editors[key].parse().value for key in keys}
        self.picker(picker_key).set_context(context, recheck=recheck and picker_key not in self.fixed)

    def _check(self) -> ValidationReport:
        parsed = {key: editor.parse() for key, editor in self.editors.items()}
        values = {key: p.value for key, p in parsed.items()}
        unreadable = {key for key, p in parsed.items() if p.problem}
        problems: list[FieldProblem] = []
        for key, p in parsed.items():
            label = self.register.field(key).label
            if p.problem:
                problems.append(FieldProblem(key, label, p.problem))
            elif p.warning:
                problems.append(FieldProblem(key, label, p.warning, warning=True))
        checked = validate_record(self.register, values)
        found = list(checked.problems)
        if not checked.ok:  # validate_record leaves the cross-field rules out then; the clerk wants them now
            found += [p for p in record_problems(self.register, values) if p not in found]
        problems += [p for p in found if p.field not in unreadable]
        for key, message in self._external.items():
            problems.append(FieldProblem(key, self.register.field(key).label, message))
        for key, message in self._warnings.items():
            problems.append(FieldProblem(key, self.register.field(key).label, message, warning=True))
        order = {key: number for number, key in enumerate(self.editors)}
        problems.sort(key=lambda p: order.get(p.field, -1))  # as the form reads, record-wide rules first
        return ValidationReport(tuple(problems))

    def _refresh(self) -> None:
        self._report = self._check()
        for key, label in self.messages.items():
            problems = sorted(self._report.for_field(key), key=lambda p: p.warning)
            if not self.show_all_problems and key not in self._touched:
                problems = [p for p in problems if p.message != REQUIRED]
            if not problems:
                label.setVisible(False)
                label.clear()
                continue
            first = problems[0]
            colour = ERROR_COLOUR if not first.warning else WARNING_COLOUR
            if first.message == PENDING:
                colour = PENDING_COLOUR
            label.setStyleSheet(f"color: {colour};")
            label.setText("；".join(dict.fromkeys(p.message for p in problems)))
            label.setVisible(True)
        # Rules about the record as a whole, or about a field the form does not show.
        general = [p for p in self._report.problems if p.field not in self.editors]
        self.record_message.setText("；".join(p.message for p in general))
        self.record_message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.record_message.setVisible(bool(general))
        self.changed.emit()
