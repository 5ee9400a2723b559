"""The login asked at start once accounts are on: 账户 and 密码; the refusal shown in the dialog itself.

A wrong password, an unknown or disabled account and a locked one are all refused by the account
service (`LoginRefused`, its message says until when a locked account waits); the clerk reads why
under the fields and types the password again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from putuo_community import APP_TITLE
from putuo_community.domain.accounts import Actor
from putuo_community.domain.errors import UserError
from putuo_community.services.accounts import AccountService

REFUSAL_STYLE = "color: #b00020;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("LoginDialog", text)


class LoginDialog(QDialog):
    """Accepted once an account has logged in: `actor` is then the session's Actor."""

    def __init__(
        self, accounts: AccountService, *, database_name: str = "", name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.actor: Actor | None = None
        self.setWindowTitle(_tr("登录 — {app}").format(app=APP_TITLE))
        self.setMinimumWidth(400)
        intro = QLabel(_tr("本数据库已启用账户，请登录。"), self)
        intro.setWordWrap(True)
        where = QLabel(_tr("数据库：{name}").format(name=database_name), self)
        where.setWordWrap(True)
        where.setStyleSheet("color: #555555;")
        where.setVisible(bool(database_name))
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.name_edit = QLineEdit(name, self)
        self.name_edit.setAccessibleName(_tr("账户"))
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(_tr("密码"))
        form = QFormLayout()
        for text, edit in ((_tr("账户(&A)："), self.name_edit), (_tr("密码(&P)："), self.password_edit)):
            label = QLabel(text, self)
            label.setBuddy(edit)
            form.addRow(label, edit)

        self.message = QLabel(self)
        self.message.setObjectName("loginRefusal")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(REFUSAL_STYLE)
        self.message.hide()

        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton(_tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton(_tr("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.setDefault(True)  # Enter in either field logs in
        self.buttons.accepted.connect(self.log_in)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password_edit if name else self.name_edit).setFocus()

    @property
    def refusal(self) -> str:
        """The refusal on show ("" before any)."""
        return self.message.text() if not self.message.isHidden() else ""

    def log_in(self) -> bool:
        """Check the name and password; accept the dialog, or say why not and ask for the password again."""
        name = self.name_edit.text().strip()
        if not name:
            self._refuse(_tr("请输入账户名。"), self.name_edit)
            return False
        try:
            actor = self.accounts.authenticate(name, self.password_edit.text())
        except UserError as refused:  # wrong password, unknown, disabled or locked account
            self._refuse(refused.message, self.password_edit)
            return False
        self.actor = actor
        self.accept()
        return True

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.message.setText(text)
        self.message.show()
        self.password_edit.clear()
        field.setFocus()


def ask_login(accounts: AccountService, *, database_name: str = "", name: str = "") -> Actor | None:
    """The account logged in, or None when the clerk chose 退出."""
    dialog = LoginDialog(accounts, database_name=database_name, name=name)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.actor
        return None
    finally:
        dialog.deleteLater()
