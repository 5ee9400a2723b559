"""Every place the program writes to, from one module, with a --data-dir override."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import platformdirs

from putuo_community import APP_NAME

DATA_DIR_ENV = "PUTUO_COMMUNITY_DATA_DIR"
DATABASE_FILE = "putuo-community.sqlite3"
# Where tempfile, the worker processes it starts (which inherit the environment) and Qt look.
TEMP_ENVIRONMENT = ("TMPDIR", "TEMP", "TMP")
_IN_USE = "in-use.lock"

log = logging.getLogger(__name__)


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
    def temp(self) -> Path:
        """Temporary files (a streamed ledger's sheets), apart from the system's: see `temporary_files_in`."""
        return self.root / "tmp"

    @property
    def demo(self) -> Path:
        """The demo district's own data folder (载入演示数据), apart from the user's archive."""
        return self.root / "demo"

    def ensure(self) -> None:
        """The data folder, made if need be, with its backups and logs folders where they can be made.

        A data folder that cannot be written (a read-only share) is still used as it is: its archive
        opens read-only, the log says it cannot be written, and no backup is taken into it.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        for folder in (self.backups, self.logs):
            try:
                folder.mkdir(exist_ok=True)
            except OSError as exc:
                log.info("cannot make %s: %s", folder, exc)


@contextmanager
def temporary_files_in(folder: Path) -> Iterator[Path | None]:
    """Send this program's temporary files, and its worker processes', into a folder of its own under `folder`.

    First removes what programs that no longer run left there (a ledger export killed midway leaves
    megabytes of ledger rows). The program's own folder is marked in use while it runs, so another
    program started meanwhile leaves it alone, and removed at the end; tempfile and the environment
    are then as they were. When `folder` cannot be written, the system temp folder stays in use (None).
    """
    claimed = _claim_temp_folder(folder)
    if claimed is None:
        yield None
        return
    own, in_use = claimed
    saved_tempdir = tempfile.tempdir
    saved_environment = {name: os.environ.get(name) for name in TEMP_ENVIRONMENT}
    tempfile.tempdir = str(own)
    os.environ.update(dict.fromkeys(TEMP_ENVIRONMENT, str(own)))
    try:
        yield own
    finally:
        tempfile.tempdir = saved_tempdir
        for name, value in saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        in_use.close()
        shutil.rmtree(own, ignore_errors=True)  # what a worker still holds is removed at the next start


def _claim_temp_folder(folder: Path) -> tuple[Path, IO[bytes]] | None:
    """This program's folder under `folder` and the mark that it is in use, after removing what others left."""
    started = time.time()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_left_over(folder, before=started)
        own = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=folder))
        return own, _mark_in_use(own / _IN_USE)
    except OSError as exc:
        log.warning("cannot use %s for temporary files, using the system's: %s", folder, exc)
        return None


def _remove_left_over(folder: Path, *, before: float) -> None:
    for entry in folder.iterdir():
        try:
            if entry.is_dir() and not entry.is_symlink():
                # (The time first: on Windows, asking whether it is in use deletes a lock that is not.)
                if entry.stat().st_mtime >= before or _is_in_use(entry / _IN_USE):
                    continue  # another program's, running now (or just starting)
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.stat().st_mtime < before:
                entry.unlink()
        except OSError:
            continue  # gone already, or in use (Windows will not delete an open file)


if sys.platform == "win32":

    def _mark_in_use(path: Path) -> IO[bytes]:
        return path.open("wb")  # Windows refuses to delete a file another program has open

    def _is_in_use(path: Path) -> bool:
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError:
            return True
        return False

else:
    import fcntl

    def _mark_in_use(path: Path) -> IO[bytes]:
        handle = path.open("wb")
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held until the handle is closed, or the process ends
        return handle

    def _is_in_use(path: Path) -> bool:
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return False
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
        return False
