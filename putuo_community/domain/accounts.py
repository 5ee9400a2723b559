"""Accounts and roles: who may do what. Pure rules; the services enforce them, the GUI hides what they refuse.

Accounts are off on a single-user install: then the one who runs the program may do everything,
and the history names the computer's login. Once an administrator turns them on, every session
belongs to an account with one of four roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    ADMIN = "管理员"
    STREET_CLERK = "街镇经办人"
    SUPERVISOR = "区级监管"
    READER = "只读"

    @property
    def label(self) -> str:
        return self.value


class Action(Enum):
    """What a session may be allowed or refused; the label reads after "无权" in a refusal."""

    EDIT_RECORDS = "新增、修改或删除档案记录"  # estates and everything under them, companies, managers
    IMPORT = "导入台账"
    UNDO = "撤销批次"
    RECORD_CREDIT = "登记信用记分和异议"
    SEE_PERSONAL = "查看完整的身份证号、手机号"
    EXPORT_PERSONAL = "导出或打印完整的身份证号、手机号"
    LOCAL_POLICY = "修改本区管理口径（预警阈值、提醒设置、节假日安排）"
    MANAGE_ACCOUNTS = "管理账户"
    BACKUP = "备份数据库"
    RESTORE = "从备份恢复数据库"
    GENERATE_DEMO = "生成演示数据"

    @property
    def label(self) -> str:
        return self.value


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    # Their own 街镇's estates (and the companies serving them): the services check the 街镇.
    Role.STREET_CLERK: frozenset(
        {Action.EDIT_RECORDS, Action.IMPORT, Action.UNDO, Action.SEE_PERSONAL, Action.EXPORT_PERSONAL, Action.BACKUP}
    ),
    Role.SUPERVISOR: frozenset({Action.RECORD_CREDIT, Action.SEE_PERSONAL, Action.EXPORT_PERSONAL, Action.BACKUP}),
    Role.READER: frozenset(),
}

# Actions a 街镇经办人 may take only on the records of their own 街镇.
STREET_SCOPED = frozenset({Action.EDIT_RECORDS, Action.IMPORT, Action.UNDO})


@dataclass(frozen=True)
class Actor:
    """The one a session acts for: an account, or (accounts off) whoever runs the program."""

    name: str  # the account name, or the computer's login when accounts are off; the history records it
    role: Role = Role.ADMIN
    street_id: int | None = None  # a 街镇经办人's own 街镇
    street_name: str = ""
    accounts_on: bool = False

    @classmethod
    def local(cls, login: str) -> Actor:
        """Accounts off: the person at this computer may do everything."""
        return cls(login, Role.ADMIN)

    @property
    def shown_as(self) -> str:
        """How the status bar and refusals name the session: 张三（街镇经办人·长征镇）."""
        if not self.accounts_on:
            return self.name
        where = f"·{self.street_name}" if self.role is Role.STREET_CLERK and self.street_name else ""
        return f"{self.name}（{self.role.label}{where}）"

    def may(self, action: Action) -> bool:
        return action in _ALLOWED[self.role]

    def why_not(self, action: Action) -> str | None:
        """None when allowed; otherwise the refusal a clerk reads (also the GUI's tooltip)."""
        if self.may(action):
            return None
        return f"当前账户“{self.name}”（{self.role.label}）无权{action.label}"

    def why_not_in_street(self, action: Action, street_id: int | None, street_name: str = "") -> str | None:
        """As `why_not`, for a record of the 街镇 `street_id` (None: a record of no 街镇, e.g. a company)."""
        refused = self.why_not(action)
        if refused is not None or self.role is not Role.STREET_CLERK or action not in STREET_SCOPED:
            return refused
        if street_id is not None and street_id == self.street_id:
            return None
        other = f"“{street_name}”的" if street_name else "其他街镇的"
        return f"当前账户“{self.name}”只能处理{self.street_name or '本街镇'}的档案，无权处理{other}记录"


# --- passwords -------------------------------------------------------------------------------

MIN_PASSWORD_LENGTH = 8
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 5


def password_problem(password: str, *, name: str = "") -> str | None:
    """None when the password may be used; else why not. There is no default password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少{MIN_PASSWORD_LENGTH}位"
    if password.strip() != password:
        return "密码首尾不能有空格"
    if name and password.casefold() == name.casefold():
        return "密码不能与账户名相同"
    if len(set(password)) < 3:
        return "密码过于简单"
    return None


ACCOUNT_NAME_MAX = 32


def account_name_problem(name: str) -> str | None:
    if not name or name != name.strip():
        return "账户名不能为空，首尾不能有空格"
    if len(name) > ACCOUNT_NAME_MAX:
        return f"账户名不超过{ACCOUNT_NAME_MAX}个字符"
    if any(ch.isspace() or ord(ch) < 32 for ch in name):
        return "账户名不能含空格或控制字符"
    return None
