"""Use cases: what the GUI and the CLI ask for, each in its own transaction."""

from __future__ import annotations

import functools
import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from putuo_community.domain.accounts import Actor
from putuo_community.domain.changes import ChangeBus
from putuo_community.services.backups import BackupService
from putuo_community.services.batches import BatchService
from putuo_community.services.change_log import HistoryService
from putuo_community.services.credit import CreditService
from putuo_community.services.dashboard import DashboardService
from putuo_community.services.importing import ImportService
from putuo_community.services.integrity import IntegrityService
from putuo_community.services.ledgers import LedgerService
from putuo_community.services.lookups import LookupService
from putuo_community.services.mappings import MappingStore
from putuo_community.services.overview import OverviewService
from putuo_community.services.records import Record, RecordService
from putuo_community.services.reminders import ReminderService
from putuo_community.services.reminders.settings import ReminderSettings
from putuo_community.services.settings import UserSettings
from putuo_community.services.summary import SummaryService
from putuo_community.storage.database import Database

if TYPE_CHECKING:
    from putuo_community.services.accounts import AccountService
    from putuo_community.services.attachments import AttachmentService
    from putuo_community.services.dossier import DossierService
    from putuo_community.services.listing import ListingService
    from putuo_community.services.votes import VoteService


def current_user() -> str:
    try:
        return getpass.getuser()
    except OSError:  # no login name on some locked-down desktops
        return "未知用户"


@dataclass
class Services:
    """Everything the GUI and CLI may call, built once by the composition root.

    The dossier printer and the lazy lists load with their first use: a command such as
    `import` never needs them and does not pay for loading them.
    """

    database: Database
    records: RecordService
    lookups: LookupService
    history: HistoryService
    overview: OverviewService
    reminders: ReminderService
    credit: CreditService
    imports: ImportService
    batches: BatchService
    ledgers: LedgerService
    summary: SummaryService
    dashboard: DashboardService
    reminder_settings: ReminderSettings
    settings: UserSettings
    backups: BackupService
    integrity: IntegrityService
    actor: Actor  # whom this session acts for: its account, or (accounts off) the computer's login

    @classmethod
    def build(
        cls,
        database: Database,
        *,
        user: str | None = None,
        actor: Actor | None = None,
        mapping_file: Path | None = None,
        settings_file: Path | None = None,
        backup_dir: Path | None = None,
    ) -> Services:
        """`actor`: the logged-in account (accounts on); else `user` (default: the computer's login) may do
        everything. `mapping_file`: where import column mappings are remembered; `settings_file`: the user's
        settings; `backup_dir`: where backups go, taken daily and before imports and undos.

        None given: nothing is remembered and no backup is taken (tests, one-off runs).
        """
        actor = actor or Actor.local(user or current_user())
        who = actor.name
        mappings = MappingStore(mapping_file) if mapping_file is not None else None
        settings = UserSettings(settings_file, changes=database.changes)
        credit = CreditService(database, user=who, actor=actor)  # the lists and dossiers mask by its actor
        backups = BackupService(database, backup_dir, actor=actor)
        summary = SummaryService(database, credit)
        return cls(
            database=database,
            records=RecordService(database, user=who, actor=actor),
            lookups=LookupService(database),
            history=HistoryService(database),
            overview=OverviewService(database),
            reminders=ReminderService(database, actor=actor),
            credit=credit,
            imports=ImportService(database, user=who, mappings=mappings, backups=backups, actor=actor),
            batches=BatchService(database, user=who, backups=backups, actor=actor),
            ledgers=LedgerService(database, actor=actor),
            summary=summary,
            dashboard=DashboardService(summary),
            reminder_settings=ReminderSettings(database, user=who, actor=actor),
            settings=settings,
            backups=backups,
            integrity=IntegrityService(database, backups),
            actor=actor,
        )

    @functools.cached_property
    def listing(self) -> ListingService:
        from putuo_community.services.listing import ListingService

        return ListingService(self.database, self.credit)

    @functools.cached_property
    def dossiers(self) -> DossierService:
        from putuo_community.services.dossier import DossierService

        return DossierService(self.database, self.credit, font=self.settings.dossier_font())

    @functools.cached_property
    def votes(self) -> VoteService:
        from putuo_community.services.votes import VoteService

        return VoteService(self.database)

    @functools.cached_property
    def attachments(self) -> AttachmentService:
        """Scans in the dossiers, their files stored beside the archive (see services/attachments.py)."""
        from putuo_community.services.attachments import AttachmentService

        return AttachmentService(self.database, user=self.records.user, actor=self.actor)

    @functools.cached_property
    def accounts(self) -> AccountService:
        """Turning accounts on, logging in, and the accounts as this session's actor may manage them."""
        from putuo_community.services.accounts import AccountService

        return AccountService(self.database, self.actor)

    @property
    def changes(self) -> ChangeBus:
        """Every committed write's `Changes`, for the views to follow."""
        return self.database.changes

    @property
    def database_name(self) -> str:
        return self.database.display_name

    @property
    def read_only(self) -> bool:
        """The archive was opened read-only (asked for, or its file or folder cannot be written)."""
        return self.database.read_only

    @property
    def writes_refused(self) -> str | None:
        """Why nothing may be written now, as the clerk is told (opened read-only, or found damaged);
        None when writes are allowed. Every write is refused with this reason by the database as well."""
        return self.database.writes_refused

    def close(self) -> None:
        self.database.dispose()


__all__ = ["Record", "Services"]
