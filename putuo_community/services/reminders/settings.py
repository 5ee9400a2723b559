"""The district's reminder settings as stored in the archive (app_settings), defaults for what is not.

Changed only through `ReminderSettings.save_policy`, which keeps each change in the history marked as
local policy (本地口径), as the credit warning thresholds are kept (services/credit.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.errors import UserError
from putuo_community.domain.reminder_policy import POLICY_LABELS, ReminderPolicy, policy_problems
from putuo_community.services.history import ChangeWriter
from putuo_community.services.permissions import Permissions
from putuo_community.storage.database import Database
from putuo_community.storage.schema import app_settings

POLICY_KEY = "reminders.policy"
POLICY_TITLE = "提醒设置（本区管理口径，非公开发布的规定）"


def read_policy(conn: Connection) -> ReminderPolicy:
    value = conn.scalar(select(app_settings.c.value).where(app_settings.c.key == POLICY_KEY))
    stored: Any = json.loads(value) if value else {}
    if not isinstance(stored, dict):
        return ReminderPolicy()
    known = {f.name for f in fields(ReminderPolicy)}
    return ReminderPolicy(**{k: int(v) for k, v in stored.items() if k in known})


class ReminderSettings:
    """The district's reminder settings: read by anyone, changed by an administrator."""

    def __init__(self, database: Database, *, user: str, actor: Actor | None = None) -> None:
        self.database = database
        self.user = user
        self.permissions = Permissions(database, actor or Actor.local(user))

    def policy(self) -> ReminderPolicy:
        with self.database.read() as conn:
            return read_policy(conn)

    def save_policy(self, policy: ReminderPolicy) -> bool:
        """Store the settings; each changed item goes in the history, marked as local policy.

        Refused with a UserError naming every value outside its limits; False when nothing changed.
        """
        self.permissions.require(Action.LOCAL_POLICY)
        problems = policy_problems(policy)
        if problems:
            raise UserError("；".join(problems) + "。")
        with self.database.transaction() as conn:
            before = read_policy(conn)
            changed = [f.name for f in fields(ReminderPolicy) if getattr(before, f.name) != getattr(policy, f.name)]
            if not changed:
                return False
            items = {POLICY_LABELS[name]: (str(getattr(before, name)), str(getattr(policy, name))) for name in changed}
            conn.execute(delete(app_settings).where(app_settings.c.key == POLICY_KEY))
            conn.execute(insert(app_settings).values(key=POLICY_KEY, value=json.dumps(asdict(policy))))
            writer = ChangeWriter(conn, user=self.user, kind="设置", description=f"修改{POLICY_TITLE}")
            writer.setting_changed(POLICY_KEY, POLICY_TITLE, items)
        return True
