"""Accounts in the GUI: 账户管理 (the administrator's list; add, reset a password, disable or enable),
修改密码 (one's own), and 启用账户 (accounts off: the first administrator).

Every change goes through the account service, which refuses what the session may not do; a refusal
is shown in the form (or as a message) and nothing changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.accounts import Action, Role, account_name_problem, password_problem
from putuo_community.domain.errors import UserError
from putuo_community.gui.models import Column, RowSortProxy, RowTableModel, native_sort_value
from putuo_community.gui.widgets import make_table_view, size_columns
from putuo_community.gui.write_access import WriteAccess
from putuo_community.services import Services
from putuo_community.services.accounts import Account

REFUSAL_STYLE = "color: #b00020;"
D = TypeVar("D", bound=QDialog)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountsDialog", text)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%d %H:%M")


def locked_now(account: Account, now: datetime | None = None) -> bool:
    until = account.locked_until
    if until is None:
        return False
    now = now or datetime.now(until.tzinfo)
    return until > now


def _state(account: Account) -> str:
    return _tr("在用") if account.active else _tr("停用")


def _locked(account: Account) -> str:
    return _tr("锁定至 {time}").format(time=_when(account.locked_until)) if locked_now(account) else ""


ACCOUNT_COLUMNS = (
    Column(_tr("账户"), lambda a: a.name, lambda a: a.name, width_chars=14),
    Column(_tr("角色"), lambda a: a.role.label, lambda a: list(Role).index(a.role), width_chars=10),
    Column(_tr("街镇"), lambda a: a.street_name, lambda a: native_sort_value(a.street_name), width_chars=10),
    Column(_tr("状态"), _state, lambda a: int(a.active), width_chars=6),
    Column(_tr("锁定"), _locked, lambda a: native_sort_value(_locked(a)), width_chars=18),
    Column(
        _tr("最近登录"), lambda a: _when(a.last_login_at), lambda a: native_sort_value(a.last_login_at), width_chars=16
    ),
)


class AccountModel(RowTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ACCOUNT_COLUMNS, parent)


class _Form(QDialog):
    """A small form with a refusal line: `submit` says why not, or does the work and closes."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("formRefusal")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(REFUSAL_STYLE)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.buttons)

    def line(self, label: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit(self)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(label.split("(")[0].rstrip("："))
        self.form.addRow(label, edit)
        return edit

    @property
    def refusal(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def refuse(self, text: str, field: QWidget | None = None) -> bool:
        self.message.setText(text)
        self.message.show()
        if field is not None:
            field.setFocus()
        return False

    def submit(self) -> bool:
        problem = self.problem()
        if problem is not None:
            return self.refuse(*problem)
        try:
            self.work()
        except UserError as refused:
            return self.refuse(refused.message)
        self.accept()
        return True

    def problem(self) -> tuple[str, QWidget] | None:
        return None

    def work(self) -> None:
        raise NotImplementedError

    def password_problem(self, first: QLineEdit, again: QLineEdit, name: str) -> tuple[str, QWidget] | None:
        problem = password_problem(first.text(), name=name)
        if problem is not None:
            return problem, first
        if first.text() != again.text():
            again.clear()
            return _tr("两次输入的密码不一致"), again
        return None


class NewAccountDialog(_Form):
    """账户名, 角色, 街镇 (a 街镇经办人's), the initial password twice."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(_tr("新增账户"), parent)
        self.services = services
        self.created: Account | None = None
        self.name_edit = self.line(_tr("账户名："))
        self.role_combo = QComboBox(self)
        for role in Role:
            self.role_combo.addItem(role.label, role)
        self.form.addRow(_tr("角色："), self.role_combo)
        self.street_combo = QComboBox(self)
        for street in services.records.list("streets", order_by=("id",)):
            self.street_combo.addItem(street.title, street.id)
        self.form.addRow(_tr("街镇："), self.street_combo)
        self.password_edit = self.line(_tr("初始密码："), secret=True)
        self.again_edit = self.line(_tr("再次输入："), secret=True)
        note = QLabel(_tr("初始密码请当面告知本人，并提醒登录后在“工具 → 修改密码”中改掉。"), self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        self.layout_.insertWidget(1, note)
        self.role_combo.currentIndexChanged.connect(self._role_changed)
        self.role_combo.setCurrentIndex(list(Role).index(Role.STREET_CLERK))
        self._role_changed()

    @property
    def role(self) -> Role:
        role = self.role_combo.currentData()
        assert isinstance(role, Role)
        return role

    def _role_changed(self) -> None:
        clerk = self.role is Role.STREET_CLERK
        self.street_combo.setEnabled(clerk)
        self.street_combo.setToolTip("" if clerk else _tr("只有街镇经办人属于一个街镇"))

    def problem(self) -> tuple[str, QWidget] | None:
        name = self.name_edit.text()
        problem = account_name_problem(name)
        if problem is not None:
            return problem, self.name_edit
        if self.role is Role.STREET_CLERK and self.street_combo.currentData() is None:
            return _tr("请为街镇经办人选择街镇"), self.street_combo
        return self.password_problem(self.password_edit, self.again_edit, name)

    def work(self) -> None:
        street = self.street_combo.currentData() if self.role is Role.STREET_CLERK else None
        self.created = self.services.accounts.create(
            self.name_edit.text(), self.password_edit.text(), self.role, int(street) if street is not None else None
        )


class PasswordDialog(_Form):
    """The session's own new password (the old one first), or, `account` given, an administrator's reset."""

    def __init__(self, services: Services, parent: QWidget | None = None, *, account: str | None = None) -> None:
        super().__init__(_tr("重置密码") if account else _tr("修改密码"), parent)
        self.services = services
        self.account = account
        self.old_edit: QLineEdit | None = None
        if account is None:
            self.old_edit = self.line(_tr("原密码："), secret=True)
        else:
            self.form.addRow(_tr("账户："), QLabel(account, self))
        self.password_edit = self.line(_tr("新密码："), secret=True)
        self.again_edit = self.line(_tr("再次输入："), secret=True)
        if account is not None:
            note = QLabel(_tr("重置后该账户的锁定随即解除；请把新密码当面告知本人。"), self)
            note.setWordWrap(True)
            self.layout_.insertWidget(1, note)

    def problem(self) -> tuple[str, QWidget] | None:
        name = self.account or self.services.actor.name
        return self.password_problem(self.password_edit, self.again_edit, name)

    def work(self) -> None:
        if self.account is not None:
            self.services.accounts.reset_password(self.account, self.password_edit.text())
        else:
            assert self.old_edit is not None
            self.services.accounts.change_password(self.old_edit.text(), self.password_edit.text())


class EnableAccountsDialog(_Form):
    """Accounts off: the first administrator's name and password; from the next start a login is asked."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(_tr("启用账户"), parent)
        self.services = services
        note = QLabel(
            _tr(
                "启用账户后，每次启动程序都要登录，变更记录中记下的是账户名。"
                "先设定第一个管理员的账户名和密码（没有默认密码，请牢记）；"
                "之后可在“工具 → 账户管理”中为街镇经办人、区级监管和只读人员新增账户。"
            ),
            self,
        )
        note.setWordWrap(True)
        self.layout_.insertWidget(0, note)
        self.name_edit = self.line(_tr("管理员账户名："))
        self.name_edit.setText(services.actor.name)
        self.password_edit = self.line(_tr("密码："), secret=True)
        self.again_edit = self.line(_tr("再次输入："), secret=True)
        self.ok_button.setText(_tr("启用"))

    def problem(self) -> tuple[str, QWidget] | None:
        name = self.name_edit.text()
        problem = account_name_problem(name)
        if problem is not None:
            return problem, self.name_edit
        return self.password_problem(self.password_edit, self.again_edit, name)

    def work(self) -> None:
        self.services.accounts.enable(self.name_edit.text(), self.password_edit.text())


class AccountsDialog(QDialog):
    """账户管理: every account with its role, 街镇, state and lock; the administrator's changes."""

    def __init__(self, services: Services, parent: QWidget | None = None, *, writes: WriteAccess | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.writes = writes if writes is not None else WriteAccess(services, self)
        self.form: QDialog | None = None
        self.setWindowTitle(_tr("账户管理"))
        self.resize(760, 420)
        self.model = AccountModel(self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        size_columns(self.view, self.model)
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.add_button = QPushButton(_tr("新增账户(&N)…"), self)
        self.add_button.clicked.connect(self.add_account)
        self.reset_button = QPushButton(_tr("重置密码(&R)…"), self)
        self.reset_button.setToolTip(_tr("为所选账户设一个新密码，并解除锁定"))
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button = QPushButton(_tr("停用(&D)"), self)
        self.active_button.clicked.connect(self.toggle_active)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.writes.changed.connect(self._update_buttons)
        self.reload()

    # -- the list --------------------------------------------------------------------------

    def reload(self) -> None:
        chosen = self.selected()
        try:
            accounts = self.services.accounts.list()
        except UserError as refused:
            self.model.set_rows([])
            QMessageBox.warning(self, _tr("账户管理"), refused.message)
        else:
            self.model.set_rows(accounts)
        if chosen is not None:
            self.select(chosen.name)
        self._update_buttons()

    def accounts(self) -> list[Account]:
        return [self.proxy.row_object(row) for row in range(self.proxy.rowCount())]

    def selected(self) -> Account | None:
        index = self.view.currentIndex()
        return self.proxy.row_object(index.row()) if index.isValid() else None

    def select(self, name: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_object(row).name == name:
                self.view.setCurrentIndex(self.proxy.index(row, 0))
                return True
        return False

    def _update_buttons(self, *_args: object) -> None:
        account = self.selected()
        manage = Action.MANAGE_ACCOUNTS
        self.writes.follow(self.add_button, action=manage)
        self.writes.follow(self.reset_button, account is not None, manage)
        self.active_button.setText(_tr("启用(&E)") if account is not None and not account.active else _tr("停用(&D)"))
        self.writes.follow(self.active_button, account is not None, manage)

    # -- changes ---------------------------------------------------------------------------

    def add_account(self) -> NewAccountDialog:
        dialog = NewAccountDialog(self.services, self)
        dialog.accepted.connect(self._added)
        return self._open(dialog)

    def _added(self) -> None:
        dialog = self.sender()
        self.reload()
        if isinstance(dialog, NewAccountDialog) and dialog.created is not None:
            self.select(dialog.created.name)

    def reset_password(self) -> PasswordDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = PasswordDialog(self.services, self, account=account.name)
        dialog.accepted.connect(self.reload)
        return self._open(dialog)

    def toggle_active(self) -> bool:
        """Disable the chosen account (asked first), or enable it again; a refusal is shown as a message."""
        account = self.selected()
        if account is None:
            return False
        if account.active:
            answer = QMessageBox.question(
                self,
                _tr("停用账户"),
                _tr("停用账户“{name}”？停用后它不能再登录，变更记录中它的历史保留不变。").format(name=account.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            self.services.accounts.update(account.name, active=not account.active)
        except UserError as refused:
            QMessageBox.warning(self, _tr("无法修改账户"), refused.message)
            return False
        self.reload()
        return True

    def _open(self, dialog: D) -> D:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = dialog
        dialog.open()
        return dialog


class AccountTools:
    """工具 → 修改密码…, 账户管理… (accounts on), or 启用账户… (accounts off), on a main window."""

    def __init__(self, window: QMainWindow, menu: QMenu, services: Services, writes: WriteAccess) -> None:
        self.window = window
        self.services = services
        self.writes = writes
        self.dialog: QDialog | None = None  # the one open, for tests
        actor = services.actor
        menu.setToolTipsVisible(True)  # a refused entry says why on hover
        menu.addSeparator()
        self.password_action: QAction | None = None
        self.manage_action: QAction | None = None
        self.enable_action: QAction | None = None
        if actor.accounts_on:
            self.password_action = QAction(_tr("修改密码(&P)…"), window)
            self.password_action.setStatusTip(_tr("修改当前账户“{name}”的密码").format(name=actor.name))
            self.password_action.triggered.connect(self.change_password)
            self.manage_action = QAction(_tr("账户管理(&U)…"), window)
            self.manage_action.setStatusTip(_tr("新增账户、重置密码、停用或启用账户"))
            self.manage_action.triggered.connect(self.manage_accounts)
            menu.addAction(self.password_action)
            menu.addAction(self.manage_action)
        else:
            self.enable_action = QAction(_tr("启用账户(&U)…"), window)
            self.enable_action.setStatusTip(_tr("设定第一个管理员；之后每次启动都要登录，按角色分配权限"))
            self.enable_action.triggered.connect(self.enable_accounts)
            menu.addAction(self.enable_action)
        writes.changed.connect(self.update)
        self.update()

    def update(self) -> None:
        refusal = self.writes.refusal
        if self.password_action is not None:  # one's own password: any account, while the archive may be written
            self.password_action.setEnabled(refusal is None)
            self.password_action.setToolTip(refusal or self.password_action.statusTip())
        if self.manage_action is not None:
            self.writes.follow(self.manage_action, action=Action.MANAGE_ACCOUNTS)
        if self.enable_action is not None:
            self.writes.follow(self.enable_action, action=Action.MANAGE_ACCOUNTS)

    def change_password(self) -> PasswordDialog:
        dialog = PasswordDialog(self.services, self.window)
        dialog.accepted.connect(self._password_changed)
        return self._open(dialog)

    def _password_changed(self) -> None:
        QMessageBox.information(self.window, _tr("修改密码"), _tr("密码已修改，下次登录请使用新密码。"))

    def manage_accounts(self) -> AccountsDialog:
        return self._open(AccountsDialog(self.services, self.window, writes=self.writes))

    def enable_accounts(self) -> EnableAccountsDialog:
        dialog = EnableAccountsDialog(self.services, self.window)
        dialog.accepted.connect(self._enabled)
        return self._open(dialog)

    def _enabled(self) -> None:
        dialog = self.dialog
        name = dialog.name_edit.text() if isinstance(dialog, EnableAccountsDialog) else ""
        if self.enable_action is not None:
            self.enable_action.setEnabled(False)
            self.enable_action.setToolTip(_tr("账户已启用，重新启动程序后生效"))
        QMessageBox.information(
            self.window,
            _tr("账户已启用"),
            _tr(
                "账户已启用，管理员为“{name}”。\n本次运行不受影响；下次启动程序时需要登录，"
                "届时可在“工具 → 账户管理”中为其他人新增账户。"
            ).format(name=name),
        )

    def _open(self, dialog: D) -> D:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog
