"""The change history: who changed what, when, from which value to which.

A `ChangeWriter` belongs to one transaction and one batch; the history rows are
written in the same transaction as the change, so they can never disagree. Reading
them back, in a person's words, is `change_log`'s job.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select

from putuo_community.domain.fields import Register
from putuo_community.domain.formatting import plain_value
from putuo_community.domain.registers import REGISTERS
from putuo_community.storage import chain
from putuo_community.storage.bulk import BulkWriter, copy_created_to_history
from putuo_community.storage.database import changes_of
from putuo_community.storage.schema import TABLES, change_batches, new_id, now

HISTORY_KEY = "change_history"
HISTORY = TABLES[HISTORY_KEY]
BULK_HISTORY_ROWS = 200
# The "register" of history rows about district settings (warning thresholds, the holiday calendar).
SETTINGS_REGISTER = "app_settings"
SETTINGS_LABEL = "系统设置"


# One encoder for all snapshots: json.dumps with options would build a new one for every record.
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


def _snapshot(register: Register, values: Mapping[str, Any]) -> str:
    """All non-empty declared values of a record, as JSON (for creates and deletes).

    Dates and decimals are written as their text: str() of both is the ISO / plain form.
    """
    keys = register.field_keys
    present = {k: v for k, v in values.items() if v is not None and v != "" and k in keys}
    return _JSON.encode(present)


def estate_of(conn: Connection, register: Register, record_id: int | None, values: Mapping[str, Any]) -> int | None:
    """Which estate's dossier a record belongs to, following parents when needed."""
    if register.is_estate:
        return record_id
    if register.estate_field:
        value = values.get(register.estate_field)
        return int(value) if value is not None else None
    if register.parent_field:
        parent_id = values.get(register.parent_field)
        if parent_id is None:
            return None
        parent_register = REGISTERS[register.field(register.parent_field).ref]
        parent_table = TABLES[parent_register.key]
        row = conn.execute(select(parent_table).where(parent_table.c.id == parent_id)).first()
        if row is None:
            return None
        return estate_of(conn, parent_register, parent_id, dict(row._mapping))
    return None


