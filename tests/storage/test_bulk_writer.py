"""The bulk writer's SQLite path stores what a Core insert stores, chunk by chunk, however sparse the rows."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from putuo_community.domain.registers import REGISTERS
from putuo_community.storage.bulk import BulkWriter
from putuo_community.storage.database import open_database

STAMP = datetime(2026, 11, 29, 9, 30)


def _estate(n: int, **values: Any) -> dict[str, Any]:
    return dict.fromkeys(REGISTERS["estates"].field_keys) | {"name": f"桃浦新村{n}", "street_id": 1} | values


# Two chunks: in the first no row fills the area, the date or the note; in the second some rows do,
# and the first chunk's only filled fee column is empty throughout.
CHUNKS = (
    [_estate(1, fee=Decimal("1.50")), _estate(2, households=300)],
    [
        _estate(3, floor_area=Decimal("19650.25"), first_delivery_on=date(1995, 3, 1), note="“东区”\n新址"),
        _estate(4, has_assembly=False),
        _estate(5),
    ],
)


def _stored(folder: Path, *, fast: bool) -> list[tuple[Any, ...]]:
    folder.mkdir()
    database = open_database(f"sqlite:///{folder / 'archive.sqlite3'}")
    with database.transaction() as conn:
        writer = BulkWriter(conn, STAMP, fast=fast)
        for chunk in CHUNKS:
            for row in chunk:
                writer.add("estates", dict(row))
            writer.flush()
    database.dispose()
    with sqlite3.connect(folder / "archive.sqlite3") as conn:
        return conn.execute("SELECT * FROM estates ORDER BY id").fetchall()


def test_columns_no_row_of_a_chunk_fills_are_stored_as_a_core_insert_stores_them(tmp_path: Path) -> None:
    fast, core = _stored(tmp_path / "fast", fast=True), _stored(tmp_path / "core", fast=False)
    assert fast == core
    assert len(fast) == 5


@pytest.mark.parametrize("fast", [True, False])
def test_the_values_a_sparse_chunk_stores(tmp_path: Path, fast: bool) -> None:
    database_rows = _stored(tmp_path / "archive", fast=fast)
    with sqlite3.connect(tmp_path / "archive" / "archive.sqlite3") as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(estates)")]
    rows = [dict(zip(columns, row, strict=True)) for row in database_rows]
    assert [r["name"] for r in rows] == [f"桃浦新村{n}" for n in range(1, 6)]
    assert [r["fee"] for r in rows] == [1.5, None, None, None, None]
    assert rows[1]["households"] == 300
    assert (rows[2]["floor_area"], rows[2]["first_delivery_on"]) == (19650.25, "1995-03-01")
    assert rows[2]["note"] == "“东区”\n新址"
    assert [r["has_assembly"] for r in rows] == [None, None, None, 0, None]
    assert all(r["version"] == 1 and r["created_at"] == r["updated_at"] for r in rows)
