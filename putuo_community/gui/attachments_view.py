"""The 附件目录 of an estate window: its scans with their kind, date, record, size and the state of each file,
and the bin of those removed; add (drop or choose files), open, change, move to the bin, restore.

Opening copies the file to the temp folder under its original name and hands it to the system's viewer;
the copy is hash-checked on the way, and a file changed outside the program is said before it is shown.
Every write goes through the attachment service, so the window, its completeness and 变更记录 follow it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.attachments import LINKS_BY_REGISTER, FileState, size_limit_text
from putuo_community.domain.changes import Changes
from putuo_community.gui.attachment_dialog import AttachmentDialog
from putuo_community.gui.dialogs.slot import DialogSlot
from putuo_community.gui.i18n import translator
from putuo_community.gui.models import Column, RowSortProxy, RowTableModel, native_sort_value
from putuo_community.gui.widgets import enlarged_font, make_table_view, size_columns
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.gui.write_access import WriteAccess
from putuo_community.services import Services
from putuo_community.services.attachments import Attachment, AttachmentListing, Link, OpenedCopy

_tr = translator("AttachmentsView")
REFRESH_DELAY_MS = 100
FLAG_COLOUR = QColor("#b71c1c")
OK_COLOUR = QColor("#2e7d32")
DROP_STYLE = (
    "QFrame#attachmentDrop { border: 2px dashed #9aa7b5; border-radius: 6px; background: #f6f8fb; }"
    "QFrame#attachmentDrop QLabel { color: #44505c; }"
)
FILE_FILTER = "扫描件 (*.pdf *.ofd *.jpg *.jpeg *.png *.tif *.tiff *.heic *.doc *.docx *.xls *.xlsx);;所有文件 (*)"
STATE_TEXT = {
    FileState.OK: "完好",
    FileState.CHANGED: "⚠ 已被改动",
    FileState.MISSING: "⚠ 文件缺失",
}

Attach = Callable[[list[Path], Link | None], object]


def _text(key: str) -> Callable[[Attachment], str]:
    return lambda a: a.record.display(key)


def _native(key: str) -> Callable[[Attachment], object]:
    return lambda a: native_sort_value(a.value(key))


def attachment_columns(*, in_bin: bool) -> tuple[Column, ...]:
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    columns = [
        Column(_tr("附件类型"), _text("kind"), _text("kind"), width_chars=9),
        Column(_tr("名称"), lambda a: a.title, lambda a: a.title or None, tooltip=lambda a: a.title, width_chars=26),
        Column(_tr("文件日期"), _text("dated_on"), _native("dated_on"), width_chars=11),
        Column(
            _tr("关联记录"),
            lambda a: a.link_label,
            lambda a: a.link_label or None,
            tooltip=lambda a: a.link_label,
            width_chars=20,
        ),
        Column(_tr("大小"), lambda a: a.size_text, _native("size_bytes"), alignment=right, width_chars=9),
        Column(
            _tr("移入回收站") if in_bin else _tr("添加日期"),
            _text("removed_on" if in_bin else "added_on"),
            _native("removed_on" if in_bin else "added_on"),
            width_chars=11,
        ),
        Column(
            _tr("文件"),
            lambda a: _tr(STATE_TEXT[a.state]),
            lambda a: list(FileState).index(a.state),
            tooltip=_state_tip,
            width_chars=10,
        ),
        Column(_tr("原文件名"), _text("file_name"), _text("file_name"), tooltip=_text("file_name"), width_chars=24),
    ]
    return tuple(columns)


def _state_tip(attachment: Attachment) -> str:
    sha = str(attachment.value("sha256"))
    if attachment.state is FileState.OK:
        return _tr("文件与添加时一致（SHA-256 {sha}…）").format(sha=sha[:16])
    if attachment.state is FileState.CHANGED:
        return _tr("文件已在程序外被改动，与添加时的 SHA-256（{sha}…）不符。可从备份恢复。").format(sha=sha[:16])
    return _tr("附件文件夹中找不到这个文件。可从备份恢复，或移除后重新添加扫描件。")


class AttachmentTableModel(RowTableModel):
    """Rows are `Attachment`s; the 文件 column is green when sound and red when changed or missing."""

    STATE_COLUMN = 6

    def __init__(self, *, in_bin: bool, parent: Any = None) -> None:
        super().__init__(attachment_columns(in_bin=in_bin), parent)

    def attachment(self, row: int) -> Attachment:
        found: Attachment = self.row_object(row)
        return found

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == self.STATE_COLUMN and 0 <= index.row() < self.rowCount():
            state = self.attachment(index.row()).state
            if role == Qt.ItemDataRole.ForegroundRole:
                return OK_COLOUR if state is FileState.OK else FLAG_COLOUR
            if role == Qt.ItemDataRole.FontRole and state is not FileState.OK:
                bold = QFont()
                bold.setBold(True)
                return bold
        return super().data(index, role)

    def row_foreground(self, row_object: Any) -> QColor | None:
        return FLAG_COLOUR if row_object.state is not FileState.OK else None


class AttachmentsView(QWidget):
    """An estate's attachments and their bin. `attach` opens the form for files (the window's, so a drop on the
    window and 添加附件 share one form); `dialogs` holds the window's one open dialog."""

    loaded = Signal()
    opened = Signal(object)  # OpenedCopy handed to the system's viewer

    def __init__(
        self,
        services: Services,
        runner: BackgroundRunner,
        estate_id: int,
        *,
        attach: Attach,
        dialogs: DialogSlot,
        writes: WriteAccess | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.estate_id = estate_id
        self.attach = attach
        self.dialogs = dialogs
        self.writes = writes if writes is not None else WriteAccess(services, self)
        self.listing: AttachmentListing | None = None
        self._task: Task | None = None
        self.write_task: Task | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

        caption = QLabel(self.tr("附件目录"), self)
        caption.setFont(enlarged_font(caption.font(), 1.05))
        self.add_button = QPushButton(self.tr("添加附件(&A)…"), self)
        self.add_button.setToolTip(self.tr("选择扫描件添加到本小区档案（也可以直接把文件拖进窗口）"))
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(self.tr("打开(&O)"), self)
        self.open_button.setToolTip(self.tr("用系统的查看程序打开所选附件（也可双击）"))
        self.open_button.clicked.connect(self.open_selected)
        self.edit_button = QPushButton(self.tr("修改…"), self)
        self.edit_button.setToolTip(self.tr("修改所选附件的类型、名称、日期、关联记录或备注"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton(self.tr("移入回收站"), self)
        self.remove_button.setToolTip(self.tr("把所选附件移出档案、放入回收站；文件保留，可随时恢复"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.restore_button = QPushButton(self.tr("恢复到档案"), self)
        self.restore_button.setToolTip(self.tr("把回收站中所选的附件放回档案"))
        self.restore_button.clicked.connect(self.restore_selected)
        header = QHBoxLayout()
        header.addWidget(caption)
        header.addStretch(1)
        for button in (self.add_button, self.open_button, self.edit_button, self.remove_button, self.restore_button):
            header.addWidget(button)

        self.drop_frame = QFrame(self)
        self.drop_frame.setObjectName("attachmentDrop")
        self.drop_frame.setStyleSheet(DROP_STYLE)
        self.drop_title = QLabel(self.drop_frame)
        self.drop_title.setFont(enlarged_font(self.drop_title.font(), 1.1))
        self.drop_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint = QLabel(self.drop_frame)
        self.drop_hint.setWordWrap(True)
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_button = QPushButton(self.tr("选择文件…"), self.drop_frame)
        self.drop_button.clicked.connect(self.choose_files)
        drop_layout = QVBoxLayout(self.drop_frame)
        drop_layout.setContentsMargins(40, 8, 40, 8)
        drop_layout.addStretch(1)
        drop_layout.addWidget(self.drop_title)
        drop_layout.addWidget(self.drop_hint)
        drop_layout.addWidget(self.drop_button, 0, Qt.AlignmentFlag.AlignHCenter)
        drop_layout.addStretch(1)

        self.flag_label = QLabel(self)
        self.flag_label.setWordWrap(True)
        self.flag_label.setStyleSheet(f"color: {FLAG_COLOUR.name()};")
        self.flag_label.setVisible(False)

        self.tabs = QTabWidget(self)
        self.current_model, self.current_proxy, self.current_view = self._table(in_bin=False)
        self.bin_model, self.bin_proxy, self.bin_view = self._table(in_bin=True)
        self.tabs.addTab(self.current_view, "")
        self.tabs.addTab(self.bin_view, "")
        self.tabs.currentChanged.connect(self._update_state)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #5f6368;")
        self.message.setWordWrap(True)
        self.bin_note = QLabel(
            self.tr("回收站中的附件不计入档案、档案目录和完整性检查；文件仍保留，选中后点“恢复到档案”即可放回。"), self
        )
        self.bin_note.setStyleSheet("color: #5f6368;")
        self.bin_note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(header)
        layout.addWidget(self.drop_frame)
        layout.addWidget(self.flag_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.bin_note)
        layout.addWidget(self.message)
        self.writes.changed.connect(self._update_state)
        self._show_counts()
        self._update_state()

    def _table(self, *, in_bin: bool) -> tuple[AttachmentTableModel, RowSortProxy, QTableView]:
        model = AttachmentTableModel(in_bin=in_bin, parent=self)
        proxy = RowSortProxy(self)
        proxy.setSourceModel(model)
        view = make_table_view(self)
        view.setModel(proxy)
        size_columns(view, model)
        view.activated.connect(self.open_selected)
        view.selectionModel().currentRowChanged.connect(self._update_state)
        view.setMinimumHeight(view.verticalHeader().defaultSectionSize() * 4 + 40)
        return model, proxy, view

    # -- loading ---------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._task is not None

    def refresh(self) -> None:
        if self._task is not None:
            self._task.cancel()
        attachments, estate_id = self.services.attachments, self.estate_id
        self._task = self.runner.run(
            lambda _progress: attachments.of_estate(estate_id),
            on_result=self._show,
            on_error=self._failed,
            description=self.tr("读取附件"),
            parent=self,
        )

    def follow_changes(self, changes: Changes) -> None:
        """Read again after a write to this estate's attachments or to what they name (a term renumbered …)."""
        if changes.touches("attachments", *LINKS_BY_REGISTER) or changes.touches_estate(self.estate_id):
            self._timer.start()

    def _failed(self, _error: BaseException) -> bool:
        self._task = None
        return False

    def _show(self, listing: AttachmentListing) -> None:
        self._task = None
        kept = {view: self._selected_id(view) for view in (self.current_view, self.bin_view)}
        self.listing = listing
        self.current_model.set_rows(listing.current)
        self.bin_model.set_rows(listing.removed)
        for view, chosen in kept.items():
            if chosen is not None:
                self.select(chosen, view=view)
        self._show_counts()
        self._update_state()
        self.loaded.emit()

    def _show_counts(self) -> None:
        listing = self.listing
        current = len(listing.current) if listing else 0
        removed = len(listing.removed) if listing else 0
        self.tabs.setTabText(0, self.tr("档案中的附件（{n}）").format(n=current))
        self.tabs.setTabText(1, self.tr("回收站（{n}）").format(n=removed))
        limit = size_limit_text()
        empty = listing is not None and current == 0
        self.drop_frame.setMinimumHeight(200 if empty and removed == 0 else 0)
        self.drop_button.setVisible(empty)
        self.tabs.setVisible(not (empty and removed == 0))  # nothing to list: the drop zone says what to do
        if empty:
            self.drop_title.setText(self.tr("还没有附件"))
            self.drop_hint.setText(
                self.tr(
                    "把备案证明、合同、表决结果、评估或验收报告等扫描件拖到这里（或本窗口任何地方），"
                    "或点“添加附件…”选择文件。拖到业委会届次、合同、电梯或项目的某一行上，附件就关联那条记录。"
                    "单个文件不超过 {limit}。"
                ).format(limit=limit)
            )
        else:
            self.drop_title.setText(self.tr("把扫描件拖到这里添加"))
            self.drop_hint.setText(
                self.tr("拖到某条记录（业委会届次、合同、电梯、项目）上即关联该记录 · 单个文件不超过 {limit}").format(
                    limit=limit
                )
            )
        self.drop_title.setVisible(listing is not None)
        flagged = listing.flagged if listing is not None else ()
        if flagged:
            names = "、".join(f"“{a.title}”" for a in flagged[:3]) + (self.tr("等") if len(flagged) > 3 else "")
            self.flag_label.setText(
                self.tr("⚠ {n} 个附件的文件已在程序外被改动或缺失：{names}。打开前会提醒；可从备份恢复。").format(
                    n=len(flagged), names=names
                )
            )
        self.flag_label.setVisible(bool(flagged))

    # -- choosing --------------------------------------------------------------------------------

    @property
    def showing_bin(self) -> bool:
        return self.tabs.currentIndex() == 1

    def _view(self) -> QTableView:
        return self.bin_view if self.showing_bin else self.current_view

    def _selected_id(self, view: QTableView) -> int | None:
        index = view.currentIndex()
        if not index.isValid():
            return None
        proxy = view.model()
        found = proxy.row_object(index.row()) if isinstance(proxy, RowSortProxy) else None
        return found.id if isinstance(found, Attachment) else None

    def selected(self) -> Attachment | None:
        view = self._view()
        index = view.currentIndex()
        if not index.isValid():
            return None
        proxy = self.bin_proxy if self.showing_bin else self.current_proxy
        found = proxy.row_object(index.row())
        return found if isinstance(found, Attachment) else None

    def select(self, attachment_id: int, *, view: QTableView | None = None) -> bool:
        view = view or self._view()
        proxy = view.model()
        assert isinstance(proxy, RowSortProxy)
        for row in range(proxy.rowCount()):
            if proxy.row_object(row).id == attachment_id:
                view.setCurrentIndex(proxy.index(row, 0))
                return True
        return False

    def show_bin(self, shown: bool = True) -> None:
        self.tabs.setCurrentIndex(1 if shown else 0)

    def _update_state(self, *_args: object) -> None:
        chosen = self.selected() is not None
        in_bin = self.showing_bin
        self.bin_note.setVisible(in_bin)
        idle = self.write_task is None
        self.writes.follow(self.add_button)
        self.writes.follow(self.drop_button)
        self.open_button.setEnabled(chosen)
        self.writes.follow(self.edit_button, chosen and not in_bin and idle)
        self.writes.follow(self.remove_button, chosen and not in_bin and idle)
        self.writes.follow(self.restore_button, chosen and in_bin and idle)
        self.edit_button.setVisible(not in_bin)
        self.remove_button.setVisible(not in_bin)
        self.restore_button.setVisible(in_bin)

    # -- doing -----------------------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(self, self.tr("选择要添加的扫描件"), "", self.tr(FILE_FILTER))
        if files:
            self.attach([Path(f) for f in files], None)

    def edit_selected(self) -> AttachmentDialog | None:
        attachment = self.selected()
        if attachment is None or self.showing_bin:
            return None
        dialog = AttachmentDialog(self.services, self.estate_id, attachment=attachment, parent=self.window())
        return self.dialogs.open(dialog)

    def remove_selected(self) -> None:
        """Into the bin at once, no question asked: nothing is lost, and the bin gives it back."""
        attachment = self.selected()
        if attachment is None or self.showing_bin:
            return
        attachments = self.services.attachments
        self._write(
            lambda _p: attachments.remove(attachment.id, expected_version=attachment.version),
            self.tr("已把“{title}”移入回收站；在“回收站”中可以恢复。").format(title=attachment.title),
        )

    def restore_selected(self) -> None:
        attachment = self.selected()
        if attachment is None or not self.showing_bin:
            return
        attachments = self.services.attachments
        self._write(
            lambda _p: attachments.restore(attachment.id, expected_version=attachment.version),
            self.tr("已把“{title}”恢复到档案。").format(title=attachment.title),
        )

    def _write(self, work: Callable[[Any], object], done: str) -> None:
        def finished(_result: object) -> None:
            self.write_task = None
            self.message.setText(done)
            self._update_state()

        def failed(_error: BaseException) -> bool:
            self.write_task = None
            self._update_state()
            return False  # said in a message box (a UserError) or the crash path

        self.write_task = self.runner.run(
            work, on_result=finished, on_error=failed, description=self.tr("保存附件"), parent=self
        )
        self._update_state()

    def open_selected(self, *_args: object) -> Task | None:
        """Copy the chosen attachment to the temp folder and show it in the system's viewer."""
        attachment = self.selected()
        if attachment is None:
            return None
        attachments = self.services.attachments
        return self.runner.run(
            lambda _p: attachments.open_copy(attachment.id),
            on_result=self._show_copy,
            description=self.tr("打开附件"),
            parent=self,
        )

    def _show_copy(self, copy: OpenedCopy) -> None:
        if copy.state is not FileState.OK:
            answer = QMessageBox.question(
                self,
                self.tr("文件已被改动"),
                self.tr(
                    "附件“{title}”的文件在添加之后已在程序外被改动（与登记的 SHA-256 不符），"
                    "打开的将是改动后的内容。可从备份恢复原文件。\n\n仍要打开吗？"
                ).format(title=copy.title),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy.path))):
            QMessageBox.warning(
                self,
                self.tr("无法打开"),
                self.tr("这台电脑上没有能打开“{name}”的程序。文件副本在：{path}").format(
                    name=copy.path.name, path=copy.path
                ),
            )
            return
        self.message.setText(
            self.tr("已打开“{title}”（副本在临时文件夹中，改动副本不影响档案）。").format(title=copy.title)
        )
        self.opened.emit(copy)
