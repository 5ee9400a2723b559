"""Attachments: scans added to an estate's dossier, opened for viewing, moved to the bin and restored.

Every add, change, removal and restore is one transaction written through the change history, so it
shows in 变更记录, can be undone, and open views follow it. The file is stored first and the record
written after it: a kill or an error in between leaves a stored file no record names (harmless,
tidied by `check`), never a record whose file is missing.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from putuo_community.domain.accounts import Actor
from putuo_community.domain.attachments import (
    LINKS,
    LINKS_BY_REGISTER,
    MAX_ATTACHMENT_BYTES,
    AttachmentProblem,
    FileState,
    check_kind,
    format_size,
    link_label,
    link_of,
    shown_name,
    title_from_file_name,
    too_large_message,
    viewer_file_name,
)
from putuo_community.domain.errors import DuplicateRecord, RecordNotFound, UserError, ValidationFailed
from putuo_community.domain.registers import ATTACHMENTS, REGISTERS
from putuo_community.domain.validation import validate_record
from putuo_community.services.history import ChangeWriter
from putuo_community.services.permissions import Permissions, action_for
from putuo_community.services.records import Record, insert_record, row_to_record, select_with_titles, update_record
from putuo_community.storage.attachment_store import AttachmentStore, FileTooLarge, store_for
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

log = logging.getLogger(__name__)

TABLE = TABLES["attachments"]
# What a clerk may change of an attachment after adding it: the file's facts and the bin date are the program's.
EDITABLE = ("kind", "title", "dated_on", "note")
TIDY_GRACE_SECONDS = 3600.0  # a file stored in the last hour may be waiting for its record (another process)
NO_STORE = (
    "附件文件存放在数据库文件旁的 attachments 文件夹中；当前数据库在服务器上（或在内存中），"
    "不能添加或打开附件。请改用本机或共享文件夹中的数据库文件。"
)

Link = tuple[str, int]  # (register key, record id)


class _Unchanged:
    """`update` leaves what an attachment belongs to as it is."""


UNCHANGED = _Unchanged()


@dataclass(frozen=True)
class Attachment:
    """One attachment as the views show it: its record, the state of its file and what it belongs to."""

    record: Record
    state: FileState
    link: Link | None
    link_label: str
    estate_name: str = ""

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def version(self) -> int:
        return self.record.version

    @property
    def title(self) -> str:
        return self.record.title

    def value(self, key: str) -> Any:
        return self.record.values.get(key)

    @property
    def size_text(self) -> str:
        return format_size(self.value("size_bytes"))

    @property
    def removed(self) -> bool:
        return self.value("removed_on") is not None


@dataclass(frozen=True)
class AttachmentListing:
    """An estate's attachments: those in its dossier and those in the bin."""

    estate_id: int
    current: tuple[Attachment, ...]
    removed: tuple[Attachment, ...]

    @property
    def flagged(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.current + self.removed if a.state is not FileState.OK)


@dataclass(frozen=True)
class LinkChoice:
    """A record of the estate a scan may belong to, as a picker offers it."""

    register: str
    record_id: int
    label: str  # 第3届业委会
    detail: str  # 2021-05-01 至 2026-04-30
    usual_kind: str  # the kind a scan of such a record usually is

    @property
    def link(self) -> Link:
        return (self.register, self.record_id)


@dataclass(frozen=True)
class OpenedCopy:
    """A copy of an attachment's file in the temp folder, under its original (made safe) name."""

    path: Path
    state: FileState  # OK, or CHANGED: the copy is of a file changed outside the program
    title: str


