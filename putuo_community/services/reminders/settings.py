"""The district's reminder settings as stored in the archive (app_settings), defaults for what is not."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from sqlalchemy import Connection, select

from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.storage.schema import app_settings

POLICY_KEY = "reminders.policy"


def read_policy(conn: Connection) -> ReminderPolicy:
    value = conn.scalar(select(app_settings.c.value).where(app_settings.c.key == POLICY_KEY))
    stored: Any = json.loads(value) if value else {}
    if not isinstance(stored, dict):
        return ReminderPolicy()
    known = {f.name for f in fields(ReminderPolicy)}
    return ReminderPolicy(**{k: int(v) for k, v in stored.items() if k in known})
