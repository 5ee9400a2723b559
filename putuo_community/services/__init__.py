"""Use cases: what the GUI and the CLI ask for, each in its own transaction."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from putuo_community.services.credit import CreditService
from putuo_community.services.history import HistoryService
from putuo_community.services.overview import OverviewService
from putuo_community.services.queries import QueryService
from putuo_community.services.records import Record, RecordService
from putuo_community.services.reminders import ReminderService
from putuo_community.storage.database import Database


def current_user() -> str:
    try:
        return getpass.getuser()
    except OSError:  # no login name on some locked-down desktops
        return "未知用户"


@dataclass
class Services:
    """Everything the GUI and CLI may call, built once by the composition root."""

    database: Database
    records: RecordService
    history: HistoryService
    overview: OverviewService
    queries: QueryService
    reminders: ReminderService
    credit: CreditService

    @classmethod
    def build(cls, database: Database, *, user: str | None = None) -> Services:
        who = user or current_user()
        return cls(
            database=database,
            records=RecordService(database, user=who),
            history=HistoryService(database),
            overview=OverviewService(database),
            queries=QueryService(database),
            reminders=ReminderService(database),
            credit=CreditService(database),
        )

    @property
    def database_name(self) -> str:
        return self.database.display_name

    def close(self) -> None:
        self.database.dispose()


__all__ = ["Record", "Services"]
