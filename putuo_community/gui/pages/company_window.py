"""One property company in a window of its own: its warning level, the estates it serves, its project
managers, its contracts and its credit ledger with the dates each entry's rules give it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTableView, QTabWidget, QVBoxLayout, QWidget

from putuo_community.domain.credit import WarningLevel
from putuo_community.domain.registers import CONTRACTS
from putuo_community.gui.i18n import translator
from putuo_community.gui.list_columns import ALERT, LEVEL_BACKGROUNDS, level_text
from putuo_community.gui.models import Column, RowSortProxy, RowTableModel, native_sort_value, record_column
from putuo_community.gui.widgets import enlarged_font, make_table_view, size_columns
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.services.listing import CompanyFile, LedgerEntry, ListingService

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


def ledger_columns() -> tuple[Column, ...]:
    def show(key: str) -> Any:
        return lambda e: e.record.display(key)

    def dated(getter: Any) -> tuple[Any, Any]:
        return (lambda e: _day(getter(e)), lambda e: native_sort_value(getter(e)))

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
            lambda e: _tr("有效") if e.active else _tr("已失效"),
            lambda e: int(not e.active),
            width_chars=6,
        ),
        Column(
            _tr("有效至"),
            *dated(lambda e: e.active_until),
            tooltip=lambda _e: _tr("记分自认定之日起公布并有效 1 年"),
            width_chars=11,
        ),
        Column(
            _tr("可申请修正"),
            lambda e: _day(e.correctable_from) if e.correctable_from else _tr("不可修正"),
            lambda e: native_sort_value(e.correctable_from),
            tooltip=lambda _e: _tr("轻微失信满 1 个月、较严重满 3 个月后可申请信用修正；特别严重不可修正"),
            width_chars=11,
        ),
        Column(_tr("异议"), show("objection"), lambda e: e.record.display("objection"), width_chars=9),
        Column(
            _tr("异议处理期限"),
            *dated(lambda e: e.objection_deadline),
            tooltip=lambda _e: _tr("自异议提出之日起 15 个工作日（未计入法定节假日调休）"),
            width_chars=11,
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


class CompanyWindow(QWidget):
    """The company, read in the background; reopened for another company, it reads that one."""

    def __init__(self, listing: ListingService, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.listing = listing
        self.runner = runner
        self.company_id: int | None = None
        self.file: CompanyFile | None = None
        self._task: Task | None = None
        self.resize(1000, 620)

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
            self.tabs.addTab(view, label)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addWidget(self.level_label)
        layout.addWidget(self.tabs, 1)

    def show_company(self, company_id: int, title: str = "") -> None:
        self.company_id = company_id
        self.setWindowTitle(_tr("物业企业：{name}").format(name=title) if title else _tr("物业企业"))
        self.name_label.setText(title or _tr("正在读取…"))
        self.level_label.setText(_tr("正在读取…"))
        if self._task is not None:
            self._task.cancel()
        listing, today = self.listing, date.today()
        self._task = self.runner.run(
            lambda _progress: listing.company_file(company_id, today=today),
            on_result=self._show_file,
            description=_tr("读取物业企业"),
            parent=self,
        )
        self.show()
        self.raise_()
        self.activateWindow()

    def reload(self) -> None:
        if self.company_id is not None and self.isVisible():
            self.show_company(self.company_id, self.windowTitle().partition("：")[2])

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
        self.estates.set_rows(file.estates)
        self.managers.set_rows(file.managers)
        self.contracts.set_rows(file.contracts)
        self.ledger.set_rows(file.ledger)
        for key, count in (
            ("estates", len(file.estates)),
            ("managers", len(file.managers)),
            ("contracts", len(file.contracts)),
            ("ledger", len(file.ledger)),
        ):
            index = list(self.views).index(key)
            label = self.tabs.tabText(index).split("（")[0]
            self.tabs.setTabText(index, _tr("{label}（{count}）").format(label=label, count=count))
