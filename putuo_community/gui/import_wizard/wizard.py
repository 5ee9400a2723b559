"""The import wizard: file → preview → column mapping → dry run → import → summary.

Everything slow runs in the background; nothing is written before the 导入 step, so
cancelling earlier leaves the database as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from putuo_community.gui.import_wizard.check_page import CheckPage
from putuo_community.gui.import_wizard.common import ImportSession, StepPage
from putuo_community.gui.import_wizard.finish_pages import CommitPage, SummaryPage
from putuo_community.gui.import_wizard.mapping_page import MappingPage
from putuo_community.gui.import_wizard.preview_page import PreviewPage
from putuo_community.gui.import_wizard.source_page import SourcePage
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services import Services


class ImportWizard(QWizard):
    # The import was written (an ImportResult); the 导入 page refreshes its lists.
    imported = Signal(object)

    def __init__(self, services: Services, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入台账"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self._set_button_texts()
        self.session = ImportSession(services.imports)
        self.source_page = SourcePage(self.session, runner, self)
        self.preview_page = PreviewPage(self.session, runner, self)
        self.mapping_page = MappingPage(self.session, runner, self)
        self.check_page = CheckPage(self.session, runner, self)
        self.commit_page = CommitPage(self.session, runner, self)
        self.summary_page = SummaryPage(self.session, runner, self)
        for page in self.steps:
            self.addPage(page)
        self.resize(QSize(980, 680))
        self.setMinimumSize(QSize(720, 520))

    @property
    def steps(self) -> tuple[StepPage, ...]:
        return (
            self.source_page,
            self.preview_page,
            self.mapping_page,
            self.check_page,
            self.commit_page,
            self.summary_page,
        )

    def _set_button_texts(self) -> None:
        # Set here rather than left to Qt's translation, which a test run or a missing qtbase_zh_CN would not have.
        texts = {
            QWizard.WizardButton.BackButton: self.tr("< 上一步(&B)"),
            QWizard.WizardButton.NextButton: self.tr("下一步(&N) >"),
            QWizard.WizardButton.CommitButton: self.tr("开始导入(&I)"),
            QWizard.WizardButton.FinishButton: self.tr("完成"),
            QWizard.WizardButton.CancelButton: self.tr("取消"),
        }
        for button, text in texts.items():
            self.setButtonText(button, text)

    @property
    def committing(self) -> bool:
        return self.commit_page.committing

    def done(self, result: int) -> None:
        if self.committing:
            return  # the write runs to its end: all or nothing, never half
        for page in self.steps:
            page.cancel_work()  # reads and dry runs only: dropping them writes nothing
        if self.session.result is not None and self.session.result.batch_id is not None:
            self.imported.emit(self.session.result)
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.committing:
            event.ignore()
            return
        super().closeEvent(event)
