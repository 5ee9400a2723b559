"""Accounts on the command line: turned on, a 街镇经办人 added, every command then logs in with --user and
PUTUO_PASSWORD, the history names the account, and five wrong passwords lock it even against the right one."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from putuo_community.paths import DATABASE_FILE

ADMIN, ADMIN_PASSWORD = "管理员甲", "Putuo-2026!"
CLERK, CLERK_PASSWORD = "长征经办", "changzheng-88"
USER_NEEDED = "已启用账户：请用 --user 指定账户（密码由 PUTUO_PASSWORD 或提示输入）"


def run(
    folder: Path, *args: str, password: str | None = None, new_password: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The program in a process of its own, stdin not a terminal: passwords come only from the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PUTUO_PASSWORD", "PUTUO_NEW_PASSWORD")}
    env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"})
    if password is not None:
        env["PUTUO_PASSWORD"] = password
    if new_password is not None:
        env["PUTUO_NEW_PASSWORD"] = new_password
    return subprocess.run(
        [sys.executable, "-m", "putuo_community", "--data-dir", str(folder), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def batches(folder: Path) -> list[tuple[str, str, str]]:
    """(user, kind, description) of every change batch, oldest first."""
    con = sqlite3.connect(folder / DATABASE_FILE)
    try:
        return con.execute("SELECT user, kind, description FROM change_batches ORDER BY id").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Accounts on, with the administrator and a 街镇经办人 of 长征镇."""
    folder = tmp_path_factory.mktemp("accounts")
    assert run(folder, "reminders").returncode == 0  # accounts off: no login asked for
    enabled = run(folder, "accounts", "enable", "--admin", ADMIN, password=ADMIN_PASSWORD)
    assert enabled.returncode == 0, enabled.stderr
    assert f"已启用账户，管理员：{ADMIN}" in enabled.stdout
    added = run(
        folder,
        "--user",
        ADMIN,
        "accounts",
        "add",
        CLERK,
        "--role",
        "街镇经办人",
        "--street",
        "长征",
        password=ADMIN_PASSWORD,
        new_password=CLERK_PASSWORD,
    )
    assert added.returncode == 0, added.stderr
    assert f"已新增账户：{CLERK}（街镇经办人·长征镇）" in added.stdout
    return folder


def test_accounts_cannot_be_turned_on_without_a_password(tmp_path: Path) -> None:
    result = run(tmp_path, "accounts", "enable", "--admin", ADMIN)
    assert result.returncode == 2
    assert "PUTUO_PASSWORD" in result.stderr
    weak = run(tmp_path, "accounts", "enable", "--admin", ADMIN, password="123")
    assert weak.returncode == 2
    assert "密码至少8位" in weak.stderr
    assert run(tmp_path, "reminders").returncode == 0  # still off: nothing was turned on


def test_once_on_a_command_without_user_is_refused_and_does_nothing(archive: Path) -> None:
    before = batches(archive)
    result = run(archive, "calendar", "--year", "2031", "--holidays", "2031-01-01", password=ADMIN_PASSWORD)
    assert result.returncode == 2
    assert USER_NEEDED in result.stderr
    assert batches(archive) == before


def test_a_command_with_user_and_password_runs_and_the_history_names_the_account(archive: Path) -> None:
    result = run(
        archive, "--user", ADMIN, "calendar", "--year", "2031", "--holidays", "2031-01-01", password=ADMIN_PASSWORD
    )
    assert result.returncode == 0, result.stderr
    assert batches(archive)[-1][:2] == (ADMIN, "设置")
    passwd = run(archive, "accounts", "passwd", "--user", CLERK, password=CLERK_PASSWORD, new_password="changzheng-99")
    assert passwd.returncode == 0, passwd.stderr
    assert batches(archive)[-1] == (CLERK, "账户", f"修改本人密码：{CLERK}")
    assert run(archive, "--user", CLERK, "reminders", password="changzheng-99").returncode == 0
    history = sqlite3.connect(archive / DATABASE_FILE)
    try:
        written = " ".join(str(v) for row in history.execute("SELECT * FROM change_history") for v in row)
    finally:
        history.close()
    for secret in (ADMIN_PASSWORD, CLERK_PASSWORD, "changzheng-99", "scrypt$"):
        assert secret not in written
    # Back to the password the other tests log in with.
    reset = run(
        archive, "--user", ADMIN, "accounts", "reset", CLERK, password=ADMIN_PASSWORD, new_password=CLERK_PASSWORD
    )
    assert reset.returncode == 0, reset.stderr


def test_a_street_clerk_may_not_manage_accounts(archive: Path) -> None:
    result = run(archive, "--user", CLERK, "accounts", "list", password=CLERK_PASSWORD)
    assert result.returncode == 2
    assert f"当前账户“{CLERK}”（街镇经办人）无权管理账户" in result.stderr
    listed = run(archive, "--user", ADMIN, "accounts", "list", password=ADMIN_PASSWORD)
    assert listed.returncode == 0, listed.stderr
    assert f"{CLERK}\t街镇经办人\t长征镇\t在用" in listed.stdout


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(archive: Path) -> None:
    for attempt in range(1, 6):
        result = run(archive, "--user", CLERK, "reminders", password="not-the-password")
        assert result.returncode == 2
        assert "账户名或密码不正确" in result.stderr
        assert ("账户已锁定" in result.stderr) == (attempt == 5)
    locked = run(archive, "--user", CLERK, "reminders", password=CLERK_PASSWORD)
    assert locked.returncode == 2
    assert "账户已锁定" in locked.stderr
    assert "之后再试" in locked.stderr
    assert locked.stdout == ""  # the command did not run
    listed = run(archive, "--user", ADMIN, "accounts", "list", password=ADMIN_PASSWORD)
    assert f"{CLERK}\t街镇经办人\t长征镇\t锁定至" in listed.stdout
    # An administrator's reset lifts the lock at once.
    assert (
        run(
            archive, "--user", ADMIN, "accounts", "reset", CLERK, password=ADMIN_PASSWORD, new_password="fresh-pass-31"
        ).returncode
        == 0
    )
    assert run(archive, "--user", CLERK, "reminders", password="fresh-pass-31").returncode == 0
