"""Accounts: turning them on, logging in, and an administrator managing them.

Accounts are on once the app_settings row "accounts.enabled" says so; `enable` writes it together with the
first administrator, and the archive is never left without an active administrator after that. Passwords
are kept only as scrypt hashes with a salt per account. Five wrong passwords in a row lock an account for
five minutes; the lock is in the database, so a restart does not lift it. Every change to an account is in
the change history (kind "账户") with its items in words, never a password or its hash.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from putuo_community.domain.accounts import (
    LOCK_MINUTES,
    MAX_FAILED_LOGINS,
    Action,
    Actor,
    Role,
    account_name_problem,
    password_problem,
)
from putuo_community.domain.errors import DuplicateRecord, PermissionDenied, RecordNotFound, UserError
from putuo_community.services.history import ChangeWriter
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES, accounts, app_settings, now

log = logging.getLogger(__name__)

ENABLED_KEY = "accounts.enabled"  # app_settings: "1" once an administrator has turned accounts on
CHANGES_KEY = "accounts"  # what the open views hear of when an account changes
HISTORY_KIND = "账户"
WRONG_NAME_OR_PASSWORD = "账户名或密码不正确"
NOT_ENABLED = "本档案尚未启用账户。"

_STREETS = TABLES["streets"]

# --- passwords ------------------------------------------------------------------------------------------

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_SALT_BYTES = 16
_MAX_MEMORY = 64 * 1024 * 1024  # scrypt needs 128·n·r bytes (16 MiB at the parameters above)


def hash_password(password: str) -> str:
    """ "scrypt$n$r$p$salt_hex$hash_hex" with a fresh random salt: what the accounts table keeps."""
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        found = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p), length=len(expected))
    except ValueError:  # not a hash this program wrote: nothing matches it
        return False
    return hmac.compare_digest(found, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, *, length: int = 32) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEMORY, dklen=length)


@functools.cache
def _nobody() -> str:
    """A hash no password was made for: an unknown name costs a login the same time as a known one."""
    return hash_password(secrets.token_hex(16))


# --- accounts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    street_id: int | None
    street_name: str
    active: bool
    locked_until: datetime | None  # None: not locked (a lock that has run out reads as None)
    failed_logins: int
    last_login_at: datetime | None

    @property
    def described(self) -> str:
        """张三（街镇经办人·长征镇）: as the history and the command line name it."""
        where = f"·{self.street_name}" if self.street_name else ""
        return f"{self.name}（{self.role.label}{where}）"


class LoginRefused(UserError):
    """A login refused: wrong name or password (never saying which), an account stopped, or locked until …"""


def _locked_message(until: datetime) -> str:
    return (
        f"账户已锁定：连续{MAX_FAILED_LOGINS}次密码错误，请于 {until:%Y-%m-%d %H:%M:%S} 之后再试，或请管理员重设密码。"
    )


def _status(active: bool) -> str:
    return "在用" if active else "停用"


class AccountService:
    """Accounts of one archive, as the session acting for `actor` may see and change them.

    `clock` gives the present (local wall-clock time, as every timestamp of the archive): tests move it on.
    """

    def __init__(self, database: Database, actor: Actor, *, clock: Callable[[], datetime] = now) -> None:
        self.database = database
        self.actor = actor
        self.clock = clock

    # --- on or off ----------------------------------------------------------------------------------------

    def enabled(self) -> bool:
        """Accounts are on for this archive: every session logs in."""
        with self.database.read() as conn:
            return _enabled(conn)

    def enable(self, admin_name: str, password: str) -> Actor:
        """Turn accounts on with the first administrator, who chooses the password (there is no default).

        Refused when accounts are already on; returns the administrator's session.
        """
        refused = self.actor.why_not(Action.MANAGE_ACCOUNTS)
        if refused is not None:
            raise PermissionDenied(refused)
        _check_name_and_password(admin_name, password)
        password_hash = hash_password(password)  # before the transaction: it takes a twentieth of a second
        with self.database.transaction() as conn:
            if _enabled(conn):
                raise UserError("本档案已启用账户，不能再次启用；账户由管理员在“账户管理”中维护。")
            if _row(conn, admin_name) is not None:
                raise DuplicateRecord(f"已有名为“{admin_name}”的账户。")
            writer = ChangeWriter(
                conn, user=self.actor.name, kind=HISTORY_KIND, description=f"启用账户，管理员：{admin_name}"
            )
            conn.execute(delete(app_settings).where(app_settings.c.key == ENABLED_KEY))
            conn.execute(insert(app_settings).values(key=ENABLED_KEY, value="1"))
            writer.setting_changed(CHANGES_KEY, "账户", {"启用账户": ("否", "是")})
            self._insert(conn, writer, admin_name, password_hash, Role.ADMIN, None)
        log.info("accounts turned on, first administrator %s", admin_name)
        return Actor(admin_name, Role.ADMIN, accounts_on=True)

    # --- logging in ---------------------------------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> Actor:
        """The session of the account `name` when `password` is its own; else `LoginRefused`.

        A wrong password counts; the fifth in a row locks the account for five minutes, even against the
        right password. A database opened read-only is only read: its counts and locks stay as they are.
        """
        at = self.clock()
        with self.database.read() as conn:
            if not _enabled(conn):
                raise UserError(NOT_ENABLED + "无需登录。")
            row = _row(conn, name)
            street_name = _street_name(conn, row.street_id) if row is not None else ""
        if row is None:
            password_matches(password, _nobody())  # the same time as for a real account
            raise LoginRefused(WRONG_NAME_OR_PASSWORD)
        if row.locked_until is not None and row.locked_until > at:
            raise LoginRefused(_locked_message(row.locked_until))
        right = password_matches(password, row.password_hash)
        if not right:
            locked_until = self._count_failure(row.id, at)
            if locked_until is not None:
                raise LoginRefused(f"{WRONG_NAME_OR_PASSWORD}。{_locked_message(locked_until)}")
            raise LoginRefused(WRONG_NAME_OR_PASSWORD)
        if not row.active:
            raise LoginRefused(f"账户“{name}”已停用，请联系管理员。")
        if self.database.writes_refused is None:
            with self.database.transaction() as conn:
                conn.execute(
                    update(accounts)
                    .where(accounts.c.id == row.id)
                    .values(failed_logins=0, locked_until=None, last_login_at=at)
                )
        return Actor(name, Role(row.role), row.street_id, street_name, accounts_on=True)

    def _count_failure(self, account_id: int, at: datetime) -> datetime | None:
        """One more wrong password; the time the account is now locked until, if this one locked it."""
        if self.database.writes_refused is not None:
            return None
        with self.database.transaction() as conn:
            # A lock that has run out starts the count again.
            conn.execute(
                update(accounts)
                .where(accounts.c.id == account_id, accounts.c.locked_until <= at)
                .values(failed_logins=0, locked_until=None)
            )
            conn.execute(
                update(accounts).where(accounts.c.id == account_id).values(failed_logins=accounts.c.failed_logins + 1)
            )
            failed = conn.scalar(select(accounts.c.failed_logins).where(accounts.c.id == account_id)) or 0
            if failed < MAX_FAILED_LOGINS:
                return None
            until = at + timedelta(minutes=LOCK_MINUTES)
            conn.execute(update(accounts).where(accounts.c.id == account_id).values(locked_until=until))
        log.warning("account locked until %s after %d wrong passwords", until, failed)
        return until

    # --- the administrator's work -------------------------------------------------------------------------

    def list(self) -> list[Account]:
        """Every account, by name (administrators only); none while accounts are off."""
        with self.database.read() as conn:
            if not _enabled(conn):
                return []
            self._check_admin(conn)
            rows = conn.execute(_query().order_by(accounts.c.name)).all()
        return [self._account(row) for row in rows]

    def create(self, name: str, password: str, role: Role, street_id: int | None = None) -> Account:
        """A new account (administrators only); a 街镇经办人 needs their 街镇, no other role has one."""
        _check_name_and_password(name, password)
        password_hash = hash_password(password)
        with self.database.transaction() as conn:
            self._check_admin(conn)
            _check_street(conn, role, street_id)
            if _row(conn, name) is not None:
                raise DuplicateRecord(f"已有名为“{name}”的账户。")
            writer = ChangeWriter(conn, user=self.actor.name, kind=HISTORY_KIND, description=f"新增账户：{name}")
            self._insert(conn, writer, name, password_hash, role, street_id)
            return self._account(_queried(conn, name))

    def update(
        self, name: str, *, role: Role | None = None, street_id: int | None = None, active: bool | None = None
    ) -> Account:
        """Change an account's role, 街镇 or whether it is in use (administrators only).

        A role other than 街镇经办人 has no 街镇 (it is cleared). Refused when it would leave no active
        administrator.
        """
        with self.database.transaction() as conn:
            self._check_admin(conn)
            before = self._account(_queried(conn, name))
            new_role = role or before.role
            new_street = (
                (street_id if street_id is not None else before.street_id) if new_role is Role.STREET_CLERK else None
            )
            new_active = before.active if active is None else active
            _check_street(conn, new_role, new_street)
            values: dict[str, Any] = {}
            if new_role is not before.role:
                values["role"] = new_role.value
            if new_street != before.street_id:
                values["street_id"] = new_street
            if new_active != before.active:
                values["active"] = new_active
            if not values:
                return before
            conn.execute(
                update(accounts)
                .where(accounts.c.name == name)
                .values(**values, version=accounts.c.version + 1, updated_at=self.clock())
            )
            if not _active_admins(conn):
                raise UserError(
                    f"“{name}”是唯一在用的管理员账户，不能停用或改为其他角色；请先设另一个管理员。数据未改动。"
                )
            after = self._account(_queried(conn, name))
            items = {
                "角色": (before.role.label, after.role.label),
                "街镇": (before.street_name, after.street_name),
                "状态": (_status(before.active), _status(after.active)),
            }
            writer = ChangeWriter(conn, user=self.actor.name, kind=HISTORY_KIND, description=f"修改账户：{name}")
            _write_history(writer, name, {k: v for k, v in items.items() if v[0] != v[1]})
            return after

    def reset_password(self, name: str, new_password: str) -> None:
        """Give `name` a new password (administrators only); also lifts a lock."""
        _check_password(new_password, name)
        password_hash = hash_password(new_password)
        with self.database.transaction() as conn:
            self._check_admin(conn)
            _queried(conn, name)
            self._store_password(conn, name, password_hash)
            writer = ChangeWriter(conn, user=self.actor.name, kind=HISTORY_KIND, description=f"重设账户密码：{name}")
            _write_history(writer, name, {"密码": ("", "已由管理员重设")})

    def change_password(self, old_password: str, new_password: str) -> None:
        """The session's own account gets `new_password`; `old_password` must be its present one."""
        name = self.actor.name
        with self.database.read() as conn:
            if not _enabled(conn):
                raise UserError(NOT_ENABLED + "没有账户密码可改。")
            row = _row(conn, name) if self.actor.accounts_on else None
        if row is None:
            raise PermissionDenied("已启用账户：请先登录，再修改自己的密码。")
        if not row.active:
            raise PermissionDenied(f"账户“{name}”已停用，请联系管理员。")
        if row.locked_until is not None and row.locked_until > self.clock():
            raise LoginRefused(_locked_message(row.locked_until))
        if not password_matches(old_password, row.password_hash):
            locked_until = self._count_failure(row.id, self.clock())
            suffix = _locked_message(locked_until) if locked_until is not None else "密码未修改。"
            raise LoginRefused(f"原密码不正确。{suffix}")
        if new_password == old_password:
            raise UserError("新密码不能与原密码相同。")
        _check_password(new_password, name)
        password_hash = hash_password(new_password)
        with self.database.transaction() as conn:
            self._store_password(conn, name, password_hash)
            writer = ChangeWriter(conn, user=name, kind=HISTORY_KIND, description=f"修改本人密码：{name}")
            _write_history(writer, name, {"密码": ("", "已由本人修改")})

    # --- helpers ------------------------------------------------------------------------------------------

    def _check_admin(self, conn: Connection) -> None:
        """Refuse unless accounts are on and the session is an administrator's, still active."""
        if not _enabled(conn):
            raise UserError(NOT_ENABLED + "请先由管理员启用账户（accounts enable --admin 账户名）。")
        if not self.actor.accounts_on:
            raise PermissionDenied("已启用账户：请先以管理员账户登录。")
        refused = self.actor.why_not(Action.MANAGE_ACCOUNTS)
        if refused is not None:
            raise PermissionDenied(refused)
        row = _row(conn, self.actor.name)
        if row is None or not row.active or row.role != Role.ADMIN.value:
            raise PermissionDenied(
                f"当前账户“{self.actor.name}”已停用或不再是管理员，无权{Action.MANAGE_ACCOUNTS.label}"
            )

    def _insert(
        self, conn: Connection, writer: ChangeWriter, name: str, password_hash: str, role: Role, street_id: int | None
    ) -> None:
        stamp = self.clock()
        conn.execute(
            insert(accounts).values(
                name=name,
                role=role.value,
                street_id=street_id,
                password_hash=password_hash,
                active=True,
                failed_logins=0,
                version=1,
                created_at=stamp,
                updated_at=stamp,
            )
        )
        items = {"角色": ("", role.label), "状态": ("", _status(True)), "密码": ("", "已设置")}
        if street_id is not None:
            items["街镇"] = ("", _street_name(conn, street_id))
        _write_history(writer, name, items)

    def _store_password(self, conn: Connection, name: str, password_hash: str) -> None:
        conn.execute(
            update(accounts)
            .where(accounts.c.name == name)
            .values(
                password_hash=password_hash,
                failed_logins=0,
                locked_until=None,
                version=accounts.c.version + 1,
                updated_at=self.clock(),
            )
        )

    def _account(self, row: Row[Any]) -> Account:
        locked = row.locked_until if row.locked_until is not None and row.locked_until > self.clock() else None
        return Account(
            name=row.name,
            role=Role(row.role),
            street_id=row.street_id,
            street_name=row.street_name or "",
            active=bool(row.active),
            locked_until=locked,
            failed_logins=int(row.failed_logins),
            last_login_at=row.last_login_at,
        )


