"""A large import's history rows are written by SQLite itself: they must say exactly what the Python path says."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from putuo_community.domain.registers import REGISTERS
from putuo_community.services import Services
from putuo_community.services.history import BULK_HISTORY_ROWS, _snapshot
from putuo_community.storage.schema import TABLES

ROWS = BULK_HISTORY_ROWS + 50


def _register(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "街镇",
            "小区名称",
            "地址",
            "房屋类型",
            "建成年份",
            "户数",
            "建筑面积（㎡）",
            "物业费",
            "业主大会",
            "首次交付日期",
        ]
    )
    for i in range(ROWS):
        sheet.append(
            [
                "长征镇",
                f"梅岭北路{i}弄",
                None if i % 3 == 0 else f"梅岭北路{i}弄“东区”\\新\n址",  # quotes, a backslash, a line break
                ("售后公房", "商品房")[i % 2],
                1980 + i % 40,
                None if i % 5 == 0 else 100 + i,
                f"{1000 + i * 10.5:.2f}",
                ("1.5", "2")[i % 2],
                ("是", "否", None)[i % 3],
                date(1990, 1, 1 + i % 28),
            ]
        )
    book.save(path)
    return path


def test_bulk_history_rows_match_the_python_snapshots(services: Services, tmp_path: Path) -> None:
    plan = services.imports.plan(services.imports.read("estates", _register(tmp_path / "长征镇小区.xlsx")))
    result = services.imports.commit(plan)
    assert result.created == ROWS
    estates, history = TABLES["estates"], TABLES["change_history"]
    register = REGISTERS["estates"]
    with services.database.read() as conn:
        stored = {row.id: dict(row._mapping) for row in conn.execute(select(estates))}
        rows = conn.execute(select(history).where(history.c.action == "新增")).all()
    assert len(rows) == ROWS
    for row in rows:
        values = {k: v for k, v in stored[row.record_id].items() if k in register.field_keys}
        assert json.loads(row.new_value) == json.loads(_snapshot(register, values)), row.record_title
        assert row.record_title == values["name"]
        assert row.estate_id == row.record_id
        assert row.batch_id == result.batch_id
    sample = json.loads(next(r.new_value for r in rows if r.record_title == "梅岭北路1弄"))
    assert sample["floor_area"] == "1010.50"
    assert sample["fee"] == "2.00"
    assert sample["has_assembly"] is False
    assert sample["address"] == "梅岭北路1弄“东区”\\新 址"  # the importer folds line breaks
    assert "households" in sample
    assert isinstance(sample["households"], int)
    assert Decimal(sample["fee"]) == Decimal(2)


def test_undoing_a_bulk_import_removes_records_and_keeps_the_history_consistent(
    services: Services, tmp_path: Path
) -> None:
    plan = services.imports.plan(services.imports.read("estates", _register(tmp_path / "长征镇小区.xlsx")))
    result = services.imports.commit(plan)
    services.batches.undo(result.batch_id)
    assert services.records.count("estates") == 0
