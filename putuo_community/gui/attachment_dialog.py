"""Adding scans to an estate's dossier: the form (kind, name, date, the record it belongs to, note), and the
files dropped anywhere on the estate window (on a record's row: linked to that record).

The form reads the attachment register's declared fields through the usual editors; saving runs in the
background through the attachment service, which stores each file and writes its record.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.attachments import (
    LINKS_BY_REGISTER,
    format_size,
    guess_kind,
    link_label,
    shown_name,
    size_limit_text,
    title_from_file_name,
)
from putuo_community.domain.errors import DuplicateRecord, UserError
from putuo_community.domain.registers import ATTACHMENTS
from putuo_community.domain.validation import field_problem
from putuo_community.gui.dialogs.slot import DialogSlot
from putuo_community.gui.forms.editors import FieldEditor, make_field_editor
from putuo_community.gui.forms.record_form import ERROR_COLOUR, WARNING_COLOUR
from putuo_community.gui.i18n import translator
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.gui.write_access import WriteAccess
from putuo_community.services import Record, Services
from putuo_community.services.attachments import Attachment, Link, LinkChoice

_tr = translator("AttachmentDialog")
NO_LINK = ""  # the combo's data for "the estate as a whole"
FIELDS = ("kind", "title", "dated_on", "note")


@dataclass(frozen=True)
class _Outcome:
    """What saving did: the ids added, the files skipped as already there, the first problem met."""

    added: tuple[int, ...]
    skipped: tuple[str, ...]
    problem: str = ""


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files (not folders, not web links) a drag carries."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class AttachmentDialog(QDialog):
    """Add dropped or chosen files to an estate's dossier (`files`), or change one attachment (`attachment`)."""

    saved = Signal(object)  # tuple of the attachment ids written

    def __init__(
        self,
        services: Services,
        estate_id: int,
        *,
        files: Sequence[Path] = (),
        attachment: Attachment | None = None,
        link: Link | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.estate_id = estate_id
        self.files = [Path(f) for f in files]
        self.attachment = attachment
        self.runner = BackgroundRunner(self)
        self.saving = False
        self.save_task: Task | None = None
        self.links_loaded = False
        self._wanted_link = attachment.link if attachment is not None else link
        self.file_problems = {f: self._file_problem(f) for f in self.files}

        self.heading = QLabel(self)
        self.heading.setFont(enlarged_font(self.heading.font(), 1.2))
        self.heading.setWordWrap(True)
        self.file_list = QLabel(self)
        self.file_list.setTextFormat(Qt.TextFormat.RichText)
        self.file_list.setWordWrap(True)
        self.file_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.editors: dict[str, FieldEditor] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, key in enumerate(FIELDS):
            field = ATTACHMENTS.field(key)
            editor = make_field_editor(field, self)
            star = f' <span style="color:{ERROR_COLOUR}">*</span>' if field.required else ""
            label = QLabel(f"{html.escape(field.label)}{star}", self)
            label.setBuddy(editor)
            editor.edited.connect(self._update_state)
            self.editors[key] = editor
            place = row if row < 3 else row + 1  # 关联记录 goes after the date
            grid.addWidget(label, place, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(editor, place, 1)
            if key == "title" and len(self.files) > 1:
                label.setVisible(False)
                editor.setVisible(False)  # each attachment is named after its file
        self.link_combo = QComboBox(self)
        self.link_combo.setAccessibleName(self.tr("关联记录"))
        self.link_combo.addItem(self.tr("正在读取本小区的记录……"), NO_LINK)
        self.link_combo.setEnabled(False)
        self.link_combo.setMinimumContentsLength(28)
        link_label = QLabel(self.tr("关联记录"), self)
        link_label.setBuddy(self.link_combo)
        link_label.setToolTip(self.tr("附件属于本小区的哪条记录：一届业委会、一份合同、一台电梯或一个项目"))
        grid.addWidget(link_label, 3, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.link_combo, 3, 1)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.file_list)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._fill()
        self._update_state()
        self.resize(620, self.sizeHint().height())
        self.runner.run(
            lambda _progress: services.attachments.link_choices(estate_id),
            on_result=self._show_links,
            description=self.tr("读取可关联的记录"),
            parent=self,
        )

    # -- filling ---------------------------------------------------------------------------------

    def _fill(self) -> None:
        if self.attachment is not None:
            self.setWindowTitle(self.tr("修改附件：{title}").format(title=self.attachment.title))
            self.heading.setText(self.windowTitle())
            original = html.escape(shown_name(self.attachment.value("file_name") or ""))
            self.file_list.setText(
                self.tr("文件：{name}（{size}，添加于 {added}）").format(
                    name=original, size=self.attachment.size_text, added=self.attachment.record.display("added_on")
                )
            )
            for key in FIELDS:
                self.editors[key].set_value(self.attachment.value(key))
            return
        count = len(self.files)
        title = self.tr("添加附件") if count == 1 else self.tr("添加 {n} 个附件").format(n=count)
        self.setWindowTitle(title)
        self.heading.setText(title)
        lines = []
        for path in self.files:
            problem = self.file_problems[path]
            size = format_size(_size(path))
            name = html.escape(shown_name(path.name))
            if problem:
                lines.append(f'<span style="color:{ERROR_COLOUR}">✗ {name}：{html.escape(problem)}</span>')
            else:
                lines.append(f"{name}（{size}）")
        limit = self.tr("单个文件不超过 {limit}；同一文件只存一份。").format(limit=size_limit_text())
        self.file_list.setText("<br>".join(lines) + f'<br><span style="color:#5f6368">{limit}</span>')
        register = self._wanted_link[0] if self._wanted_link else None
        kind = guess_kind(self.files[0].name, register) if self.files else None
        self.editors["kind"].set_value(kind)
        if count == 1:
            self.editors["title"].set_value(title_from_file_name(self.files[0].name))

    def _file_problem(self, path: Path) -> str:
        try:
            self.services.attachments.check_file(path)
        except UserError as error:
            return error.message
        return ""

    def _show_links(self, choices: list[LinkChoice]) -> None:
        self.link_combo.clear()
        self.link_combo.addItem(self.tr("（整个小区，不关联具体记录）"), NO_LINK)
        for choice in choices:
            shown = f"{choice.label}　{choice.detail}" if choice.detail else choice.label
            self.link_combo.addItem(shown, _link_key(choice.link))
        wanted = self.link_combo.findData(_link_key(self._wanted_link)) if self._wanted_link else 0
        self.link_combo.setCurrentIndex(max(wanted, 0))
        self.link_combo.setEnabled(True)
        self.links_loaded = True
        self._update_state()

    def choose_link(self, link: Link | None) -> bool:
        """Pick the record the attachment belongs to (tests, and a drop on a record)."""
        index = self.link_combo.findData(_link_key(link)) if link is not None else 0
        if index < 0:
            return False
        self.link_combo.setCurrentIndex(index)
        return True

    @property
    def link(self) -> Link | None:
        register, _colon, record_id = str(self.link_combo.currentData() or "").partition(":")
        return (register, int(record_id)) if record_id.isdigit() else None

    # -- checking --------------------------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        """What keeps the form from being saved, by field key ("files" for the files)."""
        found = {}
        for key, editor in self.editors.items():
            if not editor.isVisibleTo(self):
                continue
            parsed = editor.parse()
            message = parsed.problem or field_problem(ATTACHMENTS.field(key), parsed.value)
            if message:
                found[key] = message
        if self.attachment is None and not any(not p for p in self.file_problems.values()):
            found["files"] = self.tr("没有可以添加的文件")
        return found

    def _update_state(self) -> None:
        problems = self.problems()
        ready = not problems and not self.saving and self.links_loaded
        self.save_button.setEnabled(ready)
        if self.saving:
            self.status.setStyleSheet("")
            self.status.setText(self.tr("正在保存……"))
        elif problems:
            labels = [ATTACHMENTS.field(k).label if k != "files" else self.tr("文件") for k in problems]
            self.status.setStyleSheet(f"color: {ERROR_COLOUR};")
            self.status.setText(self.tr("需要先填好：{fields}").format(fields="、".join(labels)))
        elif any(self.file_problems.values()):
            self.status.setStyleSheet(f"color: {WARNING_COLOUR};")
            self.status.setText(self.tr("标 ✗ 的文件不能添加，其余的照常添加。"))
        else:
            self.status.setStyleSheet("")
            self.status.setText("")

    # -- saving ----------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {key: self.editors[key].parse().value for key in FIELDS}

    def save(self) -> None:
        if self.saving or not self.save_button.isEnabled():
            return
        values, link, attachments = self.values(), self.link, self.services.attachments
        if self.attachment is not None:
            current = self.attachment
            changes = {k: v for k, v in values.items() if v != current.value(k)}

            def work(_progress: Any) -> _Outcome:
                attachments.update(current.id, changes, expected_version=current.version, link=link)
                return _Outcome((current.id,), ())

        else:
            files = [f for f, problem in self.file_problems.items() if not problem]
            estate_id = self.estate_id

            def work(_progress: Any) -> _Outcome:
                added, skipped = [], []
                for path in files:
                    title = values["title"] if len(files) == 1 else None
                    try:
                        added.append(
                            attachments.add(
                                estate_id,
                                path,
                                kind=values["kind"],
                                title=title,
                                dated_on=values["dated_on"],
                                note=values["note"],
                                link=link,
                            )
                        )
                    except DuplicateRecord as duplicate:
                        skipped.append(f"{shown_name(path.name)}：{duplicate.message}")
                    except UserError as error:  # the files before it are added; say what stopped the rest
                        return _Outcome(tuple(added), tuple(skipped), error.message)
                return _Outcome(tuple(added), tuple(skipped))

        self._set_saving(True)
        self.save_task = self.runner.run(
            work, on_result=self._saved, on_error=self._failed, description=self.tr("保存附件"), parent=self
        )

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        for editor in self.editors.values():
            editor.setEnabled(not saving)
        self.link_combo.setEnabled(not saving and self.links_loaded)
        self.cancel_button.setEnabled(not saving)
        self._update_state()

    def _saved(self, outcome: _Outcome) -> None:
        self._set_saving(False)
        if outcome.added:
            self.saved.emit(outcome.added)
        if outcome.problem or outcome.skipped:
            said = [*outcome.skipped, outcome.problem] if outcome.problem else list(outcome.skipped)
            added = self.tr("已添加 {n} 个。").format(n=len(outcome.added)) if outcome.added else ""
            self.status.setStyleSheet(f"color: {ERROR_COLOUR if outcome.problem else WARNING_COLOUR};")
            self.status.setText(added + "\n".join(said))
            if outcome.added or not outcome.problem:
                self.file_problems = {f: self.tr("已处理") for f in self.file_problems}
                self.save_button.setEnabled(False)
                self.cancel_button.setText(self.tr("关闭"))
            return
        self.accept()

    def _failed(self, error: BaseException) -> bool:
        self._set_saving(False)
        if not isinstance(error, UserError):
            return False  # a bug: the crash dialog
        self.status.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.status.setText(error.message)
        return True

    def reject(self) -> None:
        if not self.saving:
            super().reject()

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)


