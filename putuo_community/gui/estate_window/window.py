"""One window per estate: its dossier on screen, section by section, with every record editable in place.

The sections, their tables and their computed columns are the printed dossier's (declared
once in `domain.registers.dossier`); each register table gets 新增 / 修改 / 删除, the
completeness gaps link to the form that fills them, and 变更记录 shows the history with
undo. The window follows every committed write that touches the estate.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from putuo_community import APP_TITLE
from putuo_community.domain.changes import Changes
from putuo_community.domain.registers import ESTATES, get_register
from putuo_community.domain.registers.dossier import DOSSIER_SECTIONS, SECTIONS_BY_KEY, DossierTable, section_of_gap
from putuo_community.gui.attachment_dialog import AttachmentDialog, AttachmentDrops, open_attachment_dialog
from putuo_community.gui.attachments_view import AttachmentsView
from putuo_community.gui.changes import ChangeHub
from putuo_community.gui.dialogs import RecordDialog, confirm_delete
from putuo_community.gui.dialogs.slot import DialogSlot
from putuo_community.gui.estate_window.tables import RecordTableBox, fit_height
from putuo_community.gui.history_view import HistoryView, open_record_history
from putuo_community.gui.models import Column, RowTableModel
from putuo_community.gui.widgets import enlarged_font, make_table_view
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.gui.write_access import WriteAccess, read_only_notice, read_only_notice_tip
from putuo_community.io.document import Facts, Table, Text
from putuo_community.services import Record, Services
from putuo_community.services.dossier import EstateDossier

RELOAD_DELAY_MS = 120  # a burst of writes (an import) reloads once
ALERT_STYLE = "color: #b71c1c;"
NOTE_STYLE = "color: #666666;"
# Registers outside the estate whose changes still show in its dossier (the serving company's credit).
COMPANY_REGISTERS = ("companies", "managers", "credit_events")


class EstateWindow(QMainWindow):
    """The dossier of one estate. Open it through `MainWindow.open_estate` so each estate has one window."""

    loaded = Signal()

    def __init__(
        self,
        services: Services,
        estate_id: int,
        *,
        section: str = "basic",
        parent: QWidget | None = None,
        writes: WriteAccess | None = None,
    ):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.services = services
        self.estate_id = estate_id
        # The main window's (a damaged file found there reaches this window too), or one of its own;
        # scoped to this estate's 街镇 once it is read (a 街镇经办人 edits only their own 街镇's).
        self.writes = (writes if writes is not None else WriteAccess(services, self)).for_street(self)
        self.dossier: EstateDossier | None = None
        self.runner = BackgroundRunner(self)
        self.hub = ChangeHub(services.changes, self)
        self.hub.changed.connect(self.apply_changes)
        self.boxes: dict[str, RecordTableBox] = {}
        self.dialogs = DialogSlot(self)
        self.record_history: HistoryView | None = None
        self.history_view: HistoryView | None = None
        self.attachments_view: AttachmentsView | None = None
        self._linked: set[str] = set()  # tables within another already following its choice
        self._built: set[str] = set()  # sections laid out from the current dossier
        self._task: Task | None = None
        self._wanted_section = section
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)

        self.set_title(self.tr("小区档案 — {app}").format(app=APP_TITLE))
        self.setMinimumSize(QSize(720, 480))
        self.sections = QListWidget(self)
        self.sections.setAccessibleName(self.tr("档案目录"))
        self.sections.setSpacing(2)
        self.stack = QStackedWidget(self)
        self.pages: dict[str, QWidget] = {}
        for number, declared in enumerate(DOSSIER_SECTIONS, start=1):
            item = QListWidgetItem(declared.title)
            item.setData(Qt.ItemDataRole.UserRole, declared.key)
            item.setToolTip(self.tr("{title}（Alt+{n}）").format(title=declared.title, n=number % 10))
            self.sections.addItem(item)
            page = QScrollArea(self)
            page.setWidgetResizable(True)
            page.setFrameShape(QFrame.Shape.NoFrame)
            self.stack.addWidget(page)
            self.pages[declared.key] = page
        self.sections.setFixedWidth(max(self.sections.sizeHintForColumn(0) + 48, 170))
        self.sections.currentRowChanged.connect(self._section_chosen)

        self.heading = QLabel(self.tr("正在读取档案…"), self)
        self.heading.setFont(enlarged_font(self.heading.font(), 1.3))
        self.subheading = QLabel(self)
        self.subheading.setStyleSheet(NOTE_STYLE)
        self.edit_estate_button = QPushButton(self.tr("修改基本信息(&E)…"), self)
        self.edit_estate_button.clicked.connect(self.edit_estate)
        self.edit_estate_button.setEnabled(False)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        top.addLayout(titles, 1)
        top.addWidget(self.edit_estate_button, 0, Qt.AlignmentFlag.AlignBottom)

        body = QHBoxLayout()
        body.addWidget(self.sections)
        body.addWidget(self.stack, 1)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self.completeness_label = QLabel(self)
        self.statusBar().addWidget(self.completeness_label, 1)
        self.read_only_label = read_only_notice(self)
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.writes.changed.connect(self._writes_changed)
        self._writes_changed()
        # Scans dropped anywhere on the window open the attachment form (on a record's row: linked to it).
        self.attachment_drops = AttachmentDrops(
            self, lambda files, link: self.attach_files(files, link=link), self.writes
        )

        close_action = QAction(self.tr("关闭"), self)
        close_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Close), QKeySequence("Ctrl+W")])
        close_action.triggered.connect(self.close)
        self.addAction(close_action)
        for number, declared in enumerate(DOSSIER_SECTIONS[:10], start=1):
            jump = QAction(declared.title, self)
            jump.setShortcut(QKeySequence(f"Alt+{number % 10}"))
            jump.setData(declared.key)
            jump.triggered.connect(self._jump)
            self.addAction(jump)
        self._fit_screen()
        self.show_section(section)
        self.reload()

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        self.resize(min(1180, available.width() - 60), min(820, available.height() - 60))

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        if self._task is not None:
            self._task.cancel()
        dossiers, estate_id = self.services.dossiers, self.estate_id
        self._task = self.runner.run(
            lambda _progress: dossiers.estate_dossier(estate_id, today=date.today()),
            on_result=self._show,
            on_error=self._failed,
            description=self.tr("读取小区档案"),
            parent=self,
        )

    @property
    def loading(self) -> bool:
        return self._task is not None

    def _failed(self, _error: BaseException) -> bool:
        self._task = None
        return False  # a message (gone estate, locked database) or the crash path

    def apply_changes(self, changes: Changes) -> None:
        """Reload when a write touched this estate's dossier (or its serving company's credit)."""
        if self.dossier is None:
            return
        if changes.touches_estate(self.estate_id) or changes.touches(*COMPANY_REGISTERS) or changes.settings:
            deleted = changes.of(ESTATES.key)
            if deleted is not None and self.estate_id in deleted.deleted:
                self.close()
                return
            self._reload_timer.start()

    def _show(self, dossier: EstateDossier) -> None:
        self._task = None
        section = self.current_section()
        self.dossier = dossier
        estate = dossier.estate
        self.set_title(self.tr("{name} 小区档案 — {app}").format(name=estate.title, app=APP_TITLE))
        self.heading.setText(estate.title)
        place = [dossier.street, estate.display("neighbourhood_id"), estate.display("address")]
        self.subheading.setText(" · ".join(p for p in place if p))
        self.writes.set_street(estate.values.get("street_id"), dossier.street)
        self.writes.follow(self.edit_estate_button)
        percent = round(float(dossier.completeness) * 100)
        self.completeness_label.setText(
            self.tr("档案完整度 {percent}%：{count} 项待补充或更新").format(percent=percent, count=len(dossier.gaps))
            if dossier.gaps
            else self.tr("档案完整：各部分均已登记且在有效期内")
        )
        # Only the section on screen is laid out now; the others when they are first shown, so a
        # large estate's window never holds the UI thread for all twelve at once.
        self._built.clear()
        for declared in DOSSIER_SECTIONS:
            count = self._section_count(declared.key, dossier)
            item = self.sections.item(DOSSIER_SECTIONS.index(declared))
            item.setText(f"{declared.title}（{count}）" if count is not None else declared.title)
        self.show_section(section or self._wanted_section)
        self._ensure_built(self.current_section())
        self.loaded.emit()

    def set_title(self, title: str) -> None:
        """The window's title, marked （只读） when the archive was opened read-only."""
        read_only = self.writes.read_only
        self.setWindowTitle(self.tr("{title}（只读）").format(title=title) if read_only else title)

    def _writes_changed(self) -> None:
        self.read_only_label.setVisible(self.writes.read_only)
        refusal = self.writes.refusal
        if refusal is not None:
            self.read_only_label.setToolTip(read_only_notice_tip(refusal))
        self.writes.follow(self.edit_estate_button, self.dossier is not None)
        for button in self._gap_buttons():
            self.writes.follow(button)

    def _gap_buttons(self) -> list[QPushButton]:
        page = self.pages.get("completeness")
        content = page.widget() if isinstance(page, QScrollArea) else None
        if content is None:
            return []
        return [b for b in content.findChildren(QPushButton) if b.property("gap_section") is not None]

    def _section_count(self, key: str, dossier: EstateDossier) -> int | None:
        if key == "completeness":
            return len(dossier.gaps)
        tables = SECTIONS_BY_KEY[key].tables
        if not tables or key == "basic":
            return None
        return len(dossier.records.get(tables[0].register, ()))

    # -- sections --------------------------------------------------------------------------------

    def current_section(self) -> str:
        item = self.sections.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def show_section(self, key: str) -> None:
        keys = [s.key for s in DOSSIER_SECTIONS]
        if key in keys:
            self.sections.setCurrentRow(keys.index(key))

    def _section_chosen(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self._ensure_built(self.current_section())

    def _ensure_built(self, key: str) -> None:
        if self.dossier is not None and key and key not in self._built:
            self._built.add(key)
            self._build_section(key, self.dossier)

    def _jump(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.show_section(str(action.data()))

    def _build_section(self, key: str, dossier: EstateDossier) -> None:
        """Lay a section out again from the new dossier; its record tables and history view are kept
        (moved into the new layout), so selections, sort orders and scroll positions survive a reload."""
        page = self.pages[key]
        assert isinstance(page, QScrollArea)
        scrolled = page.verticalScrollBar().value()
        content = QWidget()
        layout = QVBoxLayout(content)
        if key == "changes":
            if self.history_view is None:
                self.history_view = HistoryView(
                    self.services, self.runner, estate_id=self.estate_id, writes=self.writes
                )
                self.hub.changed.connect(self.history_view.follow_changes)
                self.history_view.refresh()
            layout.addWidget(self.history_view, 1)
        elif key == "attachments":
            layout.addWidget(self._attachments(), 1)
        elif key == "completeness":
            self._completeness(layout, dossier)
        else:
            self._blocks(key, layout, dossier)
            layout.addStretch(1)
        old = page.takeWidget()
        if old is not None:
            old.deleteLater()
        page.setWidget(content)
        page.verticalScrollBar().setValue(scrolled)

    def _blocks(self, key: str, layout: QVBoxLayout, dossier: EstateDossier) -> None:
        declared = {t.register: t for t in SECTIONS_BY_KEY[key].tables}
        shown: set[str] = set()
        for block in dossier.sections[key].blocks:
            if isinstance(block, Table) and block.register in declared:
                if block.register not in shown:
                    layout.addWidget(self._box(declared[block.register], dossier))
                    shown.add(block.register)
            elif isinstance(block, Table):
                layout.addWidget(_plain_table(block))
            elif isinstance(block, Facts):
                layout.addWidget(_facts(block))
            elif isinstance(block, Text):
                layout.addWidget(_text(block))
        for register_key, table in declared.items():  # tables the printed section leaves out for now
            if register_key not in shown and (not table.within or table.within in shown):
                layout.addWidget(self._box(table, dossier))
        for register_key in declared:
            box = self.boxes.get(register_key)
            parent_box = self.boxes.get(box.declared.within) if box is not None else None
            if box is None or parent_box is None:
                continue
            if parent_box.current_record() is None and parent_box.proxy.rowCount():
                # The most recently registered (the current term, the latest contract).
                parent_box.view.setCurrentIndex(parent_box.proxy.index(parent_box.proxy.rowCount() - 1, 0))
            if register_key not in self._linked:
                parent_box.current_changed.connect(box.set_parent_record)
                self._linked.add(register_key)
            box.set_parent_record(parent_box.current_record())

    def _box(self, declared: DossierTable, dossier: EstateDossier) -> RecordTableBox:
        """The section's table of one register, made once and refilled on every reload."""
        records = {r.id: r for r in dossier.records.get(declared.register, ())}
        table = dossier.tables[declared.register]
        box = self.boxes.get(declared.register)
        if box is None:
            box = RecordTableBox(declared, table, writes=self.writes)
            box.new_requested.connect(self.new_record)
            box.edit_requested.connect(self.edit_record)
            box.delete_requested.connect(self.delete_record)
            box.history_requested.connect(self.show_record_history)
            self.boxes[declared.register] = box
        box.show_table(table, records)
        return box

    def _completeness(self, layout: QVBoxLayout, dossier: EstateDossier) -> None:
        percent = round(float(dossier.completeness) * 100)
        if not dossier.gaps:
            layout.addWidget(_text(Text(self.tr("档案完整：各部分均已登记且在有效期内。"))))
            layout.addStretch(1)
            return
        layout.addWidget(
            _text(Text(self.tr("完整度 {p}%：{n} 项待补充或更新。").format(p=percent, n=len(dossier.gaps)), "alert"))
        )
        grid = QGridLayout()
        for row, gap in enumerate(dossier.gaps):
            grid.addWidget(QLabel(gap.section), row, 0)
            message = QLabel(gap.message + (self.tr("（已过期）") if gap.stale else ""))
            message.setWordWrap(True)
            grid.addWidget(message, row, 1)
            button = QPushButton(self.tr("去补充…"))
            button.setToolTip(self.tr("转到档案的这一部分，打开能补上这一项的表单"))
            button.setProperty("gap_section", gap.section)
            button.clicked.connect(self._fill_gap)
            self.writes.follow(button)  # it opens a form for a new record
            grid.addWidget(button, row, 2)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)

    def _fill_gap(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton):
            self.fill_gap(str(button.property("gap_section")))

    def fill_gap(self, gap_section: str) -> RecordDialog | None:
        """Go to the section a gap belongs to and open the form that fills it."""
        section = section_of_gap(gap_section)
        if section is None:
            return None
        self.show_section(section.key)
        if section.fills_gap:
            return self.new_record(section.fills_gap)
        if section.key == "basic":
            return self.edit_estate()
        return None  # mended in the section's own records (a lift's assessment date): the clerk is there

    # -- editing ---------------------------------------------------------------------------------

    @property
    def dialog(self) -> QDialog | None:
        """The record form open over this window, if any."""
        return self.dialogs.dialog

    def edit_estate(self) -> RecordDialog | None:
        if self.dossier is None:
            return None
        return self.dialogs.open(RecordDialog.for_record(self.services, self.dossier.estate, self))

    def preset_for(self, register_key: str) -> dict[str, Any]:
        """What a new record of `register_key` starts with here: this estate, the chosen parent, the company."""
        register = get_register(register_key)
        preset: dict[str, Any] = {}
        if register.estate_field:
            preset[register.estate_field] = self.estate_id
        box = self.boxes.get(register_key)
        if box is not None and box.declared.within:
            parent = box.proxy.parent_id
            if parent is not None:
                preset[register.parent_field] = parent
        if register_key == "credit_events" and self.dossier is not None:
            preset["company_id"] = self.dossier.estate.values.get("company_id")
        return preset

    def new_record(self, register_key: str) -> RecordDialog:
        return self.dialogs.open(
            RecordDialog.for_new(self.services, register_key, self, preset=self.preset_for(register_key))
        )

    def attach_files(self, files: list[Path], *, link: tuple[str, int] | None = None) -> AttachmentDialog:
        """The form adding `files` to this estate's dossier (linked to one of its records when dropped on it)."""
        return open_attachment_dialog(
            self.services, self.estate_id, files, link=link, dialogs=self.dialogs, parent=self
        )

    def _attachments(self) -> AttachmentsView:
        """The 附件目录 section's view, made once and kept across reloads (it reads its own list)."""
        if self.attachments_view is None:
            view = AttachmentsView(
                self.services,
                self.runner,
                self.estate_id,
                attach=lambda files, link: self.attach_files(files, link=link),
                dialogs=self.dialogs,
                writes=self.writes,
            )
            self.hub.changed.connect(view.follow_changes)
            view.refresh()
            self.attachments_view = view
        return self.attachments_view

    def edit_record(self, record: Record) -> RecordDialog:
        register = get_register(record.register)
        fixed = [k for k in (register.estate_field, register.parent_field) if k]
        return self.dialogs.open(RecordDialog.for_record(self.services, record, self, fixed=fixed))

    def delete_record(self, record: Record) -> bool:
        return confirm_delete(self.services, record, self)

    def show_record_history(self, record: Record) -> HistoryView:
        """The history of one record, in its own small window; it follows this estate's writes."""
        view = open_record_history(self.services, self.runner, record, self, writes=self.writes)
        self.hub.changed.connect(view.follow_changes)
        self.record_history = view
        return view

    def closeEvent(self, event: QCloseEvent) -> None:
        self.hub.close()
        self.runner.shutdown()
        super().closeEvent(event)


# -- the printed blocks, on screen --------------------------------------------------------------


def _facts(block: Facts) -> QWidget:
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(12)
    if block.caption:
        caption = QLabel(block.caption)
        caption.setFont(enlarged_font(caption.font(), 1.05))
        grid.addWidget(caption, 0, 0, 1, 4)
    offset = 1 if block.caption else 0
    for number, (label, value) in enumerate(block.items):
        row, column = divmod(number, 2)
        name = QLabel(label + "：")
        name.setStyleSheet(NOTE_STYLE)
        name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        shown = QLabel(value)
        shown.setWordWrap(True)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(name, row + offset, column * 2)
        grid.addWidget(shown, row + offset, column * 2 + 1)
    grid.setColumnStretch(1, 1)
    grid.setColumnStretch(3, 1)
    return box


def _text(block: Text) -> QLabel:
    label = QLabel(block.text)
    label.setWordWrap(True)
    if block.tone == "alert":
        label.setStyleSheet(ALERT_STYLE)
    elif block.tone == "note":
        label.setStyleSheet(NOTE_STYLE)
    return label


def _plain_table(block: Table) -> QWidget:
    """A table the rules write (the 换届 timeline): read-only."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 4)
    if block.caption:
        caption = QLabel(block.caption)
        caption.setFont(enlarged_font(caption.font(), 1.05))
        layout.addWidget(caption)
    columns = [
        Column(header, _cell_text(i), _cell_sort(i), width_chars=max(8, len(header) * 2))
        for i, header in enumerate(block.headers)
    ]
    model = RowTableModel(columns, box)
    model.set_rows(list(block.rows))
    view = make_table_view(box)
    view.setModel(model)
    view.setSortingEnabled(False)
    view.resizeColumnsToContents()
    fit_height(view, len(block.rows))
    layout.addWidget(view)
    return box


def _cell_text(position: int) -> Any:
    return lambda row: row[position]


def _cell_sort(position: int) -> Any:
    return lambda row: row[position] or None
