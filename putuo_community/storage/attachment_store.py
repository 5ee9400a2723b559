"""Attachment files, each stored once under its SHA-256 in a folder of its own.

Layout: ``<root>/<first two hex digits>/<sha256>`` — no extension and nothing a clerk named: a
file's name is its content, so the same scan added twice is stored once. The database keeps the
original name. A new file is copied (and hashed on the way) into ``<root>/incoming/`` under a
temporary name, flushed to disk, and only then renamed to its hash name: a kill or an error leaves
at most a stray temporary file (tidied later), never a half-written file under a hash name.

The live store sits beside the SQLite file (``attachments/`` in the data folder); backups keep a
store of the same layout beside them (``backups/attachments/``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from putuo_community.domain.attachments import FileState, is_sha256
from putuo_community.storage.database import Database

log = logging.getLogger(__name__)

FOLDER = "attachments"
INCOMING = "incoming"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class FileTooLarge(Exception):
    """The source grew past the limit while it was copied: nothing was stored."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size  # at least this many bytes


def store_for(database: Database) -> AttachmentStore | None:
    """The store beside a SQLite archive's file; None for a server database or one in memory."""
    name = database.url.database if database.is_sqlite else None
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return AttachmentStore(Path(name).parent / FOLDER)


def store_beside(file: Path) -> AttachmentStore:
    """The store of the backups (or archives) kept in the folder of `file`."""
    return AttachmentStore(file.parent / FOLDER)


class AttachmentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str, size: int | None = None) -> bool:
        """The file is there (with the size it should have): a quick look, not a hash check."""
        try:
            found = self.path_of(sha256).stat().st_size
        except OSError:
            return False
        return size is None or found == size

    # -- writing ---------------------------------------------------------------------------

    def put(self, source: Path, *, max_bytes: int | None = None) -> StoredFile:
        """Copy `source` into the store; returns its hash and size. The file is hashed as it is copied, so
        what is stored is what was hashed even if the source changes meanwhile. OSError from reading
        `source` or writing the store is the caller's to explain; `FileTooLarge` past `max_bytes`."""
        with source.open("rb") as stream:
            return self._put_stream(stream, max_bytes=max_bytes)

    def adopt(self, other: AttachmentStore, sha256: str) -> bool:
        """Copy a file from another store (a backup's) into this one, if it still has its content there.
        False when the other store lacks it or holds a changed copy: nothing is stored then."""
        try:
            with other.path_of(sha256).open("rb") as stream:
                stored = self._put_stream(stream, expected=sha256)
        except FileNotFoundError:
            return False
        return stored.sha256 == sha256

    def _put_stream(self, stream: BinaryIO, *, max_bytes: int | None = None, expected: str | None = None) -> StoredFile:
        incoming = self.root / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix="new-", suffix=".part", dir=incoming)
        partial = Path(name)
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(handle, "wb") as out:
                while block := stream.read(CHUNK):
                    size += len(block)
                    if max_bytes is not None and size > max_bytes:
                        raise FileTooLarge(size)
                    digest.update(block)
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())  # on disk before it is given a hash name
            stored = StoredFile(digest.hexdigest(), size)
            if expected is not None and stored.sha256 != expected:
                return stored  # not what it should be: keep nothing
            self._move_into_place(partial, stored)
            return stored
        finally:
            partial.unlink(missing_ok=True)

    def _move_into_place(self, partial: Path, stored: StoredFile) -> None:
        target = self.path_of(stored.sha256)
        if target.exists() and self.state(stored.sha256, stored.size) is FileState.OK:
            return  # the same content is there already: stored once
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(partial, target)  # replaces a changed copy with the content it should have
        except PermissionError:
            # Windows will not replace a file another program has open; fine if that one is sound.
            if self.state(stored.sha256, stored.size) is not FileState.OK:
                raise
        _sync_folder(target.parent)

    def remove(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)

    # -- reading ---------------------------------------------------------------------------

    def state(self, sha256: str, size: int | None = None) -> FileState:
        """Whether the stored file still has the content it was stored with (hash checked)."""
        path = self.path_of(sha256)
        try:
            if size is not None and path.stat().st_size != size:
                return FileState.CHANGED
            found, _size = file_hash(path)
        except FileNotFoundError:
            return FileState.MISSING
        return FileState.OK if found == sha256 else FileState.CHANGED

    def copy_out(self, sha256: str, target: Path) -> str:
        """Copy the stored file to `target` (written under a temporary name, then renamed); returns the hash of
        what was copied, for the caller to compare. FileNotFoundError when the store lacks it."""
        partial = target.with_name(target.name + ".part")
        digest = hashlib.sha256()
        try:
            with self.path_of(sha256).open("rb") as stream, partial.open("wb") as out:
                while block := stream.read(CHUNK):
                    digest.update(block)
                    out.write(block)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return digest.hexdigest()

    def stored(self) -> Iterator[Path]:
        """Every file stored under a hash name."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for path in folder.iterdir():
                if is_sha256(path.name) and path.name.startswith(folder.name):
                    yield path

    # -- tidying ---------------------------------------------------------------------------

    def tidy(self, keep: Callable[[str], bool], *, older_than: float) -> list[str]:
        """Remove the stored files `keep` does not want and temporary files, both only when last written more
        than `older_than` seconds ago (a file being added right now has no record yet). Returns the hashes
        removed."""
        cutoff = time.time() - older_than
        removed = []
        for path in self.stored():
            try:
                if not keep(path.name) and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path.name)
            except OSError as exc:  # open in a viewer (Windows): next time
                log.info("could not tidy %s: %s", path.name, exc)
        incoming = self.root / INCOMING
        if incoming.is_dir():
            for path in incoming.iterdir():
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                except OSError:
                    continue
        return removed

    def touch(self, sha256: str) -> None:
        """Mark a stored file as just needed (tidying spares files written recently)."""
        with contextlib.suppress(OSError):
            os.utime(self.path_of(sha256))


def file_hash(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in blocks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no directory handles to flush)."""
    if os.name == "nt":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