@dataclass(frozen=True)
class FileCheck:
    """`check`'s look at the attachment files: how many were checked, the first problems, how many tidied."""

    checked: int
    problems: tuple[str, ...]
    bad: int  # how many files are missing or changed
    tidied: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class AttachmentService:
    def __init__(
        self,
        database: Database,
        *,
        user: str,
        store: AttachmentStore | None = None,
        max_bytes: int = MAX_ATTACHMENT_BYTES,
        clock: Callable[[], date] = date.today,
        actor: Actor | None = None,
    ) -> None:
        self.database = database
        self.user = user
        self.permissions = Permissions(database, actor or Actor.local(user))  # who may add and change them
        self.store = store if store is not None else store_for(database)
        self.max_bytes = max_bytes
        self.clock = clock
        # Files whose hash was checked, by (hash, size, modification time): a list need not read them again.
        self._verified: dict[tuple[str, int, int], FileState] = {}

    def _files(self) -> AttachmentStore:
        if self.store is None:
            raise UserError(NO_STORE)
        return self.store

    # -- adding ------------------------------------------------------------------------------

    def add(
        self,
        estate_id: int,
        source: Path,
        *,
        kind: str,
        title: str | None = None,
        dated_on: date | None = None,
        note: str | None = None,
        link: Link | None = None,
    ) -> int:
        """Store the file at `source` and add it to an estate's dossier; returns the attachment's id."""
        kind = check_kind(kind)
        self.permissions.require(action_for(ATTACHMENTS))
        self.database.check_writable()  # read-only or damaged: refused before a byte is copied
        store = self._files()
        size = self.check_file(source)
        values: dict[str, Any] = {
            "estate_id": estate_id,
            "kind": kind,
            "title": (title or "").strip()
            or title_from_file_name(source.name)[: ATTACHMENTS.field("title").max_length],
            "dated_on": dated_on,
            "note": note or None,
            **_link_values(link),
            "file_name": source.name,
            "sha256": "0" * 64,  # checked below with the real hash
            "size_bytes": size,
            "added_on": self.clock(),
        }
        report = validate_record(ATTACHMENTS, values)
        if not report.ok:
            raise ValidationFailed(report)
        with self.database.read() as conn:  # a wrong estate or link is said before anything is copied
            self.permissions.check_create(conn, ATTACHMENTS, values)
            self._check_estate_and_link(conn, estate_id, link)
        stored = self._store_file(store, source)
        values.update(sha256=stored.sha256, size_bytes=stored.size)
        # The file is in place: from here a failure leaves an orphan file at worst, never a record without one.
        with self.database.transaction() as conn:
            self.permissions.check_create(conn, ATTACHMENTS, values)
            self._check_estate_and_link(conn, estate_id, link)
            self._refuse_duplicate(conn, estate_id, stored.sha256)
            described = f"添加附件“{shown_name(values['title'])}”"
            writer = ChangeWriter(conn, user=self.user, kind="新增", description=described)
            attachment_id = insert_record(conn, ATTACHMENTS, values, writer)
        log.info("attachment %s added to estate %s (%s bytes)", attachment_id, estate_id, stored.size)
        return attachment_id

    def check_file(self, source: Path) -> int:
        """The size of a file that may be attached; a clear refusal for a missing, empty or too large one."""
        name = shown_name(source.name)
        try:
            if source.is_dir():
                raise AttachmentProblem(f"“{name}”是一个文件夹，不是文件。请选择文件夹中的扫描件。")
            size = source.stat().st_size
        except FileNotFoundError:
            raise AttachmentProblem(f"找不到文件“{shown_name(str(source))}”。请检查文件名和位置。") from None
        except OSError as exc:
            raise AttachmentProblem(f"无法读取文件“{name}”：{exc.strerror or exc}") from exc
        if size == 0:
            raise AttachmentProblem(f"文件“{name}”是空的（0 字节），未添加。")
        if size > self.max_bytes:
            raise AttachmentProblem(too_large_message(source.name, size, self.max_bytes))
        return size

    def _store_file(self, store: AttachmentStore, source: Path) -> Any:
        try:
            return store.put(source, max_bytes=self.max_bytes)
        except FileTooLarge as grown:
            raise AttachmentProblem(too_large_message(source.name, grown.size, self.max_bytes)) from None
        except OSError as exc:
            if exc.filename is not None and Path(exc.filename) == source:
                raise AttachmentProblem(
                    f"无法读取文件“{shown_name(source.name)}”：{exc.strerror or exc}（是否被其他程序占用？）"
                ) from exc
            raise AttachmentProblem(
                f"无法把文件存入附件文件夹“{store.root}”：{exc.strerror or exc}（磁盘是否已满？）。未添加。"
            ) from exc

    def _check_estate_and_link(self, conn: Connection, estate_id: int, link: Link | None) -> None:
        estates = TABLES["estates"]
        if conn.scalar(select(estates.c.id).where(estates.c.id == estate_id)) is None:
            raise RecordNotFound(f"小区（编号 {estate_id}）不存在，可能已被删除。")
        if link is None:
            return
        register_key, record_id = link
        register = REGISTERS[link_of(register_key).register]
        table = TABLES[register.key]
        owner = conn.scalar(select(table.c[register.estate_field]).where(table.c.id == record_id))
        if owner is None:
            raise RecordNotFound(f"{register.label}记录（编号 {record_id}）不存在，可能已被删除。")
        if owner != estate_id:
            raise UserError(f"{register.label}记录（编号 {record_id}）属于另一个小区，附件只能关联本小区的记录。")

    def _refuse_duplicate(self, conn: Connection, estate_id: int, sha256: str) -> None:
        row = conn.execute(
            select(TABLE.c.title, TABLE.c.removed_on).where(TABLE.c.estate_id == estate_id, TABLE.c.sha256 == sha256)
        ).first()
        if row is None:
            return
        title = shown_name(row.title)
        if row.removed_on is not None:
            raise DuplicateRecord(f"这份文件已在本小区附件的回收站中（“{title}”）。请在回收站中恢复它。")
        raise DuplicateRecord(f"这份文件已是本小区的附件“{title}”，不必重复添加。")

    # -- changing ----------------------------------------------------------------------------

    def update(
        self,
        attachment_id: int,
        changes: Mapping[str, Any],
        *,
        expected_version: int,
        link: Link | _Unchanged | None = UNCHANGED,
    ) -> int:
        """Change an attachment's kind, title, date or note, and (`link`: a record, or None for none) what it
        belongs to. Returns its new version."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        values = dict(changes)
        if "kind" in values:
            values["kind"] = check_kind(str(values["kind"]))
        if not isinstance(link, _Unchanged):
            values.update(_link_values(link))
        report = validate_record(ATTACHMENTS, values, partial=True)
        if not report.ok:
            raise ValidationFailed(report)
        with self.database.transaction() as conn:
            self.permissions.check_change(conn, ATTACHMENTS, attachment_id, values)
            current = self._row(conn, attachment_id)
            if not isinstance(link, _Unchanged):
                self._check_estate_and_link(conn, current["estate_id"], link)
            title = values.get("title") or current["title"]
            writer = ChangeWriter(conn, user=self.user, kind="修改", description=f"修改附件“{shown_name(title)}”")
            return update_record(conn, ATTACHMENTS, attachment_id, values, expected_version, writer)

    def remove(self, attachment_id: int, *, expected_version: int) -> int:
        """Move an attachment to the bin: out of the dossier, its file kept, restorable. Returns its new version."""
        with self.database.transaction() as conn:
            self.permissions.check_change(conn, ATTACHMENTS, attachment_id, {})
            current = self._row(conn, attachment_id)
            if current["removed_on"] is not None:
                raise UserError(f"附件“{shown_name(current['title'])}”已在回收站中。")
            writer = ChangeWriter(
                conn, user=self.user, kind="移入回收站", description=f"把附件“{shown_name(current['title'])}”移入回收站"
            )
            return update_record(
                conn, ATTACHMENTS, attachment_id, {"removed_on": self.clock()}, expected_version, writer
            )

    def restore(self, attachment_id: int, *, expected_version: int) -> int:
        """Bring an attachment back from the bin into the dossier. Returns its new version."""
        with self.database.transaction() as conn:
            self.permissions.check_change(conn, ATTACHMENTS, attachment_id, {})
            current = self._row(conn, attachment_id)
            if current["removed_on"] is None:
                raise UserError(f"附件“{shown_name(current['title'])}”不在回收站中。")
            described = f"从回收站恢复附件“{shown_name(current['title'])}”"
            writer = ChangeWriter(conn, user=self.user, kind="从回收站恢复", description=described)
            return update_record(conn, ATTACHMENTS, attachment_id, {"removed_on": None}, expected_version, writer)

    def _row(self, conn: Connection, attachment_id: int) -> dict[str, Any]:
        row = conn.execute(select(TABLE).where(TABLE.c.id == attachment_id)).first()
        if row is None:
            raise RecordNotFound(f"附件（编号 {attachment_id}）不存在，可能已被删除。")
        return dict(row._mapping)

    # -- reading -----------------------------------------------------------------------------

    def of_estate(self, estate_id: int, *, verify: bool = True) -> AttachmentListing:
        """An estate's attachments, oldest first, each with the state of its file (`verify`: its hash checked,
        once per file version; else only whether it is there with its size)."""
        query, table = select_with_titles(ATTACHMENTS)
        query = query.where(table.c.estate_id == estate_id).order_by(table.c.added_on, table.c.id)
        with self.database.read() as conn:
            records = [row_to_record(ATTACHMENTS, row) for row in conn.execute(query)]
        attachments = [self._attachment(r, verify=verify) for r in records]
        return AttachmentListing(
            estate_id,
            tuple(a for a in attachments if not a.removed),
            tuple(a for a in attachments if a.removed),
        )

    def get(self, attachment_id: int, *, verify: bool = True) -> Attachment:
        query, table = select_with_titles(ATTACHMENTS)
        with self.database.read() as conn:
            row = conn.execute(query.where(table.c.id == attachment_id)).first()
        if row is None:
            raise RecordNotFound(f"附件（编号 {attachment_id}）不存在，可能已被删除。")
        return self._attachment(row_to_record(ATTACHMENTS, row), verify=verify)

    def _attachment(self, record: Record, *, verify: bool) -> Attachment:
        values = record.values
        state = self.file_state(values["sha256"], values.get("size_bytes"), verify=verify)
        link = _link_in(values)
        label = link_label(link[0], record.ref_titles.get(LINKS_BY_REGISTER[link[0]].field, "")) if link else ""
        return Attachment(record, state, link, label, record.ref_titles.get("estate_id", ""))

    def file_state(self, sha256: str, size: int | None, *, verify: bool = True) -> FileState:
        """The state of a stored file; the hash is read once per version of the file (size, modification time)."""
        if self.store is None:
            return FileState.MISSING
        try:
            stat = self.store.path_of(sha256).stat()
        except (OSError, ValueError):
            return FileState.MISSING
        if size is not None and stat.st_size != size:
            return FileState.CHANGED
        if not verify:
            return FileState.OK
        key = (sha256, stat.st_size, stat.st_mtime_ns)
        known = self._verified.get(key)
        if known is None:
            known = self.store.state(sha256, size)
            self._verified[key] = known
        return known

    def link_choices(self, estate_id: int) -> list[LinkChoice]:
        """The records of an estate a scan may belong to, in the order a clerk looks for them."""
        choices: list[LinkChoice] = []
        with self.database.read() as conn:
            for link in LINKS:
                register = REGISTERS[link.register]
                query, table = select_with_titles(register)
                rows = conn.execute(query.where(table.c[register.estate_field] == estate_id).order_by(table.c.id))
                for row in rows:
                    record = row_to_record(register, row)
                    label = link_label(register.key, record.title)
                    choices.append(LinkChoice(register.key, record.id, label, _detail(record), link.usual_kind))
        return choices

    # -- opening -----------------------------------------------------------------------------

    def open_copy(self, attachment_id: int, *, folder: Path | None = None) -> OpenedCopy:
        """A copy of the attachment's file under its original name (made safe for Windows), in a new folder of
        the temp folder (the data folder's while the program runs), for the system's viewer. The hash is
        checked on the way: a file changed outside the program comes back flagged CHANGED."""
        attachment = self.get(attachment_id, verify=False)
        store = self._files()
        sha256 = attachment.value("sha256")
        if not store.path_of(sha256).is_file():
            raise AttachmentProblem(_missing_message(attachment))
        try:
            if folder is None:
                folder = Path(tempfile.mkdtemp(prefix="open-"))
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / viewer_file_name(attachment.value("file_name") or attachment.title)
            copied = store.copy_out(sha256, target)
        except FileNotFoundError:
            raise AttachmentProblem(_missing_message(attachment)) from None
        except OSError as exc:
            raise AttachmentProblem(f"无法打开附件“{shown_name(attachment.title)}”：{exc.strerror or exc}") from exc
        state = FileState.OK if copied == sha256 else FileState.CHANGED
        try:
            stat = store.path_of(sha256).stat()
            self._verified[(sha256, stat.st_size, stat.st_mtime_ns)] = state
        except OSError:
            pass
        if state is FileState.CHANGED:
            log.warning("attachment %s: its stored file was changed outside the program", attachment_id)
        return OpenedCopy(target, state, attachment.title)

    # -- checking ----------------------------------------------------------------------------

    def check_files(self, *, limit: int = 5) -> FileCheck:
        """Every attachment's file (in the bin too) hashed against its record; the first `limit` problems said."""
        estates = TABLES["estates"]
        query = (
            select(TABLE.c.sha256, TABLE.c.size_bytes, TABLE.c.title, TABLE.c.kind, estates.c.name)
            .join(estates, estates.c.id == TABLE.c.estate_id)
            .order_by(TABLE.c.id)
        )
        with self.database.read() as conn:
            rows = conn.execute(query).all()
        problems: list[str] = []
        bad = 0
        for sha256, size, title, kind, estate in rows:
            state = FileState.MISSING if self.store is None else self.store.state(sha256, size)
            if state is FileState.OK:
                continue
            bad += 1
            if len(problems) < limit:
                place = self.store.path_of(sha256) if self.store is not None else "（无附件文件夹）"
                problems.append(f"附件“{shown_name(title)}”（{estate}，{kind}）的文件{state.label}：{place}")
        return FileCheck(len(rows), tuple(problems), bad)

    def tidy(self, *, older_than: float = TIDY_GRACE_SECONDS) -> int:
        """Remove stored files no attachment names any more (an add cut short, an undone add) and stray
        temporary files; returns how many files were removed. Backups keep their own copies."""
        if self.store is None or self.database.writes_refused is not None:
            return 0
        with self.database.read() as conn:
            named = set(conn.scalars(select(TABLE.c.sha256)))
        return len(self.store.tidy(lambda sha: sha in named, older_than=older_than))


def _link_values(link: Link | None) -> dict[str, int | None]:
    """The five reference fields for one linked record (or none)."""
    values: dict[str, int | None] = {item.field: None for item in LINKS}
    if link is not None:
        values[link_of(link[0]).field] = link[1]
    return values


def _link_in(values: Mapping[str, Any]) -> Link | None:
    for item in LINKS:
        if values.get(item.field) is not None:
            return (item.register, int(values[item.field]))
    return None


def _detail(record: Record) -> str:
    """What tells a linked record apart in a picker."""
    values = record.values

    def shown(*keys: str) -> str:
        return " ".join(t for t in (record.display(k) for k in keys) if t)

    if record.register == "committee_terms":
        start, end = values.get("start_on"), values.get("end_on")
        return f"{start.isoformat()} 至 {end.isoformat()}" if start and end else ""
    if record.register == "contracts":
        start = values.get("start_on")
        return "，".join(t for t in (shown("company_id"), f"{start.isoformat()}起" if start else "") if t)
    if record.register in ("lifts", "lift_projects"):
        return shown("building_id", "unit_id")
    if record.register == "projects":
        return shown("kind", "batch_year")
    return ""


def _missing_message(attachment: Attachment) -> str:
    return (
        f"附件“{shown_name(attachment.title)}”的文件已不在附件文件夹中。"
        "可从备份恢复（备份中存有附件文件），或移除这条附件后重新添加扫描件。"
    )


__all__ = [
    "Attachment",
    "AttachmentListing",
    "AttachmentService",
    "FileCheck",
    "Link",
    "LinkChoice",
    "OpenedCopy",
]
