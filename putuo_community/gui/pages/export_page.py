"""The 导出 page: Excel ledgers (台账), the district summary (汇总表) and batches of estate dossiers (PDF).

Below the three, the register overview of `OverviewPage`: how many records each register
holds and when it last changed. `export_ledger` is also what a register page's 导出台账
button runs, with the page's own 街镇 filter and search text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.accounts import Action
from putuo_community.domain.file_names import safe_file_name
from putuo_community.gui.i18n import translator
from putuo_community.gui.long_task import LongTask, export_to_file, export_to_folder
from putuo_community.gui.pages.base import PageContext, fill_street_combo, own_street_only, street_combo
from putuo_community.gui.pages.overview_page import OverviewPage
from putuo_community.gui.worker import Progress, Task
from putuo_community.services import Record
from putuo_community.services.dossier import BatchFailure, BatchResult
from putuo_community.services.importing import IMPORT_KINDS
from putuo_community.services.ledgers import LedgerResult
from putuo_community.services.queries import street_filter_kind
from putuo_community.services.summary import SummaryReport

COUNT_DELAY_MS = 300  # wait for the clerk to stop typing before counting


_tr = translator("ExportPage")


def has_street(kind_key: str) -> bool:
    """Whether a kind's ledger can be narrowed to one 街镇 (物业企业 and 项目经理 cannot)."""
    return bool(street_filter_kind(IMPORT_KINDS[kind_key].register))


def has_personal_data(kind_key: str) -> bool:
    return any(f.personal for f in IMPORT_KINDS[kind_key].register.fields)


def export_ledger(
    parent: QWidget,
    context: PageContext,
    kind_key: str,
    *,
    street_id: int | None,
    street_name: str,
    search: str,
    include_personal: bool,
    on_status: Callable[[str], None],
    ids: frozenset[int] | None = None,
    ids_label: str = "",
) -> LongTask | None:
    """Ask where, write the ledger behind a progress dialog, then say how many records went where.

    `ids`: only these records (a list opened from a figure of the 概览 page, named by `ids_label`)."""
    kind = IMPORT_KINDS[kind_key]
    if not has_street(kind_key):
        street_id = None
    scope = street_name if street_id is not None else _tr("普陀区")
    if ids is not None and ids_label:
        scope = _tr("{scope}（{label}）").format(scope=scope, label=ids_label)
    today = date.today()
    ledgers = context.services.ledgers
    search = search.strip()
    personal = include_personal and has_personal_data(kind_key)

    def work(path: Path, progress: Progress) -> LedgerResult:
        return ledgers.export(
            kind_key,
            path,
            today=today,
            street_id=street_id,
            search=search,
            ids=ids,
            ids_label=ids_label,
            include_personal=personal,
            progress=lambda done, total: progress.report(done, total),
            cancelled=lambda: progress.cancelled,
        )

    def announce(result: LedgerResult) -> str:
        text = _tr("已导出 {rows} 条记录（{scope}{kind}台账）：\n{path}").format(
            rows=f"{result.rows:,}", scope=result.scope, kind=result.kind_label, path=result.path
        )
        if personal:
            text += _tr("\n文件中有完整的身份证号、手机号，请妥善保管。")
        return text

    return export_to_file(
        parent,
        context.runner,
        work,
        dialog_title=_tr("导出{kind}台账").format(kind=kind.label),
        file_name=safe_file_name(
            _tr("{scope}{kind}台账-{date}").format(scope=scope, kind=kind.label, date=today.isoformat()), ".xlsx"
        ),
        suffix=".xlsx",
        file_filter=_tr("Excel 工作簿 (*.xlsx)"),
        progress_label=_tr("正在导出{scope}{kind}台账…").format(scope=scope, kind=kind.label),
        announce=announce,
        on_status=on_status,
    )


def failures_said(failures: Sequence[BatchFailure], *, shown: int = 10) -> str:
    """The estates a batch could not print, for its message: the first few with their reasons."""
    if not failures:
        return ""
    lines = [_tr("\n\n{count} 个小区未能打印（目录中列有全部原因）：").format(count=len(failures))]
    lines += [_tr("{name}：{reason}").format(name=f.name, reason=f.reason) for f in failures[:shown]]
    if len(failures) > shown:
        lines.append(_tr("……另有 {more} 个").format(more=len(failures) - shown))
    return "\n".join(lines)


