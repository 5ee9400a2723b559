"""Where a batch of dossiers is drawn before it is moved into place, and the processes that draw it.

A batch renders into `.~档案-<pid>-<random>` inside the destination folder. A batch that is
killed cannot remove that folder, so the next batch in the same folder removes every staging
folder whose process is gone or that is older than `STALE_AFTER`. The worker processes end as
soon as the process that started them is gone, instead of waiting for work that never comes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import shutil
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

from putuo_community.domain.errors import BadFile
from putuo_community.storage.processes import process_alive

log = logging.getLogger(__name__)

STAGING_PREFIX = ".~档案-"
STALE_AFTER = timedelta(hours=12)  # longer than any batch; a pid the system gave to another program
EXIT_PARENT_GONE = 3  # a worker's exit status when it ends because its parent did

# The pid is missing in the folders of versions before this rule: those go by their age alone.
_STAGING_NAME = re.compile(re.escape(STAGING_PREFIX) + r"(?:(?P<pid>\d+)-)?[0-9a-f]{8}")


def make_staging_folder(folder: Path) -> Path:
    """A new, empty staging folder in `folder`, named for this process."""
    staging = folder / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir()
    except OSError as exc:
        raise BadFile(f"无法在“{folder}”中写入：{exc.strerror or exc}") from exc
    return staging


def remove_stale_staging(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove what killed batches left in `folder`; returns the folders removed.

    A staging folder of a process that still runs is kept (another batch may be writing it),
    unless it is older than `STALE_AFTER`.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.iterdir() if _STAGING_NAME.fullmatch(p.name) and p.is_dir()]
    except OSError:
        return removed  # the batch itself says what is wrong with the folder
    for path in candidates:
        match = _STAGING_NAME.fullmatch(path.name)
        assert match is not None
        pid = match.group("pid")
        try:
            old = now - path.stat().st_mtime > STALE_AFTER.total_seconds()
        except OSError:
            continue
        if old or (pid is not None and not process_alive(int(pid))):
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                log.info("removed the staging folder %s of a batch that did not finish", path.name)
                removed.append(path)
    return removed


def worker_pool(count: int) -> ProcessPoolExecutor:
    """`count` processes that draw PDFs and end with the process that started them."""
    # "spawn" everywhere: it is what Windows does, and forking a process that runs Qt threads is unsafe.
    return ProcessPoolExecutor(
        max_workers=max(1, count), mp_context=multiprocessing.get_context("spawn"), initializer=end_with_parent
    )


def end_with_parent() -> None:
    """In a worker: end this process as soon as its parent is gone (killed, crashed).

    A pool's workers otherwise wait for their next task for ever. The parent's sentinel (a pipe
    on Unix, a process handle on Windows) becomes ready when the parent ends, so the watching
    thread sleeps until then and costs nothing.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(EXIT_PARENT_GONE)  # no clean-up: the parent that would take the results is gone

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
