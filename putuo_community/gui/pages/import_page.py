"""The 导入 page: start the import wizard, download blank templates, see and undo recent imports."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.accounts import Action
from putuo_community.domain.errors import UserError
from putuo_community.gui.i18n import translator
from putuo_community.gui.models import Column, RegisterSummaryModel, RowSortProxy, RowTableModel, native_sort_value
from putuo_community.gui.pages.base import Page, PageContext
from putuo_community.gui.widgets import make_table_view, size_columns
from putuo_community.services.batches import BatchInfo
from putuo_community.services.importing import IMPORT_KINDS
from putuo_community.services.overview import RegisterSummary
from putuo_community.services.templates import write_import_template

if TYPE_CHECKING:
    from putuo_community.gui.import_wizard import ImportWizard

log = logging.getLogger(__name__)

UNDONE_COLOUR = QColor("#9e9e9e")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


_tr = translator("ImportPage")


def _time_text(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def _batch_state(batch: BatchInfo) -> str:
    if batch.undone_at is None:
        return _tr("有效")
    return _tr("已撤销（{time}）").format(time=_time_text(batch.undone_at))


class BatchTableModel(RowTableModel):
    """Import batches, newest first; undone ones grey."""

    def __init__(self, parent: Any = None) -> None:
        tr = _tr
        super().__init__(
            (
                Column(tr("批次"), lambda b: str(b.id), lambda b: float(b.id), alignment=_RIGHT, width_chars=6),
                Column(tr("时间"), lambda b: _time_text(b.started_at), lambda b: b.started_at, width_chars=16),
                Column(tr("操作人"), lambda b: b.user, lambda b: b.user or None, width_chars=10),
                Column(
                    tr("说明"),
                    lambda b: b.description,
                    lambda b: b.description,
                    tooltip=lambda b: b.description,
                    width_chars=44,
                ),
                Column(
                    tr("变更数"),
                    lambda b: f"{b.changes:,}",
                    lambda b: float(b.changes),
                    alignment=_RIGHT,
                    width_chars=8,
                ),
                Column(
                    tr("状态"),
                    _batch_state,
                    lambda b: native_sort_value(b.undone_at),
                    width_chars=22,
                ),
                Column(
                    tr("内容"),
                    lambda b: b.summary,
                    lambda b: b.summary or None,
                    tooltip=lambda b: b.summary,
                    width_chars=30,
                ),
            ),
            parent,
        )

    def row_foreground(self, row_object: Any) -> QColor | None:
        return UNDONE_COLOUR if row_object.undone_at is not None else None


class ImportPage(Page):
    def __init__(self, context: PageContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(context, title, self_description(), parent)
        self.wizard: ImportWizard | None = None

        explanation = QLabel(
            self.tr(
                "选择台账类型和 Excel/CSV 文件后，程序先逐行核对并列出每一行将新增、更新还是有错误，"
                "确认后才写入；写入是一次完成的，每次导入记为一个批次，发现有误可整批撤销。"
                "没有现成台账时，可先下载空白模板填写。"
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.layout_.addWidget(explanation)

        self.import_button = QPushButton(self.tr("导入台账(&I)…"), self)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.open_wizard)
        self.template_button = QPushButton(self.tr("下载空白模板(&T)…"), self)
        self.template_menu = QMenu(self.template_button)
        self.template_actions: dict[str, QAction] = {}
        for kind in IMPORT_KINDS.values():
            action = self.template_menu.addAction(self.tr("{kind}导入模板").format(kind=kind.label))
            action.setData(kind.key)
            action.triggered.connect(self._template_chosen)
            self.template_actions[kind.key] = action
        self.template_button.setMenu(self.template_menu)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        self.layout_.addWidget(self.message_label)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_batches_tab(), self.tr("最近的导入"))
        self.tabs.addTab(self._build_overview_tab(), self.tr("各台账记录数"))
        self.layout_.addWidget(self.tabs, 1)
        self.setFocusProxy(self.import_button)
        self.writes = context.writes
        self.writes.changed.connect(self._batch_chosen)
        self._batch_chosen()

    def _build_batches_tab(self) -> QWidget:
        tab = QWidget(self)
        self.batch_model = BatchTableModel(self)
        self.batch_proxy = RowSortProxy(self)
        self.batch_proxy.setSourceModel(self.batch_model)
        self.batch_view = make_table_view(tab)
        self.batch_view.setModel(self.batch_proxy)
        self.batch_view.setAccessibleName(self.tr("最近的导入"))
        size_columns(self.batch_view, self.batch_model)
        self.batch_view.verticalHeader().hide()  # the 批次 column numbers the rows
        self.batch_view.selectionModel().currentRowChanged.connect(self._batch_chosen)
        self.undo_button = QPushButton(self.tr("撤销此次导入(&U)…"), tab)
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_selected)
        note = QLabel(self.tr("撤销会删除这批导入新增的记录、把它修改过的记录恢复原值。"), tab)
        note.setWordWrap(True)
        note.setStyleSheet("color: #666666;")
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(note, 1)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.batch_view, 1)
        layout.addLayout(row)
        return tab

    def _build_overview_tab(self) -> QWidget:
        tab = QWidget(self)
        self.overview_model = RegisterSummaryModel(self)
        self.overview_proxy = RowSortProxy(self)
        self.overview_proxy.setSourceModel(self.overview_model)
        self.overview_view = make_table_view(tab)
        self.overview_view.setModel(self.overview_proxy)
        size_columns(self.overview_view, self.overview_model)
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel(self.tr("各台账目前的记录数，导入前后可对照核对。"), tab))
        layout.addWidget(self.overview_view, 1)
        return tab

    # -- Page ------------------------------------------------------------------------------

    def refresh(self) -> None:
        services = self.context.services
        self.start_load(
            lambda: (services.batches.list(kind="导入"), services.overview.registers()),
            self._show,
            description=self.tr("读取导入批次"),
        )

    def _show(self, loaded: tuple[list[BatchInfo], list[RegisterSummary]]) -> None:
        batches, summaries = loaded
        selected = self.selected_batch()
        self.batch_model.set_rows(batches)
        self.overview_model.set_rows(summaries)
        self._fit_overview_width()
        if selected is not None:
            self.select_batch(selected.id)
        self._batch_chosen()
        total = sum(s.count for s in summaries)
        self.set_status(
            self.tr("最近 {batches} 次导入；{registers} 个台账，共 {total} 条记录").format(
                batches=len(batches), registers=len(summaries), total=f"{total:,}"
            )
        )

    def _fit_overview_width(self) -> None:
        # As wide as its columns (once its rows are in): a three-column table stretched across is hard to read.
        view = self.overview_view
        view.setMaximumWidth(
            sum(view.columnWidth(c) for c in range(self.overview_model.columnCount()))
            + view.verticalHeader().sizeHint().width()
            + view.verticalScrollBar().sizeHint().width()
            + 2 * view.frameWidth()
            + 2
        )

    # -- the wizard ------------------------------------------------------------------------

    def open_wizard(self) -> ImportWizard:
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            return self.wizard
        from putuo_community.gui.import_wizard import ImportWizard  # loads with the first import, not at start

        wizard = ImportWizard(self.context.services, self.context.runner, self.window())
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self._imported)
        wizard.destroyed.connect(self._wizard_gone)
        self.wizard = wizard
        wizard.open()
        return wizard

    def _imported(self, _result: object) -> None:
        self.tabs.setCurrentIndex(0)  # the new batch: the import's changes bring it to the list

    def _wizard_gone(self) -> None:
        self.wizard = None

    # -- templates -------------------------------------------------------------------------

    def _template_chosen(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.save_template(str(action.data()))

    def save_template(self, kind_key: str) -> None:
        kind = IMPORT_KINDS[kind_key]
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("保存空白模板"),
            self.tr("{kind}导入模板.xlsx").format(kind=kind.label),
            self.tr("Excel (*.xlsx)"),
        )
        if not name:
            return
        path = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        self.context.runner.run(
            lambda _progress: write_import_template(kind_key, path),
            on_result=self._template_saved,
            on_error=self._show_refusal,
            description=self.tr("生成空白模板"),
            parent=self,
        )

    def _template_saved(self, path: Path) -> None:
        self.show_message(self.tr("空白模板已保存：{path}").format(path=path))

    # -- undo ------------------------------------------------------------------------------

    def selected_batch(self) -> BatchInfo | None:
        index = self.batch_view.currentIndex()
        if not index.isValid():
            return None
        batch: BatchInfo = self.batch_proxy.row_object(index.row())
        return batch

    def select_batch(self, batch_id: int) -> bool:
        for row in range(self.batch_proxy.rowCount()):
            if self.batch_proxy.row_object(row).id == batch_id:
                self.batch_view.setCurrentIndex(self.batch_proxy.index(row, 0))
                return True
        return False

    def batches(self) -> list[BatchInfo]:
        return [self.batch_proxy.row_object(row) for row in range(self.batch_proxy.rowCount())]

    def _batch_chosen(self, *_args: QModelIndex) -> None:
        batch = self.selected_batch()
        self.writes.follow(self.import_button, action=Action.IMPORT)
        self.writes.follow(self.undo_button, batch is not None and batch.undone_at is None, Action.UNDO)

    def undo_selected(self) -> None:
        batch = self.selected_batch()
        if batch is None or batch.undone_at is not None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("撤销此次导入"),
            self.tr(
                "撤销批次 {id}（{time}，{user}）？\n\n{description}\n\n"
                "这批导入新增的记录将被删除，修改过的记录恢复原值。"
                "如果导入之后又有人修改或补充过这些记录，撤销会被拒绝，数据不变。"
            ).format(id=batch.id, time=_time_text(batch.started_at), user=batch.user, description=batch.description),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        batches, batch_id = self.context.services.batches, batch.id
        self.undo_button.setEnabled(False)
        self.context.runner.run(
            lambda _progress: batches.undo(batch_id),
            on_result=lambda count: self._undone(batch_id, count),
            on_error=self._show_refusal,
            description=self.tr("撤销导入"),
            parent=self,
        )

    def _undone(self, batch_id: int, count: int) -> None:
        self.show_message(self.tr("已撤销批次 {id}：删除或恢复了 {count} 条记录。").format(id=batch_id, count=count))

    def _show_refusal(self, error: BaseException) -> bool:
        self._batch_chosen()
        if not isinstance(error, UserError):
            return False  # a bug: the crash path
        log.info("import page: %s", error.message)
        QMessageBox.warning(self, self.tr("无法完成操作"), error.message)
        return True

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))


def self_description() -> str:
    return QCoreApplication.translate("ImportPage", "把街镇现有的 Excel/WPS 台账导入本数据库")
