"""One property company in a window of its own: its warning level, the estates it serves, its project
managers, its contracts and its credit ledger with the status and dates each entry's rules give it, and
the ledger's workflow (objections: 提出 → 受理 → 维持 / 撤销; corrections)."""

from __future__ import annotations

import functools
import logging
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.accounts import Action
from putuo_community.domain.changes import Changes
from putuo_community.domain.credit import CreditStatus, WarningLevel
from putuo_community.domain.errors import UserError
from putuo_community.domain.registers import CONTRACTS
from putuo_community.gui.changes import ChangeHub
from putuo_community.gui.dialogs.credit_step_dialog import CreditStepDialog
from putuo_community.gui.i18n import translator
from putuo_community.gui.list_columns import ALERT, LEVEL_BACKGROUNDS, level_text
from putuo_community.gui.models import Column, RowSortProxy, RowTableModel, native_sort_value, record_column
from putuo_community.gui.widgets import enlarged_font, make_table_view, size_columns
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.gui.write_access import WriteAccess
from putuo_community.services import Services
from putuo_community.services.credit import ObjectionStep, next_steps
from putuo_community.services.listing import CompanyFile, LedgerEntry, ListingService

log = logging.getLogger(__name__)
# Registers whose changes alter what the window shows (its estates, managers, contracts, ledger).
FOLLOWED_REGISTERS = ("companies", "estates", "managers", "contracts", "credit_events")

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


_tr = translator("CompanyWindow")


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


class _LevelModel(RowTableModel):
    """Rows of `ListRow`s; the 预警 column gets the level's colour."""

    def __init__(self, columns: tuple[Column, ...], level_column: int, parent: Any = None) -> None:
        super().__init__(columns, parent)
        self._level_column = level_column

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.column() == self._level_column:
            level = self.row_object(index.row()).computed.get("warning_level")
            colour = LEVEL_BACKGROUNDS.get(level) if isinstance(level, WarningLevel) else None
            return colour
        return super().data(index, role)


def estate_columns() -> tuple[Column, ...]:
    def value(key: str) -> Any:
        return lambda r: r.computed.get(key)

    return (
        Column(_tr("小区"), lambda r: r.record.title, lambda r: r.record.title, width_chars=22),
        Column(_tr("街镇"), lambda r: r.record.display("street_id"), lambda r: r.record.display("street_id")),
        Column(
            _tr("户数"),
            lambda r: r.record.display("households"),
            lambda r: native_sort_value(r.record.values.get("households")),
            alignment=_RIGHT,
            width_chars=8,
        ),
        Column(_tr("业委会"), lambda r: str(r.computed.get("committee_state") or ""), value("committee_state")),
        Column(
            _tr("档案完整度"),
            lambda r: f"{r.computed.get('completeness', 0)}%",
            value("completeness"),
            alignment=_RIGHT,
            width_chars=9,
        ),
    )


def manager_columns() -> tuple[Column, ...]:
    return (
        Column(_tr("姓名"), lambda r: r.record.title, lambda r: r.record.title, width_chars=10),
        Column(
            _tr("预警等级"),
            lambda r: level_text(r.computed.get("warning_level")),
            lambda r: r.computed["warning_level"].rank,
            alignment=Qt.AlignmentFlag.AlignCenter,
            width_chars=8,
        ),
        Column(
            _tr("有效记分"),
            lambda r: str(r.computed.get("active_points", 0)),
            lambda r: r.computed.get("active_points", 0),
            alignment=_RIGHT,
        ),
        Column(
            _tr("负责小区数"),
            lambda r: str(r.computed.get("estates_managed", 0)),
            lambda r: r.computed.get("estates_managed", 0),
            alignment=_RIGHT,
        ),
        Column(
            _tr("证书编号"), lambda r: r.record.display("certificate_no"), lambda r: r.record.display("certificate_no")
        ),
    )


# The one status's colours, as every credit table shows them.
STATUS_BACKGROUNDS = {
    CreditStatus.ACTIVE: QColor("#fbd3a5"),
    CreditStatus.OBJECTION_PENDING: QColor("#fbeea0"),
}
_STATUS_COLUMN = 6


