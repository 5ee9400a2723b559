"""Accounts: turned on by an administrator, logins that lock after five wrong passwords, managed by
administrators only, every change in the history without a password. On SQLite and on the server."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import inspect, select

from putuo_community.domain.accounts import Actor, Role
from putuo_community.domain.errors import DuplicateRecord, PermissionDenied, UserError
from putuo_community.domain.registers import REGISTERS
from putuo_community.services import Services
from putuo_community.services.accounts import (
    WRONG_NAME_OR_PASSWORD,
    AccountService,
    LoginRefused,
    password_matches,
)
from putuo_community.services.change_log import HistoryFilter
from putuo_community.storage.database import HEAD_REVISION, Database, alembic_config, current_revision, open_database
from putuo_community.storage.schema import accounts

ADMIN, ADMIN_PASSWORD = "管理员甲", "Putuo-2026!"
CLERK, CLERK_PASSWORD = "长征经办", "changzheng-88"
START = datetime(2026, 12, 7, 9, 0, 0)


class Clock:
    """The present as the service sees it; a test moves it on."""

    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def admin(database: Database, clock: Clock) -> AccountService:
    """Accounts turned on by the computer's user, and the first administrator's service."""
    actor = AccountService(database, Actor.local("本机用户"), clock=clock).enable(ADMIN, ADMIN_PASSWORD)
    return AccountService(database, actor, clock=clock)


def _street_id(database: Database, name: str) -> int:
    return Services.build(database, user="测试员").records.list("streets", filters={"name": name})[0].id


def _clerk(admin: AccountService, database: Database) -> None:
    admin.create(CLERK, CLERK_PASSWORD, Role.STREET_CLERK, _street_id(database, "长征镇"))


def _as(database: Database, actor: Actor, clock: Clock) -> AccountService:
    return AccountService(database, actor, clock=clock)


def _reopened(database: Database) -> Database:
    return open_database(database.url.render_as_string(hide_password=False))


def test_a_fresh_archive_has_accounts_off_and_no_login(database: Database, clock: Clock) -> None:
    service = AccountService(database, Actor.local("本机用户"), clock=clock)
    assert not service.enabled()
    assert service.list() == []
    with pytest.raises(UserError, match="尚未启用账户"):
        service.authenticate(ADMIN, ADMIN_PASSWORD)
    with pytest.raises(UserError, match="尚未启用账户"):
        service.create(CLERK, CLERK_PASSWORD, Role.READER)


def test_enabling_makes_the_first_administrator_with_the_chosen_password(database: Database, clock: Clock) -> None:
    local = AccountService(database, Actor.local("本机用户"), clock=clock)
    with pytest.raises(UserError, match="密码至少8位"):
        local.enable(ADMIN, "short1")
    assert not local.enabled()  # a refused password turned nothing on
    actor = local.enable(ADMIN, ADMIN_PASSWORD)
    assert actor == Actor(ADMIN, Role.ADMIN, accounts_on=True)
    assert local.enabled()
    with pytest.raises(UserError, match="已启用账户"):
        local.enable("第二个", "another-pass-1")
    logged_in = local.authenticate(ADMIN, ADMIN_PASSWORD)
    assert (logged_in.role, logged_in.accounts_on) == (Role.ADMIN, True)
    assert [a.name for a in _as(database, logged_in, clock).list()] == [ADMIN]


def test_the_password_is_kept_only_as_a_salted_scrypt_hash(admin: AccountService, database: Database) -> None:
    admin.create("甲", ADMIN_PASSWORD, Role.READER)
    with database.read() as conn:
        stored = dict(conn.execute(select(accounts.c.name, accounts.c.password_hash)).all())
    assert stored[ADMIN].startswith("scrypt$16384$8$1$")
    assert ADMIN_PASSWORD not in stored[ADMIN]
    assert len(stored[ADMIN].split("$")[4]) == 32  # 16 bytes of salt
    assert stored[ADMIN] != stored["甲"]  # one password, two salts, two hashes
    assert password_matches(ADMIN_PASSWORD, stored["甲"])
    assert not password_matches(ADMIN_PASSWORD + "x", stored["甲"])


def test_a_wrong_password_and_an_unknown_name_are_refused_alike(admin: AccountService) -> None:
    with pytest.raises(LoginRefused) as wrong:
        admin.authenticate(ADMIN, "not-the-password")
    with pytest.raises(LoginRefused) as unknown:
        admin.authenticate("无此人", "not-the-password")
    assert wrong.value.message == unknown.value.message == WRONG_NAME_OR_PASSWORD


def test_five_wrong_passwords_lock_the_account_for_five_minutes(admin: AccountService, clock: Clock) -> None:
    for _ in range(4):
        with pytest.raises(LoginRefused, match=WRONG_NAME_OR_PASSWORD):
            admin.authenticate(ADMIN, "wrong-password")
    assert admin.authenticate(ADMIN, ADMIN_PASSWORD).name == ADMIN  # four, then the right one: counted from 0
    for _ in range(4):
        with pytest.raises(LoginRefused) as refused:
            admin.authenticate(ADMIN, "wrong-password")
        assert "锁定" not in refused.value.message
    with pytest.raises(LoginRefused, match=r"账户已锁定.*2026-12-07 09:05:00"):
        admin.authenticate(ADMIN, "wrong-password")
    clock.at = START + timedelta(minutes=5, seconds=-1)
    with pytest.raises(LoginRefused, match="请于 2026-12-07 09:05:00 之后再试"):
        admin.authenticate(ADMIN, ADMIN_PASSWORD)  # even the right password, a second before the end
    clock.at = START + timedelta(minutes=5)
    assert admin.authenticate(ADMIN, ADMIN_PASSWORD).role is Role.ADMIN


def test_after_a_lock_runs_out_the_count_starts_again(admin: AccountService, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises(LoginRefused):
            admin.authenticate(ADMIN, "wrong-password")
    clock.at = START + timedelta(minutes=6)
    with pytest.raises(LoginRefused) as refused:
        admin.authenticate(ADMIN, "wrong-password")
    assert refused.value.message == WRONG_NAME_OR_PASSWORD  # one wrong after the lock, not locked again
    assert admin.authenticate(ADMIN, ADMIN_PASSWORD).name == ADMIN


def test_the_lock_survives_reopening_the_database(admin: AccountService, database: Database, clock: Clock) -> None:
    _clerk(admin, database)
    for _ in range(5):
        with pytest.raises(LoginRefused):
            admin.authenticate(CLERK, "wrong-password")
    database.dispose()
    again = _reopened(database)
    try:
        service = AccountService(again, Actor.local("本机用户"), clock=clock)
        assert service.enabled()
        with pytest.raises(LoginRefused, match="账户已锁定"):
            service.authenticate(CLERK, CLERK_PASSWORD)
        listed = {a.name: a for a in _as(again, service.authenticate(ADMIN, ADMIN_PASSWORD), clock).list()}
        assert listed[CLERK].locked_until == START + timedelta(minutes=5)
        assert listed[CLERK].failed_logins == 5
        assert (listed[ADMIN].locked_until, listed[ADMIN].last_login_at) == (None, START)
    finally:
        again.dispose()


def test_a_street_clerk_logs_in_with_their_street(admin: AccountService, database: Database) -> None:
    _clerk(admin, database)
    actor = admin.authenticate(CLERK, CLERK_PASSWORD)
    assert (actor.role, actor.street_name, actor.accounts_on) == (Role.STREET_CLERK, "长征镇", True)
    assert actor.street_id == _street_id(database, "长征镇")
    with pytest.raises(UserError, match="须指定所属街镇"):
        admin.create("无街镇", CLERK_PASSWORD, Role.STREET_CLERK)
    with pytest.raises(UserError, match="不指定街镇"):
        admin.create("监管", CLERK_PASSWORD, Role.SUPERVISOR, _street_id(database, "长征镇"))
    with pytest.raises(DuplicateRecord):
        admin.create(CLERK, "other-password-1", Role.READER)
    moved = admin.update(CLERK, role=Role.SUPERVISOR)
    assert (moved.role, moved.street_id, moved.street_name) == (Role.SUPERVISOR, None, "")


def test_only_an_administrator_manages_accounts(admin: AccountService, database: Database, clock: Clock) -> None:
    _clerk(admin, database)
    clerk = _as(database, admin.authenticate(CLERK, CLERK_PASSWORD), clock)
    attempts = {
        "list": lambda: clerk.list(),
        "create": lambda: clerk.create("新人", "new-person-1", Role.READER),
        "update": lambda: clerk.update(CLERK, role=Role.ADMIN),
        "reset": lambda: clerk.reset_password(ADMIN, "taken-over-1"),
    }
    for attempt in attempts.values():
        with pytest.raises(PermissionDenied, match="无权管理账户"):
            attempt()
    # Someone not logged in, on an archive with accounts on, is no administrator either.
    with pytest.raises(PermissionDenied, match="请先以管理员账户登录"):
        _as(database, Actor.local("本机用户"), clock).create("新人", "new-person-1", Role.READER)
    assert admin.authenticate(CLERK, CLERK_PASSWORD).role is Role.STREET_CLERK  # nothing was changed


def test_an_administrator_who_was_stopped_can_no_longer_manage(
    admin: AccountService, database: Database, clock: Clock
) -> None:
    admin.create("管理员乙", "second-admin-1", Role.ADMIN)
    second = _as(database, admin.authenticate("管理员乙", "second-admin-1"), clock)
    admin.update("管理员乙", active=False)
    with pytest.raises(PermissionDenied, match="已停用或不再是管理员"):
        second.list()
    with pytest.raises(LoginRefused, match="已停用"):
        admin.authenticate("管理员乙", "second-admin-1")


def test_the_archive_keeps_an_active_administrator(admin: AccountService, database: Database) -> None:
    with pytest.raises(UserError, match="唯一在用的管理员"):
        admin.update(ADMIN, active=False)
    with pytest.raises(UserError, match="唯一在用的管理员"):
        admin.update(ADMIN, role=Role.READER)
    assert [(a.role, a.active) for a in admin.list()] == [(Role.ADMIN, True)]  # nothing was changed
    admin.create("管理员乙", "second-admin-1", Role.ADMIN)
    admin.update("管理员乙", active=False)
    with pytest.raises(UserError, match="唯一在用的管理员"):
        admin.update(ADMIN, active=False)
    admin.update("管理员乙", active=True)
    assert not admin.update(ADMIN, active=False).active  # with another active administrator it may go


def test_changing_ones_own_password(admin: AccountService, database: Database, clock: Clock) -> None:
    _clerk(admin, database)
    clerk = _as(database, admin.authenticate(CLERK, CLERK_PASSWORD), clock)
    with pytest.raises(LoginRefused, match="原密码不正确"):
        clerk.change_password("not-my-password", "brand-new-pass-1")
    with pytest.raises(UserError, match="不能与原密码相同"):
        clerk.change_password(CLERK_PASSWORD, CLERK_PASSWORD)
    with pytest.raises(UserError, match="密码至少8位"):
        clerk.change_password(CLERK_PASSWORD, "short1")
    clerk.change_password(CLERK_PASSWORD, "brand-new-pass-1")
    with pytest.raises(LoginRefused):
        admin.authenticate(CLERK, CLERK_PASSWORD)
    assert admin.authenticate(CLERK, "brand-new-pass-1").name == CLERK
    with pytest.raises(PermissionDenied, match="请先登录"):
        _as(database, Actor.local("本机用户"), clock).change_password(ADMIN_PASSWORD, "brand-new-pass-2")


def test_a_reset_gives_a_new_password_and_lifts_the_lock(admin: AccountService, database: Database) -> None:
    _clerk(admin, database)
    for _ in range(5):
        with pytest.raises(LoginRefused):
            admin.authenticate(CLERK, "wrong-password")
    admin.reset_password(CLERK, "given-by-admin-1")
    assert admin.authenticate(CLERK, "given-by-admin-1").name == CLERK  # at once: the lock is gone
    with pytest.raises(LoginRefused):
        admin.authenticate(CLERK, CLERK_PASSWORD)


def test_the_history_names_the_account_and_never_a_password(admin: AccountService, database: Database) -> None:
    _clerk(admin, database)
    admin.reset_password(CLERK, "given-by-admin-1")
    admin.update(CLERK, active=False)
    clerk_actor = Actor(CLERK, Role.STREET_CLERK, accounts_on=True)
    admin.update(CLERK, active=True)
    _as(database, clerk_actor, Clock()).change_password("given-by-admin-1", "own-choice-22")
    services = Services.build(database, actor=admin.actor)
    changes = services.history.changes(HistoryFilter())
    rows = [(c.user, c.record_title, c.field_label, c.text) for c in changes]
    assert ("本机用户", "账户", "启用账户", "否 → 是") in rows
    assert (ADMIN, f"账户“{CLERK}”", "角色", "填写“街镇经办人”") in rows
    assert (ADMIN, f"账户“{CLERK}”", "街镇", "填写“长征镇”") in rows
    assert (ADMIN, f"账户“{CLERK}”", "密码", "填写“已由管理员重设”") in rows
    assert (ADMIN, f"账户“{CLERK}”", "状态", "在用 → 停用") in rows
    assert (CLERK, f"账户“{CLERK}”", "密码", "填写“已由本人修改”") in rows
    assert {c.batch_kind for c in changes} == {"账户"}
    written = " ".join(f"{c.old_value} {c.new_value}" for c in changes)
    for secret in (ADMIN_PASSWORD, CLERK_PASSWORD, "given-by-admin-1", "own-choice-22", "scrypt$"):
        assert secret not in written
    with pytest.raises(UserError, match="不能整批撤销"):  # a setting-like change, not undone as a batch
        services.batches.undo(changes[0].batch_id)


def test_accounts_are_no_register() -> None:
    assert "accounts" not in REGISTERS  # never in a ledger, a list or a dossier


def test_downgrading_drops_the_accounts_and_an_upgrade_leaves_them_off(
    admin: AccountService, database: Database
) -> None:
    with database.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0006")
    with database.read() as conn:
        assert current_revision(conn) == "0006"
        assert not inspect(conn).has_table("accounts")
    database.dispose()
    again = _reopened(database)  # upgraded to the head again
    try:
        with again.read() as conn:
            assert current_revision(conn) == HEAD_REVISION
        service = AccountService(again, Actor.local("本机用户"))
        assert not service.enabled()  # the switch went with the accounts: no one is locked out
        assert service.enable(ADMIN, ADMIN_PASSWORD).role is Role.ADMIN
    finally:
        again.dispose()
