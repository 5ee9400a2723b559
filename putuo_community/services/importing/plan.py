"""What an import would do, row by row: the plan a person reviews before anything is written."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from putuo_community.services.importing.kinds import ImportKind

if TYPE_CHECKING:
    from putuo_community.io.table import DetectedTable


class RowStatus(Enum):
    NEW = "新增"
    UPDATE = "更新"
    UNCHANGED = "无变化"
    ERROR = "错误"
    CONFIRM = "待确认"


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Candidate:
    """An existing estate that a row's name comes close to: a person decides."""

    estate_id: int
    name: str
    street: str
    reason: str


class RowPlan(NamedTuple):
    """What the import does with one row. A named tuple: a register of 50,000 rows makes 50,000 of them."""

    line: int
    status: RowStatus
    values: dict[str, Any]
    record_id: int | None = None
    version: int | None = None
    changes: tuple[FieldChange, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    title: str = ""

    @property
    def reason(self) -> str:
        if self.status is RowStatus.CONFIRM:
            return "名称与已有小区相近，需人工确认：" + "；".join(f"{c.name}（{c.reason}）" for c in self.candidates)
        return "；".join(self.problems)


@dataclass(frozen=True)
class ImportSource:
    """A sheet read and its table found, with the suggested (or remembered) column mapping."""

    kind: ImportKind
    path: Path
    sheet: str
    table: DetectedTable
    mapping: dict[int, str]
    signature: str
    default_street_id: int | None
    remembered: bool = False

    @property
    def headers(self) -> list[str]:
        return [c.text for c in self.table.columns]


@dataclass(frozen=True)
class UnmappedColumn:
    """A column of the sheet that is not imported: its header and a value from it, so a person can map it."""

    index: int
    header: str
    sample: str  # the column's first value, as shown; "" when every cell is empty

    def describe(self) -> str:
        return f"“{self.header}”（如：{self.sample}）" if self.sample else f"“{self.header}”（无数据）"


def unmapped_columns(source: ImportSource, mapping: Mapping[int, str]) -> tuple[UnmappedColumn, ...]:
    """Every column with a header or a value that `mapping` leaves out, in the sheet's order."""
    found = []
    for column in source.table.columns:
        if column.index in mapping:
            continue
        sample = next(
            (
                text
                for row in source.table.rows
                if column.index < len(row.cells) and (text := _shown(row.cells[column.index]))
            ),
            "",
        )
        if column.text or sample:
            found.append(UnmappedColumn(column.index, column.text or f"第{column.index + 1}列", sample))
    return tuple(found)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    text = (value.isoformat() if isinstance(value, date | datetime) else str(value)).strip()
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


SAMPLE_CHARS = 20


@dataclass(frozen=True)
class ImportPlan:
    source: ImportSource
    mapping: dict[int, str]
    rows: tuple[RowPlan, ...]
    problems: tuple[str, ...] = ()  # problems of the whole file (a required column missing)
    new_neighbourhoods: tuple[tuple[int, str], ...] = ()  # (street id, name) created on commit

    # A plan is frozen: its tallies are counted once (a district register has 50,000 rows to count).
    @functools.cached_property
    def _tally(self) -> Counter[RowStatus]:
        return Counter(r.status for r in self.rows)

    def count(self, status: RowStatus) -> int:
        return self._tally[status]

    @functools.cached_property
    def accepted(self) -> tuple[RowPlan, ...]:
        return tuple(r for r in self.rows if r.status in (RowStatus.NEW, RowStatus.UPDATE))

    @functools.cached_property
    def rejected(self) -> tuple[RowPlan, ...]:
        return tuple(r for r in self.rows if r.status in (RowStatus.ERROR, RowStatus.CONFIRM))

    def summary(self) -> str:
        parts = [f"{s.value} {self.count(s):,}" for s in RowStatus if self.count(s)]
        return "，".join(parts) or "没有数据行"

    @property
    def unmapped(self) -> tuple[UnmappedColumn, ...]:
        """The sheet's columns this import leaves out: name each to the person, never drop one silently."""
        return unmapped_columns(self.source, self.mapping)

    def unmapped_text(self) -> str:
        """ "未导入的列：…" naming each left-out column with a sample value; "" when every column is imported."""
        columns = self.unmapped
        if not columns:
            return ""
        return f"未导入的列（{len(columns)} 列）：" + "、".join(c.describe() for c in columns)


@dataclass(frozen=True)
class ImportResult:
    batch_id: int | None
    created: int
    updated: int
    unchanged: int
    skipped: tuple[RowPlan, ...]
    aliases_added: int = 0
    neighbourhoods_added: int = 0

    def summary(self) -> str:
        text = f"新增 {self.created:,}，更新 {self.updated:,}，无变化 {self.unchanged:,}，未导入 {len(self.skipped):,}"
        extra = []
        if self.neighbourhoods_added:
            extra.append(f"新建居委会 {self.neighbourhoods_added:,}")
        if self.aliases_added:
            extra.append(f"新增小区别名 {self.aliases_added:,}")
        return text + (f"（{'，'.join(extra)}）" if extra else "")


@dataclass(frozen=True)
class NewNeighbourhood:
    """A 居委会 that this import creates; replaced by its id on commit."""

    key: tuple[int, str]
