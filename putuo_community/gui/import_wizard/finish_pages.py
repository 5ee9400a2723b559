"""Steps 5 and 6: write the accepted rows (all or nothing), then say what was done and offer the error rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCommandLinkButton, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget, QWizard

from putuo_community.gui.import_wizard.common import (
    LEFT_OUT_STYLE,
    NOTE_STYLE,
    ImportSession,
    StepPage,
    message_label,
)
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services.importing import ImportPlan, ImportResult, RowStatus

WARNING_STYLE = "QLabel { color: #8a4b00; background: #fff4e5; border: 1px solid #ffcc80; padding: 8px; }"


def report_file_name(plan: ImportPlan) -> str:
    return QCoreApplication.translate("SummaryPage", "{name}-错误行.xlsx").format(name=plan.source.path.stem)


class CommitPage(StepPage):
    def __init__(self, session: ImportSession, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.setTitle(self.tr("导入"))
        self.setSubTitle(self.tr("确认后写入数据库。写入是一次完成的：要么全部写入，要么一条也不写。"))
        self.setCommitPage(True)

        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setFont(enlarged_font(self.summary_label.font(), 1.1, bold=False))

        self.rejected_label = message_label(self)
        self.rejected_label.setStyleSheet(WARNING_STYLE)
        self.back_button = QCommandLinkButton(self.tr("返回改正(&R)"), self)
        self.back_button.setDescription(
            self.tr("本次不导入。回到上一步处理待确认的行或修改列对应；文件中的错误请在 Excel 中改正后重新导入。")
        )
        self.back_button.clicked.connect(self.go_back)
        self.only_valid_button = QCommandLinkButton(self.tr("只导入无误的行(&O)"), self)
        self.only_valid_button.clicked.connect(self.import_valid_rows)
        self.stopped_label = message_label(self)
        self.stopped_label.setObjectName("importStopped")
        self.stopped_label.setStyleSheet(NOTE_STYLE)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addSpacing(8)
        layout.addWidget(self.rejected_label)
        layout.addWidget(self.back_button)
        layout.addWidget(self.only_valid_button)
        layout.addStretch(1)
        layout.addWidget(self.busy)
        layout.addWidget(self.stopped_label)
        layout.addWidget(self.error_label)

    @property
    def plan(self) -> ImportPlan:
        assert self.session.plan is not None
        return self.session.plan

    def initializePage(self) -> None:
        plan = self.plan
        self.session.skip_rejected = False
        self.session.result = None
        new, update = plan.count(RowStatus.NEW), plan.count(RowStatus.UPDATE)
        source = plan.source
        text = self.tr("将导入“{kind}”台账（{file}，工作表“{sheet}”）：新增 {new} 条，更新 {update} 条。").format(
            kind=source.kind.label, file=source.path.name, sheet=source.sheet, new=f"{new:,}", update=f"{update:,}"
        )
        unchanged = plan.count(RowStatus.UNCHANGED)
        if unchanged:
            text += self.tr("另有 {count} 行与数据库一致，无需写入。").format(count=f"{unchanged:,}")
        if not plan.accepted:
            text += self.tr("\n没有需要写入的行。")
        self.summary_label.setText(text)
        rejected = plan.rejected
        if rejected:
            self.rejected_label.setText(
                self.tr("有 {count} 行不能导入（错误 {errors} 行，待确认 {confirm} 行）。请选择：").format(
                    count=f"{len(rejected):,}",
                    errors=f"{plan.count(RowStatus.ERROR):,}",
                    confirm=f"{plan.count(RowStatus.CONFIRM):,}",
                )
            )
            self.only_valid_button.setDescription(
                self.tr("导入其余 {count} 行。不能导入的行在完成后可保存为 Excel 文件，改正后再导入。").format(
                    count=f"{len(plan.accepted):,}"
                )
            )
        for widget in (self.rejected_label, self.back_button, self.only_valid_button):
            widget.setVisible(bool(rejected))
        self.stopped_label.hide()
        self._set_buttons_enabled(True)

    def _set_buttons_enabled(self, enabled: bool) -> None:
        self.back_button.setEnabled(enabled)
        self.only_valid_button.setEnabled(enabled and bool(self.plan.accepted))
        wizard = self.wizard()
        if isinstance(wizard, QWizard):  # nothing may interrupt the write once it started
            wizard.button(QWizard.WizardButton.CancelButton).setEnabled(enabled)
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(enabled)

    def isComplete(self) -> bool:
        # With rows that cannot be imported, the clerk must choose one of the two buttons.
        return not self.working and (not self.plan.rejected or self.session.skip_rejected)

    def validatePage(self) -> bool:
        if self.session.result is not None:
            return True
        if self.working or not self.isComplete():
            return False
        imports, plan, skip = self.session.imports, self.plan, self.session.skip_rejected
        self.stopped_label.hide()
        self.run_counted(
            lambda progress: imports.commit(plan, skip_rejected=skip, progress=progress),
            self._committed,
            busy_text=self.tr("正在写入数据库，请稍候…"),
            description=self.tr("导入台账"),
            doing=self.tr("已写入"),
            cancel_text=self.tr("取消导入(&C)"),
            on_stopped=self._commit_stopped,
            wait_for_stop=True,  # the service rolls back first: only then is it true that nothing was written
        )
        if self.working:  # not when the runner refused because the window is closing
            self._set_buttons_enabled(False)
        return False

    def cleanupPage(self) -> None:
        self.session.skip_rejected = False

    # -- the two choices ------------------------------------------------------------------------

    def go_back(self) -> None:
        wizard = self.wizard()
        if isinstance(wizard, QWizard):
            wizard.back()

    def import_valid_rows(self) -> None:
        self.session.skip_rejected = True
        self.completeChanged.emit()
        self.go_on()

    # -- committing -----------------------------------------------------------------------------

    @property
    def committing(self) -> bool:
        return self.working

    def _committed(self, result: ImportResult) -> None:
        self.session.result = result
        self.go_on()

    def _commit_stopped(self) -> None:
        self.session.skip_rejected = False  # with rows left out, the clerk chooses again
        self.stopped_label.setText(self.tr("已取消导入，没有写入任何数据。可以重新开始导入，或返回上一步。"))
        self.stopped_label.show()
        self.completeChanged.emit()

    def _finish(self) -> None:
        super()._finish()
        if self.session.result is None:
            self._set_buttons_enabled(True)


class SummaryPage(StepPage):
    def __init__(self, session: ImportSession, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.setTitle(self.tr("导入完成"))
        self.saved_path: Path | None = None

        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setFont(enlarged_font(self.result_label.font(), 1.15))
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.batch_label = QLabel(self)
        self.batch_label.setWordWrap(True)
        self.batch_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.left_out_label = message_label(self)
        self.left_out_label.setObjectName("leftOutColumns")
        self.left_out_label.setStyleSheet(LEFT_OUT_STYLE)
        self.skipped_label = message_label(self)
        self.skipped_label.setStyleSheet(WARNING_STYLE)
        self.save_button = QPushButton(self.tr("保存错误行(&S)…"), self)
        self.save_button.clicked.connect(self.choose_report_path)
        self.saved_label = message_label(self)
        self.saved_label.setStyleSheet(NOTE_STYLE)

        layout = QVBoxLayout(self)
        layout.addWidget(self.result_label)
        layout.addWidget(self.batch_label)
        layout.addSpacing(10)
        layout.addWidget(self.left_out_label)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.saved_label)
        layout.addStretch(1)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)

    def initializePage(self) -> None:
        result = self.session.result
        plan = self.session.plan
        assert result is not None
        assert plan is not None
        self.result_label.setText(self.tr("导入结果：{summary}").format(summary=result.summary()))
        if result.batch_id is not None:
            self.batch_label.setText(
                self.tr(
                    "批次编号：{batch}。如发现导入有误，可在“导入”页的“最近的导入”中选中这一批，点“撤销此次导入”。"
                ).format(batch=result.batch_id)
            )
        else:
            self.batch_label.setText(self.tr("没有写入任何数据。"))
        left_out = plan.unmapped_text()
        self.left_out_label.setText(self.tr("{columns}。这些列的内容没有导入。").format(columns=left_out))
        self.left_out_label.setVisible(bool(left_out))
        skipped = len(result.skipped)
        if skipped:
            self.skipped_label.setText(
                self.tr(
                    "有 {count} 行未导入。建议保存错误行：保存的 Excel 文件保留这些行的原值并注明原因，"
                    "改正后可以直接再导入。"
                ).format(count=f"{skipped:,}")
            )
        self.skipped_label.setVisible(bool(skipped))
        self.save_button.setVisible(bool(plan.rejected))
        self.saved_label.hide()
        if skipped:
            self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_report_path(self) -> None:
        plan = self.session.plan
        assert plan is not None
        suggested = str(plan.source.path.with_name(report_file_name(plan)))
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("保存错误行"), suggested, self.tr("Excel (*.xlsx)"))
        if name:
            path = Path(name)
            self.save_report(path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx"))

    def save_report(self, path: Path) -> None:
        imports, plan = self.session.imports, self.session.plan
        assert plan is not None
        self.save_button.setEnabled(False)

        def saved(count: int) -> None:
            self.saved_path = path
            self.save_button.setEnabled(True)
            self.saved_label.setText(self.tr("已把 {count} 行保存到：{path}").format(count=count, path=path))
            self.saved_label.show()

        self.run_in_background(
            lambda: imports.write_report(plan, path),
            saved,
            busy_text=self.tr("正在保存错误行…"),
            description=self.tr("保存错误行"),
        )

    def _finish(self) -> None:
        super()._finish()
        self.save_button.setEnabled(True)
