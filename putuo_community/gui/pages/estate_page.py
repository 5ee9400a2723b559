"""The 小区档案 page: the estate list, and beside it the selected estate's facts and what its dossier holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.changes import Changes
from putuo_community.domain.credit import WarningLevel
from putuo_community.domain.registers import ESTATES, REGISTERS
from putuo_community.gui.list_columns import level_text
from putuo_community.gui.long_task import LongTask, export_to_file, run_long_task
from putuo_community.gui.models import field_text
from putuo_community.gui.pages.base import ALL, PageContext
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import Progress, Task
from putuo_community.services import Record
from putuo_community.services.dossier import safe_file_name
from putuo_community.services.listing import COMMITTEE_STATES, ListFilter
from putuo_community.services.overview import SectionCount

if TYPE_CHECKING:
    from putuo_community.gui.dossier_preview import DossierPreviewDialog

SECTIONS_DELAY_MS = 150


class EstatePanel(QFrame):
    """The selected estate: name, basic facts and the number of records per dossier section."""

    open_detail_requested = Signal()
    print_requested = Signal()
    save_pdf_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.estate_id: int | None = None

        self.name_label = QLabel()
        self.name_label.setFont(enlarged_font(self.name_label.font(), 1.3))
        self.name_label.setWordWrap(True)
        self.place_label = QLabel()
        self.place_label.setWordWrap(True)
        self.place_label.setStyleSheet("color: #555555;")
        self.empty_label = QLabel(self.tr("在左侧列表中选择一个小区，这里显示它的概况和档案内容。"))
        self.empty_label.setWordWrap(True)

        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fact_labels: dict[str, QLabel] = {}
        for key in ESTATES.summary_fields:
            field = ESTATES.field(key)
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addRow(self.tr("{label}：").format(label=field.label), value)
            self.fact_labels[key] = value

        self.sections_box = QGroupBox(self.tr("档案内容"))
        self.sections_grid = QGridLayout(self.sections_box)
        self.sections_grid.setHorizontalSpacing(16)
        self.section_labels: dict[str, QLabel] = {}

        self.detail_button = QPushButton(self.tr("打开档案(&O)…"))
        self.detail_button.setToolTip(self.tr("在小区自己的窗口中查看和修改整份档案（也可在列表中双击或按回车）"))
        self.detail_button.clicked.connect(self.open_detail_requested)
        self.print_button = QPushButton(self.tr("打印档案(&P)…"))
        self.print_button.setToolTip(self.tr("预览并打印这个小区的档案（Ctrl+P）"))
        self.print_button.clicked.connect(self.print_requested)
        self.pdf_button = QPushButton(self.tr("导出档案 PDF(&D)…"))
        self.pdf_button.setToolTip(self.tr("把这个小区的档案保存为 PDF 文件"))
        self.pdf_button.clicked.connect(self.save_pdf_requested)
        dossier_buttons = QHBoxLayout()
        dossier_buttons.addWidget(self.print_button)
        dossier_buttons.addWidget(self.pdf_button)
        dossier_buttons.addStretch(1)

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.name_label)
        content_layout.addWidget(self.place_label)
        content_layout.addLayout(facts)
        content_layout.addWidget(self.sections_box)
        content_layout.addWidget(self.detail_button, 0, Qt.AlignmentFlag.AlignLeft)
        content_layout.addSpacing(8)
        content_layout.addLayout(dossier_buttons)
        content_layout.addStretch(1)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.empty_label)
        inner_layout.addWidget(self.content)
        scroll = QScrollArea()
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never scroll sideways
        scroll.setWidget(inner)
        self.setMinimumWidth(300)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.show_estate(None)

    def show_estate(self, record: Record | None) -> None:
        self.estate_id = record.id if record is not None else None
        self.empty_label.setVisible(record is None)
        self.content.setVisible(record is not None)
        if record is None:
            return
        self.name_label.setText(record.title)
        place = [record.display("street_id"), record.display("neighbourhood_id")]
        self.place_label.setText(" · ".join(p for p in place if p))
        for key, label in self.fact_labels.items():
            field = ESTATES.field(key)
            text = field_text(record, field)
            if text and field.unit:
                text = f"{text} {field.unit}"
            label.setText(text or self.tr("—"))
        self.show_sections(None)

    def show_sections(self, counts: list[tuple[str, str, int]] | None) -> None:
        """(register key, label, count) per dossier section; None while they are being read."""
        while self.sections_grid.count():
            item = self.sections_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop, and the old count showed through
                widget.deleteLater()
        self.section_labels.clear()
        if counts is None:
            self.sections_grid.addWidget(QLabel(self.tr("正在统计…")), 0, 0)
            return
        for number, (key, label, count) in enumerate(counts):
            name = QLabel(label)
            value = QLabel(f"{count:,}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if count == 0:
                name.setStyleSheet("color: #999999;")
                value.setStyleSheet("color: #999999;")
            row, column = divmod(number, 2)
            self.sections_grid.addWidget(name, row, column * 2)
            self.sections_grid.addWidget(value, row, column * 2 + 1)
            self.section_labels[key] = value

    def section_count(self, register_key: str) -> int:
        return int(self.section_labels[register_key].text().replace(",", ""))


class EstateFilters(QWidget):
    """The estate list's narrower filters: 居委会, housing type, committee state, warning level, completeness."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.neighbourhoods: list[Record] = []
        self.street_id: int | None = None
        self.neighbourhood = self._combo(self.tr("全部居委会"), self.tr("只看一个居委会"))
        self.housing_type = self._combo(self.tr("全部房屋类型"), self.tr("只看一种房屋类型"))
        for choice in ESTATES.field("housing_type").choices:
            self.housing_type.addItem(choice, choice)
        self.committee_state = self._combo(self.tr("业委会：全部"), self.tr("按现任业委会的任期状态筛选"))
        for state in COMMITTEE_STATES:
            self.committee_state.addItem(self.tr("业委会：{state}").format(state=state), state)
        self.warning_level = self._combo(self.tr("物业预警：全部"), self.tr("按服务企业的信用预警等级筛选"))
        for level in sorted(WarningLevel, reverse=True):
            self.warning_level.addItem(self.tr("物业预警：{level}").format(level=level_text(level)), level)
        self.completeness = QSpinBox(self)
        self.completeness.setRange(0, 100)
        self.completeness.setSingleStep(10)
        self.completeness.setSuffix("%")
        self.completeness.setPrefix(self.tr("完整度低于 "))
        self.completeness.setSpecialValueText(self.tr("完整度：不限"))
        self.completeness.setToolTip(self.tr("只看档案完整度低于这个比例的小区（0 为不限）"))
        self.completeness.setAccelerated(True)
        self.completeness.setKeyboardTracking(False)  # typing "60" asks once, not for 6 and then 60
        self.completeness.valueChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(self.tr("筛选："), self)
        layout.addWidget(label)
        for widget in (self.neighbourhood, self.housing_type, self.committee_state, self.warning_level):
            layout.addWidget(widget)
        layout.addWidget(self.completeness)
        layout.addStretch(1)

    def _combo(self, everything: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.addItem(everything, ALL)
        combo.setToolTip(tip)
        combo.currentIndexChanged.connect(self.changed)
        return combo

    def set_neighbourhoods(self, neighbourhoods: list[Record], street_id: int | None) -> None:
        """The 居委会 of one 街镇 (all of them for None), keeping the choice if it is still there."""
        self.neighbourhoods, self.street_id = neighbourhoods, street_id
        combo = self.neighbourhood
        current = combo.currentData()
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for item in neighbourhoods:
                if street_id is None or item.values.get("street_id") == street_id:
                    combo.addItem(item.title, item.id)
            combo.setCurrentIndex(max(combo.findData(current), 0))
        finally:
            combo.blockSignals(False)

    def clear(self) -> None:
        """Every narrower filter back to 全部, without reading the list."""
        self.blockSignals(True)
        try:
            for combo in (self.neighbourhood, self.housing_type, self.committee_state, self.warning_level):
                combo.setCurrentIndex(0)
            self.completeness.setValue(0)
        finally:
            self.blockSignals(False)

    def narrow(self, base: ListFilter) -> ListFilter:
        level = self.warning_level.currentData()
        below = self.completeness.value()
        return replace(
            base,
            neighbourhood_id=self.neighbourhood.currentData(),
            housing_type=self.housing_type.currentData(),
            committee_state=self.committee_state.currentData(),
            warning_level=level if isinstance(level, WarningLevel) else None,
            completeness_below=below or None,
        )


class EstatePage(RegisterPage):
    def __init__(self, context: PageContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(context, ESTATES, title, parent=parent)
        self.filters = EstateFilters(self)
        self.filters.changed.connect(self.refresh)
        self.layout_.insertWidget(2, self.filters)  # under the title and the record commands
        self.street_filter.currentIndexChanged.connect(self._street_chosen)
        self._neighbourhoods_asked = False
        self.panel = EstatePanel(self)
        self.panel.open_detail_requested.connect(self.open_detail)
        self.panel.print_requested.connect(self.print_dossier)
        self.panel.save_pdf_requested.connect(self.save_dossier_pdf)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 320])
        self.current_record_changed.connect(self._estate_selected)
        self._sections_task: Task | None = None
        # Holding ↓ in the list should not start a count for every estate passed on the way.
        self._sections_timer = QTimer(self)
        self._sections_timer.setSingleShot(True)
        self._sections_timer.setInterval(SECTIONS_DELAY_MS)
        self._sections_timer.timeout.connect(self._count_sections)

        self.dossier_task: LongTask | None = None
        self.preview_dialog: DossierPreviewDialog | None = None
        self.print_action = QAction(self.tr("打印档案(&P)…"), self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_dossier)
        self.save_pdf_action = QAction(self.tr("导出档案 PDF(&D)…"), self)
        self.save_pdf_action.triggered.connect(self.save_dossier_pdf)
        for action in (self.print_action, self.save_pdf_action):
            action.setEnabled(False)  # until an estate is chosen
        self.addAction(self.print_action)  # Ctrl+P while the page is shown
        # The list's context menu: the same commands as the panel's buttons.
        detail_action = QAction(self.tr("打开档案(&O)…"), self)
        detail_action.triggered.connect(self.open_detail)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.insertAction(self.view.actions()[0], detail_action)  # the estate's own window comes first
        self.view.addActions([self.print_action, self.save_pdf_action])

    def list_filter(self) -> ListFilter:
        return self.filters.narrow(super().list_filter())

    def clear_filters(self, street_id: int | None) -> None:
        super().clear_filters(street_id)
        self.filters.clear()

    def activate(self) -> None:
        if not self._neighbourhoods_asked:
            self._neighbourhoods_asked = True
            records = self.context.services.records
            self.context.runner.run(
                lambda _progress: records.list("neighbourhoods", order_by=("street_id", "name")),
                on_result=lambda found: self.filters.set_neighbourhoods(found, self.street_id),
                description=self.tr("读取居委会"),
                parent=self,
            )
        super().activate()

    def _street_chosen(self) -> None:
        self.filters.set_neighbourhoods(self.filters.neighbourhoods, self.street_id)

    def depends_on(self, changes: Changes) -> bool:
        estate_id = self.panel.estate_id
        return super().depends_on(changes) or (estate_id is not None and changes.touches_estate(estate_id))

    def follow_changes(self, changes: Changes) -> None:
        super().follow_changes(changes)
        estate_id = self.panel.estate_id
        if estate_id is not None and changes.touches_estate(estate_id):
            self._sections_timer.start()  # what its dossier holds has changed

    def _estate_selected(self, record: Record | None) -> None:
        self.panel.show_estate(record)
        self.print_action.setEnabled(record is not None)
        self.save_pdf_action.setEnabled(record is not None)
        if self._sections_task is not None:
            self._sections_task.cancel()
            self._sections_task = None
        self._sections_timer.stop()
        if record is not None:
            self._sections_timer.start()

    def _count_sections(self) -> None:
        estate_id = self.panel.estate_id
        if estate_id is None:
            return
        overview = self.context.services.overview
        self._sections_task = self.context.runner.run(
            lambda _progress: overview.estate_sections(estate_id),
            on_result=lambda sections: self._show_sections(estate_id, sections),
            description=self.tr("统计小区档案内容"),
            parent=self,
        )

    def _show_sections(self, estate_id: int, sections: list[SectionCount]) -> None:
        self._sections_task = None
        if self.panel.estate_id != estate_id:
            return
        counts = []
        for section in sections:
            register = REGISTERS.get(section.key)
            label = register.label if register is not None else section.label
            counts.append((section.key, label, section.count))
        self.panel.show_sections(counts)

    # -- the dossier -------------------------------------------------------------------------

    def print_dossier(self) -> LongTask | None:
        """Ctrl+P: the selected estate's dossier in a print preview, generated in the background."""
        record = self.current_record()
        if record is None:
            return None
        estate_id, title = record.id, self.tr("{name} 小区档案").format(name=record.title)
        dossiers = self.context.services.dossiers
        self.dossier_task = run_long_task(
            self,
            self.context.runner,
            lambda _progress: dossiers.pdf_bytes(estate_id, today=date.today()),
            title=self.tr("打印档案"),
            label=self.tr("正在生成“{title}”…").format(title=title),
            on_result=lambda pdf: self.show_preview(pdf, title),
        )
        return self.dossier_task

    def show_preview(self, pdf: bytes, title: str) -> DossierPreviewDialog:
        from putuo_community.gui.dossier_preview import DossierPreviewDialog  # QtPdf loads with the first preview

        if self.preview_dialog is not None:  # one at a time
            self.preview_dialog.close()
        dialog = DossierPreviewDialog(pdf, title, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._preview_gone)
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    def _preview_gone(self) -> None:
        self.preview_dialog = None

    def save_dossier_pdf(self) -> LongTask | None:
        """The selected estate's dossier saved as a PDF file where the clerk chooses."""
        record = self.current_record()
        if record is None:
            return None
        estate_id, name, today = record.id, record.title, date.today()
        dossiers = self.context.services.dossiers

        def work(path: Path, _progress: Progress) -> tuple[Path, int]:
            return path, dossiers.write(estate_id, path, today=today)

        def announce(result: tuple[Path, int]) -> str:
            path, pages = result
            return self.tr("已导出“{name}”的档案，共 {pages} 页：\n{path}").format(name=name, pages=pages, path=path)

        task = export_to_file(
            self,
            self.context.runner,
            work,
            dialog_title=self.tr("导出档案 PDF"),
            file_name=safe_file_name(
                self.tr("{name}小区档案-{date}").format(name=name, date=today.isoformat()), ".pdf"
            ),
            suffix=".pdf",
            file_filter=self.tr("PDF 文件 (*.pdf)"),
            progress_label=self.tr("正在生成“{name}”的档案…").format(name=name),
            announce=announce,
            on_status=self.show_message,
        )
        self.dossier_task = task or self.dossier_task
        return task
