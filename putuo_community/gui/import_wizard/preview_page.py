"""Step 2: the table as the program found it: header lines shaded, the lines it leaves out listed."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QVBoxLayout, QWidget

from putuo_community.gui.i18n import translator
from putuo_community.gui.import_wizard.common import NOTE_STYLE, ImportSession, StepPage
from putuo_community.gui.import_wizard.models import LineRole, SheetLine, SheetPreviewModel, column_letter
from putuo_community.gui.widgets import make_table_view
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services.importing import ImportSource

PREVIEW_LINES = 50
MAX_COLUMN_WIDTH = 220


_tr = translator("PreviewPage")


def header_cells(source: ImportSource) -> list[tuple[object, ...]]:
    """The header lines as the sheet shows them: a group's text in its first column, sub-headers below."""
    table = source.table
    width = max((c.index for c in table.columns), default=-1) + 1
    lines: list[list[object]] = [[None] * width for _ in table.header_lines]
    previous_group = ""
    for column in table.columns:
        if len(lines) == 1:
            lines[0][column.index] = column.text or None
        elif column.group:
            if column.group != previous_group:
                lines[0][column.index] = column.group
            lines[1][column.index] = column.sub
        else:
            lines[0][column.index] = column.text or None  # one header merged down over both lines
        previous_group = column.group
    return [tuple(line) for line in lines]


def preview_lines(source: ImportSource, limit: int = PREVIEW_LINES) -> list[SheetLine]:
    """The first lines of the sheet: titles above the header (as one row), header, data and skipped lines."""
    table = source.table
    lines: list[SheetLine] = []
    first_header = table.header_lines[0]
    if first_header > 1:
        lines.append(
            SheetLine(1, (), LineRole.SKIPPED, _tr("表头上方的标题、填报单位等，不导入"), last_line=first_header - 1)
        )
    for line, cells in zip(table.header_lines, header_cells(source), strict=True):
        lines.append(SheetLine(line, cells, LineRole.HEADER))
    below = [SheetLine(r.line, r.cells, LineRole.DATA) for r in table.rows[:limit]]
    below += [
        SheetLine(line, (), LineRole.SKIPPED, _tr("〔{reason}，不导入〕").format(reason=reason))
        for line, reason in table.skipped[:limit]
    ]
    below.sort(key=lambda line: line.line)
    return lines + below[: max(limit - len(lines), 0)]


class PreviewPage(StepPage):
    def __init__(self, session: ImportSession, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.setTitle(self.tr("预览"))
        self.setSubTitle(self.tr("核对程序找到的表头和数据行。表头不对时，请在 Excel 中整理后重新选择文件。"))

        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.model = SheetPreviewModel(self)
        self.view = make_table_view(self)
        self.view.setSortingEnabled(False)  # the lines stay in the sheet's order
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.setAccessibleName(self.tr("文件开头的内容"))

        self.skipped_title = QLabel(self.tr("不导入的行(&L)："), self)
        self.skipped_list = QListWidget(self)
        self.skipped_title.setBuddy(self.skipped_list)
        legend = QLabel(self.tr("黄色底纹为表头；灰色为不导入的行（标题、合计行、说明、签名、空行）。"), self)
        legend.setStyleSheet(NOTE_STYLE)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)
        layout.addWidget(self.skipped_title)
        layout.addWidget(self.skipped_list)

    def initializePage(self) -> None:
        source = self.session.source
        assert source is not None
        table = source.table
        width = max((c.index for c in table.columns), default=-1) + 1
        lines = preview_lines(source)
        self.view.clearSpans()
        self.model.set_lines(lines, [column_letter(i) for i in range(width)])
        for row, line in enumerate(lines):
            if line.note and width > 1:
                self.view.setSpan(row, 0, 1, width)
        self.view.resizeColumnsToContents()
        for column in range(width):
            self.view.setColumnWidth(column, min(max(self.view.columnWidth(column), 48), MAX_COLUMN_WIDTH))

        header = "、".join(str(line) for line in table.header_lines)
        text = self.tr("工作表“{sheet}”：表头在第 {header} 行，共 {count} 行数据").format(
            sheet=source.sheet, header=header, count=f"{len(table.rows):,}"
        )
        if table.rows:
            text += self.tr("（第 {first} 至 {last} 行）").format(first=table.rows[0].line, last=table.rows[-1].line)
        text += self.tr("。下表是文件开头的 {count} 行。").format(count=len(lines))
        self.summary_label.setText(text)

        self.skipped_list.clear()
        if table.header_lines[0] > 1:
            self.skipped_list.addItem(
                self.tr("第 1–{last} 行：表头上方的标题").format(last=table.header_lines[0] - 1)
                if table.header_lines[0] > 2
                else self.tr("第 1 行：表头上方的标题")
            )
        for number, reason in table.skipped:
            self.skipped_list.addItem(self.tr("第 {line} 行：{reason}").format(line=number, reason=reason))
        count = self.skipped_list.count()
        self.skipped_title.setVisible(count > 0)
        self.skipped_list.setVisible(count > 0)
        if count:  # as tall as its lines (at most five), so the preview keeps the room
            rows = min(count, 5) * self.skipped_list.sizeHintForRow(0)
            self.skipped_list.setFixedHeight(rows + 2 * self.skipped_list.frameWidth() + 4)
