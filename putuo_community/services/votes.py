"""The vote calculator's reads: who votes on a record, and the totals the registers give for them.

The counts themselves are fields of the record (domain/registers/votes.py) and are saved with it
through the record service, in one transaction with its change history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from putuo_community.domain.registers.votes import Scope, VoteColumn, vote_column
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class VoteScope:
    """Who votes, and the totals the registers hold for them (None where they hold none)."""

    name: str  # 梅川一村全体业主, 5号 2单元
    total_area: Decimal | None = None
    total_owners: int | None = None
    notes: tuple[str, ...] = ()  # where each total came from, or why it is left blank


@dataclass(frozen=True)
class _Unit:
    area: Decimal | None
    households: int | None


class VoteService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def scope(self, register_key: str, values: Mapping[str, Any]) -> VoteScope:
        """The voting scope of a record (saved or being entered) and its totals from the estate,
        building and 单元 registers."""
        column = vote_column(register_key)
        if column is None:
            raise KeyError(f"{register_key} keeps no vote")
        with self.database.read() as conn:
            if column.scope is Scope.UNIT:
                return _unit_scope(conn, values)
            if column.scope is Scope.PROJECT:
                return _project_scope(conn, column, values)
            return _estate_scope(conn, values.get("estate_id"))


def _estate(conn: Connection, estate_id: Any) -> Any:
    estates = TABLES["estates"]
    return conn.execute(select(estates.c.name, estates.c.households).where(estates.c.id == estate_id)).first()


def _units(conn: Connection, *, estate_id: Any = None, building_id: Any = None) -> list[_Unit]:
    units, buildings = TABLES["units"], TABLES["buildings"]
    query = select(units.c.exclusive_area, units.c.households)
    if building_id is not None:
        query = query.where(units.c.building_id == building_id)
    else:
        query = query.join(buildings, buildings.c.id == units.c.building_id).where(buildings.c.estate_id == estate_id)
    return [_Unit(area, households) for area, households in conn.execute(query)]


def _area_of(units: Sequence[_Unit], where: str) -> tuple[Decimal | None, str]:
    """The 专有面积 of all `units`, only when every one of them has it registered."""
    if not units:
        return None, f"专有面积：{where}未登记单元，请按计票结果填写"
    missing = sum(1 for u in units if u.area is None)
    if missing:
        return None, f"专有面积：{where}有 {missing} 个单元未登记专有面积，请按计票结果填写"
    total = sum((u.area for u in units if u.area is not None), Decimal(0)).quantize(_CENT)
    return total, f"专有面积：{where} {len(units)} 个单元的专有面积合计"


def _estate_scope(conn: Connection, estate_id: Any) -> VoteScope:
    if estate_id is None:
        return VoteScope("", notes=("先选择小区，再从台账取表决范围的总数",))
    estate = _estate(conn, estate_id)
    if estate is None:
        return VoteScope("", notes=("所选小区已不存在",))
    units = _units(conn, estate_id=estate_id)
    area, area_note = _area_of(units, "本小区")
    owners: int | None = estate.households
    if owners is not None:
        owner_note = f"人数：按小区户数 {owners:,} 户预填（一户计一人，共有人计一人）"
    elif units and all(u.households is not None for u in units):
        owners = sum(u.households or 0 for u in units)
        owner_note = f"人数：按 {len(units)} 个单元的户数合计预填"
    else:
        owner_note = "人数：小区未登记户数，请按计票结果填写"
    return VoteScope(f"{estate.name}全体业主", area, owners, (area_note, owner_note))


def _unit_scope(conn: Connection, values: Mapping[str, Any]) -> VoteScope:
    units, buildings = TABLES["units"], TABLES["buildings"]
    unit_id, building_id = values.get("unit_id"), values.get("building_id")
    if unit_id is not None:
        row = conn.execute(
            select(buildings.c.number.label("building"), units.c.number, units.c.exclusive_area, units.c.households)
            .join(buildings, buildings.c.id == units.c.building_id)
            .where(units.c.id == unit_id)
        ).first()
        if row is None:
            return VoteScope("", notes=("所选单元已不存在",))
        notes = (
            "专有面积：取自单元台账" if row.exclusive_area is not None else "专有面积：该单元未登记专有面积，请填写",
            "人数：按单元户数预填（一户计一人）" if row.households is not None else "人数：该单元未登记户数，请填写",
        )
        return VoteScope(f"{row.building} {row.number}的业主", row.exclusive_area, row.households, notes)
    if building_id is None:
        return VoteScope("", notes=("先选择楼栋和单元：加装电梯由本单元业主表决",))
    building = conn.execute(
        select(buildings.c.number, buildings.c.households).where(buildings.c.id == building_id)
    ).first()
    if building is None:
        return VoteScope("", notes=("所选楼栋已不存在",))
    area, area_note = _area_of(_units(conn, building_id=building_id), "本楼栋")
    owner_note = (
        "人数：按楼栋户数预填（一户计一人）" if building.households is not None else "人数：该楼栋未登记户数，请填写"
    )
    whole = "未选择单元：按整幢楼取数；加装电梯应由一个单元的业主表决"
    return VoteScope(f"{building.number}的业主", area, building.households, (whole, area_note, owner_note))


def _project_scope(conn: Connection, column: VoteColumn, values: Mapping[str, Any]) -> VoteScope:
    total_key = column.votes[0].total_owners
    own = values.get(total_key)
    if own is not None:
        return VoteScope("本项目涉及的居民户", None, own, ("户数：取自本项目登记的户数",))
    estate = _estate(conn, values.get("estate_id")) if values.get("estate_id") is not None else None
    if estate is None or estate.households is None:
        return VoteScope("本项目涉及的居民户", notes=("户数：请填写本项目涉及的居民户数",))
    note = f"户数：按小区户数 {estate.households:,} 户预填；改造只涉及部分楼栋时请更正"
    return VoteScope(f"{estate.name}居民户", None, estate.households, (note,))
