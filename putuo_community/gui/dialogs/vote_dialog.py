"""The vote calculator: a record's vote counted by 专有面积 and by 人数, each count's verdict, margin and rule.

Opened from the record dialog of a record that keeps a vote (a committee term, an 业主大会 activity,
a 加装电梯 project, a 成套改造 project). The scope's totals come prefilled from the registers through
the vote service; the counts go back into the record's form and are saved with the record, so the
save runs through the record service and its change history like any other.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.fields import Register
from putuo_community.domain.registers.votes import VOTE_COLUMNS, VoteColumn, VoteCounts, VoteJudgement
from putuo_community.domain.rules import Rule
from putuo_community.domain.votes import (
    MATTERS,
    MATTERS_BY_LABEL,
    CountOutcome,
    VoteRule,
    margin_text,
    quantity_text,
    required_text,
    rules_cited,
    shortfall_text,
)
from putuo_community.gui.forms.editors import FieldEditor, make_field_editor, value_text
from putuo_community.gui.forms.record_form import ERROR_COLOUR, PENDING_COLOUR, RecordForm
from putuo_community.gui.i18n import translator
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.services import Services
from putuo_community.services.votes import VoteScope

PASSED_COLOUR = "#2e7d32"
RESULT_HEADERS = ("计数", "实际", "占比", "门槛", "结果", "差额")
_tr = translator("VoteDialog")


def _fixed_matter(vote: VoteCounts) -> str:
    """What a fixed-rule vote is about, as the dialog names it."""
    matter = MATTERS_BY_LABEL.get(vote.matter)
    if matter is not None:
        return _tr("{matter}（过半数同意）").format(matter=matter.title)
    if vote.rule is VoteRule.LIFT_ADDITION:
        return _tr("加装电梯意愿征询：由本单元业主表决（2/3参与，参与者3/4同意）")
    if vote.by_households:
        return _tr("成套改造：80%居民户同意方可启动；签约率达95%协议生效（按户数计）")
    return ""


def _colour(passed: bool | None) -> str:
    if passed is None:
        return PENDING_COLOUR
    return PASSED_COLOUR if passed else ERROR_COLOUR


def _share(outcome: CountOutcome) -> str:
    if not outcome.base:
        return "—"
    return f"{float(Fraction(outcome.value) / Fraction(outcome.base) * 100):.2f}%"


class VoteDialog(QDialog):
    """Count one record's vote. `counts()` holds what the clerk entered once the dialog is accepted."""

    def __init__(
        self,
        services: Services,
        register: Register,
        values: Mapping[str, Any],
        runner: BackgroundRunner,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.register = register
        self.column: VoteColumn = VOTE_COLUMNS[register.key]
        self.values = dict(values)
        self.runner = runner
        self.read_only = read_only
        self.scope: VoteScope | None = None
        self.scope_task: Task | None = None
        self.setWindowTitle(self.tr("表决计票 — {title}").format(title=self.column.title))

        heading = QLabel(self.tr("表决计票：{title}").format(title=self.column.title), self)
        heading.setFont(enlarged_font(heading.font(), 1.2))
        by_households = all(v.by_households for v in self.column.votes)
        explain = QLabel(
            self.tr("按居民户计票，不计面积。涉及户数已从台账预填，可以更正。")
            if by_households
            else self.tr("按专有面积和人数分别计票，两项都达到才算通过。表决范围的总数已从台账预填，可以更正。"),
            self,
        )
        explain.setWordWrap(True)
        explain.setStyleSheet(f"color: {PENDING_COLOUR};")

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(self._matter_row())
        layout.addWidget(self._scope_box())
        layout.addWidget(self._counts_box())
        layout.addWidget(self._results_box(), 1)

        self.ok_button = QPushButton(self.tr("确定(&O)"), self)
        self.ok_button.setToolTip(self.tr("把计票数填入记录的表单；保存记录时一并保存，并记入变更记录"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        if read_only:
            self.ok_button.setVisible(False)
            self.cancel_button.setText(self.tr("关闭"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(buttons)
        layout.addLayout(footer)

        self.resize(760, 560)
        self._load()
        self._read_scope(fill=not read_only)

    # -- layout -----------------------------------------------------------------------------------

    def _matter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(self.tr("表决事项："), self)
        row.addWidget(label)
        self.matter_vote = next((v for v in self.column.votes if v.matter_field), None)
        self.matter_combo: QComboBox | None = None
        self.matter_label: QLabel | None = None  # a fixed matter (an election, a 加装电梯 consent)
        if self.matter_vote is not None:
            combo = QComboBox(self)
            combo.setAccessibleName(self.tr("表决事项"))
            combo.setPlaceholderText(self.tr("请选择《民法典》第二百七十八条所列事项"))
            for matter in MATTERS:
                share = self.tr("3/4同意") if matter.rule is VoteRule.MAJOR else self.tr("过半数同意")
                combo.addItem(f"{matter.title}（{share}）", matter.label)
            combo.currentIndexChanged.connect(self._recount)
            combo.setEnabled(not self.read_only)
            label.setBuddy(combo)
            label.setText(self.tr("表决事项(&M)："))
            self.matter_combo = combo
            row.addWidget(combo, 1)
        else:
            self.matter_label = QLabel(_fixed_matter(self.column.votes[0]), self)
            self.matter_label.setWordWrap(True)
            row.addWidget(self.matter_label, 1)
        return row

    def _scope_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("表决范围"), self)
        self.scope_label = QLabel(self.tr("正在从台账取数……"), box)
        self.scope_label.setWordWrap(True)
        self.scope_notes = QLabel(box)
        self.scope_notes.setWordWrap(True)
        self.scope_notes.setStyleSheet(f"color: {PENDING_COLOUR};")
        self.refill_button = QPushButton(self.tr("按台账重新取数(&R)"), box)
        self.refill_button.setToolTip(self.tr("用楼栋、单元和小区台账中的专有面积和户数重新填写表决范围的总数"))
        self.refill_button.clicked.connect(lambda: self._read_scope(fill=True, replace=True))
        self.refill_button.setEnabled(not self.read_only)
        grid = QGridLayout(box)
        grid.addWidget(self.scope_label, 0, 0)
        grid.addWidget(self.refill_button, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.scope_notes, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        return box

    def _counts_box(self) -> QGroupBox:
        """The counts in a grid: rows 总数 / 参与表决 / 同意, columns 专有面积 / 人数 (户数 alone for 成套改造)."""
        box = QGroupBox(self.tr("计票"), self)
        grid = QGridLayout(box)
        self.editors: dict[str, FieldEditor] = {}
        households = all(v.by_households for v in self.column.votes)
        if households:
            totals = {k for v in self.column.votes for k in v.total_keys}
            rows = [
                (self.tr("涉及户数") if k in totals else self.register.field(k).label, ("", k))
                for k in self.column.count_keys
            ]
            headers: tuple[str, ...] = (self.tr("户数"),)
        else:
            vote = self.column.votes[0]
            rows = [
                (self.tr("表决范围总数(&T)"), (vote.total_area, vote.total_owners)),
                (self.tr("参与表决(&P)"), (vote.voting_area, vote.voting_owners)),
                (self.tr("同意(&A)"), (vote.agree_area, vote.agree_owners)),
            ]
            headers = (self.tr("专有面积"), self.tr("人数"))
        for number, header in enumerate(headers):
            shown = QLabel(header, box)
            shown.setFont(enlarged_font(shown.font(), 1.0))
            grid.addWidget(shown, 0, number + 1)
        order: list[QWidget] = []
        for row, (title, keys) in enumerate(rows, start=1):
            label = QLabel(title + "：", box)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight)
            for number, key in enumerate(k for k in keys if k):
                editor = make_field_editor(self.register.field(key), box)
                editor.set_read_only(self.read_only)
                editor.setToolTip(self.register.field(key).label)
                editor.edited.connect(self._recount)
                grid.addWidget(editor, row, number + 1)
                if label.buddy() is None:
                    label.setBuddy(editor)
                self.editors[key] = editor
                order.append(editor)
        grid.setColumnStretch(len(headers) + 1, 1)
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        return box

    def _results_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("计票结果"), self)
        self.verdict_label = QLabel(box)
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setFont(enlarged_font(self.verdict_label.font(), 1.15))
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, len(RESULT_HEADERS), box)
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in RESULT_HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("各项计票结果"))
        self.rules_label = QLabel(box)
        self.rules_label.setWordWrap(True)
        self.rules_label.setStyleSheet(f"color: {PENDING_COLOUR};")
        self.rules_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(box)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.table)
        layout.addWidget(self.rules_label)
        layout.addStretch(1)
        return box

    # -- values -----------------------------------------------------------------------------------

    def _load(self) -> None:
        for key, editor in self.editors.items():
            editor.set_value(self.values.get(key))
        if self.matter_combo is not None and self.matter_vote is not None:
            chosen = self.values.get(self.matter_vote.matter_field)
            self.matter_combo.setCurrentIndex(self.matter_combo.findData(chosen) if chosen else -1)
        self._recount()
        first_blank = next(
            (e for k, e in self.editors.items() if k not in self._total_keys() and e.parse().value is None), None
        )
        if self.matter_combo is not None and self.matter_combo.currentIndex() < 0:
            self.matter_combo.setFocus()
        elif first_blank is not None:
            first_blank.setFocus()

    def _total_keys(self) -> set[str]:
        return {k for v in self.column.votes for k in v.total_keys}

    def counts(self) -> dict[str, Any]:
        """The counts (and the matter) as entered, by field key."""
        found = {key: editor.parse().value for key, editor in self.editors.items()}
        if self.matter_combo is not None and self.matter_vote is not None:
            found[self.matter_vote.matter_field] = self.matter_combo.currentData()
        return found

    def current_values(self) -> dict[str, Any]:
        """The record's values with the counts as entered: what the verdict is worked out from."""
        return {**self.values, **self.counts()}

    def judgements(self) -> list[VoteJudgement]:
        return self.column.judgements(self.register, self.current_values())

    # -- the scope --------------------------------------------------------------------------------

    def _read_scope(self, *, fill: bool, replace: bool = False) -> None:
        votes, key, values = self.services.votes, self.register.key, self.current_values()
        if self.scope_task is not None:
            self.scope_task.cancel()
        self.scope_task = self.runner.run(
            lambda _progress: votes.scope(key, values),
            on_result=lambda scope: self._scope_read(scope, fill=fill, replace=replace),
            description=self.tr("读取表决范围"),
            parent=self,
        )

    def _scope_read(self, scope: VoteScope, *, fill: bool, replace: bool) -> None:
        self.scope_task = None
        self.scope = scope
        self.scope_label.setText(scope.name or self.tr("表决范围未定"))
        self.scope_notes.setText("\n".join(scope.notes))
        if fill:
            for vote in self.column.votes:
                for key, value in ((vote.total_area, scope.total_area), (vote.total_owners, scope.total_owners)):
                    editor = self.editors.get(key)
                    if editor is None or value is None:
                        continue
                    if replace or editor.parse().value is None:
                        editor.set_text(value_text(editor.field, value))
                        editor.refresh_hint()
        self._recount()

    # -- the verdict ------------------------------------------------------------------------------

    def _recount(self) -> None:
        unreadable = [
            f"{self.register.field(k).label}：{e.parse().problem}" for k, e in self.editors.items() if e.parse().problem
        ]
        self.ok_button.setEnabled(not unreadable and not self.read_only)
        self.status.setStyleSheet(f"color: {ERROR_COLOUR};" if unreadable else "")
        self.status.setText("；".join(unreadable))
        values = self.current_values()
        judgements = self.column.judgements(self.register, values)
        self._show_verdicts(judgements)
        self._show_outcomes([o for j in judgements if j.result is not None for o in j.result.outcomes])
        self._show_rules(values)
        QTimer.singleShot(0, self, self._fit_height)  # once the new texts are laid out

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_height)

    def _fit_height(self) -> None:
        """Grow to show every line (the notes and the result arrive after the dialog is laid out)."""
        layout = self.layout()
        if layout is None:
            return
        layout.invalidate()
        layout.activate()
        wanted = (
            layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        )
        screen = self.screen() or QGuiApplication.primaryScreen()
        wanted = min(wanted, int(screen.availableGeometry().height() * 0.92))
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def _show_verdicts(self, judgements: list[VoteJudgement]) -> None:
        if not judgements:
            keys = [k for v in self.column.votes for k in v.cast_keys]
            wanted = "、".join(dict.fromkeys(self.register.field(k).label for k in keys))
            self.verdict_label.setText(
                f'<span style="color:{PENDING_COLOUR}">{self.tr("请填写计票数：")}{wanted}</span>'
            )
            return
        lines = []
        for judgement in judgements:
            result = judgement.result
            if result is None:
                lines.append(
                    f'<span style="color:{ERROR_COLOUR if judgement.problem else PENDING_COLOUR}">'
                    f"{judgement.text}</span>"
                )
                continue
            verdict = self.tr("通过") if result.passed else self.tr("未通过")
            why = "" if result.passed else f'<span style="color:{ERROR_COLOUR}">　{shortfall_text(result)}</span>'
            lines.append(f'{result.rule_ref.title}：<span style="color:{_colour(result.passed)}">{verdict}</span>{why}')
        self.verdict_label.setText("<br>".join(lines))

    def _show_outcomes(self, outcomes: list[CountOutcome]) -> None:
        self.table.setRowCount(len(outcomes))
        for row, outcome in enumerate(outcomes):
            cells = (
                outcome.label,
                f"{quantity_text(outcome, outcome.value)} / {quantity_text(outcome, outcome.base)}",
                _share(outcome),
                required_text(outcome),
                self.tr("通过") if outcome.passed else self.tr("未通过"),
                margin_text(outcome),
            )
            for number, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if number in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if number in (4, 5):
                    item.setForeground(QColor(_colour(outcome.passed)))
                self.table.setItem(row, number, item)
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(len(outcomes)))
        rows = rows or self.table.verticalHeader().defaultSectionSize()
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + rows + 2 * self.table.frameWidth() + 2)

    def _show_rules(self, values: Mapping[str, Any]) -> None:
        cited: dict[str, Rule] = {}
        for vote in self.column.votes:
            rule = vote.rule_for(values)
            if rule is not None:
                cited.update((r.code, r) for r in rules_cited(rule))
        if not cited:
            self.rules_label.setText(self.tr("选择表决事项后显示适用的规则。"))
            return
        lines = [f"· {r.title}：{r.text}（{r.source}）" for r in cited.values()]
        self.rules_label.setText(self.tr("依据：") + "\n" + "\n".join(lines))


