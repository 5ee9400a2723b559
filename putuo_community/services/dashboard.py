"""The 概览 page's figures: the summary's indicators against the plan's targets, district and per 街镇.

Counted by the summary's own tally (`services/summary.py`), so every figure equals the workbook's
cell; each figure keeps the ids behind it, so clicking it opens exactly the records it counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from putuo_community.domain.credit import WarningLevel
from putuo_community.services.summary import (
    COMPLETE_PLAN_AREA,
    FORMATION_TARGET,
    OPERATION_TARGET,
    PLAN_YEARS,
    REPAIR_PLAN_AREA,
    SummaryService,
    Tally,
    wan,
)

DISTRICT_NAME = "全区"
LEVEL_FIGURES = {
    WarningLevel.RED: ("companies_red", "红色预警", "红色预警"),
    WarningLevel.ORANGE: ("companies_orange", "橙色预警", "橙色预警"),
    WarningLevel.YELLOW: ("companies_yellow", "黄色预警", "黄色预警"),
    WarningLevel.GREEN: ("companies_green", "无预警", "无预警"),
}
_PLAN = f"{PLAN_YEARS[0]}–{PLAN_YEARS[1]}年批次"


@dataclass(frozen=True)
class Drill:
    """The list behind a figure: which register, which records, and what they are (the list's banner)."""

    register: str
    ids: frozenset[int]
    label: str
    street_id: int | None = None


@dataclass(frozen=True)
class Figure:
    """One figure as the page shows it. `column`: the summary workbook's column that holds the same
    value ("" for a figure worked out from others, such as 应组建未组建 = 符合组建条件 − 已组建业委会)."""

    key: str
    label: str
    value: int | Decimal | None
    kind: str  # "count" | "rate" | "area" (万㎡), as the summary's columns
    column: str = ""
    target: Decimal | None = None
    drill: Drill | None = None

    @property
    def below_target(self) -> bool:
        return self.target is not None and self.value is not None and self.value < self.target


@dataclass(frozen=True)
class ScopeFigures:
    """The figures of the district (street_id None) or of one 街镇."""

    street_id: int | None
    name: str
    figures: Mapping[str, Figure]

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]

    def count(self, key: str) -> int:
        value = self.figures[key].value
        return int(value) if value is not None else 0


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    district: ScopeFigures
    streets: tuple[ScopeFigures, ...]

    @property
    def empty(self) -> bool:
        """No estate recorded: nothing to show but how to begin."""
        return self.district.count("estates") == 0

    def scope(self, street_id: int | None) -> ScopeFigures:
        for street in self.streets:
            if street.street_id == street_id:
                return street
        return self.district


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


def scope_figures(tally: Tally, street_id: int | None, name: str) -> ScopeFigures:
    """A scope's figures from its tally, each with its list."""
    where = "" if street_id is None else f"{name}："

    def drill(register: str, ids: set[int], label: str) -> Drill:
        return Drill(register, frozenset(ids), where + label, street_id)

    district = street_id is None
    unformed = tally.eligible - tally.formed
    not_compliant = tally.operating - tally.compliant
    not_assessed = tally.old_lifts - tally.old_assessed
    unmonitored = tally.lifts - tally.monitored
    figures = [
        Figure(
            "estates", "小区数", len(tally.estates), "count", "小区数", drill=drill("estates", tally.estates, "小区")
        ),
        Figure("eligible", "符合组建条件", len(tally.eligible), "count", "符合组建条件"),
        Figure("formed", "已组建业委会", len(tally.formed), "count", "已组建业委会"),
        Figure(
            "formation_rate",
            "业委会组建率",
            _rate(len(tally.formed), len(tally.eligible)),
            "rate",
            "组建率",
            FORMATION_TARGET,
            drill("estates", unformed, "符合组建条件但未组建业委会的小区"),
        ),
        Figure(
            "unformed",
            "应组建未组建",
            len(unformed),
            "count",
            drill=drill("estates", unformed, "符合组建条件但未组建业委会的小区"),
        ),
        Figure("operating", "任期内业委会", len(tally.operating), "count"),
        Figure(
            "operation_rate",
            "规范运作达标率",
            _rate(len(tally.compliant), len(tally.operating)),
            "rate",
            "规范运作达标率",
            OPERATION_TARGET,
            drill("committee_terms", not_compliant, "任期内未达到规范运作要求的业委会"),
        ),
        Figure(
            "not_compliant",
            "规范运作未达标",
            len(not_compliant),
            "count",
            drill=drill("committee_terms", not_compliant, "任期内未达到规范运作要求的业委会"),
        ),
        Figure(
            "renewal_overdue",
            "换届逾期",
            len(tally.renewal_overdue),
            "count",
            "换届逾期",
            drill=drill("committee_terms", tally.renewal_overdue, "换届步骤逾期未完成的业委会"),
        ),
        *(
            Figure(
                key,
                label,
                len(tally.companies[level]),
                "count",
                column,
                drill=drill("companies", tally.companies[level], f"在管小区的{label}物业企业"),
            )
            for level, (key, label, column) in LEVEL_FIGURES.items()
        ),
        Figure("lifts", "电梯总数", len(tally.lifts), "count", "电梯总数"),
        Figure("old_lifts", "满15年电梯", len(tally.old_lifts), "count", "满15年"),
        Figure("old_assessed", "满15年已评估", len(tally.old_assessed), "count", "满15年已评估"),
        Figure(
            "not_assessed",
            "满15年未评估",
            len(not_assessed),
            "count",
            drill=drill("lifts", not_assessed, "投用满15年、未按规定完成安全评估的电梯"),
        ),
        Figure("monitored", "已装远程监测", len(tally.monitored), "count", "已装远程监测"),
        Figure(
            "unmonitored",
            "未装远程监测",
            len(unmonitored),
            "count",
            drill=drill("lifts", unmonitored, "未安装远程监测的电梯"),
        ),
        Figure(
            "repair_area",
            "综合修缮完成面积",
            wan(tally.repair_area),
            "area",
            "综合修缮完成面积",
            REPAIR_PLAN_AREA if district else None,
            drill("projects", tally.repair_projects, f"{_PLAN}已竣工的综合修缮项目"),
        ),
        Figure(
            "complete_area",
            "成套改造完成面积",
            wan(tally.complete_area),
            "area",
            "成套改造完成面积",
            COMPLETE_PLAN_AREA if district else None,
            drill("projects", tally.complete_projects, f"{_PLAN}已竣工的成套改造项目"),
        ),
        Figure(
            "fund_low",
            "维修资金低于30%",
            len(tally.fund_low),
            "count",
            "维修资金低于30%",
            drill=drill("estates", tally.fund_low, "维修资金余额低于首期归集30%的小区"),
        ),
    ]
    return ScopeFigures(street_id, name, MappingProxyType({f.key: f for f in figures}))


class DashboardService:
    def __init__(self, summary: SummaryService) -> None:
        self.summary = summary

    def dashboard(self, *, today: date) -> Dashboard:
        """The district's figures and each 街镇's, counted as the summary workbook counts them."""
        counted = self.summary.tally(today=today)
        return Dashboard(
            as_of=today,
            district=scope_figures(counted.district, None, DISTRICT_NAME),
            streets=tuple(scope_figures(tally, sid, name) for sid, name, tally in counted.streets),
        )


__all__ = ["DISTRICT_NAME", "Dashboard", "DashboardService", "Drill", "Figure", "ScopeFigures"]
