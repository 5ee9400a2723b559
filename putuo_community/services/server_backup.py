"""Backups of an archive on a PostgreSQL server, taken and put back with the server's own tools.

`pg_dump --format=custom` writes the whole database into one `.dump` file in the backups folder; `pg_restore
--clean --if-exists --single-transaction` puts one back, all of it or (on any error) nothing. The tools are
found on PATH or, on Windows, in the usual `C:\\Program Files\\PostgreSQL\\<version>\\bin`; where they are
missing, the server's own backup applies and the clerk is told so. The password goes to the tools through
PGPASSWORD, never on their command line, and never into a message or the log.
"""

from __future__ import annotations

import locale
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL

from putuo_community.domain.errors import UserError
from putuo_community.domain.registers import REGISTERS
from putuo_community.storage.backups import BackupContents, BadBackup
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

log = logging.getLogger(__name__)

DUMP_SUFFIX = ".dump"
LOCK_TIMEOUT_MS = 30_000  # a restore waits this long for other clients' transactions, then says so
Progress = Callable[[int, int], None]
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?:DATA )?(?P<schema>\S+) (?P<name>\S+) ")
_NOT_SHOWN = ("DETAIL", "CONTEXT", "Command was", "HINT", "LINE ")  # lines of a tool's stderr never shown
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console flashing up over the GUI
_COPY = re.compile(r"^COPY (?:(?:public|\"public\")\.)?\"?(?P<name>[^\s\"(]+)\"? \(")


def server_tools_missing(name: str) -> str:
    """The refusal where this computer lacks PostgreSQL's client tools: the server's own backup applies."""
    return (
        f"数据库在服务器上，由服务器管理员负责备份和恢复（{name}）：这台电脑上没有找到 PostgreSQL 的 "
        "pg_dump 和 pg_restore，不能从这里备份或恢复。请用服务器自己的备份（定时 pg_dump 或服务器的备份方案）；"
        "若要在这台电脑上备份，请安装与服务器同一版本（或更新版本）的 PostgreSQL 客户端工具。"
    )


@dataclass(frozen=True)
class ServerTools:
    pg_dump: Path
    pg_restore: Path


def find_server_tools(*, windows_roots: Iterable[Path] | None = None) -> ServerTools | None:
    """pg_dump and pg_restore from PATH, else (Windows) from the newest PostgreSQL under Program Files that has
    both; None: not found. `windows_roots`: where to look instead of Program Files (tests)."""
    dump, restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if dump is not None and restore is not None:
        return ServerTools(Path(dump), Path(restore))
    roots = list(windows_roots) if windows_roots is not None else _program_files()
    folders = sorted(
        (folder for root in roots for folder in root.glob("PostgreSQL/*/bin")),
        key=lambda folder: _version_key(folder.parent.name),
        reverse=True,
    )
    for folder in folders:
        tools = [_tool_in(folder, name) for name in ("pg_dump", "pg_restore")]
        if tools[0] is not None and tools[1] is not None:
            return ServerTools(tools[0], tools[1])
    return None


def _program_files() -> list[Path]:
    if sys.platform != "win32":
        return []
    names = ("ProgramW6432", "ProgramFiles", "ProgramFiles(x86)")
    found = [Path(os.environ[n]) for n in names if os.environ.get(n)]
    return found or [Path("C:/Program Files")]


