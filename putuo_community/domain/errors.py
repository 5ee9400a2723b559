"""Errors the user or the environment causes: each carries a clear Chinese message.

Anything that is not a `UserError` is a bug and goes to the crash dialog.
"""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """A problem the user can understand and act on; `message` is shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EnvironmentProblem(UserError):
    """The machine's fault: a locked database, a full disk, a file that cannot be read."""


class DatabaseLocked(EnvironmentProblem):
    pass


class DiskFull(EnvironmentProblem):
    pass


class NotADatabase(EnvironmentProblem):
    pass


class CannotOpenDatabase(EnvironmentProblem):
    pass


class ConnectionLost(EnvironmentProblem):
    """The connection to the database server broke during an operation (network, server restart)."""


class DamagedDatabase(EnvironmentProblem):
    """The database file failed SQLite's check: nothing more is written to it until it is restored."""


class ReadOnlyDatabase(EnvironmentProblem):
    """The database was opened read-only (asked for, or its file or folder cannot be written): no write begins.

    `reason` says why it was opened so ("数据库所在的文件夹没有写入权限"); the message, what was refused.
    """

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or f"数据库以只读方式打开（{reason}），不能保存修改。")
        self.reason = reason


class NewerSchema(EnvironmentProblem):
    """The database was written by a newer version of the program."""


class BadFile(UserError):
    """The file cannot be read as a register: not a workbook, damaged, password-protected, no table found."""


class RecordNotFound(UserError):
    pass


class PermissionDenied(UserError):
    """The session's account may not do this; the message is `Actor.why_not(...)`'s text."""


class ConcurrentEdit(UserError):
    """Someone else saved the record since it was read (optimistic locking)."""


class DuplicateRecord(UserError):
    pass


class RecordInUse(UserError):
    """The record cannot be deleted while others refer to it."""


@dataclass(frozen=True)
class FieldProblem:
    field: str  # field key, or "" for the record as a whole
    label: str
    message: str
    warning: bool = False


@dataclass(frozen=True)
class ValidationReport:
    """What is wrong with a record: the GUI shows it, tests assert on it."""

    problems: tuple[FieldProblem, ...] = ()

    @property
    def errors(self) -> tuple[FieldProblem, ...]:
        return tuple(p for p in self.problems if not p.warning)

    @property
    def warnings(self) -> tuple[FieldProblem, ...]:
        return tuple(p for p in self.problems if p.warning)

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_field(self, key: str) -> tuple[FieldProblem, ...]:
        return tuple(p for p in self.problems if p.field == key)

    def summary(self) -> str:
        return "；".join(f"{p.label}：{p.message}" if p.label else p.message for p in self.errors)


class ValidationFailed(UserError):
    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.summary())
        self.report = report
