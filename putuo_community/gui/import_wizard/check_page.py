"""Step 4: the dry run. Every row with what importing would do to it; near matches decided here."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community.gui.import_wizard.common import LEFT_OUT_STYLE, NOTE_STYLE, ImportSession, StepPage, message_label
from putuo_community.gui.import_wizard.models import PlanFilterProxy, PlanRowModel
from putuo_community.gui.widgets import enlarged_font, make_table_view, size_columns
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services.importing import Candidate, ImportPlan, ImportSource, RowPlan, RowStatus

UNDECIDED = -1  # the data of "请选择…" in the decision combo
NEW_ESTATE = 0  # "是新小区" (estate ids start at 1)

PROBLEM_STYLE = (
    "QLabel { color: #b71c1c; background: #ffebee; border: 1px solid #ef9a9a; border-radius: 3px; padding: 8px; }"
)


class CheckPage(StepPage):
    def __init__(self, session: ImportSession, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.setTitle(self.tr("核对"))
        self.setSubTitle(self.tr("试导入的结果：每一行将如何处理。此时还没有写入任何数据。"))
        self._select_line_after_plan: int | None = None
        self._candidate_memory: dict[int, tuple[Candidate, ...]] = {}
        self._memory_source: ImportSource | None = None
        self._decision_line: int | None = None  # the row the 判断 panel is about

        self.problems_label = message_label(self)
        self.problems_label.setObjectName("fileProblems")
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        self.problems_label.setFont(enlarged_font(self.problems_label.font(), 1.1))

        self.counts_label = QLabel(self)
        self.counts_label.setWordWrap(True)
        self.status_filter = QComboBox(self)
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        filter_label = QLabel(self.tr("显示(&V)："), self)
        filter_label.setBuddy(self.status_filter)
        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(filter_label)
        top.addWidget(self.status_filter)

        self.left_out_label = message_label(self)
        self.left_out_label.setObjectName("leftOutColumns")
        self.left_out_label.setStyleSheet(LEFT_OUT_STYLE)

        self.stopped_label = message_label(self)
        self.stopped_label.setStyleSheet(NOTE_STYLE)
        self.rerun_button = QPushButton(self.tr("重新核对(&R)"), self)
        self.rerun_button.clicked.connect(self.plan)
        self.rerun_button.hide()
        stopped_row = QHBoxLayout()
        stopped_row.addWidget(self.stopped_label, 1)
        stopped_row.addWidget(self.rerun_button)

        self.model = PlanRowModel(self)
        self.proxy = PlanFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        size_columns(self.view, self.model)
        self.view.verticalHeader().hide()  # the 行号 column says which line of the file a row is
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        self.confirm_box = QGroupBox(self.tr("待确认：是不是已有的小区？"), self)
        self.confirm_text = QLabel(self.confirm_box)
        self.confirm_text.setWordWrap(True)
        self.decision_combo = QComboBox(self.confirm_box)
        self.decision_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        decision_label = QLabel(self.tr("判断(&J)："), self.confirm_box)
        decision_label.setBuddy(self.decision_combo)
        self.apply_button = QPushButton(self.tr("确定并重新核对(&Y)"), self.confirm_box)
        self.apply_button.clicked.connect(self.apply_decision)
        self.next_confirm_button = QPushButton(self.tr("下一条待确认(&N)"), self.confirm_box)
        self.next_confirm_button.clicked.connect(self.select_next_confirm)
        decision_row = QHBoxLayout()
        decision_row.addWidget(decision_label)
        decision_row.addWidget(self.decision_combo, 1)
        decision_row.addWidget(self.apply_button)
        decision_row.addWidget(self.next_confirm_button)
        box_layout = QVBoxLayout(self.confirm_box)
        box_layout.addWidget(self.confirm_text)
        box_layout.addLayout(decision_row)
        self.confirm_box.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.problems_label)
        layout.addLayout(top)
        layout.addWidget(self.left_out_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.confirm_box)
        layout.addWidget(self.busy)
        layout.addLayout(stopped_row)
        layout.addWidget(self.error_label)

    # -- QWizardPage ----------------------------------------------------------------------------

    def initializePage(self) -> None:
        self.session.plan = None
        if self._memory_source is not self.session.source:
            self._candidate_memory.clear()
            self._memory_source = self.session.source
        self.model.set_rows([])
        self._hide_decision()
        self._show_counts(None)
        self.left_out_label.hide()
        self.plan()

    def cleanupPage(self) -> None:
        self.cancel_work()
        self.session.plan = None

    def isComplete(self) -> bool:
        plan = self.session.plan
        return not self.working and plan is not None and not plan.problems and bool(plan.rows)

    # -- planning -------------------------------------------------------------------------------

    def plan(self) -> None:
        """Run the dry run again with the current mapping and decisions."""
        session = self.session
        source = session.source
        assert source is not None
        imports, mapping, confirmations = session.imports, dict(session.mapping), dict(session.confirmations)
        self.view.setEnabled(False)
        self.confirm_box.setEnabled(False)
        self.stopped_label.hide()
        self.rerun_button.hide()
        self.run_counted(
            lambda progress: imports.plan(source, mapping, confirmations=confirmations, progress=progress),
            self._planned,
            busy_text=self.tr("正在逐行核对…"),
            description=self.tr("试导入"),
            doing=self.tr("已核对"),
            cancel_text=self.tr("取消核对(&C)"),
            on_stopped=self._plan_stopped,
            wait_for_stop=False,
        )

    def _plan_stopped(self) -> None:
        """取消 during the dry run: nothing was written; the clerk may go back, or check again."""
        self.session.plan = None
        self.stopped_label.setText(self.tr("已取消核对，没有写入任何数据。可返回上一步修改列对应，或重新核对。"))
        self.stopped_label.show()
        self.rerun_button.show()
        self.completeChanged.emit()

    def _finish(self) -> None:
        super()._finish()
        self.view.setEnabled(True)
        self.confirm_box.setEnabled(True)

    def _planned(self, plan: ImportPlan) -> None:
        self.session.plan = plan
        self._candidate_memory.update((r.line, r.candidates) for r in plan.rows if r.candidates)
        self.model.set_rows(plan.rows)
        self.problems_label.setText("\n".join(plan.problems))
        self.problems_label.setVisible(bool(plan.problems))
        self._show_counts(plan)
        left_out = plan.unmapped_text()
        self.left_out_label.setText(
            self.tr("{columns}。这些列的内容不会导入；如需导入，请返回“列对应”为它们选择对应的项。").format(
                columns=left_out
            )
        )
        self.left_out_label.setVisible(bool(left_out))
        self.view.resizeColumnToContents(2)
        line = self._select_line_after_plan
        self._select_line_after_plan = None
        if plan.count(RowStatus.CONFIRM):
            self.select_next_confirm(after_line=line or 0)
        elif line is not None:
            self.select_line(line)  # the last decision: show what became of the row
        else:
            self._hide_decision()
        self.completeChanged.emit()

    def _show_counts(self, plan: ImportPlan | None) -> None:
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        try:
            self.status_filter.clear()
            total = len(plan.rows) if plan else 0
            self.status_filter.addItem(self.tr("全部 {count} 行").format(count=f"{total:,}"), None)
            for status in RowStatus:
                count = plan.count(status) if plan else 0
                self.status_filter.addItem(f"{status.value} {count:,}", status)
            self.status_filter.setCurrentIndex(max(self.status_filter.findData(current), 0))
        finally:
            self.status_filter.blockSignals(False)
        self.proxy.set_status(self.status_filter.currentData())
        if plan is None:
            self.counts_label.setText("")
            return
        skipped = len(plan.source.table.skipped)
        text = self.tr("共 {total} 行：{summary}。").format(total=f"{len(plan.rows):,}", summary=plan.summary())
        if skipped:
            text += self.tr("另有 {count} 行标题、合计、说明等已跳过。").format(count=skipped)
        self.counts_label.setText(text)

    def _filter_changed(self) -> None:
        self.proxy.set_status(self.status_filter.currentData())

    def show_status(self, status: RowStatus | None) -> None:
        self.status_filter.setCurrentIndex(self.status_filter.findData(status))

    # -- near matches -----------------------------------------------------------------------

    def shown_rows(self) -> list[RowPlan]:
        return [self.proxy.row_object(row) for row in range(self.proxy.rowCount())]

    def select_line(self, line: int) -> bool:
        position = self.model.position_of_line(line)
        if position < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(position, 0))
        if not index.isValid():
            self.show_status(None)
            index = self.proxy.mapFromSource(self.model.index(position, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)
        return True

    def select_next_confirm(self, *, after_line: int | None = None) -> None:
        """Go to the next row waiting for a decision (after the current one)."""
        plan = self.session.plan
        if plan is None:
            return
        if after_line is None:
            current = self._current_row()
            after_line = current.line if current is not None else 0
        waiting = [r.line for r in plan.rows if r.status is RowStatus.CONFIRM]
        following = [line for line in waiting if line > after_line] or waiting
        if following:
            self.select_line(following[0])

    def _current_row(self) -> RowPlan | None:
        index = self.view.currentIndex()
        return self.proxy.row_object(index.row()) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.proxy.row_object(current.row()) if current.isValid() else None
        decided = row is not None and row.line in self.session.confirmations
        if row is None or (row.status is not RowStatus.CONFIRM and not decided):
            self._hide_decision()
            return
        self._fill_decision(row)
        self.confirm_box.setVisible(True)

    def _hide_decision(self) -> None:
        self._decision_line = None
        self.confirm_box.hide()

    def _fill_decision(self, row: RowPlan) -> None:
        self._decision_line = row.line
        self.confirm_text.setText(
            self.tr("第 {line} 行“{title}”与已有的小区名称相近。请判断它是已有的哪个小区，还是一个新小区。").format(
                line=row.line, title=row.title
            )
        )
        combo = self.decision_combo
        combo.clear()
        combo.addItem(self.tr("请选择…"), UNDECIDED)
        # A decided row has no candidates any more: offer those of the dry run that asked.
        candidates = row.candidates or self._candidate_memory.get(row.line, ())
        for candidate in candidates:
            combo.addItem(
                self.tr("是同一小区：{name}（{street}；{reason}）").format(
                    name=candidate.name, street=candidate.street, reason=candidate.reason
                ),
                candidate.estate_id,
            )
        combo.addItem(self.tr("是新小区：按“{title}”新增").format(title=row.title), NEW_ESTATE)
        decided = self.session.confirmations.get(row.line, UNDECIDED)
        combo.setCurrentIndex(max(combo.findData(NEW_ESTATE if decided is None else decided), 0))

    def decision_choices(self) -> list[str]:
        return [self.decision_combo.itemText(i) for i in range(self.decision_combo.count())]

    def choose_decision(self, estate_id: int | None) -> None:
        """Pick "是同一小区：…" (an estate id) or "是新小区" (None) for the current row."""
        data = NEW_ESTATE if estate_id is None else estate_id
        self.decision_combo.setCurrentIndex(self.decision_combo.findData(data))

    def apply_decision(self) -> None:
        line = self._decision_line
        choice = self.decision_combo.currentData()
        if line is None:
            return
        if choice is None or choice == UNDECIDED:
            self.show_error(self.tr("请先在“判断”中选择一项。"))
            return
        self.session.confirmations[line] = None if choice == NEW_ESTATE else int(choice)
        self._select_line_after_plan = line
        self.plan()
