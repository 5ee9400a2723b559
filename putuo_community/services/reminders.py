"""Deadlines worth a reminder, across all estates: each says which rule produced it.

The rules themselves live in the domain; this module only gathers the dates they
need with a handful of queries (never one per estate) and asks them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import Connection, select

from putuo_community.domain import rules
from putuo_community.domain.committee import formation_due_on, renewal_events, renewal_timeline
from putuo_community.domain.credit import objection_deadline
from putuo_community.domain.dates import add_months, add_years
from putuo_community.domain.fund import needs_topup, topup_deadline
from putuo_community.domain.lifts import REMOTE_MONITORING_DEADLINE, assessment_due_on, needs_assessment
from putuo_community.domain.rules import Rule
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

DEFAULT_HORIZON_DAYS = 90  # upcoming deadlines shown this far ahead
RENEWAL_WATCH_MONTHS = 6  # 换届 steps are watched from six months before the term ends
CREDIT_EXPIRY_DAYS = 30


@dataclass(frozen=True)
class Reminder:
    estate_id: int | None
    estate_name: str
    street_name: str
    category: str
    subject: str
    message: str
    due_on: date | None
    overdue: bool
    rule: Rule


@dataclass(frozen=True)
class _Estate:
    id: int
    name: str
    street: str
    has_assembly: bool
    first_delivery_on: date | None
    half_delivered_on: date | None
    prep_group_on: date | None
    first_assembly_on: date | None


class ReminderService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def list(
        self, *, today: date, street_id: int | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> list[Reminder]:
        """Overdue and upcoming deadlines, overdue first, then by due date."""
        with self.database.read() as conn:
            estates = _load_estates(conn, street_id)
            scan = _Scan(conn, estates, today, horizon_days)
            found = [*scan.committees(), *scan.contracts(), *scan.lifts(), *scan.funds(), *scan.credit()]
        return sorted(found, key=lambda r: (not r.overdue, r.due_on or date.max, r.street_name, r.estate_name))


def _load_estates(conn: Connection, street_id: int | None) -> dict[int, _Estate]:
    estates, streets = TABLES["estates"], TABLES["streets"]
    query = select(
        estates.c.id,
        estates.c.name,
        streets.c.name.label("street"),
        estates.c.has_assembly,
        estates.c.first_delivery_on,
        estates.c.half_delivered_on,
        estates.c.prep_group_on,
        estates.c.first_assembly_on,
    ).join(streets, streets.c.id == estates.c.street_id)
    if street_id is not None:
        query = query.where(estates.c.street_id == street_id)
    return {
        row.id: _Estate(
            row.id,
            row.name,
            row.street,
            bool(row.has_assembly),
            row.first_delivery_on,
            row.half_delivered_on,
            row.prep_group_on,
            row.first_assembly_on,
        )
        for row in conn.execute(query)
    }


class _Scan:
    def __init__(self, conn: Connection, estates: Mapping[int, _Estate], today: date, horizon_days: int) -> None:
        self.conn = conn
        self.estates = estates
        self.today = today
        self.horizon = today + timedelta(days=horizon_days)

    def _rows(self, register: str) -> Iterator[Any]:
        table = TABLES[register]
        for row in self.conn.execute(select(table)):
            if row.estate_id in self.estates:
                yield row

    def _reminder(
        self, estate_id: int, category: str, subject: str, message: str, due_on: date | None, rule: Rule
    ) -> Reminder | None:
        """A reminder if the deadline has passed or falls within the horizon; None otherwise."""
        overdue = due_on is not None and due_on < self.today
        if due_on is not None and not overdue and due_on > self.horizon:
            return None
        estate = self.estates[estate_id]
        return Reminder(estate_id, estate.name, estate.street, category, subject, message, due_on, overdue, rule)

    # -- 业委会: formation and 换届 -----------------------------------------------------------

    def committees(self) -> Iterator[Reminder]:
        latest: dict[int, Any] = {}
        for term in self._rows("committee_terms"):
            if term.estate_id not in latest or term.term_no > latest[term.estate_id].term_no:
                latest[term.estate_id] = term
        for estate in self.estates.values():
            term = latest.get(estate.id)
            if term is None:
                yield from self._formation(estate)
            elif term.dissolved_on is None:
                yield from self._renewal(term)

    def _formation(self, estate: _Estate) -> Iterator[Reminder]:
        due = formation_due_on(
            first_delivery_on=estate.first_delivery_on, half_area_delivered_on=estate.half_delivered_on
        )
        if due is None or estate.first_assembly_on is not None:
            return
        if estate.prep_group_on is None:
            r = self._reminder(
                estate.id,
                "业委会组建",
                "筹备组",
                f"已具备成立业主大会条件（{due.isoformat()}），街镇应在60日内组建筹备组",
                due + timedelta(days=60),
                rules.PREP_GROUP,
            )
        else:
            r = self._reminder(
                estate.id,
                "业委会组建",
                "首次业主大会",
                f"筹备组已于{estate.prep_group_on.isoformat()}成立，应在90日内召开首次业主大会",
                estate.prep_group_on + timedelta(days=90),
                rules.FIRST_ASSEMBLY,
            )
        if r:
            yield r

    def _renewal(self, term: Any) -> Iterator[Reminder]:
        if self.today < add_months(term.end_on, -RENEWAL_WATCH_MONTHS):
            return
        events = renewal_events(term._mapping)
        subject = f"第{term.term_no}届业委会（{term.end_on.isoformat()}届满）"
        for milestone in renewal_timeline(term.end_on, events):
            if milestone.is_done:
                continue
            r = self._reminder(term.estate_id, "换届", subject, milestone.label, milestone.due_on, milestone.rule)
            if r:
                yield r

    # -- property service contracts ----------------------------------------------------------

    def contracts(self) -> Iterator[Reminder]:
        by_estate: dict[int, list[Any]] = {}
        for contract in self._rows("contracts"):
            by_estate.setdefault(contract.estate_id, []).append(contract)
        for estate_id, contracts in by_estate.items():
            current = max(contracts, key=lambda c: c.start_on)
            if current.terminated_on is not None:
                continue
            start = current.start_on
            if current.filed_on is None:
                r = self._reminder(
                    estate_id,
                    "物业合同",
                    current.kind,
                    "物业服务合同应在签订后30日内网签备案",
                    (current.signed_on or start) + timedelta(days=30),
                    rules.CONTRACT_FILING,
                )
                if r:
                    yield r
            if current.kind == "临时物业服务":
                r = self._reminder(
                    estate_id,
                    "物业合同",
                    current.kind,
                    "临时物业服务期限不得超过6个月，应尽快选聘物业",
                    add_months(start, 6),
                    rules.TEMP_SERVICE,
                )
                if r:
                    yield r
            elif current.end_on is not None and not current.open_ended:
                r = self._reminder(
                    estate_id,
                    "物业合同",
                    current.kind,
                    f"合同将于{current.end_on.isoformat()}届满：企业不再续约须提前90日告知，业主大会应及早决定续聘或选聘",
                    current.end_on - timedelta(days=90),
                    rules.CONTRACT_NOTICE,
                )
                if r:
                    yield r

    # -- lifts ---------------------------------------------------------------------------------

    def lifts(self) -> Iterator[Reminder]:
        for lift in self._rows("lifts"):
            code = lift.registration_code
            if needs_assessment(lift.first_use_on, lift.assessed_on, self.horizon):
                due = assessment_due_on(lift.first_use_on)
                r = self._reminder(
                    lift.estate_id,
                    "电梯",
                    f"电梯 {code}",
                    f"{lift.first_use_on.year}年投用，满15年应进行安全评估",
                    due,
                    rules.LIFT_ASSESSMENT,
                )
                if r:
                    yield r
            if lift.risk_class == "Ⅰ类" and lift.action_status != "已完成":
                r = self._reminder(
                    lift.estate_id,
                    "电梯",
                    f"电梯 {code}",
                    "评估为Ⅰ类风险：应停用并修理、改造或更新",
                    lift.assessed_on,
                    rules.LIFT_ASSESSMENT,
                )
                if r:
                    yield r
            if not lift.remote_monitoring:
                r = self._reminder(
                    lift.estate_id,
                    "电梯",
                    f"电梯 {code}",
                    "尚未安装远程监测装置（2027年底前全覆盖）",
                    REMOTE_MONITORING_DEADLINE,
                    rules.LIFT_REMOTE_MONITORING,
                )
                if r:
                    yield r

    # -- repair fund ---------------------------------------------------------------------------

    def funds(self) -> Iterator[Reminder]:
        latest: dict[int, Any] = {}
        for snapshot in self._rows("funds"):
            if snapshot.estate_id not in latest or snapshot.as_of > latest[snapshot.estate_id].as_of:
                latest[snapshot.estate_id] = snapshot
        for estate_id, snapshot in latest.items():
            if needs_topup(balance=snapshot.balance, initial=snapshot.initial_amount):
                # Rounded down: a balance just under 30 % must never read as "30.0%".
                ratio = (snapshot.balance / snapshot.initial_amount * 100).quantize(Decimal("0.01"), ROUND_DOWN)
                r = self._reminder(
                    estate_id,
                    "维修资金",
                    f"截至{snapshot.as_of.isoformat()}",
                    f"余额为首期归集的{ratio}%，低于30%，应续筹至50%以上",
                    topup_deadline(snapshot.topup_started_on or snapshot.as_of),
                    rules.FUND_TOPUP,
                )
                if r:
                    yield r

    # -- credit ----------------------------------------------------------------------------------

    def credit(self) -> Iterator[Reminder]:
        companies = dict(self.conn.execute(select(TABLES["companies"].c.id, TABLES["companies"].c.name)).all())
        for event in self._rows("credit_events"):
            company = companies.get(event.company_id, "")
            if event.objection == "审核中" and event.objection_filed_on is not None:
                r = self._reminder(
                    event.estate_id,
                    "信用",
                    company,
                    f"{event.band}记分异议待核查：应在15个工作日内作出决定",
                    objection_deadline(event.objection_filed_on),
                    rules.CREDIT_OBJECTION,
                )
                if r:
                    yield r
            active_until = add_years(event.scored_on, 1)
            if (
                event.band != "业绩"
                and event.objection != "异议成立"
                and event.corrected_on is None
                and self.today <= active_until <= self.today + timedelta(days=CREDIT_EXPIRY_DAYS)
            ):
                yield Reminder(
                    event.estate_id,
                    self.estates[event.estate_id].name,
                    self.estates[event.estate_id].street,
                    "信用",
                    company,
                    f"{event.points}分记分将于{active_until.isoformat()}期满，不再计入",
                    active_until,
                    False,
                    rules.CREDIT_ACTIVE,
                )
