"""Writing a file so that a failure never leaves half of it: a temporary file next to it, then one rename."""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from putuo_community.domain.errors import BadFile


@contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A new file next to `path` to write into; it takes `path`'s place only when the block ends without error.

    The temporary file is created at once, so a missing folder or a read-only one is told before
    any work is done. On any exception it is removed and the file already at `path` stays as it
    was; the exception (an `OSError` of the file system too) goes on as it came.
    """
    temporary = path.with_name(f".~{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with temporary.open("xb") as stream:
            yield stream
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_target(path: Path, *, opened_by: str = "Excel、WPS") -> Iterator[IO[bytes]]:
    """`replacing(path)`, with failures of the file system told as a `BadFile` with a Chinese message.

    `opened_by` names the programs that may hold the file open (a likely cause of a refusal).
    """
    name = path.name
    try:
        with replacing(path) as stream:
            yield stream
    except FileNotFoundError as exc:
        raise BadFile(f"无法保存“{name}”：文件夹“{path.parent}”不存在") from exc
    except PermissionError as exc:
        raise BadFile(
            f"无法保存“{name}”：文件正被其他程序（如 {opened_by}）打开，或没有写入权限。请关闭该文件后重试"
        ) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise BadFile(f"无法保存“{name}”：磁盘空间不足") from exc
        raise BadFile(f"无法保存“{name}”：{exc.strerror or exc}") from exc


def write_file(path: Path, data: bytes, *, opened_by: str = "Excel、WPS") -> None:
    """Write `data` to `path` in one step (see `atomic_target`)."""
    with atomic_target(path, opened_by=opened_by) as stream:
        stream.write(data)