def _tool_in(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.exe", folder / name):
        if candidate.is_file():
            return candidate
    return None


def _version_key(folder: str) -> tuple[int, int]:
    match = _VERSION.match(folder)
    return (int(match[1]), int(match[2] or 0)) if match else (-1, -1)


class ServerBackups:
    """pg_dump and pg_restore for the one database `url` names."""

    def __init__(self, url: URL, tools: ServerTools) -> None:
        self.url = url
        self.tools = tools
        self._password = str(url.password) if url.password else None

    # -- taking one ----------------------------------------------------------------------------

    def dump(self, target: Path, *, progress: Progress | None = None) -> None:
        """The whole database into `target`, written under a temporary name and named only once it reads back."""
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        partial.unlink(missing_ok=True)
        if progress is not None:
            progress(0, 1)
        try:
            self._run(self.tools.pg_dump, "--format=custom", f"--file={partial}", what="备份")
            _tables, problem = self._archive(partial)
            if problem is not None:
                raise UserError(f"pg_dump 写出的备份读不回来（{problem}），备份未完成。")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        if progress is not None:
            progress(1, 1)

    # -- what one holds --------------------------------------------------------------------------

    def contents(self, path: Path) -> BackupContents:
        """What the dump holds, read without restoring it: its schema revision, its records, and any problem."""
        if not path.is_file():
            raise BadBackup(f"找不到备份文件：{path}")
        stat = path.stat()
        modified = datetime.fromtimestamp(stat.st_mtime)
        tables, problem = self._archive(path)
        revision: str | None = None
        counts: dict[str, int] = {}
        if problem is None:
            revision, rows = self._revision_and_rows(path, [key for key in REGISTERS if key in tables])
            counts = {register.label: rows[key] for key, register in REGISTERS.items() if rows.get(key)}
        return BackupContents(path, modified, stat.st_size, revision, counts, problem)

    def tables_in(self, path: Path) -> set[str]:
        """The tables of the public schema the dump holds, from its table of contents."""
        listing = self._run(self.tools.pg_restore, "--list", str(path), what="读取备份", connect=False)
        tables = set()
        for line in listing.splitlines():
            match = _TOC_TABLE.match(line)
            if match is not None and match["schema"] == "public":
                tables.add(match["name"])
        return tables

    def _archive(self, path: Path) -> tuple[set[str], str | None]:
        """The dump's tables, and why it is no backup of this program's database (None: it is one)."""
        try:
            tables = self.tables_in(path)
        except UserError:
            return set(), "不是有效的 pg_dump 备份文件（或由更新版本的 PostgreSQL 写出）"
        if not {"alembic_version", "estates"} <= tables:
            return tables, "这不是普陀小区档案的数据库备份"
        return tables, None

    def _revision_and_rows(self, path: Path, tables: list[str]) -> tuple[str | None, dict[str, int]]:
        """The schema revision stamped in the dump, and the rows of each of `tables`: their data as pg_restore
        writes it out, read line by line (a district's dump does not fit in memory as one string)."""
        options = [f"--table={name}" for name in ["alembic_version", *tables]]
        command = [str(self.tools.pg_restore), "--data-only", *options, "--file=-", str(path)]
        revision: str | None = None
        rows: dict[str, int] = {}
        with tempfile.TemporaryFile() as errors:
            try:
                process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, creationflags=_NO_WINDOW)
            except OSError as exc:
                raise UserError(
                    f"无法运行 {self.tools.pg_restore.name}（{exc.strerror or exc}），读取备份未完成。"
                ) from exc
            assert process.stdout is not None
            with process:
                lines = (_decoded(raw).rstrip("\r\n") for raw in process.stdout)
                for table, first_columns in _copy_blocks(lines):
                    if table == "alembic_version":
                        revision = next(iter(first_columns), None)
                    else:
                        rows[table] = sum(1 for _ in first_columns)
            if process.returncode != 0:
                errors.seek(0)
                raise UserError(
                    f"读取备份“{path.name}”未完成：{tool_complaint(_decoded(errors.read()), self._password)}"
                )
        return revision, rows

    # -- putting one back ------------------------------------------------------------------------

    def restore(self, database: Database, path: Path) -> None:
        """Replace the database's tables with the dump's, in one transaction: all of it, or nothing.

        The program's tables the dump lacks (added by a later migration) are dropped first, or pg_restore could
        not drop the tables they refer to; the caller has saved the database before.
        """
        extra = set(TABLES) - self.tables_in(path)
        database.dispose()  # no pooled connection of ours holds a lock pg_restore waits for
        if extra:
            with database.transaction() as conn:
                for name in sorted(extra):  # names from the schema declaration, never from input
                    conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
            database.dispose()
        self._run(
            self.tools.pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(path),
            what="恢复",
        )

    # -- running a tool --------------------------------------------------------------------------

    def _run(self, tool: Path, *arguments: str, what: str, connect: bool = True) -> str:
        command = [str(tool), *arguments]
        if connect:
            command.insert(1, f"--dbname={conninfo(self.url)}")
        env = dict(os.environ)
        if self._password:
            env["PGPASSWORD"] = self._password
        env["PGOPTIONS"] = f"-c lock_timeout={LOCK_TIMEOUT_MS}"
        env.setdefault("PGCONNECT_TIMEOUT", "15")
        log.info("running %s (%s)", tool.name, what)
        try:
            done = subprocess.run(command, env=env, capture_output=True, check=False, creationflags=_NO_WINDOW)
        except OSError as exc:
            raise UserError(f"无法运行 {tool.name}（{exc.strerror or exc}），{what}未完成。") from exc
        output = _decoded(done.stdout)
        if done.returncode != 0:
            said = tool_complaint(_decoded(done.stderr), self._password)
            log.warning("%s failed (%s): %s", tool.name, done.returncode, said)
            raise UserError(f"{tool.name} 未能完成{what}：{said or '没有给出原因'}{_hint(said)}")
        return output


def tool_complaint(said: str, password: str | None) -> str:
    """A tool's stderr as the clerk is shown it: its first lines, without the password, the statement, or a server
    DETAIL or CONTEXT (they may quote a row's values: a 身份证号, a 手机号)."""
    lines = [line.strip() for line in said.splitlines() if line.strip() and not any(p in line for p in _NOT_SHOWN)]
    shown = "；".join(lines[:4])
    return shown.replace(password, "***") if password else shown


def conninfo(url: URL) -> str:
    """The libpq connection string for `url`, without its password (that goes through PGPASSWORD)."""
    parts = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():
        if key != "password":
            parts[key] = value if isinstance(value, str) else value[-1]
    return " ".join(f"{key}={_quoted(str(value))}" for key, value in parts.items() if value not in (None, ""))


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _copy_blocks(lines: Iterator[str]) -> Iterator[tuple[str, Iterator[str]]]:
    """(table, the first column of each of its rows) for every COPY block of a pg_restore script, streamed:
    each block's rows are read as they are consumed (the caller consumes them before the next block)."""
    for line in lines:
        match = _COPY.match(line)
        if match is not None:
            yield match["name"], _block_rows(lines)


def _block_rows(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        if line == "\\.":
            return
        yield line.split("\t", 1)[0]


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # a localised Windows tool writes its messages in the console's code page
        return data.decode(locale.getpreferredencoding(False), errors="replace")


def _hint(said: str) -> str:
    lowered = said.lower()
    if "version mismatch" in lowered or "unsupported version" in lowered:
        return "。这台电脑上的 PostgreSQL 客户端工具比服务器旧，请安装与服务器同一版本（或更新版本）的工具。"
    if "lock timeout" in lowered:
        return "。有其他同事正在使用数据库，请等他们完成后再试，数据库没有任何改动。"
    return ""
