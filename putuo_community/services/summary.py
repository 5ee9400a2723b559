"""The district summary (汇总表): one row per 街镇 and a district row, each rate saying how it is computed.

Every figure is counted from the registers with a handful of queries; the rules (when a
committee is due, when a 换届 step is late, a lift's age and assessment, the fund's 30 % line, a
company's warning level) are the domain's, so the summary and the reminders can never disagree.
One tally, which keeps the ids behind each count, serves both the workbook and the 概览 page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from putuo_community.domain.committee import (
    MEETING_KIND,
    OPERATION_KINDS,
    formation_due_on,
    operation_review_start,
    overdue_milestones,
    recent_operation,
    renewal_events,
)
from putuo_community.domain.credit import WarningLevel, WarningThresholds
from putuo_community.domain.dates import add_months
from putuo_community.domain.fund import needs_topup
from putuo_community.domain.lifts import lift_age_years, needs_assessment
from putuo_community.io.summary_report import SummaryColumn, SummaryReport
from putuo_community.services.credit import CreditService
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

FORMATION_TARGET = Decimal("0.95")
OPERATION_TARGET = Decimal("0.85")
PLAN_YEARS = (2021, 2025)  # the 十四五 plan's renovation targets are cumulative over these batch years
REPAIR_PLAN_AREA = Decimal(350)  # 综合修缮, 万㎡
COMPLETE_PLAN_AREA = Decimal(36)  # 成套改造, 万㎡
RENEWAL_WATCH_MONTHS = 6
OLD_LIFT_YEARS = 15
COMPLETED_STAGES = frozenset({"竣工验收", "审价审计", "满意度回访"})
LIFT_PROJECT_GROUPS = (
    ("前期", frozenset({"方案", "意愿征询", "费用分摊协议", "设计", "公示", "审批"})),
    ("施工", frozenset({"施工"})),
    ("已竣工", frozenset({"验收", "使用登记"})),
)
_TEN_THOUSAND = Decimal(10000)


def _ids() -> set[int]:
    return set()


@dataclass
class Tally:
    """What one 街镇 (or the district) counts, with the ids behind each count: a figure's list is its ids."""

    estates: set[int] = field(default_factory=_ids)
    eligible: set[int] = field(default_factory=_ids)  # estates 符合组建条件
    formed: set[int] = field(default_factory=_ids)  # eligible estates with a committee
    operating: set[int] = field(default_factory=_ids)  # committee terms in term, judged for 规范运作
    compliant: set[int] = field(default_factory=_ids)  # of those, the terms that operate by the rules
    renewal_overdue: set[int] = field(default_factory=_ids)  # latest terms with a 换届 step overdue
    companies: dict[WarningLevel, set[int]] = field(default_factory=lambda: defaultdict(set))
    lifts: set[int] = field(default_factory=_ids)
    old_lifts: set[int] = field(default_factory=_ids)  # in service 15 years or more
    old_assessed: set[int] = field(default_factory=_ids)  # of those, assessed as the rule asks
    monitored: set[int] = field(default_factory=_ids)
    lift_projects: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    repair_projects: set[int] = field(default_factory=_ids)  # completed 综合修缮 of the plan years
    complete_projects: set[int] = field(default_factory=_ids)  # completed 成套改造 of the plan years
    repair_area: Decimal = Decimal(0)  # ㎡
    complete_area: Decimal = Decimal(0)
    fund_low: set[int] = field(default_factory=_ids)  # estates whose fund is below 30 %


@dataclass(frozen=True)
class DistrictTally:
    """The tallies of every 街镇, in order, and the district's (a company serving two 街镇 counted once)."""

    as_of: date
    streets: tuple[tuple[int, str, Tally], ...]
    district: Tally


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


def wan(square_metres: Decimal) -> Decimal:
    """㎡ in 万㎡, to the hundredth, as the summary shows areas."""
    return (square_metres / _TEN_THOUSAND).quantize(Decimal("0.01"))


