"""Logging in on the command line (`--user`, the password from PUTUO_PASSWORD or a prompt) and the
`accounts` commands: turn accounts on, list, add, change, stop and restore accounts, set passwords."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING, TextIO

from putuo_community.cli.common import street_id_of
from putuo_community.domain.accounts import Action, Actor, Role
from putuo_community.domain.errors import PermissionDenied, UserError
from putuo_community.services import Services, current_user
from putuo_community.services.accounts import NOT_ENABLED, Account, AccountService

if TYPE_CHECKING:
    from putuo_community.storage.database import Database

PASSWORD_ENV = "PUTUO_PASSWORD"  # the password of --user (and the first administrator's, for `accounts enable`)
NEW_PASSWORD_ENV = "PUTUO_NEW_PASSWORD"  # a new password: `accounts add`, `reset`, `passwd`
USER_NEEDED = "已启用账户：请用 --user 指定账户（密码由 PUTUO_PASSWORD 或提示输入）"
ROLE_NAMES = [role.value for role in Role]


def add_account_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    accounts = commands.add_parser(
        "accounts", parents=[common], help="账户：启用账户、查看和维护账户（管理员）、修改本人密码"
    )
    actions = accounts.add_subparsers(dest="accounts_command", metavar="操作", required=True)
    enable = actions.add_parser(
        "enable",
        parents=[common],
        help=f"启用账户并设第一个管理员；密码由 {PASSWORD_ENV} 给出或两次提示输入（没有默认密码）",
    )
    enable.add_argument("--admin", required=True, metavar="账户名", help="第一个管理员的账户名")
    actions.add_parser("list", parents=[common], help="列出全部账户（管理员）")
    add = actions.add_parser(
        "add", parents=[common], help=f"新增账户（管理员）；其密码由 {NEW_PASSWORD_ENV} 给出或两次提示输入"
    )
    add.add_argument("name", metavar="账户名")
    add.add_argument("--role", required=True, choices=ROLE_NAMES, metavar="角色", help="、".join(ROLE_NAMES))
    add.add_argument("--street", metavar="街镇", help="街镇经办人所属街镇，例如 长征")
    change = actions.add_parser("change", parents=[common], help="修改账户的角色或所属街镇（管理员）")
    change.add_argument("name", metavar="账户名")
    change.add_argument("--role", choices=ROLE_NAMES, metavar="角色", help="、".join(ROLE_NAMES))
    change.add_argument("--street", metavar="街镇", help="街镇经办人所属街镇")
    disable = actions.add_parser("disable", parents=[common], help="停用账户（管理员）：不能再登录，记录保留")
    disable.add_argument("name", metavar="账户名")
    reactivate = actions.add_parser("reactivate", parents=[common], help="恢复启用已停用的账户（管理员）")
    reactivate.add_argument("name", metavar="账户名")
    reset = actions.add_parser(
        "reset",
        parents=[common],
        help=f"重设账户密码并解除锁定（管理员）；新密码由 {NEW_PASSWORD_ENV} 给出或两次提示输入",
    )
    reset.add_argument("name", metavar="账户名")
    actions.add_parser(
        "passwd",
        parents=[common],
        help=f"修改本人（--user）的密码：原密码同登录密码，新密码由 {NEW_PASSWORD_ENV} 给出或两次提示输入",
    )


def accounts_write(args: argparse.Namespace) -> bool:
    """Whether the accounts command changes the archive."""
    return bool(args.accounts_command != "list")


def log_in(args: argparse.Namespace, database: Database) -> Actor | None:
    """The account a command acts for once accounts are on (refused: `LoginRefused`, a UserError);
    None when they are off, and whoever runs the program may do everything."""
    accounts = AccountService(database, Actor.local(current_user()))
    name = getattr(args, "user", None)
    if not accounts.enabled():
        if name:
            print(f"注意：本档案未启用账户，--user {name} 不起作用。", file=sys.stderr)
        return None
    if not name:
        raise UserError(USER_NEEDED)
    return accounts.authenticate(name, _password(f"账户“{name}”的密码："))


def _password(prompt: str) -> str:
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    if not _can_prompt():
        raise UserError(f"请用环境变量 {PASSWORD_ENV} 给出密码（标准输入不是终端，无法提示输入）。")
    return getpass.getpass(prompt)


def _new_password(whose: str, env: str = NEW_PASSWORD_ENV) -> str:
    """A password being chosen: from `env`, or typed twice at the terminal."""
    given = os.environ.get(env)
    if given:
        return given
    if not _can_prompt():
        raise UserError(f"请用环境变量 {env} 给出{whose}的新密码（标准输入不是终端，无法提示输入）。")
    first = getpass.getpass(f"{whose}的新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise UserError("两次输入的密码不一致，未作修改。")
    return first


def _can_prompt() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def run_accounts(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    accounts = services.accounts
    command = args.accounts_command
    if command != "enable":
        _before_asking_for_a_password(services, admin=command != "passwd")
    if command == "enable":
        admin = accounts.enable(args.admin, _new_password(f"管理员“{args.admin}”", PASSWORD_ENV))
        print(
            f"已启用账户，管理员：{admin.name}。"
            f"此后每条命令须加 --user 账户名（密码由 {PASSWORD_ENV} 给出或提示输入）。",
            file=out,
        )
    elif command == "list":
        for account in accounts.list():
            print(_line(account), file=out)
    elif command == "add":
        street_id = street_id_of(services, args.street) if args.street else None
        password = _new_password(f"账户“{args.name}”")
        added = accounts.create(args.name, password, Role(args.role), street_id)
        print(f"已新增账户：{added.described}。", file=out)
    elif command == "change":
        if args.role is None and args.street is None:
            raise UserError("请用 --role 或 --street 给出要修改的内容。")
        street_id = street_id_of(services, args.street) if args.street else None
        role = Role(args.role) if args.role else None
        changed = accounts.update(args.name, role=role, street_id=street_id)
        print(f"已修改账户：{changed.described}。", file=out)
    elif command in ("disable", "reactivate"):
        changed = accounts.update(args.name, active=command == "reactivate")
        print(f"已{'恢复启用' if changed.active else '停用'}账户：{changed.name}。", file=out)
    elif command == "reset":
        accounts.reset_password(args.name, _new_password(f"账户“{args.name}”"))
        print(f"已重设账户“{args.name}”的密码，锁定已解除。", file=out)
    else:  # passwd: the old password is the one the session logged in with
        old = _password("原密码：")
        accounts.change_password(old, _new_password(f"账户“{services.actor.name}”"))
        print(f"已修改账户“{services.actor.name}”的密码。", file=out)
    return 0


def _before_asking_for_a_password(services: Services, *, admin: bool) -> None:
    """Refuse what the service would refuse anyway, before a clerk types a new password for nothing."""
    if not services.accounts.enabled():
        raise UserError(f"{NOT_ENABLED}请先由管理员启用账户（accounts enable --admin 账户名）。")
    refused = services.actor.why_not(Action.MANAGE_ACCOUNTS) if admin else None
    if refused is not None:
        raise PermissionDenied(refused)


def _line(account: Account) -> str:
    if not account.active:
        state = "停用"
    elif account.locked_until is not None:
        state = f"锁定至 {account.locked_until:%Y-%m-%d %H:%M:%S}"
    else:
        state = "在用"
    last = f"最近登录 {account.last_login_at:%Y-%m-%d %H:%M}" if account.last_login_at else "未登录过"
    return f"{account.name}\t{account.role.label}\t{account.street_name or '-'}\t{state}\t{last}"
