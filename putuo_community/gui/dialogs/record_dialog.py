"""Add or change one record of any register: the record form, a save button, and what to do on a clash.

The dialog gathers input and calls the record service; saving runs in the
background. Edits send only the changed fields with the version they were made
on; if someone else saved in between, the conflict dialog lets the clerk choose.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.errors import ConcurrentEdit, DuplicateRecord, UserError, ValidationFailed
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.formatting import mask_personal
from putuo_community.domain.registers import get_register
from putuo_community.gui.dialogs.conflict_dialog import ConflictChoice, ConflictDialog
from putuo_community.gui.dialogs.vote_dialog import vote_panel_for
from putuo_community.gui.forms.manager_load import ManagerLoadCheck
from putuo_community.gui.forms.record_form import ERROR_COLOUR, WARNING_COLOUR, RecordForm
from putuo_community.gui.i18n import translator
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.services import Record, Services
from putuo_community.services.records import RecordService

log = logging.getLogger(__name__)


def record_caption(register: Register, record: Record) -> str:
    """How a record is named in a heading: its title, after its estate's name when it belongs to one."""
    title = record.title
    if register.estate_field:
        estate = record.ref_titles.get(register.estate_field, "")
        if estate and register.estate_field != register.title_field:
            return f"{estate} · {register.field(register.title_field).label} {title}"
    return title


_tr = translator("RecordDialog")


