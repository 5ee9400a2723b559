"""Whether another process still runs: for what a killed process leaves behind (a batch's staging folder,
a backup's partial copy), which may be removed only once the process that made it is gone."""

from __future__ import annotations

import os
import sys

if sys.platform == "win32":
    import _winapi

    def process_alive(pid: int) -> bool:
        """Whether a process with this id runs (or is still being torn down)."""
        try:
            handle = _winapi.OpenProcess(_winapi.SYNCHRONIZE, False, pid)
        except OSError as exc:
            return exc.winerror == 5  # ERROR_ACCESS_DENIED: it runs, under another account
        try:
            return _winapi.WaitForSingleObject(handle, 0) == _winapi.WAIT_TIMEOUT
        finally:
            _winapi.CloseHandle(handle)

else:

    def process_alive(pid: int) -> bool:
        """Whether a process with this id runs; signal 0 only asks, it sends nothing."""
        if pid <= 0:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # it runs, under another account
        return True
