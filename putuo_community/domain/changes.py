"""What a write changed: registers, record ids and the kind of change, for the views that show them.

Every committed write (a form save, a delete, an import, an undo, a settings change)
produces one `Changes`; the `ChangeBus` hands it to whoever listens (the open pages
and windows), so each refreshes only what it shows of the change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegisterChanges:
    """The records of one register that a write created, updated or deleted."""

    register: str
    created: frozenset[int] = frozenset()
    updated: frozenset[int] = frozenset()
    deleted: frozenset[int] = frozenset()
    fields: frozenset[str] = frozenset()  # the fields an update changed

    @property
    def ids(self) -> frozenset[int]:
        return self.created | self.updated | self.deleted

    @property
    def only_updates(self) -> bool:
        return not self.created and not self.deleted


@dataclass(frozen=True)
class Changes:
    """One committed write, as the views need to hear of it."""

    registers: dict[str, RegisterChanges] = field(default_factory=dict)
    estates: frozenset[int] = frozenset()  # whose dossiers the write touched
    settings: frozenset[str] = frozenset()  # settings keys that changed
    # Anything may have changed (a restore, a rebuilt demo): every view reloads.
    everything: bool = False
    kind: str = ""  # 新增 / 修改 / 删除 / 导入 / 撤销 / 设置 ...

    def touches(self, *register_keys: str) -> bool:
        return self.everything or any(key in self.registers for key in register_keys)

    def of(self, register_key: str) -> RegisterChanges | None:
        return self.registers.get(register_key)

    def touches_estate(self, estate_id: int) -> bool:
        return self.everything or estate_id in self.estates

    @property
    def empty(self) -> bool:
        return not (self.registers or self.settings or self.everything)


class ChangeCollector:
    """Gathers what one transaction writes; becomes a `Changes` once it commits."""

    def __init__(self) -> None:
        self._created: dict[str, set[int]] = {}
        self._updated: dict[str, set[int]] = {}
        self._deleted: dict[str, set[int]] = {}
        self._fields: dict[str, set[str]] = {}
        self._estates: set[int] = set()
        self._settings: set[str] = set()
        self.kind = ""
        self.everything = False  # set by writes that replace whole registers (a restore)

    def created(self, register: str, ids: Iterable[int], estates: Iterable[int | None] = ()) -> None:
        self._created.setdefault(register, set()).update(ids)
        self._add_estates(estates)

    def updated(
        self, register: str, ids: Iterable[int], fields: Iterable[str] = (), estates: Iterable[int | None] = ()
    ) -> None:
        self._updated.setdefault(register, set()).update(ids)
        self._fields.setdefault(register, set()).update(fields)
        self._add_estates(estates)

    def deleted(self, register: str, ids: Iterable[int], estates: Iterable[int | None] = ()) -> None:
        self._deleted.setdefault(register, set()).update(ids)
        self._add_estates(estates)

    def setting(self, key: str) -> None:
        self._settings.add(key)

    def _add_estates(self, estates: Iterable[int | None]) -> None:
        self._estates.update(e for e in estates if e is not None)

    def changes(self) -> Changes:
        keys = [*self._created, *self._updated, *self._deleted]
        registers = {}
        for key in dict.fromkeys(keys):
            created = self._created.get(key, set())
            deleted = self._deleted.get(key, set())
            # A record created and deleted in one write never reached anyone; one updated then deleted is deleted.
            registers[key] = RegisterChanges(
                key,
                created=frozenset(created - deleted),
                updated=frozenset(self._updated.get(key, set()) - created - deleted),
                deleted=frozenset(deleted - created),
                fields=frozenset(self._fields.get(key, set())),
            )
        return Changes(
            {k: r for k, r in registers.items() if r.ids},
            frozenset(self._estates),
            frozenset(self._settings),
            everything=self.everything,
            kind=self.kind,
        )


Listener = Callable[[Changes], None]


class ChangeBus:
    """Tells every listener about each committed change. Thread-safe; listeners run on the writer's thread."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def publish(self, changes: Changes) -> None:
        if changes.empty:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(changes)
            except Exception:  # one broken view must not undo a committed write's report to the others
                log.exception("change listener failed")