COLUMNS = (
    SummaryColumn("小区数", "count", group="小区"),
    SummaryColumn(
        "符合组建条件",
        "count",
        group="业主大会、业委会",
        note="已成立业主大会，或交付面积过半、首次交付满两年（组建已到期）的小区",
    ),
    SummaryColumn("已组建业委会", "count", group="业主大会、业委会", note="符合条件且登记了未终止的业委会届次的小区"),
    SummaryColumn(
        "组建率",
        "rate",
        target=FORMATION_TARGET,
        group="业主大会、业委会",
        note="符合条件的小区业委会组建率 = 已组建业委会 ÷ 符合组建条件；目标 ≥95%（十四五规划）",
    ),
    SummaryColumn(
        "规范运作达标率",
        "rate",
        target=OPERATION_TARGET,
        group="业主大会、业委会",
        note="任期内业委会中，近12个月（或自任期开始）每2个月召开会议、每年召开业主大会、每月设接待日均有记录的比例；"
        "目标 ≥85%（十四五规划）",
    ),
    SummaryColumn(
        "换届逾期",
        "count",
        group="业主大会、业委会",
        note="最近一届业委会的换届步骤（书面报告、换届小组、印章移交、选举、备案、审计）有逾期未完成的小区数",
    ),
    SummaryColumn("红色预警", "count", group="在管物业企业", note="在本街镇有在管小区的物业企业，按信用预警等级计数"),
    SummaryColumn("橙色预警", "count", group="在管物业企业"),
    SummaryColumn("黄色预警", "count", group="在管物业企业"),
    SummaryColumn("无预警", "count", group="在管物业企业", note="在本街镇有在管小区、信用预警等级为绿色的物业企业"),
    SummaryColumn("电梯总数", "count", group="电梯"),
    SummaryColumn("满15年", "count", group="电梯", note="投用满15年的电梯"),
    SummaryColumn(
        "满15年已评估",
        "count",
        group="电梯",
        note="投用满15年且已按规定完成安全评估的电梯（与提醒采用同一评估规则）",
    ),
    SummaryColumn("已装远程监测", "count", group="电梯"),
    *(
        SummaryColumn(label, "count", group="加装电梯项目", note="按当前阶段：" + "、".join(sorted(stages)))
        for label, stages in LIFT_PROJECT_GROUPS
    ),
    SummaryColumn(
        "综合修缮完成面积",
        "area",
        group="修缮改造（万㎡）",
        note=f"{PLAN_YEARS[0]}–{PLAN_YEARS[1]}年批次、已竣工验收的综合修缮项目建筑面积；全区对照规划 350 万㎡",
    ),
    SummaryColumn(
        "成套改造完成面积",
        "area",
        group="修缮改造（万㎡）",
        note=f"{PLAN_YEARS[0]}–{PLAN_YEARS[1]}年批次、已竣工验收的成套改造项目建筑面积；全区对照规划 36 万㎡",
    ),
    SummaryColumn(
        "维修资金低于30%",
        "count",
        group="维修资金",
        note="最近一次登记的账面余额低于首期归集金额30%、应启动续筹的小区数",
    ),
)
FORMATION_RATE_COLUMN = 3
OPERATION_RATE_COLUMN = 4


class SummaryService:
    def __init__(self, database: Database, credit: CreditService) -> None:
        self.database = database
        self.credit = credit

    def tally(self, *, today: date) -> DistrictTally:
        """Every 街镇's figures and the district's, with the ids behind them."""
        levels = {s.company_id: s.level for s in self.credit.company_standings(today=today)}
        with self.database.read() as conn:
            streets = [(row.id, row.name) for row in conn.execute(select(TABLES["streets"]).order_by("id"))]
            tallies = {sid: Tally() for sid, _name in streets}
            _count(conn, tallies, levels, today)
        district = Tally()
        for tally in tallies.values():
            _add(district, tally)
        return DistrictTally(today, tuple((sid, name, tallies[sid]) for sid, name in streets), district)

    def report(self, *, today: date) -> SummaryReport:
        return self.report_of(self.tally(today=today))

    def report_of(self, counted: DistrictTally) -> SummaryReport:
        """The workbook's figures from a tally."""
        today, district = counted.as_of, counted.district
        rows = tuple((name, _values(tally)) for _sid, name, tally in counted.streets)
        notes = (
            f"统计截至 {today.isoformat()}，数据来自本系统登记的各类台账；未登记的事项不计入。",
            f"修缮改造完成面积全区合计：综合修缮 {wan(district.repair_area)} 万㎡，"
            f"为规划目标 {REPAIR_PLAN_AREA} 万㎡ 的 {_percent(wan(district.repair_area), REPAIR_PLAN_AREA)}；"
            f"成套改造 {wan(district.complete_area)} 万㎡，"
            f"为规划目标 {COMPLETE_PLAN_AREA} 万㎡ 的 {_percent(wan(district.complete_area), COMPLETE_PLAN_AREA)}。",
            _policy_note(self.credit.thresholds()),
            "目标值来源：普陀区城市管理精细化“十四五”规划。",
        )
        return SummaryReport(
            title="普陀区住宅小区综合管理情况汇总表",
            as_of=today,
            columns=COLUMNS,
            rows=rows,
            total=_values(district),
            notes=notes,
            chart_columns=(FORMATION_RATE_COLUMN, OPERATION_RATE_COLUMN),
        )

    def export(self, path: Path, *, today: date) -> SummaryReport:
        from putuo_community.io.summary_book import write_summary  # openpyxl loads when a summary is saved

        report = self.report(today=today)
        write_summary(report, path)
        return report


