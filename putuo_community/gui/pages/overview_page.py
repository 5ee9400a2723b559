"""The 导入 and 导出 pages: what each register holds now (台账, 记录数, 最近更新)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from putuo_community.gui.models import RegisterSummaryModel, RowSortProxy
from putuo_community.gui.pages.base import Page, PageContext
from putuo_community.gui.widgets import make_table_view, size_columns
from putuo_community.services.overview import RegisterSummary


class OverviewPage(Page):
    def __init__(self, context: PageContext, title: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(context, title, parent=parent)
        self.explanation = QLabel(explanation, self)
        self.explanation.setWordWrap(True)
        self.layout_.addWidget(self.explanation)

        self.model = RegisterSummaryModel(self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        size_columns(self.view, self.model)
        self._columns_width = sum(self.view.columnWidth(c) for c in range(self.model.columnCount()))
        self.layout_.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

    def refresh(self) -> None:
        overview = self.context.services.overview
        self.start_load(overview.registers, self._show_summaries, description=self.tr("统计各台账"))

    def _show_summaries(self, summaries: list[RegisterSummary]) -> None:
        self.model.set_rows(summaries)
        # As wide as its columns: a three-column table stretched across the page is hard to read.
        self.view.setMaximumWidth(
            self._columns_width
            + self.view.verticalHeader().sizeHint().width()
            + self.view.verticalScrollBar().sizeHint().width()
            + 2 * self.view.frameWidth()
            + 2
        )
        total = sum(s.count for s in summaries)
        self.set_status(
            self.tr("{registers} 个台账，共 {total} 条记录").format(registers=len(summaries), total=f"{total:,}")
        )
