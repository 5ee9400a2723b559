"""A hash chain through the change history, so that a row edited behind the program's back shows.

In id order, each history row's `chain_hash` is the SHA-256 of the row's own content followed by the
previous row's hash. Editing, deleting or inserting a row by hand (with sqlite3, say) breaks the chain
at that row: `first_break` finds it, `check` names it and `undo` refuses to follow it.

Every writer of history rows goes through here: `stamp` for rows written from Python, `sqlite_linker`
for the rows a large import has SQLite copy from the stored records (see `storage.bulk`).
Writers hold the write lock while they extend the chain (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
advisory lock taken in `head`), so two writers never fork it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, select, text

from putuo_community.domain.registers import REGISTERS
from putuo_community.storage.schema import TABLES

HISTORY = TABLES["change_history"]
# The content a row's hash covers, in this order: everything a person reads in the history.
HASHED: tuple[str, ...] = (
    "batch_id",
    "changed_at",
    "user",
    "action",
    "register",
    "field",
    "old_value",
    # What differs from row to row in a large import comes last (see `sqlite_linker`).
    "record_id",
    "record_title",
    "estate_id",
    "new_value",
)
GENESIS = ""  # what the first row's hash follows
_PG_CHAIN_LOCK = 0x70757475  # the advisory lock that serialises writers of the chain on PostgreSQL
READ_CHUNK = 5000


def _feed(digest: Any, values: Iterable[Any]) -> None:
    """Each value by its text, framed by its length (None by "~"): no two contents give the same bytes.

    A value counts by its text, so an id 5 and a "5" read back from a text column are the same. Bytes are
    that text already encoded (SQLite hands a TEXT cast to BLOB over as its UTF-8, with no decoding).
    """
    for value in values:
        if value is None:
            digest.update(b"~")
        else:
            data = value if type(value) is bytes else str(value).encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(data))
            digest.update(data)


def link(previous: str, values: Iterable[Any]) -> str:
    """The hash of a row with this content (in `HASHED` order) that follows the row hashed `previous`."""
    digest = hashlib.sha256()
    _feed(digest, values)
    digest.update(previous.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def head(conn: Connection) -> str:
    """The hash the next history row follows. Call it inside the write transaction that adds the rows."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_CHAIN_LOCK})
    last = conn.execute(select(HISTORY.c.chain_hash).order_by(HISTORY.c.id.desc()).limit(1)).first()
    return GENESIS if last is None or last[0] is None else str(last[0])


def stamp(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Give rows about to be inserted, in this order and with rising ids, their place in the chain."""
    previous = head(conn)
    for row in rows:
        previous = link(previous, [row[key] for key in HASHED])
        row["chain_hash"] = previous


class Linker(NamedTuple):
    """A SQL function that chains the rows of one INSERT … SELECT, and what it hashed last."""

    name: str
    last: Callable[[], str]


def sqlite_linker(conn: Connection, fixed: Mapping[str, Any], varying: Sequence[str]) -> Linker:
    """Register on this SQLite connection a function `name(<the varying values>)` returning each row's hash,
    for rows whose other content is `fixed` (the same in every row of the statement).

    It must be called once per inserted row, in id order: an INSERT … SELECT that reads its source by
    ascending rowid, which SQLite does without a sort, so the select list is evaluated row by row in order.
    """
    assert HASHED[len(HASHED) - len(varying) :] == tuple(varying), "the varying values come last"
    fixed_part = hashlib.sha256()
    _feed(fixed_part, (fixed[key] for key in HASHED[: len(HASHED) - len(varying)]))
    state = [head(conn)]

    def chained(*values: Any) -> str:
        digest = fixed_part.copy()
        _feed(digest, values)
        digest.update(state[0].encode("utf-8", "surrogatepass"))
        state[0] = digest.hexdigest()
        return state[0]

    name = "putuo_chain_link"
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.create_function(name, len(varying), chained)
    return Linker(name, lambda: state[0])


class Break(NamedTuple):
    """The first history row that does not follow from the one before it."""

    id: int
    batch_id: int | None
    changed_at: str
    register: str
    record_title: str | None


def first_break(conn: Connection, *, from_id: int | None = None) -> Break | None:
    """The first row, from `from_id` on (default: the first), whose hash is not its content chained to the
    row before it. None: the chain holds. Reads in chunks, so a district's history costs no more memory."""
    previous = GENESIS
    if from_id is not None:
        before = conn.execute(
            select(HISTORY.c.chain_hash).where(HISTORY.c.id < from_id).order_by(HISTORY.c.id.desc()).limit(1)
        ).first()
        previous = GENESIS if before is None else (before[0] or "")
        last_id = from_id - 1
    else:
        last_id = None
    columns = [HISTORY.c[key] for key in HASHED]
    while True:
        query = select(HISTORY.c.id, HISTORY.c.chain_hash, *columns).order_by(HISTORY.c.id).limit(READ_CHUNK)
        if last_id is not None:
            query = query.where(HISTORY.c.id > last_id)
        rows = conn.execute(query).all()
        if not rows:
            return None
        for row in rows:
            stored = row[1]
            if stored is None or stored != link(previous, row[2:]):
                values = dict(zip(HASHED, row[2:], strict=True))
                return Break(
                    row[0], values["batch_id"], str(values["changed_at"]), values["register"], values["record_title"]
                )
            previous = stored
        last_id = rows[-1][0]


def describe_break(found: Break) -> str:
    """The broken row in a clerk's words."""
    register = REGISTERS.get(found.register)
    what = register.label if register is not None else found.register
    title = f"“{found.record_title}”" if found.record_title else ""
    batch = f"批次 {found.batch_id}，" if found.batch_id is not None else ""
    return (
        f"变更记录第 {found.id} 条（{batch}{found.changed_at}，{what}{title}）与记录链不符："
        "这一条或它前面的一条在程序之外被改动、删除或插入过。"
    )
