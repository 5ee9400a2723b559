"""The verdict column of the lists that keep votes (业委会届次, 修缮项目, 加装电梯), worked out from the
stored counts by the domain's `evaluate_vote` for a whole set of records in one query."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.registers.votes import VOTE_COLUMNS
from putuo_community.services.listing.ordering import _ids_clause
from putuo_community.storage.schema import TABLES


def vote_columns(conn: Connection, register_key: str, ids: Sequence[int] | None) -> dict[int, dict[str, Any]]:
    """Each record's `Verdict` under its register's vote column key (None when it holds no vote)."""
    column = VOTE_COLUMNS[register_key]
    register = REGISTERS[register_key]
    table = TABLES[register_key]
    query = select(table.c.id, *(table.c[k] for k in column.read_keys)).where(*_ids_clause(table.c.id, ids))
    return {row.id: {column.key: column.verdict(register, dict(row._mapping))} for row in conn.execute(query)}


def with_votes(
    register_key: str, computed: Mapping[int, dict[str, Any]], votes: Mapping[int, dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """The other computed columns of each record with its verdict added."""
    merged = {record_id: dict(values) for record_id, values in computed.items()}
    for record_id, values in votes.items():
        merged.setdefault(record_id, {}).update(values)
    return merged