def _policy_note(t: WarningThresholds) -> str:
    """How the company columns are counted: the district's thresholds as they stand (a local policy)."""
    severe = "或有特别严重失信行为" if t.red_on_severe else ""
    return (
        "物业企业预警等级按本区信用信息预警阈值计算（本区管理口径，非公开发布的规定，"
        "可在“工具 → 信用预警设置”中调整）："
        f"红色为有效记分≥{t.red_points}分{severe}；橙色为≥{t.orange_points}分或{t.orange_recent_serious_days}天内"
        f"有较严重失信行为记分；黄色为≥{t.yellow_points}分。有效记分只计“有效”“异议处理中”的记分。"
        "全区合计中同一企业只计一次。"
    )


def _percent(part: Decimal, whole: Decimal) -> str:
    return f"{part / whole * 100:.1f}%"


def _values(t: Tally) -> tuple[int | Decimal | None, ...]:
    return (
        len(t.estates),
        len(t.eligible),
        len(t.formed),
        _rate(len(t.formed), len(t.eligible)),
        _rate(len(t.compliant), len(t.operating)),
        len(t.renewal_overdue),
        len(t.companies[WarningLevel.RED]),
        len(t.companies[WarningLevel.ORANGE]),
        len(t.companies[WarningLevel.YELLOW]),
        len(t.companies[WarningLevel.GREEN]),
        len(t.lifts),
        len(t.old_lifts),
        len(t.old_assessed),
        len(t.monitored),
        *(len(t.lift_projects[label]) for label, _stages in LIFT_PROJECT_GROUPS),
        wan(t.repair_area),
        wan(t.complete_area),
        len(t.fund_low),
    )


_ID_SETS = (
    "estates",
    "eligible",
    "formed",
    "operating",
    "compliant",
    "renewal_overdue",
    "lifts",
    "old_lifts",
    "old_assessed",
    "monitored",
    "repair_projects",
    "complete_projects",
    "fund_low",
)


def _add(total: Tally, part: Tally) -> None:
    for name in _ID_SETS:
        getattr(total, name).update(getattr(part, name))
    total.repair_area += part.repair_area
    total.complete_area += part.complete_area
    for level, ids in part.companies.items():
        total.companies[level] |= ids  # a company serving two 街镇 counts once for the district
    for label, ids in part.lift_projects.items():
        total.lift_projects[label] |= ids


def _rows(conn: Connection, key: str, *columns: str) -> Iterable[Any]:
    table = TABLES[key]
    return conn.execute(select(*(table.c[c] for c in columns)))


