"""The demo district in a folder of its own, so that trying the program never touches the user's archive."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from putuo_community.services import Services
from putuo_community.storage.database import open_database

DEMO_ESTATES = 1000
DEMO_USER = "演示数据"


def open_demo(folder: Path, *, progress: Callable[[int, int], None] | None = None) -> Services:
    """Services on the demo database in `folder`, building the demo there the first time.

    `folder` is the demo's own data folder (never the user's): a database already filled
    there is opened as it is, so a clerk's practice edits survive until they delete it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    database = open_database(f"sqlite:///{folder / 'putuo-community.sqlite3'}", backup_dir=folder / "backups")
    try:
        services = Services.build(database)
        if services.records.count("estates") == 0:
            from putuo_community.services.demo import generate_demo  # the generator loads only for the demo

            generate_demo(database, estates=DEMO_ESTATES, today=date.today(), progress=progress, user=DEMO_USER)
    except BaseException:
        database.dispose()
        raise
    return services
