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
def atomic_target(path: Path, *, opened_by: str = "Excel、WPS") -> Iterator[IO[bytes]]:
    """A new file next to `path` to write into; it takes `path`'s place only when the block ends without error.

    The temporary file is created at once, so a missing folder or a read-only one is told before
    any work is done. On any exception (a cancelled export too) it is removed and the file already
    at `path` stays as it was; failures of the file system become a `BadFile` with a Chinese message.
    """
    name = path.name
    temporary = path.with_name(f".~{name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with temporary.open("xb") as stream:
            yield stream
        os.replace(temporary, path)
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
    finally:
        temporary.unlink(missing_ok=True)