def _recent_activities(conn: Connection, today: date) -> dict[int, dict[str, list[date]]]:
    """Each estate's 运作记录 dates by kind, as far back as any 规范运作 review can look: from the first day
    of the month the earliest review starts in, and the last 业委会会议 before that (a review's first gap
    is counted from the last meeting before the review).

    Not the district's half a million records of every year: the (kind, date) index finds these.
    """
    table = TABLES["committee_activities"]
    review_start = operation_review_start(date.min, today)
    earliest = review_start.replace(day=1)  # a reception day counts for the month the review starts in
    found: dict[int, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    for estate_id, kind, held_on in conn.execute(
        select(table.c.estate_id, table.c.kind, table.c.held_on).where(
            table.c.kind.in_(OPERATION_KINDS), table.c.held_on >= earliest
        )
    ):
        found[estate_id][kind].append(held_on)
    for estate_id, held_on in conn.execute(
        select(table.c.estate_id, func.max(table.c.held_on))
        .where(table.c.kind == MEETING_KIND, table.c.held_on < earliest)
        .group_by(table.c.estate_id)
    ):
        found[estate_id][MEETING_KIND].append(held_on)
    return found


def _count(conn: Connection, tallies: dict[int, Tally], levels: dict[int, WarningLevel], today: date) -> None:
    street_of: dict[int, int] = {}
    eligible_estates: set[int] = set()
    for e in _rows(
        conn, "estates", "id", "street_id", "has_assembly", "first_delivery_on", "half_delivered_on", "company_id"
    ):
        street_of[e.id] = e.street_id
        tally = tallies[e.street_id]
        tally.estates.add(e.id)
        due = formation_due_on(first_delivery_on=e.first_delivery_on, half_area_delivered_on=e.half_delivered_on)
        if e.has_assembly or (due is not None and due <= today):
            tally.eligible.add(e.id)
            eligible_estates.add(e.id)
        if e.company_id is not None:
            tally.companies[levels.get(e.company_id, WarningLevel.GREEN)].add(e.company_id)
    activities = _recent_activities(conn, today)
    latest: dict[int, Any] = {}
    for t in conn.execute(select(TABLES["committee_terms"])):
        if t.estate_id not in latest or t.term_no > latest[t.estate_id].term_no:
            latest[t.estate_id] = t
    for estate_id, term in latest.items():
        tally = tallies[street_of[estate_id]]
        if term.dissolved_on is not None and term.dissolved_on <= today:
            continue
        if estate_id in eligible_estates:
            tally.formed.add(estate_id)
        if term.start_on is not None and term.end_on is not None and term.start_on <= today <= term.end_on:
            tally.operating.add(term.id)
            report = recent_operation(activities[estate_id], term_start=term.start_on, today=today)
            if report.compliant:
                tally.compliant.add(term.id)
        if term.end_on is not None and today >= add_months(term.end_on, -RENEWAL_WATCH_MONTHS):
            events = renewal_events(term._mapping)
            if overdue_milestones(term.end_on, events, today):
                tally.renewal_overdue.add(term.id)
    for lift in _rows(conn, "lifts", "id", "estate_id", "first_use_on", "assessed_on", "remote_monitoring"):
        tally = tallies[street_of[lift.estate_id]]
        tally.lifts.add(lift.id)
        if lift.remote_monitoring:
            tally.monitored.add(lift.id)
        if lift.first_use_on is not None and lift_age_years(lift.first_use_on, today) >= OLD_LIFT_YEARS:
            tally.old_lifts.add(lift.id)
            if not needs_assessment(lift.first_use_on, lift.assessed_on, today):
                tally.old_assessed.add(lift.id)
    for p in _rows(conn, "lift_projects", "id", "estate_id", "stage"):
        for label, stages in LIFT_PROJECT_GROUPS:
            if p.stage in stages:
                tallies[street_of[p.estate_id]].lift_projects[label].add(p.id)
    for p in _rows(conn, "projects", "id", "estate_id", "kind", "stage", "batch_year", "floor_area"):
        in_plan = p.batch_year is not None and PLAN_YEARS[0] <= p.batch_year <= PLAN_YEARS[1]
        if not in_plan or p.stage not in COMPLETED_STAGES or p.floor_area is None:
            continue
        tally = tallies[street_of[p.estate_id]]
        if p.kind == "综合修缮":
            tally.repair_area += p.floor_area
            tally.repair_projects.add(p.id)
        elif p.kind == "成套改造":
            tally.complete_area += p.floor_area
            tally.complete_projects.add(p.id)
    latest_fund: dict[int, Any] = {}
    for f in _rows(conn, "funds", "estate_id", "as_of", "initial_amount", "balance"):
        if f.estate_id not in latest_fund or f.as_of > latest_fund[f.estate_id].as_of:
            latest_fund[f.estate_id] = f
    for estate_id, f in latest_fund.items():
        if f.initial_amount and f.balance is not None and needs_topup(balance=f.balance, initial=f.initial_amount):
            tallies[street_of[estate_id]].fund_low.add(estate_id)


__all__ = ["COLUMNS", "DistrictTally", "SummaryReport", "SummaryService", "Tally"]