class VotePanel(QFrame):
    """Under a record's form: the verdict its counts give as they stand, and the way to the calculator."""

    def __init__(
        self,
        services: Services,
        register: Register,
        form: RecordForm,
        runner: BackgroundRunner,
        *,
        read_only: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.register = register
        self.column = VOTE_COLUMNS[register.key]
        self.form = form
        self.runner = runner
        self.read_only = read_only
        self.dialog: VoteDialog | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.verdict_label = QLabel(self)
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.open_button = QPushButton(self.tr("表决计票(&V)…"), self)
        self.open_button.setToolTip(self.tr("按专有面积和人数计票，逐项显示是否通过、差额和依据"))
        self.open_button.clicked.connect(self.open_calculator)
        layout = QHBoxLayout(self)
        layout.addWidget(self.verdict_label, 1)
        layout.addWidget(self.open_button)
        form.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        values = self.form.values()
        self.setVisible(any(v.applies(values) for v in self.column.votes))
        verdict = self.column.verdict(self.register, values)
        if verdict is None:
            self.verdict_label.setText(
                f'{self.column.header}：<span style="color:{PENDING_COLOUR}">{self.tr("尚未计票")}</span>'
            )
            self.verdict_label.setToolTip("")
            return
        self.verdict_label.setText(
            f'{self.column.header}：<span style="color:{_colour(verdict.passed)}">{verdict.text}</span>'
        )
        self.verdict_label.setToolTip(verdict.detail)

    def open_calculator(self) -> VoteDialog:
        """The calculator over the form's values; 确定 puts its counts into the form."""
        dialog = VoteDialog(
            self.services, self.register, self.form.values(), self.runner, read_only=self.read_only, parent=self
        )
        dialog.accepted.connect(lambda: self.form.apply_values(dialog.counts()))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog


def vote_panel_for(
    services: Services,
    register: Register,
    form: RecordForm,
    runner: BackgroundRunner,
    *,
    read_only: bool,
    parent: QWidget | None = None,
) -> VotePanel | None:
    """The vote panel of a register that keeps a vote; None for the others."""
    if register.key not in VOTE_COLUMNS:
        return None
    return VotePanel(services, register, form, runner, read_only=read_only, parent=parent)