class SaveChoice(enum.Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_to_save(parent: QWidget, caption: str) -> SaveChoice:
    """保存 / 不保存 / 取消, asked when a dialog with unsaved edits is closed."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _tr("尚未保存"),
        _tr("“{caption}”有未保存的修改，要保存吗？").format(caption=caption),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        parent,
    )
    names = {
        QMessageBox.StandardButton.Save: _tr("保存"),
        QMessageBox.StandardButton.Discard: _tr("不保存"),
        QMessageBox.StandardButton.Cancel: _tr("取消"),
    }
    for which, name in names.items():
        button = box.button(which)
        if button is not None:
            button.setText(name)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SaveChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


@dataclass(frozen=True)
class _Conflict:
    """Saving met a newer version: the service's message and that version."""

    message: str
    theirs: Record


def _update_or_conflict(
    records: RecordService, register_key: str, record_id: int, changes: Mapping[str, Any], version: int
) -> int | _Conflict:
    try:
        return records.update(register_key, record_id, changes, expected_version=version)
    except ConcurrentEdit as clash:
        return _Conflict(clash.message, records.get(register_key, record_id))


class RecordDialog(QDialog):
    """Create (`for_new`) or edit (`for_record`) one record; `saved` says which once it is written."""

    saved = Signal(str, int)  # register key, record id

    def __init__(
        self,
        services: Services,
        register: Register,
        *,
        record: Record | None = None,
        preset: Mapping[str, Any] | None = None,
        fixed: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.register = register
        self.record = record
        self.runner = BackgroundRunner(self)
        self.saving = False
        self.save_task: Task | None = None
        self.conflict_dialog: ConflictDialog | None = None
        # Why nothing can be saved (read-only, damaged): the record is then shown, every field read-only.
        self.refusal = services.writes_refused
        if self.refusal is not None:
            fixed = [f.key for f in register.fields]

        self.form = RecordForm(register, services.lookups, self.runner, fixed=fixed, parent=self)
        self.heading = QLabel(self)
        self.heading.setFont(enlarged_font(self.heading.font(), 1.2))
        self.heading.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.clicked.connect(self.reject)
        if self.refusal is not None:
            self.cancel_button.setText(self.tr("关闭"))
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.activated.connect(self.save)

        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.form, 1)
        # Records that keep a vote (a term's election, a 加装电梯 consent …): its verdict and the calculator.
        self.vote_panel = vote_panel_for(
            services, register, self.form, self.runner, read_only=self.refusal is not None, parent=self
        )
        if self.vote_panel is not None:
            layout.addWidget(self.vote_panel)
        layout.addLayout(footer)

        self.form.changed.connect(self._update_state)
        if record is not None:
            self.form.load(record.values, record.ref_titles)
        else:
            self.form.load(preset or {})
        self._show_caption()
        self._update_state()
        self._size_to_screen()
        # A scan dropped on the form of a term, a contract, a lift or a project becomes its attachment.
        from putuo_community.gui.attachment_dialog import accept_attachment_drops  # it imports this package

        self.attachment_drops = accept_attachment_drops(self, services, record)
        self.manager_check: ManagerLoadCheck | None = None  # an estate's 项目经理: at most 3 estates, or a warning
        if register.is_estate and self.refusal is None:
            estate_id = record.id if record is not None else None
            self.manager_check = ManagerLoadCheck(self.form, services.credit, self.runner, estate_id, self)

    # -- opening ----------------------------------------------------------------------------------

    @classmethod
    def for_new(
        cls,
        services: Services,
        register: Register | str,
        parent: QWidget | None = None,
        *,
        preset: Mapping[str, Any] | None = None,
        fixed: Iterable[str] | None = None,
    ) -> RecordDialog:
        """A dialog for a new record. `preset` values are filled in; by default the preset parent or
        estate (a lift added from an estate's section) is `fixed`, shown read-only."""
        reg = get_register(register) if isinstance(register, str) else register
        preset = dict(preset or {})
        if fixed is None:
            fixed = [k for k in (reg.parent_field, reg.estate_field) if k and preset.get(k) is not None]
        return cls(services, reg, preset=preset, fixed=dict.fromkeys(fixed), parent=parent)

    @classmethod
    def for_record(
        cls, services: Services, record: Record, parent: QWidget | None = None, *, fixed: Iterable[str] = ()
    ) -> RecordDialog:
        """A dialog changing `record`, as read (its version is what the save is checked against)."""
        return cls(services, get_register(record.register), record=record, fixed=fixed, parent=parent)

    @property
    def is_new(self) -> bool:
        return self.record is None

    @property
    def caption(self) -> str:
        if self.record is None:
            return self.tr("新增{register}").format(register=self.register.label)
        if self.refusal is not None:
            return self.tr("查看{register}：{title}（只读）").format(
                register=self.register.label, title=record_caption(self.register, self.record)
            )
        return self.tr("修改{register}：{title}").format(
            register=self.register.label, title=record_caption(self.register, self.record)
        )

    def _show_caption(self) -> None:
        self.setWindowTitle(self.caption)
        self.heading.setText(self.caption)

    def _size_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        wanted_height = self.form.body.sizeHint().height() + self.heading.sizeHint().height() + 110
        width = min(760, available.width() - 40)
        height = max(320, min(wanted_height, int(available.height() * 0.88)))
        self.resize(width, height)

    # -- saving -----------------------------------------------------------------------------------

    def save(self) -> None:
        """Write the record (in the background); errors keep the dialog open with the reason."""
        if self.saving or self.refusal is not None:
            return
        report = self.form.report()
        if not report.ok:
            self.form.focus_first_problem()
            return
        records, key = self.services.records, self.register.key
        if self.record is None:
            values = self.form.values()
            self._start_save(lambda _progress: records.create(key, values))
            return
        changes = self.form.changes()
        if not changes:
            self.accept()  # nothing to write
            return
        record_id, version = self.record.id, self.record.version
        self._start_save(lambda _progress: _update_or_conflict(records, key, record_id, changes, version))

    def _start_save(self, work: Any) -> None:
        self._set_saving(True)
        self.save_task = self.runner.run(
            work,
            on_result=self._save_finished,
            on_error=self._save_failed,
            description=self.tr("保存{register}").format(register=self.register.label),
            parent=self,
        )

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.form.setEnabled(not saving)
        self.cancel_button.setEnabled(not saving)
        self._update_state()

    def _save_finished(self, result: int | _Conflict) -> None:
        self._set_saving(False)
        if isinstance(result, _Conflict):
            self._open_conflict(result)
            return
        record_id = result if self.record is None else self.record.id
        log.info("saved %s %s", self.register.key, record_id)
        self.saved.emit(self.register.key, record_id)
        self.accept()

    def _save_failed(self, error: BaseException) -> bool:
        self._set_saving(False)
        if not isinstance(error, UserError):
            return False  # a bug: the crash dialog
        if isinstance(error, DuplicateRecord):
            self.form.set_field_problems(dict.fromkeys(self._duplicate_fields(error.message), error.message))
        elif isinstance(error, ValidationFailed):
            self.form.set_field_problems({p.field: p.message for p in error.report.errors})
        QMessageBox.warning(self, self.tr("无法保存"), error.message)
        self.form.focus_first_problem()
        return True

    def _duplicate_fields(self, message: str) -> list[str]:
        """Where a duplicate shows: a unique field named in the message, else the natural key."""
        editable = [f for f in self.register.fields if f.key not in self.form.fixed]
        named = [f.key for f in editable if f.unique and f.label in message]
        return named or [k for k in self.register.natural_key if k not in self.form.fixed]

    # -- two people, one record -------------------------------------------------------------------

    def _open_conflict(self, conflict: _Conflict) -> None:
        assert self.record is not None
        changes = self.form.changes()
        dialog = ConflictDialog(self.register, self.record, conflict.theirs, changes, self._shown(changes), parent=self)
        dialog.finished.connect(lambda _result: self._conflict_decided(dialog, changes))
        self.conflict_dialog = dialog
        dialog.open()

    def _shown(self, changes: Mapping[str, Any]) -> dict[str, str]:
        """The clerk's edits as on screen, personal numbers masked as everywhere else."""
        shown = {}
        for key in changes:
            text = self.form.shown_text(key)
            shown[key] = mask_personal(text) if self.register.field(key).personal and text else text
        return shown

    def _conflict_decided(self, dialog: ConflictDialog, changes: dict[str, Any]) -> None:
        self.conflict_dialog = None
        theirs = dialog.theirs
        if dialog.choice is None:
            return  # back to editing; saving again meets the same clash
        labels = {key: self.form.shown_text(key) for key in changes if self.register.field(key).type is FieldType.REF}
        self.record = theirs
        self.form.load(theirs.values, theirs.ref_titles)
        self._show_caption()
        if dialog.choice is ConflictChoice.RELOAD:
            self.status.setText(self.tr("已载入对方保存的第 {version} 版。").format(version=theirs.version))
            return
        self.form.apply_values(changes, labels)
        if self.form.report().ok:
            self.save()
        else:
            self.form.focus_first_problem()

    # -- closing ----------------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc, 取消 or the close box: ask first when there are unsaved edits."""
        if self.saving:
            return
        if self.form.is_dirty():
            choice = ask_to_save(self, self.caption)
            if choice is SaveChoice.CANCEL:
                return
            if choice is SaveChoice.SAVE:
                if not self.form.report().ok:
                    self.form.focus_first_problem()
                    return
                self.save()
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.saving:
            event.ignore()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)

    # -- state ------------------------------------------------------------------------------------

    def _update_state(self) -> None:
        report = self.form.report()
        errors = report.errors
        self.save_button.setEnabled(report.ok and not self.saving and self.refusal is None)
        # Ctrl+S stays live: with problems left it shows them all and puts the cursor in the first.
        if self.refusal is not None:
            self.save_button.setToolTip(self.refusal)
            self.status.setStyleSheet(f"color: {WARNING_COLOUR};")
            self.status.setText(self.refusal)
        elif self.saving:
            self.status.setStyleSheet("")
            self.status.setText(self.tr("正在保存……"))
        elif self.form.pending:
            self.status.setStyleSheet("")
            self.status.setText(self.tr("正在查找……"))
        elif errors:
            self.status.setStyleSheet(f"color: {ERROR_COLOUR};")
            labels = list(dict.fromkeys(p.label or self.tr("记录") for p in errors))
            named = "、".join(labels[:4]) + (self.tr(" 等") if len(labels) > 4 else "")
            self.status.setText(
                self.tr("有 {count} 处需要修改才能保存：{fields}").format(count=len(errors), fields=named)
            )
        elif report.warnings:
            self.status.setStyleSheet(f"color: {WARNING_COLOUR};")
            self.status.setText(self.tr("有 {count} 条提醒，可以保存").format(count=len(report.warnings)))
        else:
            self.status.setStyleSheet("")
            self.status.setText("")