def _link_key(link: Link) -> str:
    return f"{link[0]}:{link[1]}"


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def open_attachment_dialog(
    services: Services,
    estate_id: int,
    files: Sequence[Path],
    *,
    dialogs: DialogSlot,
    link: Link | None = None,
    parent: QWidget | None = None,
) -> AttachmentDialog:
    return dialogs.open(AttachmentDialog(services, estate_id, files=files, link=link, parent=parent))


class AttachmentDrops(QObject):
    """Files dragged over an estate window: accepted anywhere, linked to the record whose row they are dropped on
    (a term, a contract, a lift, a project), and handed to `attach` (which opens the form)."""

    def __init__(
        self, window: QMainWindow, attach: Callable[[list[Path], Link | None], object], writes: WriteAccess
    ) -> None:
        super().__init__(window)
        self.window = window
        self.attach = attach
        self.writes = writes
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            self._hover(event)
            return True
        if kind == QEvent.Type.DragLeave:
            self.window.statusBar().clearMessage()
            return True
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            return self.drop(event)
        return False

    def _hover(self, event: QDragMoveEvent) -> None:
        files = dropped_files(event.mimeData())
        if not files:
            event.ignore()
            return
        refusal = self.writes.refusal_of()  # the archive's state, the account's role and 街镇
        if refusal is not None:
            self.window.statusBar().showMessage(refusal)
            event.ignore()
            return
        event.acceptProposedAction()
        record = self.record_at(event.position().toPoint())
        if record is not None:
            said = _tr("松开鼠标：添加为“{record}”的附件").format(record=_record_words(record))
        else:
            said = _tr("松开鼠标：添加为本小区的附件（拖到某条记录上可关联该记录）")
        self.window.statusBar().showMessage(said)

    def drop(self, event: QDropEvent) -> bool:
        files = dropped_files(event.mimeData())
        self.window.statusBar().clearMessage()
        if not files or self.writes.refusal_of() is not None:
            event.ignore()
            return True
        record = self.record_at(event.position().toPoint())
        event.acceptProposedAction()
        self.attach(files, (record.register, record.id) if record is not None else None)
        return True

    def record_at(self, position: QPoint) -> Record | None:
        """The record of a linkable register whose row is at `position` (window coordinates), if any."""
        from putuo_community.gui.estate_window.tables import RecordTableBox  # the window's package imports this one

        widget = self.window.childAt(position)
        while widget is not None and not isinstance(widget, RecordTableBox):
            widget = widget.parentWidget()
        if widget is None or widget.register.key not in LINKS_BY_REGISTER:
            return None
        viewport = widget.view.viewport()
        index = widget.view.indexAt(viewport.mapFrom(self.window, position))
        if not index.isValid():
            return None
        record = widget.proxy.row_object(index.row())[0]
        return record if isinstance(record, Record) else None


