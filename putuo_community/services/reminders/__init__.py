"""Deadlines worth a reminder, across all estates: each says which rule produced it.

The rules themselves live in the domain; the modules here gather the dates they need, one
kind of deadline each (`committees`, `contracts`, `lifts`, `funds`, `credit`), and `core`
holds what they share.
"""

from __future__ import annotations

from datetime import date

from putuo_community.domain.accounts import Actor
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.services.permissions import Permissions
from putuo_community.services.reminders import committees, contracts, credit, funds, lifts
from putuo_community.services.reminders.core import SECTION_OF_CATEGORY, Reminder, Scan, in_order
from putuo_community.services.reminders.settings import read_policy
from putuo_community.storage.database import Database

__all__ = ["INPUTS", "SECTION_OF_CATEGORY", "Reminder", "ReminderService", "read_policy"]

# The registers reminders are computed from: a write to any other cannot change one.
INPUTS = (
    "streets",
    "estates",
    "committee_terms",
    "committee_members",
    "committee_activities",
    "contracts",
    "lifts",
    "funds",
    "credit_events",
    "companies",
)
KINDS = (committees, contracts, lifts, funds, credit)


class ReminderService:
    def __init__(self, database: Database, *, actor: Actor | None = None) -> None:
        """`actor`: whose reminders (a 街镇经办人 sees their own 街镇's; None: accounts off, the district)."""
        self.database = database
        self.permissions = Permissions(database, actor or Actor.local(""))

    def policy(self) -> ReminderPolicy:
        """The district's reminder settings (本地口径): how far ahead, when overdue becomes 长期未办."""
        with self.database.read() as conn:
            return read_policy(conn)

    def list(
        self, *, today: date, street_id: int | None = None, policy: ReminderPolicy | None = None
    ) -> list[Reminder]:
        """Overdue and upcoming deadlines, overdue first, then by due date.

        Upcoming means within the policy's horizon (the district's setting unless `policy` is given).
        """
        street_id = self.permissions.street_in_view(street_id)
        with self.database.read() as conn:
            scan = Scan(conn, street_id, today, policy or read_policy(conn))
            found = [reminder for kind in KINDS for reminder in kind.reminders(scan)]
        return in_order(found)
