"""Every place the program writes to, from one module, with a --data-dir override."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from putuo_community import APP_NAME

DATA_DIR_ENV = "PUTUO_COMMUNITY_DATA_DIR"
DATABASE_FILE = "putuo-community.sqlite3"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
        """--data-dir first, then $PUTUO_COMMUNITY_DATA_DIR, then the user's data folder."""
        chosen = data_dir or os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir(APP_NAME, appauthor=False)
        return cls(Path(chosen).expanduser().resolve())

    @property
    def database(self) -> Path:
        return self.root / DATABASE_FILE

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database}"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / f"{APP_NAME}.log"

    @property
    def import_mappings(self) -> Path:
        """Column mappings chosen in past imports, per file shape."""
        return self.root / "import-mappings.json"

    @property
    def settings(self) -> Path:
        """This user's settings on this computer (the dossier font)."""
        return self.root / "settings.json"

    @property
    def demo(self) -> Path:
        """The demo district's own data folder (载入演示数据), apart from the user's archive."""
        return self.root / "demo"

    def ensure(self) -> None:
        for folder in (self.root, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