class RecordDrops(QObject):
    """Files dropped on the form of a record a scan may belong to (a term, a contract …): the attachment form
    opens over it, linked to that record."""

    def __init__(self, dialog: QDialog, services: Services, record: Record) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.services = services
        self.record = record
        self.opened: AttachmentDialog | None = None
        dialog.setAcceptDrops(True)
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.dialog or event.type() not in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
            QEvent.Type.Drop,
        ):
            return False
        assert isinstance(event, QDropEvent)
        files = dropped_files(event.mimeData())
        if not files or self.services.writes_refused is not None:
            event.ignore()
            return True
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            self.attach(files)
        return True

    def attach(self, files: list[Path]) -> AttachmentDialog:
        link = LINKS_BY_REGISTER[self.record.register]
        estate_id = int(self.record.values["estate_id"])
        dialog = AttachmentDialog(
            self.services, estate_id, files=files, link=(link.register, self.record.id), parent=self.dialog
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.opened = dialog
        return dialog


def accept_attachment_drops(dialog: QDialog, services: Services, record: Record | None) -> RecordDrops | None:
    """Let scans be dropped on the form of an existing record they may belong to; None for other forms."""
    if record is None or record.register not in LINKS_BY_REGISTER:
        return None
    return RecordDrops(dialog, services, record)


def _record_words(record: Record) -> str:
    return link_label(record.register, record.title)
