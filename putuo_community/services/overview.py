"""Counts across registers: how much each register holds, and what one estate's dossier holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from putuo_community.domain.registers import REGISTERS
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES


@dataclass(frozen=True)
class RegisterSummary:
    key: str
    label: str
    count: int
    last_updated: datetime | None


@dataclass(frozen=True)
class SectionCount:
    key: str
    label: str
    count: int


class OverviewService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def registers(self) -> list[RegisterSummary]:
        """Every register with its record count and last update, for the 导入/导出 pages."""
        result = []
        with self.database.read() as conn:
            for key, register in REGISTERS.items():
                if key == "change_history":
                    continue
                table = TABLES[key]
                count, last = conn.execute(select(func.count(), func.max(table.c.updated_at))).one()
                result.append(RegisterSummary(key, register.label, int(count), last))
        return result

    def estate_sections(self, estate_id: int) -> list[SectionCount]:
        """How many records each register holds for one estate (direct children only)."""
        result = []
        with self.database.read() as conn:
            for key, register in REGISTERS.items():
                if not register.estate_field or key == "change_history":
                    continue
                table = TABLES[key]
                count = conn.scalar(select(func.count()).where(table.c[register.estate_field] == estate_id))
                result.append(SectionCount(key, register.label, int(count or 0)))
        return result