class ExportPage(OverviewPage):
    def __init__(self, context: PageContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(context, title, _tr("下表是各台账目前的记录数和最近一次更新的时间。"), parent)
        self.task: LongTask | None = None  # the export last started (tests wait on it)
        self._count_task: Task | None = None
        self._estates_task: Task | None = None
        self.ledger_count: int | None = None

        groups = QWidget(self)
        grid = QGridLayout(groups)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.addWidget(self._build_ledger_group(groups), 0, 0, 2, 1)
        grid.addWidget(self._build_summary_group(groups), 0, 1)
        grid.addWidget(self._build_dossier_group(groups), 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setObjectName("exportMessage")
        self.message_label.hide()

        # Above OverviewPage's explanation and table (the layout holds the header, the explanation, the table).
        self.layout_.insertWidget(1, groups)
        self.layout_.insertWidget(2, self.message_label)
        self.layout_.insertSpacing(3, 6)

        for first, second in (
            (self.kind_combo, self.street_combo),
            (self.street_combo, self.search_edit),
            (self.search_edit, self.personal_check),
            (self.personal_check, self.ledger_button),
            (self.ledger_button, self.summary_button),
            (self.summary_button, self.dossier_street),
            (self.dossier_street, self.dossier_button),
            (self.dossier_button, self.view),
        ):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.kind_combo)
        self._kind_changed()

    # -- construction ----------------------------------------------------------------------

    def _build_ledger_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Excel 台账"), parent)
        self.kind_combo = QComboBox(box)
        for kind in IMPORT_KINDS.values():
            self.kind_combo.addItem(self.tr("{kind}台账").format(kind=kind.label), kind.key)
        self.kind_combo.setMaxVisibleItems(len(IMPORT_KINDS))
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)

        self.street_combo = street_combo(box)
        self.street_combo.setToolTip(self.tr("只导出一个街镇的记录"))
        self.street_combo.currentIndexChanged.connect(self._schedule_count)

        self.search_edit = QLineEdit(box)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("只导出含这些文字的记录，可不填"))
        # Room for the hint when there is room; wider than that is no help.
        hint_width = self.search_edit.fontMetrics().horizontalAdvance(self.search_edit.placeholderText()) + 60
        self.search_edit.setMinimumWidth(min(hint_width, 200))
        self.search_edit.setMaximumWidth(max(hint_width, 360))
        self.search_edit.textChanged.connect(self._schedule_count)

        self.personal_check = QCheckBox(self.tr("包含完整的身份证号、手机号(&I)"), box)
        self.personal_check.setToolTip(
            self.tr(
                "不勾选时，身份证号、手机号只导出首尾几位（如 138****5678），适合报送和传阅；"
                "勾选后导出完整号码，请妥善保管导出的文件。"
            )
        )

        self.count_label = QLabel(box)
        self.count_label.setObjectName("ledgerCount")

        self.ledger_button = QPushButton(self.tr("导出台账(&E)…"), box)
        self.ledger_button.setToolTip(self.tr("导出的台账与导入模板的列相同，修改后可直接再导入"))
        self.ledger_button.clicked.connect(self.export_ledger)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)  # the text box, not the combos
        for text, widget in (
            (self.tr("台账(&K)："), self.kind_combo),
            (self.tr("街镇(&J)："), self.street_combo),
            (self.tr("包含文字(&W)："), self.search_edit),
        ):
            label = QLabel(text, box)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.personal_check)

        buttons = QHBoxLayout()
        buttons.addWidget(self.ledger_button)
        buttons.addSpacing(8)
        buttons.addWidget(self.count_label, 1)

        layout = QVBoxLayout(box)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)
        return box

    def _build_summary_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("全区汇总表"), parent)
        note = QLabel(
            self.tr(
                "按街镇统计小区数、业委会组建率和规范运作达标率、物业企业预警、电梯、"
                "修缮改造面积和维修资金，附全区合计和每项指标的计算口径。"
            ),
            box,
        )
        note.setWordWrap(True)
        self.summary_button = QPushButton(self.tr("导出汇总表(&U)…"), box)
        self.summary_button.clicked.connect(self.export_summary)
        layout = QVBoxLayout(box)
        layout.addWidget(note)
        layout.addWidget(self.summary_button, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _build_dossier_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("小区档案（PDF）"), parent)
        self.dossier_street = QComboBox(box)
        self.dossier_street.setPlaceholderText(self.tr("请选择街镇"))
        self.dossier_street.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.dossier_street.currentIndexChanged.connect(self._dossier_street_changed)
        street_label = QLabel(self.tr("街镇(&Z)："), box)
        street_label.setBuddy(self.dossier_street)

        self.dossier_button = QPushButton(self.tr("批量打印档案(&B)…"), box)
        self.dossier_button.setToolTip(self.tr("选择一个文件夹，把这个街镇每个小区的档案各存为一个 PDF 文件"))
        self.dossier_button.setEnabled(False)
        self.dossier_button.clicked.connect(self.print_dossiers)

        self.dossier_note = QLabel(box)
        self.dossier_note.setWordWrap(True)
        self._show_dossier_note(None)

        row = QHBoxLayout()
        row.addWidget(street_label)
        row.addWidget(self.dossier_street)
        row.addSpacing(8)
        row.addWidget(self.dossier_button)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.dossier_note)
        return box

    # -- Page ------------------------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        self._count()
        self._count_estates()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def set_streets(self, streets: list[Record]) -> None:
        fill_street_combo(self.street_combo, streets, own_only=own_street_only(self.context.services))
        current = self.dossier_street.currentData()
        self.dossier_street.blockSignals(True)
        try:
            self.dossier_street.clear()
            for street in streets:
                self.dossier_street.addItem(street.title, street.id)
            self.dossier_street.setCurrentIndex(self.dossier_street.findData(current) if current is not None else -1)
        finally:
            self.dossier_street.blockSignals(False)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # -- the ledger's filters --------------------------------------------------------------

    @property
    def kind_key(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def street_id(self) -> int | None:
        value = self.street_combo.currentData()
        return int(value) if value is not None and has_street(self.kind_key) else None

    def _kind_changed(self) -> None:
        key = self.kind_key
        own_only = own_street_only(self.context.services)
        self.street_combo.setEnabled(has_street(key) and not own_only)
        if not has_street(key):
            self.street_combo.setToolTip(self.tr("这类台账不分街镇，总是导出全区"))
        elif own_only:
            self.street_combo.setToolTip(self.tr("街镇经办人只导出本街镇的记录"))
        else:
            self.street_combo.setToolTip(self.tr("只导出一个街镇的记录"))
        personal = has_personal_data(key)
        self.context.writes.follow_right(self.personal_check, Action.EXPORT_PERSONAL, personal)
        if not self.personal_check.isEnabled():
            self.personal_check.setChecked(False)
        self._schedule_count()

    def _schedule_count(self) -> None:
        self.ledger_count = None  # the filters changed: the last count no longer holds
        if self.has_loaded or self.loading:  # not before the page is first shown
            self._count_timer.start()

    def _count(self) -> None:
        self._count_timer.stop()
        if self._count_task is not None:
            self._count_task.cancel()
        ledgers = self.context.services.ledgers
        key, street_id, search = self.kind_key, self.street_id, self.search_edit.text().strip()
        self.ledger_count = None
        self.count_label.setText(self.tr("正在统计…"))
        self._count_task = self.context.runner.run(
            lambda _progress: ledgers.count(key, street_id=street_id, search=search),
            on_result=self._show_count,
            description=self.tr("统计要导出的记录"),
            parent=self,
        )

    def _show_count(self, count: int) -> None:
        self._count_task = None
        self.ledger_count = count
        if count:
            self.count_label.setText(self.tr("将导出 {count} 条记录").format(count=f"{count:,}"))
        else:
            self.count_label.setText(self.tr("没有符合条件的记录"))

    # -- commands --------------------------------------------------------------------------

    def export_ledger(self) -> LongTask | None:
        if self.ledger_count == 0:  # known to be empty: no save dialog, no file (the service refuses it too)
            scope = self.street_combo.currentText() if self.street_id is not None else self.tr("普陀区")
            self.show_message(
                self.tr("{scope}没有符合条件的{kind}记录，没有可导出的内容，未生成文件。").format(
                    scope=scope, kind=IMPORT_KINDS[self.kind_key].label
                )
            )
            return None
        task = export_ledger(
            self,
            self.context,
            self.kind_key,
            street_id=self.street_id,
            street_name=self.street_combo.currentText(),
            search=self.search_edit.text(),
            include_personal=self.personal_check.isChecked(),
            on_status=self.show_message,
        )
        self.task = task or self.task
        return task

    def export_summary(self) -> LongTask | None:
        summary = self.context.services.summary
        today = date.today()

        def work(path: Path, _progress: Progress) -> tuple[Path, SummaryReport]:
            return path, summary.export(path, today=today)

        def announce(result: tuple[Path, SummaryReport]) -> str:
            return self.tr("已导出全区汇总表（统计截至 {date}）：\n{path}").format(
                date=today.isoformat(), path=result[0]
            )

        task = export_to_file(
            self,
            self.context.runner,
            work,
            dialog_title=self.tr("导出全区汇总表"),
            file_name=self.tr("普陀区小区管理汇总表-{date}.xlsx").format(date=today.isoformat()),
            suffix=".xlsx",
            file_filter=self.tr("Excel 工作簿 (*.xlsx)"),
            progress_label=self.tr("正在统计并导出全区汇总表…"),
            announce=announce,
            on_status=self.show_message,
        )
        self.task = task or self.task
        return task

    def print_dossiers(self) -> LongTask | None:
        street_id = self.dossier_street.currentData()
        if street_id is None:
            return None
        street, today = self.dossier_street.currentText(), date.today()
        dossiers = self.context.services.dossiers
        step = self.tr("正在生成{street}的小区档案：{done} / {total}")

        def work(folder: Path, progress: Progress) -> BatchResult:
            return dossiers.write_street(
                int(street_id),
                folder,
                today=today,
                progress=lambda done, total: progress.report(
                    done, total, step.format(street=street, done=done, total=total)
                ),
                cancelled=lambda: progress.cancelled,
            )

        def announce(result: BatchResult) -> str:
            text = self.tr(
                "已生成{street} {count} 个小区的档案，共 {pages} 页，目录为“{index}”。\n文件夹：{folder}"
            ).format(
                street=street,
                count=len(result.files),
                pages=f"{result.pages:,}",
                index=result.index.name,
                folder=result.folder,
            )
            return text + failures_said(result.failures)

        task = export_to_folder(
            self,
            self.context.runner,
            work,
            dialog_title=self.tr("批量打印{street}小区档案").format(street=street),
            progress_label=self.tr("正在生成{street}的小区档案…").format(street=street),
            announce=announce,
            on_status=self.show_message,
        )
        self.task = task or self.task
        return task

    # -- the dossier batch's 街镇 ----------------------------------------------------------

    def _dossier_street_changed(self) -> None:
        self._count_estates()

    def _count_estates(self) -> None:
        street_id = self.dossier_street.currentData()
        if self._estates_task is not None:
            self._estates_task.cancel()
            self._estates_task = None
        if street_id is None:
            self._show_dossier_note(None)
            return
        ledgers = self.context.services.ledgers
        self.dossier_button.setEnabled(False)
        self._estates_task = self.context.runner.run(
            lambda _progress: ledgers.count("estates", street_id=int(street_id)),
            on_result=self._show_dossier_note,
            description=self.tr("统计街镇的小区"),
            parent=self,
        )

    def _show_dossier_note(self, estates: int | None) -> None:
        self._estates_task = None
        if estates is None:
            self.dossier_button.setEnabled(False)
            text = self.tr("选择街镇后，每个小区的档案各存为一个 PDF 文件，另附一份目录，可再逐份打印。")
        elif estates == 0:
            self.dossier_button.setEnabled(False)
            text = self.tr("{street}还没有登记小区。").format(street=self.dossier_street.currentText())
        else:
            self.dossier_button.setEnabled(True)
            text = self.tr("{street}共 {count} 个小区：每个小区的档案各存为一个 PDF 文件，另附一份目录。").format(
                street=self.dossier_street.currentText(), count=f"{estates:,}"
            )
        self.dossier_note.setText(text)