class ChangeWriter:
    def __init__(self, conn: Connection, *, user: str, kind: str, description: str) -> None:
        self.conn = conn
        self.user = user
        self.kind = kind
        self.description = description
        self._batch_id: int | None = None
        self._stamp = now()
        self._parent_estates: dict[tuple[str, Any], int | None] = {}
        # What the open views hear of once the transaction commits.
        self.changes = changes_of(conn)
        self.changes.kind = self.changes.kind or kind

    @property
    def batch_id(self) -> int:
        if self._batch_id is None:
            result = self.conn.execute(
                insert(change_batches).values(
                    started_at=self._stamp, user=self.user, kind=self.kind, description=self.description[:400]
                )
            )
            self._batch_id = new_id(result)
        return self._batch_id

    def _fixed(self, register: Register, action: str) -> dict[str, Any]:
        """What every history row of this batch, register and action shares."""
        return {
            "batch_id": self.batch_id,
            "changed_at": self._stamp.isoformat(sep=" "),
            "user": self.user,
            "action": action,
            "register": register.key,
            "field": None,
            "old_value": None,
            "new_value": None,
        }

    def _write(self, rows: list[dict[str, Any]]) -> None:
        """Rows built from `_fixed`; each is a fresh dict this writer may hand on."""
        stamp = self._stamp
        chain.stamp(self.conn, rows)
        if len(rows) >= BULK_HISTORY_ROWS:  # an import: thousands of rows through the bulk path
            bulk = BulkWriter(self.conn, stamp)
            for row in rows:
                bulk.add(HISTORY_KEY, row)
            bulk.flush()
            bulk.advance_sequences()
            return
        stamped = {"version": 1, "created_at": stamp, "updated_at": stamp}
        self.conn.execute(insert(HISTORY), [{**row, **stamped} for row in rows])

    def _title(self, register: Register, values: Mapping[str, Any]) -> str:
        return plain_value(values.get(register.title_field))[:200]

    def created(self, register: Register, record_id: int, values: Mapping[str, Any]) -> None:
        self.created_many(register, [(record_id, values)])

    def created_many(self, register: Register, records: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        """History for new records: one row per record (all its values as JSON), in one statement."""
        if not records:
            return
        fixed = self._fixed(register, "新增")
        if self._copy_in_database(register, records, fixed):
            self.changes.created(register.key, (rid for rid, _ in records), self._own_estates(register, records))
            return
        rows = self._snapshot_rows(register, records, fixed, "new_value")
        self._write(rows)
        self.changes.created(register.key, (row["record_id"] for row in rows), (row["estate_id"] for row in rows))

    def _snapshot_rows(
        self,
        register: Register,
        records: Sequence[tuple[int, Mapping[str, Any]]],
        fixed: dict[str, Any],
        column: str,
    ) -> list[dict[str, Any]]:
        """A history row per created or deleted record, its values as JSON in `column` (new_value / old_value)."""
        return [
            {
                **fixed,
                "record_id": record_id,
                "record_title": self._title(register, values),
                "estate_id": self._estate(register, record_id, values),
                column: _snapshot(register, values),
            }
            for record_id, values in records
        ]

    def _own_estates(self, register: Register, records: Sequence[tuple[int, Mapping[str, Any]]]) -> set[int | None]:
        """The estates of records that name theirs (or are estates), without asking the database."""
        if register.is_estate:
            return {record_id for record_id, _ in records}
        return {values.get(register.estate_field) for _, values in records}

    def _copy_in_database(
        self, register: Register, records: Sequence[tuple[int, Mapping[str, Any]]], fixed: dict[str, Any]
    ) -> bool:
        """A large import on SQLite: let the database write the history rows from the stored records.

        Only for records just inserted with consecutive ids and an estate of their own (or estates
        themselves), which is every large import; anything else goes through `_write`.
        """
        if len(records) < BULK_HISTORY_ROWS or self.conn.dialect.name != "sqlite":
            return False
        if not (register.is_estate or register.estate_field):
            return False
        first, last = records[0][0], records[-1][0]
        if last - first + 1 != len(records) or any(rid != first + n for n, (rid, _) in enumerate(records)):
            return False
        given = set().union(*(values.keys() for _, values in records))
        written = copy_created_to_history(self.conn, register.key, first, last, fixed, self._stamp, given=given)
        if written != len(records):  # not our rows after all: never leave the history half-written
            raise RuntimeError(f"history for {register.key} {first}..{last}: {written} rows, expected {len(records)}")
        return True

    def _estate(self, register: Register, record_id: int, values: Mapping[str, Any]) -> int | None:
        # Records found through a parent (members through their term) ask once per parent.
        if register.estate_field or register.is_estate or not register.parent_field:
            return estate_of(self.conn, register, record_id, values)
        key = (register.key, values.get(register.parent_field))
        if key not in self._parent_estates:
            self._parent_estates[key] = estate_of(self.conn, register, record_id, values)
        return self._parent_estates[key]

    def updated(
        self,
        register: Register,
        record_id: int,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        merged: Mapping[str, Any],
    ) -> None:
        estate_id = estate_of(self.conn, register, record_id, merged)
        title = self._title(register, merged)
        fixed = self._fixed(register, "修改")
        self._write(
            [
                {
                    **fixed,
                    "record_id": record_id,
                    "record_title": title,
                    "estate_id": estate_id,
                    "field": key,
                    "old_value": plain_value(old.get(key)),
                    "new_value": plain_value(value),
                }
                for key, value in new.items()
            ]
        )
        self.changes.updated(register.key, (record_id,), new.keys(), (estate_id,))

    def setting_changed(self, key: str, title: str, items: Mapping[str, tuple[str, str]]) -> None:
        """History for a district setting (not a register): one row per item, label → (old, new) as text.

        Rows are filed under SETTINGS_REGISTER with the setting's `title` as the record; views hear of `key`.
        """
        fixed = {
            "batch_id": self.batch_id,
            "changed_at": self._stamp.isoformat(sep=" "),
            "user": self.user,
            "action": "修改",
            "register": SETTINGS_REGISTER,
            "record_id": None,
            "record_title": title[:200],
            "estate_id": None,
        }
        rows = [
            {**fixed, "field": label[:64], "old_value": old, "new_value": new} for label, (old, new) in items.items()
        ]
        if rows:
            self._write(rows)
        self.changes.setting(key)

    def deleted(self, register: Register, record_id: int, values: Mapping[str, Any]) -> None:
        self.deleted_many(register, [(record_id, values)])

    def deleted_many(self, register: Register, records: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        """History for removed records: their last values as JSON, so nothing is lost for good."""
        if not records:
            return
        rows = self._snapshot_rows(register, records, self._fixed(register, "删除"), "old_value")
        self._write(rows)
        self.changes.deleted(register.key, (row["record_id"] for row in rows), (row["estate_id"] for row in rows))