def ledger_columns() -> tuple[Column, ...]:
    def show(key: str) -> Any:
        return lambda e: e.record.display(key)

    def dated(getter: Any) -> tuple[Any, Any]:
        return (lambda e: _day(getter(e)), lambda e: native_sort_value(getter(e)))

    def deadline_text(entry: LedgerEntry) -> str:
        deadline = entry.objection_deadline
        return deadline.describe() if deadline is not None else ""

    return (
        Column(_tr("记分日期"), *dated(lambda e: e.record.values.get("scored_on")), width_chars=11),
        Column(_tr("情形"), show("band"), lambda e: e.record.display("band"), width_chars=8),
        Column(
            _tr("分值"),
            show("points"),
            lambda e: native_sort_value(e.record.values.get("points")),
            alignment=_RIGHT,
            width_chars=5,
        ),
        Column(_tr("对象"), show("subject"), lambda e: e.record.display("subject"), width_chars=8),
        Column(_tr("项目经理"), show("manager_id"), lambda e: e.record.display("manager_id"), width_chars=8),
        Column(_tr("小区"), show("estate_id"), lambda e: e.record.display("estate_id"), width_chars=16),
        Column(
            _tr("状态"),
            lambda e: e.status.label if e.status is not None else "—",
            lambda e: e.status.label if e.status is not None else "",
            tooltip=lambda _e: _tr("有效、异议处理中的记分计入有效记分；已过期、已修正、已撤销、不予记分的不计入"),
            width_chars=9,
        ),
        Column(
            _tr("有效至"),
            *dated(lambda e: e.active_until),
            tooltip=lambda _e: _tr("记分自认定之日起公布并有效 1 年（含期满当日）"),
            width_chars=11,
        ),
        Column(
            _tr("可申请修正"),
            lambda e: _day(e.correctable_from) if e.correctable_from else _tr("不可修正"),
            lambda e: native_sort_value(e.correctable_from),
            tooltip=lambda _e: _tr("轻微失信满 1 个月、较严重满 3 个月后可申请信用修正；特别严重不可修正"),
            width_chars=11,
        ),
        Column(_tr("修正日期"), *dated(lambda e: e.record.values.get("corrected_on")), width_chars=11),
        Column(_tr("异议"), show("objection"), lambda e: e.record.display("objection"), width_chars=7),
        Column(
            _tr("异议处理期限"),
            deadline_text,
            lambda e: native_sort_value(e.objection_deadline.on if e.objection_deadline else None),
            tooltip=lambda _e: _tr(
                "自异议受理之日起 15 个工作日，按国务院办公厅公布的节假日安排计算（放假日不计，调休上班日计入）"
            ),
            width_chars=12,
        ),
        Column(
            _tr("行为描述"),
            show("description"),
            lambda e: e.record.display("description"),
            tooltip=lambda e: e.record.display("description"),
            width_chars=30,
        ),
    )


class _LedgerModel(RowTableModel):
    def row_foreground(self, row_object: Any) -> QColor | None:
        entry: LedgerEntry = row_object
        return None if entry.active else QColor("#888888")

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.column() == _STATUS_COLUMN:
            entry: LedgerEntry = self.row_object(index.row())
            return STATUS_BACKGROUNDS.get(entry.status) if entry.status is not None else None
        return super().data(index, role)


# What each workflow button asks: (title, date label, the rule in one line).
_STEP_TEXTS = {
    ObjectionStep.FILE: ("提出异议", "异议提出日期", "企业或项目经理对该失信记分提出异议；核查期间记分仍然有效。"),
    ObjectionStep.ACCEPT: ("受理异议", "异议受理日期", "受理后应在 15 个工作日内完成核查（按法定节假日安排计算）。"),
    ObjectionStep.KEEP: ("维持记分", "异议决定日期", "异议不成立：记分维持不变。"),
    ObjectionStep.REVOKE: ("撤销记分", "异议决定日期", "异议成立：撤销该记分，不再计入有效记分。"),
}
_CORRECT_TEXT = (
    "信用修正",
    "信用修正日期",
    "已整改的轻微失信行为记分满 1 个月、较严重满 3 个月后可以修正；特别严重失信行为不得修正。",
)


