"""Deadlines worth a reminder, across all estates: each says which rule produced it.

The rules themselves live in the domain; this module gathers the dates they need with
one query per kind of deadline (never one per estate) and asks them. Each query already
leaves out, by a looser test in SQL, the records no rule could remind of (lifts far from
their 15th year, terms far from their end, funds well above 30 %), so that a district's
151,000 lifts are not all read to find the 20,000 that matter; the domain rule then
decides exactly, on every date edge.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any, NamedTuple

from sqlalchemy import Column, ColumnElement, Connection, Select, Table, and_, false, func, literal, or_, select

from putuo_community.domain import rules
from putuo_community.domain.committee import formation_due_on, renewal_events, renewal_timeline
from putuo_community.domain.credit import CreditStatus, objection_accepted_on, objection_deadline, status_of_values
from putuo_community.domain.dates import add_months, add_years
from putuo_community.domain.fund import TOPUP_BELOW, needs_topup, topup_deadline
from putuo_community.domain.lifts import (
    ASSESSMENT_AGE_YEARS,
    REMOTE_MONITORING_DEADLINE,
    assessment_due_on,
    needs_assessment,
)
from putuo_community.domain.rules import Rule
from putuo_community.services.workdays import load_calendar
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

DEFAULT_HORIZON_DAYS = 90  # upcoming deadlines shown this far ahead
RENEWAL_WATCH_MONTHS = 6  # 换届 steps are watched from six months before the term ends
CREDIT_EXPIRY_DAYS = 30
# The SQL tests are looser than the rules by this much, so a month-end or 2-29 date that the
# rule clamps is never left out before the rule sees it.
_DATE_SLACK = timedelta(days=7)
_FUND_SLACK = Decimal(1)  # yuan: floating-point amounts in SQLite are compared exactly in Python
# The registers reminders are computed from: a write to any other cannot change one.
INPUTS = ("streets", "estates", "committee_terms", "contracts", "lifts", "funds", "credit_events", "companies")


class Reminder(NamedTuple):
    """A deadline about one estate (none for a company's own). A named tuple, not a dataclass:
    a district has over 40,000 of them and they are made in one go while the clerk waits."""

    estate_id: int | None
    estate_name: str
    street_name: str
    category: str
    subject: str
    message: str
    due_on: date | None
    overdue: bool
    rule: Rule


def _in_order(found: list[Reminder]) -> list[Reminder]:
    """Overdue first, then by due date (none last), 街镇 and estate name; ties keep their order.

    The keys are whole numbers: sorting 43,000 tuples of dates and text keeps the interpreter
    for 70 ms at a stretch, and the window waits that long (Python runs one thread at a time).
    """
    streets = {name: n for n, name in enumerate(sorted({r.street_name for r in found}))}
    estates = {name: n for n, name in enumerate(sorted({r.estate_name for r in found}))}
    per_day, per_street = len(streets) * len(estates), len(estates)
    days = date.max.toordinal() + 1

    def key(r: Reminder) -> int:
        day = (r.due_on or date.max).toordinal() + (0 if r.overdue else days)
        return day * per_day + streets[r.street_name] * per_street + estates[r.estate_name]

    return sorted(found, key=key)


class ReminderService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def list(
        self, *, today: date, street_id: int | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> list[Reminder]:
        """Overdue and upcoming deadlines, overdue first, then by due date."""
        with self.database.read() as conn:
            scan = _Scan(conn, street_id, today, horizon_days)
            found = [*scan.committees(), *scan.contracts(), *scan.lifts(), *scan.funds(), *scan.credit()]
        return _in_order(found)


def _is_latest(table: Table, order: Column[Any], *, unique: bool = False) -> ColumnElement[bool]:
    """`table`'s row is its estate's latest by `order`: the row a scan keeping the maximum keeps.

    Ties go to the lower id, unless the register's natural key makes (estate, `order`) `unique`.
    """
    other = table.alias()
    theirs = other.c[order.key]
    later = theirs > order if unique else or_(theirs > order, and_(theirs == order, other.c.id < table.c.id))
    return ~select(other.c.id).where(other.c.estate_id == table.c.estate_id, later).exists()


class _Scan:
    def __init__(self, conn: Connection, street_id: int | None, today: date, horizon_days: int) -> None:
        self.conn = conn
        self.street_id = street_id
        self.today = today
        self.horizon = today + timedelta(days=horizon_days)

    def _rows(self, source: Any, *columns: Any, where: ColumnElement[bool] | None = None) -> Iterator[Any]:
        """`columns` of `source` (a table or subquery) for the estates in scope, with the estate's name
        and 街镇 as `estate_name` and `street_name`, in the order of `source`'s id."""
        estates, streets = TABLES["estates"], TABLES["streets"]
        query: Select[Any] = (
            select(*columns, estates.c.name.label("estate_name"), streets.c.name.label("street_name"))
            .select_from(source if source is estates else source.join(estates, estates.c.id == source.c.estate_id))
            .join(streets, streets.c.id == estates.c.street_id)
            .order_by(source.c.id)
        )
        if where is not None:
            query = query.where(where)
        if self.street_id is not None:
            query = query.where(estates.c.street_id == self.street_id)
        yield from self.conn.execute(query)

    def _reminder(
        self, row: Any, category: str, subject: str, message: str, due_on: date | None, rule: Rule
    ) -> Reminder | None:
        """A reminder about `row`'s estate if the deadline has passed or falls within the horizon; None otherwise."""
        overdue = due_on is not None and due_on < self.today
        if due_on is not None and not overdue and due_on > self.horizon:
            return None
        return Reminder(
            row.estate_id, row.estate_name, row.street_name, category, subject, message, due_on, overdue, rule
        )

    # -- 业委会: formation and 换届 -----------------------------------------------------------

    def committees(self) -> Iterator[Reminder]:
        """Formation for estates without any term; the 换届 steps of each estate's latest term."""
        yield from self._formation()
        terms = TABLES["committee_terms"]
        # The watch starts 6 months before the term end: later ends are not watched yet.
        watch_until = add_months(self.today, RENEWAL_WATCH_MONTHS) + _DATE_SLACK
        for term in self._rows(
            terms,
            *(terms.c[k] for k in ("estate_id", *_TERM_COLUMNS)),
            where=and_(
                terms.c.dissolved_on.is_(None),
                terms.c.end_on <= watch_until,
                _is_latest(terms, terms.c.term_no, unique=True),
            ),
        ):
            yield from self._renewal(term)

    def _formation(self) -> Iterator[Reminder]:
        estates, terms = TABLES["estates"], TABLES["committee_terms"]
        no_term = ~select(terms.c.id).where(terms.c.estate_id == estates.c.id).exists()
        for estate in self._rows(
            estates,
            estates.c.id.label("estate_id"),
            estates.c.first_delivery_on,
            estates.c.half_delivered_on,
            estates.c.prep_group_on,
            where=and_(
                no_term,
                estates.c.first_assembly_on.is_(None),
                or_(estates.c.first_delivery_on.is_not(None), estates.c.half_delivered_on.is_not(None)),
            ),
        ):
            due = formation_due_on(
                first_delivery_on=estate.first_delivery_on, half_area_delivered_on=estate.half_delivered_on
            )
            if due is None:
                continue
            if estate.prep_group_on is None:
                r = self._reminder(
                    estate,
                    "业委会组建",
                    "筹备组",
                    f"已具备成立业主大会条件（{due.isoformat()}），街镇应在60日内组建筹备组",
                    due + timedelta(days=60),
                    rules.PREP_GROUP,
                )
            else:
                r = self._reminder(
                    estate,
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
            r = self._reminder(term, "换届", subject, milestone.label, milestone.due_on, milestone.rule)
            if r:
                yield r

    # -- property service contracts ----------------------------------------------------------

    def contracts(self) -> Iterator[Reminder]:
        """The current contract of each estate: the one that started last."""
        contracts = TABLES["contracts"]
        # Those a rule below may remind of: unfiled, temporary, or ending within the notice period.
        may_remind = or_(
            contracts.c.filed_on.is_(None),
            contracts.c.kind == "临时物业服务",
            and_(
                or_(contracts.c.open_ended.is_(None), contracts.c.open_ended == false()),
                contracts.c.end_on <= self.horizon + timedelta(days=90) + _DATE_SLACK,
            ),
        )
        for current in self._rows(
            contracts,
            *(contracts.c[k] for k in ("estate_id", *_CONTRACT_COLUMNS)),
            where=and_(contracts.c.terminated_on.is_(None), may_remind, _is_latest(contracts, contracts.c.start_on)),
        ):
            start = current.start_on
            if current.filed_on is None:
                r = self._reminder(
                    current,
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
                    current,
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
                    current,
                    "物业合同",
                    current.kind,
                    f"合同将于{current.end_on.isoformat()}届满：企业不再续约须提前90日告知，业主大会应及早决定续聘或选聘",
                    current.end_on - timedelta(days=90),
                    rules.CONTRACT_NOTICE,
                )
                if r:
                    yield r

    # -- lifts ---------------------------------------------------------------------------------

    def _lift_candidates(self) -> ColumnElement[bool]:
        """Lifts that may need a reminder: the rules below decide."""
        lifts = TABLES["lifts"]
        # 15 years in service by the horizon (2-29 clamps to 2-28: hence the slack).
        fifteen_years = lifts.c.first_use_on <= add_years(self.horizon, -ASSESSMENT_AGE_YEARS) + _DATE_SLACK
        if self.conn.dialect.name == "sqlite":
            # and not assessed since its 15th anniversary (SQLite's 2-29 + 15 years is 3-1: later, so looser).
            anniversary = func.date(lifts.c.first_use_on, literal(f"+{ASSESSMENT_AGE_YEARS} years"))
            fifteen_years = and_(fifteen_years, or_(lifts.c.assessed_on.is_(None), lifts.c.assessed_on < anniversary))
        candidates = [
            fifteen_years,
            and_(
                lifts.c.risk_class == "Ⅰ类",
                or_(lifts.c.action_status.is_(None), lifts.c.action_status != "已完成"),
                or_(lifts.c.assessed_on.is_(None), lifts.c.assessed_on <= self.horizon),
            ),
        ]
        if self.horizon >= REMOTE_MONITORING_DEADLINE:
            candidates.append(or_(lifts.c.remote_monitoring.is_(None), lifts.c.remote_monitoring == false()))
        return or_(*candidates)

    def lifts(self) -> Iterator[Reminder]:
        lifts = TABLES["lifts"]
        columns = (
            "estate_id",
            "registration_code",
            "first_use_on",
            "assessed_on",
            "risk_class",
            "action_status",
            "remote_monitoring",
        )
        for lift in self._rows(lifts, *(lifts.c[k] for k in columns), where=self._lift_candidates()):
            code = lift.registration_code
            if needs_assessment(lift.first_use_on, lift.assessed_on, self.horizon):
                due = assessment_due_on(lift.first_use_on)
                r = self._reminder(
                    lift,
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
                    lift,
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
                    lift,
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
        """Each estate's latest snapshot, when its balance is below 30 % of the initial amount."""
        columns = ("as_of", "initial_amount", "balance", "topup_started_on")
        funds = TABLES["funds"]
        near_or_below = and_(
            funds.c.initial_amount > 0, funds.c.balance < funds.c.initial_amount * TOPUP_BELOW + _FUND_SLACK
        )
        for snapshot in self._rows(
            funds,
            *(funds.c[k] for k in ("estate_id", *columns)),
            where=and_(near_or_below, _is_latest(funds, funds.c.as_of, unique=True)),
        ):
            if needs_topup(balance=snapshot.balance, initial=snapshot.initial_amount):
                # Rounded down: a balance just under 30 % must never read as "30.0%".
                ratio = (snapshot.balance / snapshot.initial_amount * 100).quantize(Decimal("0.01"), ROUND_DOWN)
                r = self._reminder(
                    snapshot,
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
        events, companies = TABLES["credit_events"], TABLES["companies"]
        columns = (
            "estate_id",
            "band",
            "points",
            "act_on",
            "discovered_on",
            "scored_on",
            "objection",
            "objection_filed_on",
            "objection_accepted_on",
            "corrected_on",
        )
        named = (
            select(events.c.id, *(events.c[k] for k in columns), companies.c.name.label("company"))
            .outerjoin(companies, companies.c.id == events.c.company_id)
            .subquery()
        )
        calendar = load_calendar(self.conn)  # the official holidays and 调休 working days
        for event in self._rows(named, named.c.company, *(named.c[k] for k in columns)):
            company = event.company or ""
            values = event._mapping
            status = status_of_values(values, self.today)
            accepted = objection_accepted_on(values)
            if status is CreditStatus.OBJECTION_PENDING and accepted is not None:
                deadline = objection_deadline(accepted, calendar)
                r = self._reminder(
                    event,
                    "信用",
                    company,
                    f"{event.band}记分异议已受理待核查：应在受理后15个工作日内作出决定{deadline.note}",
                    deadline.on,
                    rules.CREDIT_OBJECTION,
                )
                if r:
                    yield r
            active_until = add_years(event.scored_on, 1)
            if (
                event.band != "业绩"
                and status is not None
                and status.counts
                and active_until <= self.today + timedelta(days=CREDIT_EXPIRY_DAYS)
            ):
                yield Reminder(
                    event.estate_id,
                    event.estate_name,
                    event.street_name,
                    "信用",
                    company,
                    f"{event.points}分记分将于{active_until.isoformat()}期满，不再计入",
                    active_until,
                    False,
                    rules.CREDIT_ACTIVE,
                )


_TERM_COLUMNS = (
    "term_no",
    "end_on",
    "dissolved_on",
    "renewal_report_on",
    "renewal_group_on",
    "seals_handover_on",
    "renewal_election_on",
    "renewal_filed_on",
    "renewal_audit_on",
)
_CONTRACT_COLUMNS = ("kind", "signed_on", "start_on", "end_on", "filed_on", "open_ended", "terminated_on")
