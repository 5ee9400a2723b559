"""工具 → 信用预警设置 and 工具 → 法定节假日安排: the district's local credit policy and the holiday calendar.

Both are district settings kept in the database, so every clerk sees the same levels and deadlines;
each change goes in the change history. They are meant for administrators: until the program has
accounts, anyone who may write to the archive may change them (the dialogs say so).
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.accounts import Action
from putuo_community.domain.credit import THRESHOLD_LABELS, WarningThresholds
from putuo_community.domain.errors import UserError
from putuo_community.domain.workdays import parse_days
from putuo_community.gui.i18n import translator
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.gui.write_access import WriteAccess
from putuo_community.services import Services

_tr = translator("CreditSettings")

ADMIN_NOTE = _tr("此项设置今后仅限管理员修改；在启用用户账户之前，凡能写入档案的用户均可修改。每次修改都记入变更记录。")
_NUMBER_RANGES = {
    "red_points": (1, 200),
    "orange_points": (1, 200),
    "orange_recent_serious_days": (0, 366),
    "yellow_points": (1, 200),
    "manager_red_points": (1, 200),
    "score_base": (1, 1000),
}


def _error_box(parent: QWidget, title: str, error: BaseException) -> bool:
    if not isinstance(error, UserError):
        return False  # a bug: the crash dialog
    QMessageBox.warning(parent, title, error.message)
    return True


class CreditSettingsDialog(QDialog):
    """The warning thresholds and the score base, labelled as 普陀's local policy, not a published rule."""

    def __init__(self, services: Services, parent: QWidget | None = None, *, writes: WriteAccess | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = BackgroundRunner(self)
        self.save_task: Task | None = None
        self.setWindowTitle(_tr("信用预警设置"))
        self.setMinimumWidth(520)
        intro = QLabel(
            _tr(
                "信用预警等级和信用分是普陀区本地管理口径，不是公开发布的规定（官方口径为失信记分：特别严重18分、"
                "较严重6分、轻微3分，公示1年）。以下阈值按“有效记分”计算；信用分 = 基数 − 有效记分 + 有效业绩加分，"
                "仅用于排名和趋势。"
            ),
            self,
        )
        intro.setWordWrap(True)
        admin = QLabel(ADMIN_NOTE, self)
        admin.setWordWrap(True)
        admin.setStyleSheet("color: #a15c00;")
        self.editors: dict[str, QSpinBox | QCheckBox] = {}
        form = QFormLayout()
        for item in fields(WarningThresholds):
            label = _tr(THRESHOLD_LABELS[item.name])
            if item.name == "red_on_severe":
                box = QCheckBox(_tr("是"), self)
                self.editors[item.name] = box
                form.addRow(label, box)
                continue
            spin = QSpinBox(self)
            low, high = _NUMBER_RANGES[item.name]
            spin.setRange(low, high)
            self.editors[item.name] = spin
            form.addRow(label, spin)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.defaults_button = QPushButton(_tr("恢复默认值"), self)
        self.defaults_button.clicked.connect(lambda: self.show_thresholds(WarningThresholds()))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert self.save_button is not None
        assert cancel is not None
        self.save_button.setText(_tr("保存"))
        cancel.setText(_tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.defaults_button)
        footer.addStretch(1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(admin)
        layout.addWidget(self.status)
        layout.addLayout(footer)
        self.show_thresholds(services.credit.thresholds())
        if writes is not None:
            writes.follow(self.save_button, action=Action.LOCAL_POLICY)
            writes.follow(self.defaults_button, action=Action.LOCAL_POLICY)

    def show_thresholds(self, thresholds: WarningThresholds) -> None:
        for name, editor in self.editors.items():
            value = getattr(thresholds, name)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            else:
                editor.setValue(int(value))

    def thresholds(self) -> WarningThresholds:
        values: dict[str, Any] = {}
        for name, editor in self.editors.items():
            values[name] = editor.isChecked() if isinstance(editor, QCheckBox) else editor.value()
        return replace(WarningThresholds(), **values)

    def save(self) -> None:
        thresholds, credit = self.thresholds(), self.services.credit
        self.save_button.setEnabled(False)
        self.status.setText(_tr("正在保存……"))
        self.save_task = self.runner.run(
            lambda _progress: credit.set_thresholds(thresholds),
            on_result=lambda _none: self.accept(),
            on_error=self._failed,
            description=_tr("保存信用预警设置"),
            parent=self,
        )

    def _failed(self, error: BaseException) -> bool:
        self.save_task = None
        self.save_button.setEnabled(True)
        self.status.setText("")
        return _error_box(self, _tr("无法保存"), error)

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)


class HolidayCalendarDialog(QDialog):
    """Enter a year's official arrangement (放假日, 调休上班日) when the bundled library does not know it yet."""

    def __init__(self, services: Services, parent: QWidget | None = None, *, writes: WriteAccess | None = None) -> None:
        super().__init__(parent)
        self.calendars = services.credit.calendars
        self.runner = BackgroundRunner(self)
        self.save_task: Task | None = None
        self.setWindowTitle(_tr("法定节假日安排"))
        self.setMinimumWidth(560)
        self.known = QLabel(self)
        self.known.setWordWrap(True)
        admin = QLabel(ADMIN_NOTE, self)
        admin.setWordWrap(True)
        admin.setStyleSheet("color: #a15c00;")
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year + 1)
        self.year.valueChanged.connect(self._show_year)
        self.holidays = QPlainTextEdit(self)
        self.holidays.setPlaceholderText(_tr("每行一个日期或一段日期，例如：\n2027-01-01\n2027-02-06 至 2027-02-13"))
        self.workdays = QPlainTextEdit(self)
        self.workdays.setPlaceholderText(_tr("调休上班的周六、周日，例如：\n2027-02-14"))
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(_tr("依据的通知，例如：国务院办公厅关于2027年部分节假日安排的通知"))
        form = QFormLayout()
        form.addRow(_tr("年份"), self.year)
        form.addRow(_tr("放假日期"), self.holidays)
        form.addRow(_tr("调休上班日期"), self.workdays)
        form.addRow(_tr("依据"), self.note)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.remove_button = QPushButton(_tr("删除该年录入"), self)
        self.remove_button.clicked.connect(self.remove)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        assert self.save_button is not None
        assert close is not None
        self.save_button.setText(_tr("保存该年安排"))
        close.setText(_tr("关闭"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.remove_button)
        footer.addStretch(1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.known)
        layout.addLayout(form)
        layout.addWidget(admin)
        layout.addWidget(self.status)
        layout.addLayout(footer)
        if writes is not None:
            writes.follow(self.save_button, action=Action.LOCAL_POLICY)
            writes.follow(self.remove_button, action=Action.LOCAL_POLICY)
        self._refresh()

    def _refresh(self) -> None:
        entered = {a.year: a for a in self.calendars.entered()}
        library = self.calendars.library_years()
        span = f"{library[0]}–{library[-1]}" if library else _tr("无")
        listed = "、".join(f"{y}" for y in sorted(entered)) or _tr("无")
        self.known.setText(
            _tr(
                "异议处理期限等“工作日”按国务院办公厅公布的节假日安排计算。"
                "程序自带 {span} 年的安排（chinese-calendar）；已录入：{entered}。"
                "期限落在未知年份时按周一至周五推算，并在期限旁注明。"
            ).format(span=span, entered=listed)
        )
        self._entered = entered
        self._show_year()

    def _show_year(self) -> None:
        arrangement = self._entered.get(self.year.value())
        self.holidays.setPlainText(
            "\n".join(d.isoformat() for d in sorted(arrangement.holidays)) if arrangement else ""
        )
        self.workdays.setPlainText(
            "\n".join(d.isoformat() for d in sorted(arrangement.workdays)) if arrangement else ""
        )
        self.note.setText(arrangement.note if arrangement else "")
        self.remove_button.setVisible(arrangement is not None)

    def save(self) -> None:
        try:
            holidays = parse_days(self.holidays.toPlainText())
            workdays = parse_days(self.workdays.toPlainText())
        except ValueError as exc:
            self.status.setStyleSheet("color: #c62828;")
            self.status.setText(str(exc))
            return
        year, note, calendars = self.year.value(), self.note.text(), self.calendars
        self._run(lambda: calendars.set_year(year, holidays=holidays, workdays=workdays, note=note))

    def remove(self) -> None:
        year, calendars = self.year.value(), self.calendars
        self._run(lambda: calendars.remove_year(year))

    def _run(self, work: Any) -> None:
        self.status.setStyleSheet("")
        self.status.setText(_tr("正在保存……"))
        self.save_task = self.runner.run(
            lambda _progress: work(),
            on_result=self._saved,
            on_error=self._failed,
            description=_tr("保存法定节假日安排"),
            parent=self,
        )

    def _saved(self, _result: object) -> None:
        self.save_task = None
        self.status.setText(_tr("已保存。"))
        self._refresh()

    def _failed(self, error: BaseException) -> bool:
        self.save_task = None
        self.status.setText("")
        return _error_box(self, _tr("无法保存"), error)

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)


def add_credit_tools(window: QMainWindow, menu: QMenu, services: Services, writes: WriteAccess | None) -> None:
    """工具 → 信用预警设置…, 法定节假日安排… (each opens its dialog, kept on the window while open)."""

    def opener(make: Any) -> Any:
        def open_dialog() -> None:
            dialog = make(services, window, writes=writes)
            window.credit_tools_dialog = dialog  # type: ignore[attr-defined]  # kept alive, and reachable in tests
            dialog.open()

        return open_dialog

    for text, tip, make in (
        (_tr("信用预警设置(&C)…"), _tr("调整信用预警阈值和信用分基数（本区管理口径）"), CreditSettingsDialog),
        (_tr("法定节假日安排(&H)…"), _tr("录入程序尚不知道的年份的放假和调休安排"), HolidayCalendarDialog),
    ):
        action = QAction(text, window)
        action.setStatusTip(tip)
        action.triggered.connect(opener(make))
        menu.addAction(action)
