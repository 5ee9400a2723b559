"""Reading a register's sheet in the background while the program is still starting.

Opening a large workbook is mostly python-calamine parsing it, which lets other Python threads run;
starting up is mostly Python importing the libraries the command needs. The import command starts
the read first (`start`) and picks the result up when it gets there (`take`), so the two overlap
instead of following each other. What is picked up is exactly what `read_sheet` would return or
raise for the same file and sheet; a file changed in the meantime is read again.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from putuo_community.io.workbook import SheetGrid

_lock = threading.Lock()
_reads: dict[tuple[str, str | None], _Read] = {}


def _key(path: Path, sheet: str | None) -> tuple[str, str | None]:
    return os.path.abspath(path), sheet


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


class _Read:
    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path = path
        self.sheet = sheet
        self.stamp = _stamp(path)
        self.grid: SheetGrid | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="读取表格", daemon=True)

    def _run(self) -> None:
        try:
            from putuo_community.io.workbook import read_sheet

            self.grid = read_sheet(self.path, self.sheet)
        except BaseException as exc:  # handed to whoever takes the result, as read_sheet would have raised it
            self.error = exc


def start(path: Path, sheet: str | None = None) -> None:
    """Begin reading `sheet` of `path` (None: the sheet `read_sheet` would choose) in the background."""
    key = _key(path, sheet)
    with _lock:
        if key in _reads:
            return
        read = _reads[key] = _Read(path, sheet)
    read.thread.start()


def take(path: Path, sheet: str | None = None) -> SheetGrid | None:
    """The grid read in the background for this file and sheet (once), or None: read it now.

    Raises what reading raised (a malformed file, say), with the same message.
    """
    with _lock:
        read = _reads.pop(_key(path, sheet), None)
    if read is None:
        return None
    read.thread.join()
    if read.stamp is None or _stamp(path) != read.stamp:
        return None  # changed (or gone) since: read it again, as it is now
    if read.error is not None:
        raise read.error
    return read.grid