class CompanyWindow(QWidget):
    """The company, read in the background; reopened for another company, it reads that one.

    Given the services, it follows every committed write itself (a credit event logged in an estate's
    window changes the level here at once) and offers the ledger's workflow: objections and corrections.
    """

    def __init__(
        self,
        listing: ListingService,
        runner: BackgroundRunner,
        parent: QWidget | None = None,
        *,
        services: Services | None = None,
        writes: WriteAccess | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.listing = listing
        self.runner = runner
        self.services = services
        self.writes = writes
        self.company_id: int | None = None
        self.file: CompanyFile | None = None
        self._task: Task | None = None
        self.step_dialog: CreditStepDialog | None = None
        self.step_task: Task | None = None
        self.resize(1100, 640)

        self.name_label = QLabel(self)
        self.name_label.setFont(enlarged_font(self.name_label.font(), 1.3))
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.level_label = QLabel(self)
        self.level_label.setTextFormat(Qt.TextFormat.RichText)

        self.estates = _LevelModel(estate_columns(), -1, self)
        self.managers = _LevelModel(manager_columns(), 1, self)
        self.contracts = RowTableModel([record_column(CONTRACTS.field(k)) for k in CONTRACTS.list_fields], self)
        self.ledger = _LedgerModel(ledger_columns(), self)
        self.tabs = QTabWidget(self)
        self.views: dict[str, QTableView] = {}
        self.proxies: dict[str, RowSortProxy] = {}
        for key, label, model in (
            ("estates", _tr("服务小区"), self.estates),
            ("managers", _tr("项目经理"), self.managers),
            ("contracts", _tr("物业服务合同"), self.contracts),
            ("ledger", _tr("信用记分"), self.ledger),
        ):
            proxy = RowSortProxy(self)
            proxy.setSourceModel(model)
            view = make_table_view(self)
            view.setModel(proxy)
            size_columns(view, model)
            self.views[key] = view
            self.proxies[key] = proxy
            self.tabs.addTab(self._ledger_page(view) if key == "ledger" else view, label)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addWidget(self.level_label)
        layout.addWidget(self.tabs, 1)
        self.hub: ChangeHub | None = None
        if services is not None:
            self.hub = ChangeHub(services.changes, self)
            self.hub.changed.connect(self.apply_changes)
        if writes is not None:
            writes.changed.connect(self._update_step_buttons)
        self.views["ledger"].selectionModel().currentRowChanged.connect(self._update_step_buttons)
        self._update_step_buttons()

    def _ledger_page(self, view: QTableView) -> QWidget:
        page = QWidget(self)
        self.step_buttons: dict[ObjectionStep | None, QPushButton] = {}
        row = QHBoxLayout()
        for step, (title, _label, note) in _STEP_TEXTS.items():
            button = QPushButton(_tr(title) + "…", page)
            button.setToolTip(_tr(note))
            button.clicked.connect(functools.partial(self.ask_step, step))
            self.step_buttons[step] = button
            row.addWidget(button)
        correct = QPushButton(_tr(_CORRECT_TEXT[0]) + "…", page)
        correct.setToolTip(_tr(_CORRECT_TEXT[2]))
        correct.clicked.connect(functools.partial(self.ask_step, None))
        self.step_buttons[None] = correct
        row.addWidget(correct)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view, 1)
        layout.addLayout(row)
        return page

    # -- reading -------------------------------------------------------------------------------

    def show_company(self, company_id: int, title: str = "") -> None:
        self.company_id = company_id
        self.setWindowTitle(_tr("物业企业：{name}").format(name=title) if title else _tr("物业企业"))
        self.name_label.setText(title or _tr("正在读取…"))
        self.level_label.setText(_tr("正在读取…"))
        self._read(company_id)
        self.show()
        self.raise_()
        self.activateWindow()

    def _read(self, company_id: int) -> None:
        if self._task is not None:
            self._task.cancel()
        listing, today = self.listing, date.today()
        self._task = self.runner.run(
            lambda _progress: listing.company_file(company_id, today=today),
            on_result=self._show_file,
            description=_tr("读取物业企业"),
            parent=self,
        )

    def reload(self) -> None:
        if self.company_id is not None and self.isVisible():
            self._read(self.company_id)

    def apply_changes(self, changes: Changes) -> None:
        """Read again when a write may change what the window shows (its records, its level, the policy)."""
        if self.company_id is None or not self.isVisible():
            return
        if changes.touches(*FOLLOWED_REGISTERS) or changes.settings:
            self.listing.forget()  # this window may hear of the write before the listing service does
            self._read(self.company_id)

    def _show_file(self, file: CompanyFile) -> None:
        self._task = None
        if file.company.id != self.company_id:
            return
        self.file = file
        self.name_label.setText(file.company.title)
        self.setWindowTitle(_tr("物业企业：{name}").format(name=file.company.title))
        colour = LEVEL_BACKGROUNDS[file.level].name()
        alert = ALERT.name() if file.level is WarningLevel.RED else "#333333"
        badge = _tr("预警等级：{level}").format(level=level_text(file.level))
        self.level_label.setText(
            f"<span style='background:{colour}; color:{alert};'>&nbsp;{badge}&nbsp;</span>&nbsp;&nbsp;"
            + _tr(
                "有效记分 {points} 分 · 信用分（本区测算）{score} · 服务小区 {estates} 个 · 项目经理 {managers} 人"
            ).format(
                points=file.active_points,
                score=file.score,
                estates=len(file.estates),
                managers=len(file.managers),
            )
        )
        selected = self.selected_entry()
        self.estates.set_rows(file.estates)
        self.managers.set_rows(file.managers)
        self.contracts.set_rows(file.contracts)
        self.ledger.set_rows(file.ledger)
        if selected is not None:
            self.select_entry(selected.record.id)
        for key, count in (
            ("estates", len(file.estates)),
            ("managers", len(file.managers)),
            ("contracts", len(file.contracts)),
            ("ledger", len(file.ledger)),
        ):
            index = list(self.views).index(key)
            label = self.tabs.tabText(index).split("（")[0]
            self.tabs.setTabText(index, _tr("{label}（{count}）").format(label=label, count=count))
        self._update_step_buttons()

    # -- the ledger's workflow -------------------------------------------------------------------

    def selected_entry(self) -> LedgerEntry | None:
        index = self.views["ledger"].currentIndex()
        if not index.isValid():
            return None
        entry: LedgerEntry = self.ledger.row_object(self.proxies["ledger"].mapToSource(index).row())
        return entry

    def select_entry(self, event_id: int) -> bool:
        """Make the ledger row of credit event `event_id` current."""
        for row, entry in enumerate(self.ledger.rows()):
            if entry.record.id == event_id:
                index = self.proxies["ledger"].mapFromSource(self.ledger.index(row, 0))
                self.views["ledger"].setCurrentIndex(index)
                return True
        return False

    def _update_step_buttons(self, *_args: object) -> None:
        entry = self.selected_entry()
        values = entry.record.values if entry is not None else {}
        allowed = set(next_steps(values)) if entry is not None else set()
        correctable = entry is not None and entry.correctable_from is not None and not values.get("corrected_on")
        for step, button in self.step_buttons.items():
            wanted = self.services is not None and (correctable if step is None else step in allowed)
            if self.writes is not None:
                self.writes.follow(button, wanted, Action.RECORD_CREDIT)
            else:
                button.setEnabled(wanted)

    def ask_step(self, step: ObjectionStep | None) -> CreditStepDialog | None:
        """Ask the day of an objection step (or, `step` None, of a correction), then take it."""
        entry = self.selected_entry()
        if entry is None or self.services is None:
            return None
        title, label, note = _STEP_TEXTS[step] if step is not None else _CORRECT_TEXT
        if step is None and entry.correctable_from is not None:
            note += _tr("本条最早可于 {day} 修正。").format(day=entry.correctable_from.isoformat())
        dialog = CreditStepDialog(_tr(title), _tr(label), _tr(note), self)
        dialog.accepted.connect(functools.partial(self._step_chosen, dialog, step, entry))
        self.step_dialog = dialog
        dialog.open()
        return dialog

    def _step_chosen(self, dialog: CreditStepDialog, step: ObjectionStep | None, entry: LedgerEntry) -> None:
        self.step_dialog = None
        assert self.services is not None
        credit, on = self.services.credit, dialog.chosen
        event_id, version = entry.record.id, entry.record.version
        if step is None:
            work = functools.partial(credit.correct, event_id, on, expected_version=version)
        else:
            work = functools.partial(credit.advance_objection, event_id, step, on, expected_version=version)
        self.step_task = self.runner.run(
            lambda _progress: work(),
            on_result=lambda _version: self._step_done(event_id),
            on_error=self._step_failed,
            description=_tr("保存信用记分"),
            parent=self,
        )
        dialog.deleteLater()

    def _step_done(self, event_id: int) -> None:
        self.step_task = None
        log.info("credit event %s: workflow step saved", event_id)

    def _step_failed(self, error: BaseException) -> bool:
        self.step_task = None
        if not isinstance(error, UserError):
            return False  # a bug: the crash dialog
        QMessageBox.warning(self, _tr("不能保存"), error.message)
        return True