def _enabled(conn: Connection) -> bool:
    return conn.scalar(select(app_settings.c.value).where(app_settings.c.key == ENABLED_KEY)) == "1"


def _row(conn: Connection, name: str) -> Row[Any] | None:
    return conn.execute(select(accounts).where(accounts.c.name == name)).first()


def _query() -> Any:
    return select(accounts, _STREETS.c.name.label("street_name")).outerjoin(
        _STREETS, _STREETS.c.id == accounts.c.street_id
    )


def _queried(conn: Connection, name: str) -> Row[Any]:
    row = conn.execute(_query().where(accounts.c.name == name)).first()
    if row is None:
        raise RecordNotFound(f"没有名为“{name}”的账户。")
    return row


def _street_name(conn: Connection, street_id: int | None) -> str:
    if street_id is None:
        return ""
    return str(conn.scalar(select(_STREETS.c.name).where(_STREETS.c.id == street_id)) or "")


def _active_admins(conn: Connection) -> int:
    query = select(func.count()).where(accounts.c.role == Role.ADMIN.value, accounts.c.active.is_(True))
    return int(conn.scalar(query) or 0)


def _check_street(conn: Connection, role: Role, street_id: int | None) -> None:
    if role is not Role.STREET_CLERK:
        if street_id is not None:
            raise UserError(f"只有街镇经办人属于某个街镇，{role.label}账户不指定街镇。")
        return
    if street_id is None:
        raise UserError("街镇经办人账户须指定所属街镇。")
    if not _street_name(conn, street_id):
        raise RecordNotFound(f"没有编号为 {street_id} 的街镇。")


def _check_name_and_password(name: str, password: str) -> None:
    problem = account_name_problem(name)
    if problem is not None:
        raise UserError(f"账户名不可用：{problem}。")
    _check_password(password, name)


def _check_password(password: str, name: str) -> None:
    problem = password_problem(password, name=name)
    if problem is not None:
        raise UserError(f"密码不可用：{problem}。")


def _write_history(writer: ChangeWriter, name: str, items: Mapping[str, tuple[str, str]]) -> None:
    """The account's changed items, in words; a password only ever as "已设置" / "已重设"."""
    writer.setting_changed(CHANGES_KEY, f"账户“{name}”", items)
